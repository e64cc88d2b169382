import { Command } from 'commander';
import type { CommandRuntime } from '../command-context';
import { examples } from '../command-context';
import { dlqListCommand } from './dlq-list';
import { dlqRedriveCommand } from './dlq-redrive';

/** `webhooks dlq …`: the dead-letter queue. */
export function dlqCommand(runtime: CommandRuntime): Command {
  return new Command('dlq')
    .description('inspect and redrive the dead-letter queue')
    .addCommand(dlqListCommand(runtime))
    .addCommand(dlqRedriveCommand(runtime))
    .addHelpText('after', examples('webhooks dlq list', 'webhooks dlq redrive --all'));
}
