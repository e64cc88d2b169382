import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  InvalidParameterException,
  paginateFilterLogEvents,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import type { FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';

import { LogStore } from '../../local/log-store';
import { startLogsServer } from '../../local/logs-server';
import type { LogsServer } from '../../local/logs-server';

const GROUP = '/aws/lambda/test';
const STREAM = '2026/11/27/[$LATEST]0123';
const T0 = Date.parse('2026-11-27T10:00:00.000Z');

let server: LogsServer | undefined;
let client: CloudWatchLogsClient;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logs-stand-in-'));
});
afterEach(async () => {
  client?.destroy();
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startLogsServer>[0] = {}): Promise<void> {
  server = await startLogsServer(options);
  client = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  await client.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }));
}

/** `count` audit-like lines a second apart from T0, alternating subscriptions ops and billing. */
async function putLines(count: number, from = 0): Promise<void> {
  const logEvents = Array.from({ length: count }, (_, index) => ({
    timestamp: T0 + (from + index) * 1000,
    message: JSON.stringify({ level: 'INFO', audit: 'delivery', subscription: (from + index) % 2 === 0 ? 'ops' : 'billing', n: from + index }),
  }));
  await client.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, logEvents }));
}

async function all(input: { filterPattern?: string; startTime?: number; endTime?: number; limit?: number }): Promise<FilteredLogEvent[]> {
  const events: FilteredLogEvent[] = [];
  for await (const page of paginateFilterLogEvents({ client }, { logGroupName: GROUP, ...input })) events.push(...(page.events ?? []));
  return events;
}

const numbers = (events: readonly FilteredLogEvent[]): number[] => events.map((event) => (JSON.parse(event.message ?? '{}') as { n: number }).n);

describe('the CloudWatch Logs stand-in, through @aws-sdk/client-cloudwatch-logs', () => {
  it('filters a JSON pattern over the window, oldest first, with the event fields FilterLogEvents returns', async () => {
    // Prepare
    await start();
    await putLines(10);

    // Act
    const page = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.audit = "delivery" && $.subscription = "ops" }', startTime: T0 + 2000, endTime: T0 + 6000 }));

    // Assess
    expect(numbers(page.events ?? [])).toEqual([2, 4, 6]);
    expect(page.events?.[0]).toEqual({ logStreamName: STREAM, timestamp: T0 + 2000, message: expect.any(String), ingestionTime: expect.any(Number), eventId: expect.any(String) });
    expect(page.nextToken).toBeUndefined();
  });

  it('pages by limit and by the events a page may look at, as CloudWatch pages may be partial or empty', async () => {
    // Prepare
    await start({ maxScannedPerPage: 3 });
    await putLines(12);

    // Act
    const first = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.subscription = "billing" }' }));
    const everyBilling = await all({ filterPattern: '{ $.subscription = "billing" }' });
    const limited = await all({ limit: 2 });

    // Assess
    expect(first.events?.length).toBeLessThanOrEqual(3);
    expect(first.nextToken).toEqual(expect.any(String));
    expect(numbers(everyBilling)).toEqual([1, 3, 5, 7, 9, 11]);
    expect(numbers(limited)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('answers as CloudWatch Logs does for a missing group, a pattern it does not support, a batch out of order and a second CreateLogGroup', async () => {
    // Prepare
    await start();

    // Act
    const missing = client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/none' }));
    const pattern = client.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'ERROR' }));
    const unordered = client.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, logEvents: [{ timestamp: T0 + 1, message: 'b' }, { timestamp: T0, message: 'a' }] }));
    const again = client.send(new CreateLogGroupCommand({ logGroupName: GROUP }));

    // Assess
    await expect(missing).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(pattern).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(pattern).rejects.toThrow(/Invalid filter pattern/);
    await expect(unordered).rejects.toThrow(/chronological order/);
    await expect(again).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
  });

  it('keeps the newest events within its size cap', async () => {
    // Prepare: each line is about 100 bytes with CloudWatch's 26 bytes of overhead
    await start({ maxBytes: 1000 });

    // Act
    await putLines(30);

    // Assess
    const kept = numbers(await all({}));
    expect(server?.store.bytes).toBeLessThanOrEqual(1000);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, index) => 30 - kept.length + index));
  });
});

describe('the log data file', () => {
  it('keeps the events between runs and skips a line cut short by a crash', async () => {
    // Prepare
    const dataFile = join(dir, 'logs.jsonl');
    await start({ dataFile });
    await putLines(4);
    await server?.close();
    await appendFile(dataFile, '{"kind":"event","group":"/aws/lambda/test","str');

    // Act
    const reopened = await LogStore.open({ dataFile });

    // Assess
    expect(numbers(reopened.filter({ group: GROUP }).events as unknown as FilteredLogEvent[])).toEqual([0, 1, 2, 3]);
    await reopened.close();
  });

  it('is rewritten from the kept events once it grows past twice the cap, so it stays bounded', async () => {
    // Prepare
    const dataFile = join(dir, 'logs.jsonl');
    const store = await LogStore.open({ dataFile, maxBytes: 2000 });
    store.ensureStream(GROUP, STREAM);

    // Act
    for (let n = 0; n < 200; n++) {
      store.append(GROUP, STREAM, JSON.stringify({ n, padding: 'x'.repeat(40) }));
      if (n % 20 === 19) await store.flush();
    }
    await store.close();

    // Assess
    expect((await stat(dataFile)).size).toBeLessThan(3 * 2000);
    expect((await readFile(dataFile, 'utf8')).split('\n')[0]).toBe('{"format":"platform-webhooks/local-logs@1"}');
    const reopened = await LogStore.open({ dataFile, maxBytes: 2000 });
    expect(numbers(reopened.filter({ group: GROUP }).events as unknown as FilteredLogEvent[]).at(-1)).toBe(199);
    await reopened.close();
  });
});
