import { useSoakRun } from '../support/soak-run';

/**
 * The soak in its short form (docs/design.md §4, "nothing is lost"): 500 events × 20 subscriptions on the
 * local stack, through the real handler in worker processes, with invocations crashed mid-batch,
 * workers killed with SIGKILL, SSM throttled and re-enqueue sends failing. `npm run soak` is the
 * long form. The run is its own process (fauxqs is ESM-only), judged by its exit status and the
 * last line of its report.
 *
 * It ends when the events and retry queues run empty, however long a busy machine takes to get
 * there: the run is bounded by design (every message is settled, or moved to the DLQ after
 * `maxReceiveCount` receives of at most a visibility timeout each), so `--max-seconds` and the
 * test's timeout are only guards against a hang, and a pair still in flight then is reported
 * unsettled, never lost. A quiet 2-core machine takes about a minute.
 */
const ARGS = [
  '--events', '500',
  '--subscriptions', '20',
  '--seed', '20261127',
  '--workers', '2',
  '--pollers', '8',
  '--visibility-seconds', '10',
  '--function-timeout-ms', '8000',
  '--rate', '200',
  '--retry-schedule', '100ms,200ms,400ms',
  '--crash-rate', '0.05',
  '--send-failure-rate', '0.02',
  '--kill-every-seconds', '8',
  '--throttle-every-seconds', '4',
  '--max-seconds', '540',
];
/** Past the run's own guard, with time to stop its workers and report. */
const TIMEOUT_MS = 600_000;

const runSoak = useSoakRun();

describe('soak (500 events × 20 subscriptions, with faults)', () => {
  it(
    'delivers or accounts for every (event, subscription) pair: nothing lost, nothing unexpected',
    async () => {
      // Act
      const { exitCode, stdout, stderr } = await runSoak(ARGS);

      // Assess
      const lines = stdout.trim().split('\n');
      const verdict = { exitCode, summary: lines.at(-1) };
      if (exitCode !== 0) process.stderr.write(`${stdout}\n${stderr.slice(-2000)}\n`);
      expect(verdict).toEqual({ exitCode: 0, summary: expect.stringMatching(/^soak: \d+ pairs, 0 lost, \d+ duplicates \(\d+\.\d\d%\), 0 unexpected$/) });
      const pairs = Number(/^soak: (\d+) pairs/.exec(verdict.summary ?? '')?.[1]);
      expect(pairs).toBeGreaterThan(3000);
      // The faults did happen: each kind at least once
      const faults = lines.find((line) => line.startsWith('faults injected:')) ?? '';
      const counts = [...faults.matchAll(/(\d+) (invocations crashed|workers killed|SSM throttling bursts|re-enqueue sends failed)/g)];
      expect(counts.map((match) => match[2])).toEqual(['invocations crashed', 'workers killed', 'SSM throttling bursts', 're-enqueue sends failed']);
      for (const [, count] of counts) expect(Number(count)).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );
});
