import { Command } from 'commander';
import { subscriptionValue } from '../../lambda/core/subscriptions/subscriptions';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { maskForDisplay, scrubSecrets } from '../mask-secrets';
import { createSubscriptionStore } from '../subscription-store';
import type { StoredSubscription } from '../subscription-store';

/** `webhooks show NAME`: one subscription's whole value, secrets and credential headers masked. */
export function showCommand(runtime: CommandRuntime): Command {
  return new Command('show')
    .description('show one subscription\'s value (secrets and credential headers masked)')
    .argument('<name>', 'subscription name')
    .addOption(jsonOption())
    .addHelpText('after', examples('webhooks show ops', 'webhooks show ops --json | jq .events'))
    .action(async (name: string, _options: unknown, command: Command) => {
      const { out, aws } = runtime.contextFor(command);
      const store = createSubscriptionStore(aws.ssm, await aws.subscriptionsPath());
      const stored = await store.get(name);
      const value = maskedValue(stored);
      const errors = stored.result.ok ? [] : stored.result.errors.map(scrubSecrets);
      if (out.json) {
        out.data({ name, parameter: stored.parameterName, type: stored.type, version: stored.version, valid: stored.result.ok, ...(errors.length > 0 && { errors }), value });
        return;
      }
      out.line(`subscription "${name}": ${stored.parameterName} (${stored.type}${stored.version === undefined ? '' : `, version ${stored.version}`})`);
      out.line(value === undefined ? '(the stored value is not JSON; not shown, as it may hold a secret)' : JSON.stringify(value, null, 2));
      if (errors.length > 0) {
        out.line('invalid: the delivery function skips this subscription:');
        for (const error of errors) out.line(`  ${error}`);
      }
    });
}

/** The value to print: the normalized subscription when valid, else the stored JSON as is, masked either way. */
function maskedValue(stored: StoredSubscription): unknown {
  if (stored.result.ok) return maskForDisplay(subscriptionValue(stored.result.subscription));
  try {
    return maskForDisplay(JSON.parse(stored.raw) as unknown);
  } catch {
    return undefined;
  }
}
