import { Command } from 'commander';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import type { DeadLetterEntry } from '../dead-letter-entry';
import { createDeadLetterQueue, peekDeadLetters } from '../dead-letter-queue';
import { formatTable } from '../format-table';
import { positiveInteger } from '../option-parsers';

/** Messages `dlq list` shows unless `--max` says otherwise. */
export const DEFAULT_LIST_MAX = 100;

/** `webhooks dlq list`: what is in the dead-letter queue and why, without removing anything. */
export function dlqListCommand(runtime: CommandRuntime): Command {
  return new Command('list')
    .alias('ls')
    .description('show dead-lettered deliveries and events with their reason, leaving them in the queue')
    .option('--max <n>', `show at most this many (default ${DEFAULT_LIST_MAX})`, positiveInteger)
    .option('--subscription <name>', 'only records of this subscription')
    .addOption(jsonOption())
    .addHelpText('after', examples('webhooks dlq list', 'webhooks dlq list --subscription ops --json'))
    .action(async (options: { max?: number; subscription?: string }, command: Command) => {
      const { out, aws } = runtime.contextFor(command);
      const queue = createDeadLetterQueue(aws.sqs, await aws.deadLetterQueueUrl());
      const all = await peekDeadLetters(queue, options.max ?? DEFAULT_LIST_MAX);
      const entries = options.subscription === undefined ? all : all.filter((entry) => entry.summary.subscription === options.subscription);
      if (out.json) {
        out.data(entries.map(({ messageId, sentAt, kind, record, body, summary }) => ({
          messageId, ...(sentAt !== undefined && { sentAt }), kind, ...summary, record: record ?? parseOrRaw(body),
        })));
        return;
      }
      if (entries.length === 0) {
        out.line('The dead-letter queue is empty.');
        return;
      }
      const rows = entries.map((entry) => row(entry));
      for (const line of formatTable(['REASON', 'SUBSCRIPTION', 'EVENT', 'EVENT ID', 'ATTEMPTS', 'ERROR'], rows)) out.line(line);
      out.line();
      const one = entries.length === 1;
      const redrive = options.subscription === undefined ? '--all' : `--subscription ${options.subscription}`;
      out.line(`${entries.length} message${one ? '' : 's'}${all.length >= (options.max ?? DEFAULT_LIST_MAX) ? ' (more may remain; raise --max)' : ''}. Send ${one ? 'it' : 'them'} back with: webhooks dlq redrive ${redrive}`);
    });
}

function row({ summary }: DeadLetterEntry): string[] {
  return [summary.reason, summary.subscription ?? '-', summary.eventType ?? '-', summary.eventId ?? '-', summary.attempts === undefined ? '-' : String(summary.attempts), summary.error];
}

function parseOrRaw(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
