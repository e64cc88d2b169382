import { Command } from 'commander';
import { createHttpSender } from '../../lambda/adapters/http-sender';
import { buildRequest, DEFAULT_DELIVERY_TIMEOUT_MS } from '../../lambda/core/delivery/delivery-request';
import { renderBody } from '../../lambda/core/formats/render-body';
import type { AttemptResult } from '../../lambda/core/delivery/outcome';
import { classify } from '../../lambda/core/delivery/outcome';
import { deliveryId } from '../../lambda/core/delivery/signature';
import { VERSION } from '../../lambda/version';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { CliError, UsageError, WarningExit } from '../errors';
import { maskUrl, scrubSecrets } from '../mask-secrets';
import type { Output } from '../output';
import { sampleEvent } from '../sample-event';
import { createSubscriptionStore } from '../subscription-store';
import { addTargetGuardOptions, refusalExplanation, TARGET_GUARD_HELP, testTargetGuard } from '../test-target-guard';
import type { TargetGuardFlags } from '../test-target-guard';
import { PROBES, probeReceiver } from '../verify-receiver';
import type { ProbeResult } from '../verify-receiver';

/**
 * `webhooks test NAME [--type TYPE]`: one live delivery of a sample event to one subscription,
 * built, signed and guarded exactly as the delivery function does (a target it refuses is refused
 * here too, naming the rule); exits 1 unless the target answers 2xx. With `--verify`, then checks
 * that the receiver refuses a wrong signature and a stale timestamp, and exits 3 with a warning for
 * each it accepts.
 */
export function testCommand(runtime: CommandRuntime): Command {
  const command = new Command('test')
    .description('make one live, signed delivery of a sample event to a subscription and show the answer')
    .argument('<name>', 'subscription name')
    .option('--type <type>', 'event type to send (default: the first it receives, preferring a specific status over .done)')
    .option('--verify', 'then send the same body with a wrong signature, and with a stale timestamp, and check that the receiver refuses both (exit 3 if not)');
  return addTargetGuardOptions(command)
    .addOption(jsonOption())
    .addHelpText('after', examples('webhooks test ops', 'webhooks test ops --type jobs.failed --json', 'webhooks --endpoint-url http://127.0.0.1:4566 test demo --allow-private', 'webhooks test ops --verify'))
    .addHelpText('after', TARGET_GUARD_HELP)
    .action(async (name: string, options: { type?: string; verify?: boolean } & TargetGuardFlags, command: Command) => {
      const { out, aws, env } = runtime.contextFor(command);
      const guard = testTargetGuard(options, env);
      const catalogue = await aws.eventCatalogue();
      const store = createSubscriptionStore(aws.ssm, await aws.subscriptionsPath(), catalogue);
      const { subscription } = await store.getValid(name);
      const received = subscription.events.flatMap(catalogue.typesMatchedBy);
      // The platform publishes specific statuses, so a sample `*.succeeded` is likelier than `*.done`.
      const type = options.type ?? received.find((candidate) => !candidate.endsWith('.done')) ?? received[0] ?? '';
      if (options.type !== undefined && !catalogue.has(options.type)) {
        throw new UsageError(`--type "${options.type}" is not an event type of the catalogue; run "webhooks publish --help" for the list`);
      }
      if (!received.includes(type)) {
        throw new CliError(`subscription "${name}" does not receive ${type} (its events: ${subscription.events.join(', ')}); pick a --type it matches`);
      }
      if (options.verify && subscription.secret === undefined) {
        throw new CliError(`subscription "${name}" has no secret, so its deliveries carry no signature for the receiver to verify; give it one with "webhooks rotate-secret ${name}" and run this again`);
      }
      if (!subscription.enabled) out.note(`note: subscription "${name}" is disabled; the delivery function would not deliver to it`);

      const now = Date.now();
      const event = sampleEvent(type, now);
      const id = deliveryId(event.id, name);
      const body = renderBody(event, subscription);
      const build = (webhookId: string, at: number) => buildRequest(subscription, event, body, {
        deliveryId: webhookId, attempt: 1, now: at, userAgent: `platform-webhooks/${VERSION}`, defaultTimeoutMs: DEFAULT_DELIVERY_TIMEOUT_MS,
      });
      const sender = createHttpSender({ maxSockets: 1, guard });
      try {
        const started = performance.now();
        const result = await sender.send(build(id, now));
        const latencyMs = Math.round(performance.now() - started);
        const delivered = classify(result).kind === 'delivered';
        const probes = options.verify && delivered ? await probeReceiver({ deliveryId: id, build, send: (request) => sender.send(request), now }) : undefined;

        if (out.json) out.data({ subscription: name, url: maskUrl(subscription.url), type, eventId: event.id, webhookId: id, signed: subscription.secret !== undefined, ok: delivered, ...resultFields(result), latencyMs, ...(probes !== undefined && { verify: probes.map(probeFields) }) });
        else out.line(`${name}: ${describeResult(result)} in ${latencyMs} ms (${type}, webhook-id ${id}${subscription.secret === undefined ? ', unsigned' : ''})`);
        if (result.kind === 'refused') throw new CliError(await refusalExplanation(name, result, subscription.url, command, env));
        if (!delivered) throw new CliError(`the test delivery to "${name}" failed: ${classify(result).kind === 'retryable' ? 'the delivery function would retry it' : 'the delivery function would dead-letter it'} (${describeResult(result)})`);
        if (probes !== undefined) reportProbes(out, name, probes);
      } finally {
        sender.close();
      }
    });
}

