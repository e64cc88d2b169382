import { Command } from 'commander';
import { createNodeHttpSender } from '../../lambda/adapters/http-sender';
import { buildRequest, DEFAULT_DELIVERY_TIMEOUT_MS } from '../../lambda/core/delivery/delivery-request';
import { renderBody } from '../../lambda/core/formats/render-body';
import { isEventType, typesMatchedBy } from '../../lambda/core/inbound/events';
import type { AttemptResult } from '../../lambda/core/delivery/outcome';
import { classify } from '../../lambda/core/delivery/outcome';
import { deliveryId } from '../../lambda/core/delivery/signature';
import { VERSION } from '../../lambda/version';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { CliError, UsageError } from '../errors';
import { sampleEvent } from '../sample-event';
import { createSubscriptionStore } from '../subscription-store';

/**
 * `webhooks test NAME [--type TYPE]`: one live delivery of a sample event to one subscription,
 * built and signed exactly as the delivery function does; exits 1 unless the target answers 2xx.
 */
export function testCommand(runtime: CommandRuntime): Command {
  return new Command('test')
    .description('make one live, signed delivery of a sample event to a subscription and show the answer')
    .argument('<name>', 'subscription name')
    .option('--type <type>', 'event type to send (default: the first it receives, preferring a specific status over .done)')
    .addOption(jsonOption())
    .addHelpText('after', examples('webhooks test ops', 'webhooks test ops --type jobs.failed --json'))
    .action(async (name: string, options: { type?: string }, command: Command) => {
      const { out, aws } = runtime.contextFor(command);
      const store = createSubscriptionStore(aws.ssm, await aws.subscriptionsPath());
      const { subscription } = await store.getValid(name);
      const received = subscription.events.flatMap(typesMatchedBy);
      // The platform publishes specific statuses, so a sample `*.succeeded` is likelier than `*.done`.
      const type = options.type ?? received.find((candidate) => !candidate.endsWith('.done')) ?? received[0] ?? '';
      if (options.type !== undefined && !isEventType(options.type)) {
        throw new UsageError(`--type "${options.type}" is not an event type of the catalogue; run "webhooks publish --help" for the list`);
      }
      if (!received.includes(type)) {
        throw new CliError(`subscription "${name}" does not receive ${type} (its events: ${subscription.events.join(', ')}); pick a --type it matches`);
      }
      if (!subscription.enabled) out.note(`note: subscription "${name}" is disabled; the delivery function would not deliver to it`);

      const now = Date.now();
      const event = sampleEvent(type, now);
      const id = deliveryId(event.id, name);
      const request = buildRequest(subscription, event, renderBody(event, subscription), {
        deliveryId: id, attempt: 1, now, userAgent: `platform-webhooks/${VERSION}`, defaultTimeoutMs: DEFAULT_DELIVERY_TIMEOUT_MS,
      });
      const sender = createNodeHttpSender({ maxSockets: 1 });
      const started = performance.now();
      const result = await sender.send(request).finally(() => sender.close());
      const latencyMs = Math.round(performance.now() - started);
      const delivered = classify(result).kind === 'delivered';

      if (out.json) out.data({ subscription: name, url: subscription.url, type, eventId: event.id, webhookId: id, signed: subscription.secret !== undefined, ok: delivered, ...resultFields(result), latencyMs });
      else out.line(`${name}: ${describeResult(result)} in ${latencyMs} ms (${type}, webhook-id ${id}${subscription.secret === undefined ? ', unsigned' : ''})`);
      if (!delivered) throw new CliError(`the test delivery to "${name}" failed: ${classify(result).kind === 'retryable' ? 'the delivery function would retry it' : 'the delivery function would dead-letter it'} (${describeResult(result)})`);
    });
}

function resultFields(result: AttemptResult): Record<string, unknown> {
  switch (result.kind) {
    case 'response':
      return { status: result.status, ...(result.location !== undefined && { location: result.location }) };
    case 'network-error':
      return { error: `${result.code}: ${result.message}` };
    case 'refused':
      return { error: `refused: ${result.message}` };
  }
}

function describeResult(result: AttemptResult): string {
  switch (result.kind) {
    case 'response':
      return `HTTP ${result.status}${result.location === undefined ? '' : ` (location: ${result.location})`}`;
    case 'network-error':
      return `${result.code} (${result.message})`;
    case 'refused':
      return `refused (${result.message})`;
  }
}
