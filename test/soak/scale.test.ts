import { useSoakRun } from '../support/soak-run';

/**
 * The scale simulation at one small point (docs/scale.md, "The simulation"): 200 subscriptions,
 * 194 of them idle, refreshed every 2 s by 6 containers (2 workers × 3 pollers) from a Parameter
 * Store that throttles reads above 40 a second, as SSM's default quota does; 60 pages a second asked
 * for at most. No faults are injected beyond the quota.
 *
 * Nothing here depends on how fast the machine is: the run ends when the queues are empty; whether
 * SSM throttled at all is not asserted (a slow machine asks less of it). What is asserted holds at any
 * speed: nothing lost or unexpected, and the containers never read more pages than their cache
 * allows (a refresh per 0.9 × the cache time each, besides the first load and one unfinished).
 */
const ARGS = [
  '--events', '200',
  '--rate', '20',
  '--subscriptions', '200',
  '--active-subscriptions', '6',
  '--workers', '2',
  '--pollers', '3',
  '--cache-seconds', '2',
  '--ssm-tps', '40',
  '--seed', '20261130',
  '--function-timeout-ms', '20000',
  '--visibility-seconds', '20',
  '--retry-schedule', '100ms,200ms,400ms',
  '--crash-rate', '0',
  '--send-failure-rate', '0',
  '--kill-every-seconds', '0',
  '--throttle-every-seconds', '0',
  '--max-seconds', '540',
];
/** Past the run's own guard, with time to stop its workers and report. */
const TIMEOUT_MS = 600_000;

const runSoak = useSoakRun();

describe('scale simulation (200 subscriptions, 6 containers, SSM at 40 reads a second)', () => {
  it('loses nothing and reads no more pages than the cache allows, beside the model\'s figure', async () => {
    // Act
    const { exitCode, stdout, stderr } = await runSoak(ARGS);

    // Assess
    const lines = stdout.trim().split('\n');
    if (exitCode !== 0) process.stderr.write(`${stdout}\n${stderr.slice(-2000)}\n`);
    expect({ exitCode, summary: lines.at(-1) }).toEqual({ exitCode: 0, summary: expect.stringMatching(/^soak: \d+ pairs, 0 lost, \d+ duplicates \(\d+\.\d\d%\), 0 unexpected$/) });
    expect(lines).toContainEqual(expect.stringMatching(/^SSM refreshes after the first cache period .*model: 6 containers × 20 pages \/ 2 s = 60\.0\/s at most/));
    const bound = /^ssm bound: (\d+) GetParametersByPath pages read over \d+ s, at most (\d+) /.exec(lines.find((line) => line.startsWith('ssm bound:')) ?? '');
    expect(bound).not.toBeNull();
    const [read, most] = [Number(bound?.[1]), Number(bound?.[2])];
    expect(read).toBeGreaterThanOrEqual(20);
    expect(read).toBeLessThanOrEqual(most);
  }, TIMEOUT_MS);
});