// --verify: what the probes found (docs/design.md §11).

function probeFields({ probe, result, latencyMs, refused }: ProbeResult): Record<string, unknown> {
  return { probe, refused: refused ?? null, ...resultFields(result), latencyMs };
}

/**
 * One line per probe, then the verdict: a receiver that refused both verifies signatures; one that
 * accepted either gets a warning saying what it lacks, and exit code 3.
 * @throws {WarningExit} when the receiver accepted a probe. @throws {CliError} when a probe got no HTTP answer.
 */
function reportProbes(out: Output, name: string, probes: readonly ProbeResult[]): void {
  for (const { probe, result, latencyMs, refused } of probes) {
    if (!out.json) out.line(`${name}: ${PROBES[probe].what}: ${refused ? 'refused' : refused === false ? 'ACCEPTED' : 'no answer'}, ${describeResult(result)} in ${latencyMs} ms`);
  }
  const unanswered = probes.find((probe) => probe.refused === undefined);
  if (unanswered !== undefined) {
    throw new CliError(`could not tell whether the receiver of "${name}" checks signatures: the delivery with ${PROBES[unanswered.probe].what} got no HTTP answer (${describeResult(unanswered.result)})`);
  }
  const accepted = probes.filter((probe) => probe.refused === false);
  for (const { probe, result } of accepted) out.warn(`the receiver of "${name}" accepted a delivery with ${PROBES[probe].what} (${describeResult(result)}): ${PROBES[probe].hole}`);
  if (accepted.length > 0) throw new WarningExit();
  if (!out.json) out.line(`${name}: receiver verifies signatures`);
}

function resultFields(result: AttemptResult): Record<string, unknown> {
  switch (result.kind) {
    case 'response':
      return { status: result.status, ...(result.location !== undefined && { location: maskUrl(result.location) }) };
    case 'network-error':
      return { error: scrubSecrets(`${result.code}: ${result.message}`) };
    case 'refused':
      return { error: `refused: ${result.message}`, rule: result.rule };
  }
}

function describeResult(result: AttemptResult): string {
  switch (result.kind) {
    case 'response':
      return `HTTP ${result.status}${result.location === undefined ? '' : ` (location: ${maskUrl(result.location)})`}`;
    case 'network-error':
      return scrubSecrets(`${result.code} (${result.message})`);
    case 'refused':
      return `refused (${result.message})`;
  }
}
