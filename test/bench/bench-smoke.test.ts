import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchResults } from '../../bench/report-table';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** Every number in a value, with its path, so "every section produced numbers > 0" is one check. */
function numbers(value: unknown, path = ''): Array<[string, number]> {
  if (typeof value === 'number') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => numbers(inner, `${path}.${key}`));
}

// Not a timed test: the quick mode only keeps the benchmark from rotting. No timing assertions.
describe('npm run bench -- --quick', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every section and writes results with positive numbers', async () => {
    // Prepare
    const out = join(dir, 'results.json');

    // Act
    await run(process.execPath, [require.resolve('tsx/cli'), 'bench/run-bench.ts', '--quick', '--out', out], { cwd: root, timeout: 170_000 });

    // Assess
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    expect(results.mode).toBe('quick');
    expect(results.load.before).toHaveLength(3);
    expect(results.dispatch.length).toBeGreaterThan(0);
    for (const row of results.dispatch) expect(Object.keys(row.results).sort()).toEqual(['autocannon', 'handler', 'naive', 'pool', 'sender', 'work']);
    expect(results.clientChoice.map((row) => row.client).sort()).toEqual(['node-http', 'undici', 'undici-request']);
    expect(results.coldStart.subjects.map((subject) => subject.subject)).toEqual(['bare', 'floor', 'undici', 'node-http', 'undici-request']);
    expect(results.capacity.length).toBeGreaterThan(results.dispatch.length);
    expect(results.targets.length).toBeGreaterThan(0);
    for (const target of results.targets) expect(typeof target.met).toBe('boolean');
    expect(results.slow.length).toBeGreaterThan(0);
    expect(results.fanOut.rows.length).toBeGreaterThan(0);
    expect(results.loading.length).toBeGreaterThan(0);
    expect(results.breaker.map((row) => row.breaker)).toEqual([false, true]);
    // Counts of failures may be 0; so may autocannon's latencies, whole milliseconds on loopback.
    const counts = ['failed', 'errors', 'warmSsmCalls', 'autocannon.p50', 'autocannon.p99', 'work.p50', 'work.p99'];
    const measured = numbers({ dispatch: results.dispatch, clientChoice: results.clientChoice, slow: results.slow, fanOut: results.fanOut, coldStart: results.coldStart, loading: results.loading, breaker: results.breaker, capacity: results.capacity });
    const notPositive = measured.filter(([path, value]) => !counts.some((name) => path.endsWith(`.${name}`)) && !(value > 0));
    expect(notPositive).toEqual([]);
    expect(results.loading.every((row) => row.warmSsmCalls === 0)).toBe(true);
  }, 180_000);
});
