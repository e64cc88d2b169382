/**
 * `npx tsx bench/history-query.ts [--quick]`: how long `webhooks deliveries` takes over one hour of
 * a busy log group (BENCHMARKS.md, Delivery history query). The CloudWatch Logs stand-in holds the
 * hour, written with PutLogEvents and read with FilterLogEvents through the real
 * `@aws-sdk/client-cloudwatch-logs`, by the command's own search (cli/search-history.ts).
 */
import { performance } from 'node:perf_hooks';

import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';

import type { DeliveryFilters } from '../cli/delivery-record';
import { searchNewestFirst } from '../cli/search-history';
import { auditLine } from '../lambda/core/delivery/audit-entry';
import type { AuditOutcome } from '../lambda/core/delivery/audit-entry';
import { startLogsServer } from '../local/logs-server';

const GROUP = '/aws/lambda/platform-webhooks-bench';
const STREAM = '2026/11/27/[$LATEST]bench';
const HOUR_MS = 3_600_000;

/** The busy hour: attempts per second, over this many subscriptions, about one in 200 dead-lettered and one in 40 a retry. */
export const BUSY_HOUR = { perSecond: 100, subscriptions: 20 } as const;

/** One timed query. */
export interface HistoryQueryRow {
  readonly query: string;
  readonly linesInWindow: number;
  readonly found: number;
  readonly requests: number;
  readonly medianMs: number;
}

export interface HistoryQueryResult {
  readonly lines: number;
  readonly megabytes: number;
  readonly writeSeconds: number;
  readonly rows: HistoryQueryRow[];
}

/** Writes the hour, then runs each query `runs` times. `scale` shrinks the hour (the smoke test). */
export async function historyQuery(options: { scale?: number; runs?: number } = {}): Promise<HistoryQueryResult> {
  const scale = options.scale ?? 1;
  const runs = options.runs ?? 3;
  const server = await startLogsServer({ maxBytes: 1024 * 1024 * 1024 });
  const client = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  try {
    const to = Date.now();
    const from = to - HOUR_MS + 1;
    const count = Math.round(BUSY_HOUR.perSecond * 3600 * scale);
    const started = performance.now();
    await writeHour(client, from, count);
    const writeSeconds = (performance.now() - started) / 1000;
    const queries: Array<[string, DeliveryFilters, number]> = [
      ['newest 50, no filter', {}, 50],
      ['newest 50 of one subscription', { subscription: 'sub-0' }, 50],
      ['one subscription\'s dead letters', { subscription: 'sub-0', outcomes: ['dead-lettered'] }, 50],
      ['one event, sent at the start of the hour', { eventId: 'evt_0' }, 50],
    ];
    const rows: HistoryQueryRow[] = [];
    for (const [query, filters, limit] of queries) {
      const times: number[] = [];
      let last = { found: 0, requests: 0 };
      for (let run = 0; run < runs; run++) {
        const begun = performance.now();
        const result = await searchNewestFirst({ client, logGroup: GROUP, filters, from, to, limit });
        times.push(performance.now() - begun);
        last = { found: result.records.length, requests: result.requests };
      }
      rows.push({ query, linesInWindow: count, ...last, medianMs: Math.round(median(times)) });
    }
    return { lines: count, megabytes: Math.round(server.store.bytes / 1e5) / 10, writeSeconds: Math.round(writeSeconds * 10) / 10, rows };
  } finally {
    client.destroy();
    await server.close();
  }
}

/** `count` audit lines spread evenly over the hour, as the function writes them, in PutLogEvents batches of at most 1 MB. */
async function writeHour(client: CloudWatchLogsClient, from: number, count: number): Promise<void> {
  await client.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }));
  let batch: Array<{ timestamp: number; message: string }> = [];
  let bytes = 0;
  for (let index = 0; index < count; index++) {
    const timestamp = from + Math.floor((index * HOUR_MS) / count);
    const message = line(index, timestamp);
    if (batch.length === 10_000 || bytes + message.length + 26 > 1_000_000) {
      await client.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, logEvents: batch }));
      batch = [];
      bytes = 0;
    }
    batch.push({ timestamp, message });
    bytes += message.length + 26;
  }
  if (batch.length > 0) await client.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, logEvents: batch }));
}

function line(index: number, timestamp: number): string {
  const subscription = `sub-${index % BUSY_HOUR.subscriptions}`;
  const outcome: AuditOutcome = index % 199 === 0 ? 'dead-lettered' : index % 41 === 0 ? 'retry' : 'delivered';
  const status = outcome === 'delivered' ? 200 : outcome === 'retry' ? 503 : 404;
  const eventId = `evt_${Math.floor(index / BUSY_HOUR.subscriptions)}`;
  const { level, message, fields } = auditLine({
    outcome, eventId, eventType: 'experiments.succeeded', subscription, deliveryId: `msg_${index.toString(36).padStart(27, '0')}`, attempt: 1, status, latencyMs: 40 + (index % 300),
    url: `https://hooks.example.com/${subscription}`, ...(outcome !== 'delivered' && { error: `HTTP ${status}` }), ...(outcome === 'dead-lettered' && { reason: 'permanent' }),
  });
  return JSON.stringify({ level: level.toUpperCase(), message, timestamp: new Date(timestamp).toISOString(), service: 'platform-webhooks', sampling_rate: 0, ...fields });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const quick = process.argv.includes('--quick');
  historyQuery(quick ? { scale: 0.01, runs: 1 } : {}).then(
    (result) => {
      process.stdout.write(`${result.lines} audit lines (${result.megabytes} MB as CloudWatch counts them) over one hour, written in ${result.writeSeconds} s\n\n`);
      process.stdout.write('| query | matches found | FilterLogEvents requests | median time |\n| --- | --- | --- | --- |\n');
      for (const row of result.rows) process.stdout.write(`| ${row.query} | ${row.found} | ${row.requests} | ${row.medianMs} ms |\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
