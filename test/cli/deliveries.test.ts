import { auditLine } from '../../lambda/core/delivery/audit-entry';
import type { AuditEntry } from '../../lambda/core/delivery/audit-entry';
import { run } from '../../cli/program';
import { startLogsServer } from '../../local/logs-server';
import type { LogsServer } from '../../local/logs-server';
import { cleanEnv } from '../support/cli-harness';

const GROUP = '/aws/lambda/platform-webhooks-test';
const STREAM = '2026/11/27/[$LATEST]abc';
const MINUTE = 60_000;

let server: LogsServer;

beforeEach(async () => {
  server = await startLogsServer();
  server.store.ensureStream(GROUP, STREAM);
});
afterEach(async () => {
  await server.close();
});

/** Entry factory: one attempt of event `evt_1` to `ops`, delivered. */
function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return { outcome: 'delivered', eventId: 'evt_1', eventType: 'experiments.succeeded', subscription: 'ops', deliveryId: 'msg_1', attempt: 1, status: 200, latencyMs: 42, ...overrides };
}

/** Writes audit lines as the function's Powertools Logger does, each `minutesAgo` before now. */
function seed(...lines: Array<[minutesAgo: number, entry: AuditEntry]>): void {
  const events = lines
    .map(([minutesAgo, audit]) => {
      const { level, message, fields } = auditLine(audit);
      const timestamp = Date.now() - minutesAgo * MINUTE;
      return { timestamp, message: JSON.stringify({ level: level.toUpperCase(), message, timestamp: new Date(timestamp).toISOString(), service: 'platform-webhooks', sampling_rate: 0, ...fields }) };
    })
    .sort((a, b) => a.timestamp - b.timestamp);
  server.store.put(GROUP, STREAM, events);
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['--endpoint-url', server.endpoint, ...args], { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env: cleanEnv() });
  return { code, stdout, stderr };
}

const HISTORY: Array<[number, AuditEntry]> = [
  [50, entry({ outcome: 'retry', status: 503, latencyMs: 120, error: 'HTTP 503', retryInMs: 5000 })],
  [40, entry({ outcome: 'dead-lettered', attempt: 2, status: 404, latencyMs: 30, error: 'HTTP 404', reason: 'permanent' })],
  [30, entry({ eventId: 'evt_2', deliveryId: 'msg_2', eventType: 'jobs.failed' })],
  [20, entry({ subscription: 'billing', deliveryId: 'msg_3' })],
];

