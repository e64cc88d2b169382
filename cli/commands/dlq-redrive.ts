import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Command } from 'commander';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { createDeadLetterQueue } from '../dead-letter-queue';
import { CliError, UsageError } from '../errors';
import { positiveInteger } from '../option-parsers';
import type { Output } from '../output';
import { redriveDeadLetters } from '../redrive-dead-letters';
import type { RedriveOutcome, RedriveResult } from '../redrive-dead-letters';

interface RedriveCommandOptions {
  readonly all?: boolean;
  readonly max?: number;
  readonly force?: boolean;
  readonly subscription?: string;
}

/**
 * `webhooks dlq redrive`: moves dead-lettered messages back to the events queue (send, then delete),
 * deliveries as redrive messages the function decides as retries (docs/design.md §4).
 */
export function dlqRedriveCommand(runtime: CommandRuntime): Command {
  return new Command('redrive')
    .description('send dead-lettered deliveries back to the events queue for a fresh series of attempts')
    .option('--all', 'redrive every message')
    .option('--max <n>', 'redrive at most this many', positiveInteger)
    .option('--subscription <name>', 'only records of this subscription (alone: all of them)')
    .option('--force', 'also redrive invalid events (as their raw body), e.g. after adding an event type')
    .addOption(jsonOption())
    .addHelpText('after', examples('webhooks dlq redrive --all', 'webhooks dlq redrive --subscription ops', 'webhooks dlq redrive --max 10 --subscription ops', 'webhooks dlq redrive --all --force'))
    .action(async (options: RedriveCommandOptions, command: Command) => {
      if (options.all === true && options.max !== undefined) throw new UsageError('give either --all or --max N, not both');
      // --subscription alone is a selection too: every record of that subscription (README, CLI).
      if (options.all !== true && options.max === undefined && options.subscription === undefined) {
        throw new UsageError('say which messages to redrive: --all, --max N, or --subscription NAME');
      }
      const { out, aws } = runtime.contextFor(command);
      const eventsQueueUrl = await aws.queueUrl();
      const catalogue = await aws.eventCatalogue();
      const result = await redriveDeadLetters({
        queue: createDeadLetterQueue(aws.sqs, await aws.deadLetterQueueUrl(), catalogue),
        catalogue,
        send: async (body) => void (await aws.sqs.send(new SendMessageCommand({ QueueUrl: eventsQueueUrl, MessageBody: body }))),
        limit: options.max ?? Number.POSITIVE_INFINITY,
        force: options.force === true,
        ...(options.subscription !== undefined && { subscription: options.subscription }),
      });
      report(out, result);
      if (result.failure !== undefined) throw new CliError(`message ${result.failure.entry.messageId}: ${result.failure.detail ?? 'failed'}`);
    });
}

function report(out: Output, { redriven, skipped }: RedriveResult): void {
  if (out.json) {
    out.data({ redriven: redriven.map(toJson), skipped: skipped.map(toJson) });
    return;
  }
  out.line(redriven.length === 0 ? 'Nothing was redriven.' : `Redrove ${redriven.length} message${redriven.length === 1 ? '' : 's'} to the events queue:`);
  for (const outcome of redriven) out.line(`  ${describe(outcome)}`);
  if (skipped.length > 0) {
    out.line(`Skipped ${skipped.length} (left in the dead-letter queue):`);
    for (const outcome of skipped) out.line(`  ${describe(outcome)}: ${outcome.detail ?? ''}`);
  }
}

function describe({ entry: { summary } }: RedriveOutcome): string {
  const webhookId = summary.deliveryId === undefined ? '' : ` (webhook-id ${summary.deliveryId})`;
  return `${summary.reason} ${summary.subscription ?? '-'} ${summary.eventType ?? '-'} ${summary.eventId ?? ''}`.trim() + webhookId;
}

function toJson({ entry, detail }: RedriveOutcome): Record<string, unknown> {
  const { summary } = entry;
  return {
    messageId: entry.messageId, kind: entry.kind, reason: summary.reason,
    ...(summary.subscription !== undefined && { subscription: summary.subscription }),
    ...(summary.deliveryId !== undefined && { deliveryId: summary.deliveryId }),
    ...(summary.eventType !== undefined && { eventType: summary.eventType }),
    ...(summary.eventId !== undefined && { eventId: summary.eventId }),
    ...(detail !== undefined && { detail }),
  };
}
