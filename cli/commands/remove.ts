import { Command } from 'commander';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { createSubscriptionStore } from '../subscription-store';

/** `webhooks remove NAME`: deletes the subscription parameter; retries already queued for it are dropped. */
export function removeCommand(runtime: CommandRuntime): Command {
  return new Command('remove')
    .alias('rm')
    .description('delete a subscription (queued retries for it are then dropped)')
    .argument('<name>', 'subscription name')
    .addOption(jsonOption())
    .addHelpText('after', examples('webhooks remove ops'))
    .action(async (name: string, _options: unknown, command: Command) => {
      const { out, aws } = runtime.contextFor(command);
      const store = createSubscriptionStore(aws.ssm, await aws.subscriptionsPath());
      await store.remove(name);
      if (out.json) out.data({ name, removed: true });
      else out.line(`Removed subscription "${name}".`);
    });
}