describe('webhooks deliveries', () => {
  it('lists the audit lines newest first as a table, with the window and log group', async () => {
    // Prepare
    seed(...HISTORY);

    // Act
    const result = await cli('deliveries', '--log-group', GROUP);

    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^TIME\s+EVENT\s+EVENT ID\s+SUBSCRIPTION\s+ATTEMPT\s+OUTCOME\s+STATUS\s+LATENCY\s+ERROR$/);
    expect(lines.slice(1, 5).map((line) => line.split(/\s{2,}/).slice(1))).toEqual([
      ['experiments.succeeded', 'evt_1', 'billing', '1', 'delivered', '200', '42 ms', '-'],
      ['jobs.failed', 'evt_2', 'ops', '1', 'delivered', '200', '42 ms', '-'],
      ['experiments.succeeded', 'evt_1', 'ops', '2', 'dead-lettered', '404', '30 ms', 'HTTP 404; permanent'],
      ['experiments.succeeded', 'evt_1', 'ops', '1', 'retry', '503', '120 ms', 'HTTP 503'],
    ]);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(result.stdout).toContain(`4 shown, newest first, since `);
    expect(result.stdout).toContain(` in ${GROUP}.`);
  });

  it.each([
    ['--subscription', ['--subscription', 'billing'], ['billing/evt_1/delivered']],
    ['--event', ['--event', 'evt_2'], ['ops/evt_2/delivered']],
    ['--outcome', ['--outcome', 'retry,dead-lettered'], ['ops/evt_1/dead-lettered', 'ops/evt_1/retry']],
    ['--subscription and --event together', ['--subscription', 'ops', '--event', 'evt_1'], ['ops/evt_1/dead-lettered', 'ops/evt_1/retry']],
    ['--since', ['--since', '35m'], ['billing/evt_1/delivered', 'ops/evt_2/delivered']],
    ['--limit', ['--limit', '1'], ['billing/evt_1/delivered']],
  ])('narrows by %s', async (_case, args, expected) => {
    // Prepare
    seed(...HISTORY);

    // Act
    const result = await cli('deliveries', '--log-group', GROUP, '--json', ...args);

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).map((record: { subscription: string; eventId: string; outcome: string }) => `${record.subscription}/${record.eventId}/${record.outcome}`)).toEqual(expected);
  });

  it('prints --json records with every documented field, in order, null where the line has none', async () => {
    // Prepare
    seed([5, entry({ outcome: 'retry', status: 503, latencyMs: 120, error: 'HTTP 503', url: 'https://hooks.example.com/in?token=abc', retryInMs: 5000 })], [4, entry({ outcome: 'dropped', reason: 'deleted' })]);

    // Act
    const result = await cli('deliveries', '--log-group', GROUP, '--json');

    // Assess
    const records = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(records.map((record) => Object.keys(record))).toEqual(Array(2).fill(['time', 'eventId', 'eventType', 'subscription', 'deliveryId', 'attempt', 'outcome', 'status', 'latencyMs', 'error', 'reason', 'url']));
    expect(records[1]).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), eventId: 'evt_1', eventType: 'experiments.succeeded', subscription: 'ops', deliveryId: 'msg_1',
      attempt: 1, outcome: 'retry', status: 503, latencyMs: 120, error: 'HTTP 503', reason: null, url: 'https://hooks.example.com/in?token=****',
    });
    expect(records[0]).toMatchObject({ outcome: 'dropped', reason: 'deleted', error: null, url: null });
  });

  it('leaves out the function\'s other lines and lines that are not JSON', async () => {
    // Prepare
    server.store.append(GROUP, STREAM, 'START RequestId: 8f1c Version: $LATEST');
    server.store.append(GROUP, STREAM, JSON.stringify({ level: 'INFO', message: 'no subscription matches the event', eventId: 'evt_9', subscription: 'ops', attempt: 1 }));
    seed([1, entry()]);

    // Act
    const result = await cli('deliveries', '--log-group', GROUP, '--json');

    // Assess
    expect(JSON.parse(result.stdout)).toHaveLength(1);
  });

  it('says so when nothing matches, and names what was searched', async () => {
    // Act
    const result = await cli('deliveries', '--log-group', GROUP, '--subscription', 'ops', '--since', '2h');

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^No deliveries match since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ in ${GROUP.replaceAll('/', '\\/')}\\.\\n$`));
  });

  it('writes a progress line on standard error while a long window is searched, and keeps standard output to the table', async () => {
    // Prepare: a day of lines, one every ten minutes, the only match at the start of the window
    seed([23 * 60, entry({ eventId: 'evt_old' })], ...Array.from({ length: 100 }, (_, index): [number, AuditEntry] => [index * 10, entry({ subscription: 'other' })]));

    // Act
    const result = await cli('deliveries', '--log-group', GROUP, '--event', 'evt_old', '--since', '24h');

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^searching ${GROUP.replaceAll('/', '\\/')}: back to \\S+Z, 0 found \\(\\d+ requests\\)$`, 'm'));
    expect(result.stdout).toContain('evt_old');
    expect(result.stdout).not.toContain('searching');
  });

  it('explains a log group that does not exist, and a --since it cannot read', async () => {
    // Act
    const missing = await cli('deliveries', '--log-group', '/aws/lambda/nothing-here');
    const since = await cli('deliveries', '--log-group', GROUP, '--since', 'yesterday');
    const outcome = await cli('deliveries', '--log-group', GROUP, '--outcome', 'failed');

    // Assess
    expect(missing).toMatchObject({ code: 1, stderr: 'error: log group "/aws/lambda/nothing-here" does not exist here; check --log-group (or --stack) and --region, or start the local stack (npm start)\n' });
    expect(since).toMatchObject({ code: 2, stderr: 'error: --since "yesterday" is neither a duration (90s, 30m, 2h, 7d) nor an ISO-8601 time (2026-11-27T09:00:00Z)\n' });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/expected outcomes among delivered, retry, dead-lettered, dropped, deferred, filtered, rate-limited, short-circuited, got "failed"/);
  });

  it('finds the log group from WEBHOOKS_LOG_GROUP, and asks for one when nothing names it', async () => {
    // Prepare
    seed([1, entry()]);
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (text: string) => void (stderr += text) };

    // Act
    const fromEnv = await run(['--endpoint-url', server.endpoint, 'deliveries', '--json'], { ...io, env: { ...cleanEnv(), WEBHOOKS_LOG_GROUP: GROUP } });
    const unnamed = await run(['deliveries'], { ...io, env: cleanEnv() });

    // Assess
    expect(fromEnv).toBe(0);
    expect(unnamed).toBe(1);
    expect(stderr).toBe('error: no log group given; pass --log-group, set WEBHOOKS_LOG_GROUP, name the deployed stack with --stack, or point --endpoint-url at the local stack\n');
  });
});
