import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parseSubscription, SUBSCRIPTION_FORMATS, SUBSCRIPTION_LIMITS } from '../../lambda/core/subscriptions/subscriptions';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { SubscriptionValidationError, UsageError } from '../errors';
import { generateSecret } from '../generate-secret';
import { collectEvents, collectHeader, integer, kmsKeyId } from '../option-parsers';
import { createSubscriptionStore, DEFAULT_KMS_KEY_ID } from '../subscription-store';
import { targetWarnings } from '../target-warnings';

interface SubscribeOptions {
  readonly url: string;
  readonly events: string[];
  readonly filter?: string;
  readonly filterFile?: string;
  readonly secret?: string | true;
  readonly header?: Record<string, string>;
  readonly description?: string;
  readonly timeoutMs?: number;
  readonly maxPerSecond?: number;
  readonly format?: string;
  readonly routingKey?: string;
  readonly disabled?: boolean;
  readonly overwrite?: boolean;
  readonly checkHost?: boolean;
  readonly kmsKeyId?: string;
}

/** `webhooks subscribe NAME --url URL --events LIST …`: validates, then writes one subscription parameter. */
export function subscribeCommand(runtime: CommandRuntime): Command {
  return new Command('subscribe')
    .description('create a subscription (or replace one with --overwrite)')
    .argument('<name>', 'subscription name: 1 to 128 characters of A-Z a-z 0-9 _ . -')
    .requiredOption('--url <url>', 'where deliveries are POSTed: an absolute http: or https: URL')
    .requiredOption('--events <list>', 'comma-separated event patterns: experiments.succeeded, jobs.*, *.failed or *', collectEvents)
    .option('--filter <json>', 'deliver only events whose body matches this EventBridge event pattern (README "Traffic control")')
    .addOption(new Option('--filter-file <path>', 'the same, read from a JSON file').conflicts('filter'))
    .option('--secret [value]', 'sign deliveries; without a value a new whsec_ secret is generated and printed once')
    .option('--header <header>', 'extra request header "Name: value" (repeatable)', collectHeader)
    .option('--description <text>', 'free text, e.g. the owning team')
    .option('--timeout-ms <ms>', `per-attempt timeout, ${SUBSCRIPTION_LIMITS.timeoutMinMs}–${SUBSCRIPTION_LIMITS.timeoutMaxMs} (default 10000)`, integer)
    .option('--max-per-second <n>', `deliver at most n a second, ${SUBSCRIPTION_LIMITS.maxPerSecondMin}–${SUBSCRIPTION_LIMITS.maxPerSecondMax}, across the deployment; the excess waits (README "Traffic control")`, integer)
    .addOption(new Option('--format <format>', 'body format: standard (signed Standard Webhooks JSON) or a chat/incident tool\'s own').choices(SUBSCRIPTION_FORMATS))
    .option('--routing-key <key>', 'PagerDuty Events API v2 integration key (format pagerduty only)')
    .option('--disabled', 'store it disabled (no deliveries until "webhooks enable")')
    .option('--overwrite', 'replace the subscription if it exists')
    .option('--check-host', 'resolve the URL\'s host now and warn if it does not resolve or resolves to an address the function refuses')
    .option('--kms-key-id <key>', `KMS key the SecureString parameter is encrypted with: key id, ARN or alias (default: the key it has, else ${DEFAULT_KMS_KEY_ID})`, kmsKeyId)
    .addOption(jsonOption())
    .addHelpText('after', examples(
      'webhooks subscribe ops --url https://hooks.example.com/platform --events "experiments.*,*.failed" --secret',
      'webhooks subscribe ci --url https://ci.example.com/hook --events builds.done --header "Authorization: Bearer $TOKEN"',
      'webhooks subscribe ops --url https://new.example.com/hook --events "*" --secret "$OPS_SECRET" --overwrite',
      'webhooks subscribe chat --url https://hooks.slack.com/services/T000/B000/XXXX --events "*.failed" --format slack',
      'webhooks subscribe vision --url https://hooks.example.com/vision --events "experiments.*" --filter \'{"data":{"experiment":{"project":["vision"]}}}\'',
      'webhooks subscribe ops --url https://hooks.example.com/platform --events "*" --secret --kms-key-id alias/webhooks',
    ) + '\nEvery subscription is stored as a SecureString parameter, whatever it holds (README "Security model").\n')
    .action(async (name: string, options: SubscribeOptions, command: Command) => {
      const { out, aws, cwd } = runtime.contextFor(command);
      const filter = await readFilter(options, cwd);
      const generated = options.secret === true ? generateSecret() : undefined;
      const secret = generated ?? (typeof options.secret === 'string' ? options.secret : undefined);
      const catalogue = await aws.eventCatalogue();
      const result = parseSubscription(name, {
        url: options.url,
        events: options.events,
        ...(filter !== undefined && { filter }),
        ...(secret !== undefined && { secret }),
        ...(options.format !== undefined && { format: options.format }),
        ...(options.routingKey !== undefined && { routingKey: options.routingKey }),
        ...(options.header !== undefined && { headers: options.header }),
        ...(options.disabled === true && { enabled: false }),
        ...(options.description !== undefined && { description: options.description }),
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
        ...(options.maxPerSecond !== undefined && { maxPerSecond: options.maxPerSecond }),
      }, catalogue);
      if (!result.ok) throw new SubscriptionValidationError(result.errors);
      const { subscription } = result;
      for (const warning of await targetWarnings(name, subscription.url, { resolveHost: options.checkHost === true })) out.warn(warning);

      const store = createSubscriptionStore(aws.ssm, await aws.subscriptionsPath(), catalogue);
      const { created, storage } = await store.put(subscription, { overwrite: options.overwrite === true, ...(options.kmsKeyId !== undefined && { kmsKeyId: options.kmsKeyId }) });

      const parameter = `${store.path}/${name}`;
      const keyId = storage.kmsKeyId ?? DEFAULT_KMS_KEY_ID;
      if (out.json) {
        out.data({ name, parameter, type: storage.type, kmsKeyId: keyId, created, enabled: subscription.enabled, ...(generated !== undefined && { secret: generated }) });
        return;
      }
      out.line(`${created ? 'Created' : 'Replaced'} subscription "${name}" (${parameter}, ${storage.type} under ${keyId}${subscription.enabled ? '' : ', disabled'}).`);
      if (generated !== undefined) {
        out.line(`secret: ${generated}`);
        out.line('Save this secret now: it will not be shown again (the CLI only ever shows it masked).');
      }
    });
}

/** The filter of `--filter JSON` or `--filter-file PATH`, parsed; its content is checked with the rest. @throws {UsageError} when it is not JSON. */
async function readFilter(options: SubscribeOptions, cwd: string): Promise<unknown> {
  let text = options.filter;
  let source = '--filter';
  if (options.filterFile !== undefined) {
    source = options.filterFile;
    try {
      text = await readFile(resolve(cwd, source), 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --filter-file ${source} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path`, { cause: error });
    }
  }
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // V8's message quotes the text around the error: keep only what went wrong and where.
    const problem = (error as Error).message.replace(/,\s*(\.\.\.)?".*$/s, '');
    throw new UsageError(`${source} is not valid JSON (${problem}); pass an EventBridge event pattern such as '{"data":{"experiment":{"project":["vision"]}}}'`, { cause: error });
  }
}
