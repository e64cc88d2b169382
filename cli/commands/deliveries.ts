import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { Command, InvalidArgumentError, Option } from 'commander';

import { AUDIT_OUTCOMES } from '../../lambda/core/delivery/audit-entry';
import { clientConfig } from '../client-config';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import type { DeliveryRecord } from '../delivery-record';
import { CliError, UsageError } from '../errors';
import { formatTable } from '../format-table';
import type { GlobalOptions } from '../global-options';
import { OPTION_ENV } from '../global-options';
import { searchNewestFirst } from '../search-history';

/** Records shown unless `--limit` says otherwise, and the window searched unless `--since` does. */
export const DELIVERIES_DEFAULTS = { limit: 50, since: '24h' } as const;

/** The most `--limit` allows: one FilterLogEvents page's worth of events. */
const MAX_LIMIT = 10_000;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

interface DeliveriesOptions {
  readonly subscription?: string;
  readonly event?: string;
  readonly since: string;
  readonly outcome?: string[];
  readonly limit: number;
  readonly logGroup?: string;
  readonly json?: boolean;
}

/**
 * `webhooks deliveries`: the delivery history (docs/design.md §11), newest first, from the audit
 * lines in the function's log group, locally (the `npm start` stand-in) and deployed alike.
 */
export function deliveriesCommand(runtime: CommandRuntime): Command {
  return new Command('deliveries')
    .description('list delivery attempts, deferrals, drops and dead letters from the function\'s log, newest first')
    .option('--subscription <name>', 'only this subscription\'s deliveries')
    .option('--event <id>', 'only this event\'s deliveries (the event id, as in the body\'s "id")')
    .option('--since <duration|time>', 'how far back to search: a duration (90s, 30m, 2h, 7d) or an ISO-8601 time', DELIVERIES_DEFAULTS.since)
    .addOption(new Option('--outcome <outcome>', `only these outcomes, comma-separated: ${AUDIT_OUTCOMES.join(', ')}`).argParser(collectOutcomes))
    .option('--limit <n>', `show at most the newest n, at most ${MAX_LIMIT}`, parseLimit, DELIVERIES_DEFAULTS.limit)
    .option('--log-group <name>', `the function's log group (env: ${OPTION_ENV.logGroup}; default: the --stack output LogGroupName, or the local stack's)`)
    .addOption(jsonOption())
    .addHelpText('after', examples(
      'webhooks deliveries --event evt_01J9ZK3T --subscription ops',
      'webhooks deliveries --subscription ops --outcome retry,dead-lettered --since 1h',
      'webhooks --stack platform-webhooks deliveries --since 2026-11-27T09:00:00Z --json',
    ))
    .action(async (options: DeliveriesOptions, command: Command) => {
      const { out, aws, env } = runtime.contextFor(command);
      const to = Date.now();
      const from = parseSince(options.since, to);
      const logGroup = await aws.logGroupName(options.logGroup);
      const given = runtime.io.clients?.logs;
      const client = given ?? new CloudWatchLogsClient({
        ...clientConfig(command.optsWithGlobals<GlobalOptions>(), env),
        // FilterLogEvents allows 5 requests per second per account and Region: adaptive retries slow
        // down on ThrottlingException instead of failing a long search.
        // https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
        retryMode: 'adaptive',
        maxAttempts: 8,
      });
      try {
        const filters = { subscription: options.subscription, eventId: options.event, outcomes: options.outcome };
        const result = await searchNewestFirst({
          client, logGroup, filters, from, to, limit: options.limit,
          onProgress: ({ reachedBack, requests, found }) => out.note(`searching ${logGroup}: back to ${isoSeconds(reachedBack)}, ${found} found (${requests} ${requests === 1 ? 'request' : 'requests'})`),
        }).catch((error: unknown) => {
          if ((error as Error).name === 'ResourceNotFoundException') {
            throw new CliError(`log group "${logGroup}" does not exist here; check --log-group (or --stack) and --region, or start the local stack (npm start)`, { cause: error });
          }
          throw error;
        });
        if (out.json) return out.data(result.records);
        const window = `since ${isoSeconds(from)} in ${logGroup}`;
        if (result.records.length === 0) return out.line(`No deliveries match ${window}.`);
        for (const line of formatTable(['TIME', 'EVENT', 'EVENT ID', 'SUBSCRIPTION', 'ATTEMPT', 'OUTCOME', 'STATUS', 'LATENCY', 'ERROR'], result.records.map(row))) out.line(line);
        out.line();
        const more = result.complete ? '' : '; older ones may match: raise --limit to see them';
        out.line(`${result.records.length} shown, newest first, ${window}${more}.`);
      } finally {
        if (given === undefined) client.destroy();
      }
    });
}

function row(record: DeliveryRecord): string[] {
  return [
    isoSeconds(Date.parse(record.time)),
    record.eventType ?? '-',
    record.eventId,
    record.subscription,
    String(record.attempt),
    record.outcome,
    record.status === null ? '-' : String(record.status),
    record.latencyMs === null ? '-' : `${record.latencyMs} ms`,
    [record.error, record.reason].filter((part) => part !== null).join('; ') || '-',
  ];
}

/**
 * The start of the window, epoch milliseconds: `now` less a duration (`90s`, `30m`, `2h`, `7d`), or an ISO-8601 time.
 * @throws {UsageError} saying what is accepted.
 */
export function parseSince(text: string, now: number): number {
  const duration = /^\s*(\d+)\s*([smhd])\s*$/.exec(text);
  if (duration !== null) return now - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
  const time = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(time)) throw new UsageError(`--since "${text}" is neither a duration (90s, 30m, 2h, 7d) nor an ISO-8601 time (2026-11-27T09:00:00Z)`);
  if (time > now) throw new UsageError(`--since ${text} is in the future; give a time before now`);
  return time;
}

function collectOutcomes(text: string, previous: string[] = []): string[] {
  const outcomes = text.split(',').map((outcome) => outcome.trim()).filter((outcome) => outcome !== '');
  const unknown = outcomes.find((outcome) => !(AUDIT_OUTCOMES as readonly string[]).includes(outcome));
  if (unknown !== undefined || outcomes.length === 0) throw new InvalidArgumentError(`expected outcomes among ${AUDIT_OUTCOMES.join(', ')}${unknown === undefined ? '' : `, got "${unknown}"`}`);
  return [...previous, ...outcomes];
}

function parseLimit(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > MAX_LIMIT) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_LIMIT}`);
  return Number(text);
}

function isoSeconds(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}
