import { Command } from 'commander';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { createSubscriptionStore } from '../subscription-store';

/**
 * `webhooks enable NAME` / `webhooks disable NAME`: rewrites the value with `enabled` set, keeping
 * the parameter type. Enabling also re-enables a subscription the delivery function disabled after a 410.
 */
export function setEnabledCommand(runtime: CommandRuntime, enabled: boolean): Command {
  const verb = enabled ? 'enable' : 'disable';
  return new Command(verb)
    .description(enabled
      ? 'enable a subscription, including one disabled after its target answered 410 Gone'
      : 'disable a subscription: no deliveries, queued retries are dropped')
    .argument('<name>', 'subscription name')
    .addOption(jsonOption())
    .addHelpText('after', examples(`webhooks ${verb} ops`))
    .action(async (name: string, _options: unknown, command: Command) => {
      const { out, aws } = runtime.contextFor(command);
      const store = createSubscriptionStore(aws.ssm, await aws.subscriptionsPath(), await aws.eventCatalogue());
      const stored = await store.getValid(name);
      const changed = stored.subscription.enabled !== enabled;
      if (changed) await store.setEnabled(stored, enabled);
      if (out.json) out.data({ name, enabled, changed });
      else out.line(changed ? `${enabled ? 'Enabled' : 'Disabled'} subscription "${name}".` : `Subscription "${name}" is already ${verb}d; nothing to do.`);
    });
}
