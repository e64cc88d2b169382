import { Command } from 'commander';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { concerns } from '../dead-letter-entry';
import type { DeadLetterEntry } from '../dead-letter-entry';
import { createDeadLetterQueue, peekDeadLetters } from '../dead-letter-queue';
import { formatTable } from '../format-table';
import { scrubSecrets } from '../mask-secrets';
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
      const queue = createDeadLetterQueue(aws.sqs, await aws.deadLetterQueueUrl(), await aws.eventCatalogue());
      const all = await peekDeadLetters(queue, options.max ?? DEFAULT_LIST_MAX);
      const subscription = options.subscription;
      const entries = subscription === undefined ? all : all.filter((entry) => concerns(entry, subscription));
      if (out.json) {
        // `value` is the body as JSON only when it is JSON the CLI can handle, else its text: any body lists.
        out.data(entries.map(({ messageId, sentAt, sourceQueue, kind, record, value, summary }) => ({
          messageId, ...(sentAt !== undefined && { sentAt }), ...(sourceQueue !== undefined && { sourceQueue }), kind, ...summary, record: record ?? value,
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
      const invalid = entries.filter((entry) => entry.kind === 'invalid-event').length;
      // Invalid events stay unless forced: they would be refused again unless the catalogue changed.
      const force = invalid === 0 ? '' : ` (invalid events only with --force, once the catalogue accepts them: webhooks dlq redrive ${redrive} --force)`;
      out.line(`${entries.length} message${one ? '' : 's'}${all.length >= (options.max ?? DEFAULT_LIST_MAX) ? ' (more may remain; raise --max)' : ''}. Send ${one ? 'it' : 'them'} back with: webhooks dlq redrive ${redrive}${force}`);
    });
}

function row({ summary }: DeadLetterEntry): string[] {
  const cells = [summary.reason, summary.subscription ?? '-', summary.eventType ?? '-', summary.eventId ?? '-', summary.attempts === undefined ? '-' : String(summary.attempts), scrubSecrets(summary.error)];
  return cells.map(clipped);
}

/** A cell of at most 200 characters; formatTable shows its control characters (escape sequences, line breaks) as escapes. */
function clipped(text: string): string {
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

const MAX_CELL = 200;
