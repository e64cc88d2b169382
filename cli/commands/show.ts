import { Command } from 'commander';
import { subscriptionValue } from '../../lambda/core/subscriptions/subscriptions';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { maskForDisplay, scrubSecrets } from '../mask-secrets';
import { createSubscriptionStore } from '../subscription-store';
import type { StoredSubscription } from '../subscription-store';

/**
 * `webhooks show NAME`: one subscription's whole value with its URL redacted, secrets masked and
 * every header value hidden; `--reveal` prints the value as stored, credentials and all
 * (README "Output, secrets and exit codes").
 */
export function showCommand(runtime: CommandRuntime): Command {
  return new Command('show')
    .description('show one subscription\'s value (URL redacted, secrets and header values masked; --reveal shows them)')
    .argument('<name>', 'subscription name')
    .option('--reveal', 'print the value unmasked: the whole URL, the secrets, the routing key and the header values')
    .addOption(jsonOption())
    .addHelpText('after', examples('webhooks show ops', 'webhooks show ops --json | jq .events', 'webhooks show ops --reveal --json | jq -r .value.secret'))
    .action(async (name: string, options: { reveal?: boolean }, command: Command) => {
      const { out, aws } = runtime.contextFor(command);
      const store = createSubscriptionStore(aws.ssm, await aws.subscriptionsPath(), await aws.eventCatalogue());
      const stored = await store.get(name);
      const reveal = options.reveal === true;
      const raw = storedValue(stored);
      const value = raw === undefined || reveal ? raw : maskForDisplay(raw);
      const errors = stored.result.ok ? [] : stored.result.errors.map(scrubSecrets);
      if (out.json) {
        out.data({ name, parameter: stored.parameterName, type: stored.type, version: stored.version, valid: stored.result.ok, ...(errors.length > 0 && { errors }), value: reveal ? (value ?? stored.raw) : value });
        return;
      }
      out.line(`subscription "${name}": ${stored.parameterName} (${stored.type}${stored.version === undefined ? '' : `, version ${stored.version}`})`);
      const text = value !== undefined ? JSON.stringify(value, null, 2) : reveal ? stored.raw : '(the stored value is not JSON; not shown, as it may hold a secret: --reveal shows it)';
      for (const line of text.split('\n')) out.line(line);
      if (errors.length > 0) {
        out.line('invalid: the delivery function skips this subscription:');
        for (const error of errors) out.line(`  ${error}`);
      }
    });
}

/** The value as stored: the normalized subscription when valid, else the stored JSON as is (undefined when it is not JSON). */
function storedValue(stored: StoredSubscription): unknown {
  if (stored.result.ok) return subscriptionValue(stored.result.subscription);
  try {
    return JSON.parse(stored.raw) as unknown;
  } catch {
    return undefined;
  }
}
