/**
 * The soak: proves docs/design.md §4's "nothing is lost" under load and faults, on a real SQS emulator
 * and the real handler. `npx tsx bench/soak/run-soak.ts --events 500 --seed 7`; see
 * `soak-options.ts` for every option. Prints a report whose last line is the verdict and exits
 * non-zero when anything was lost or unexpected.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SETTINGS } from '../../lambda/settings';
import { parseSchedule } from '../../lambda/core/delivery/retry-policy';
import { startChaos } from './chaos';
import { checkInvariant } from './invariant';
import { formatReport, passed } from './report';
import type { SoakReport } from './report';
import { seededRandom } from './seeded-random';
import { parseSoakOptions, soakUsage } from './soak-options';
import type { SoakOptions } from './soak-options';
import { planSoak } from './soak-plan';
import { createSoakQueues, publishEvents, queueDepth, readAll } from './soak-queues';
import { startSoakReceivers } from './soak-receivers';
import type { SoakReceivers } from './soak-receivers';
import { startSoakStack } from './soak-stack';
import { disabledSubscriptions, subscriptionParameters } from './soak-subscriptions';
import type { PageTimes } from './page-timer';
import { startSsmMeter, ssmTraffic } from './ssm-meter';
import { WorkerPool } from './worker-pool';

const SUBSCRIPTIONS_PATH = SETTINGS.subscriptionsPath.default;
/** The queues must read empty this many times in a row, 500 ms apart, for the run to be over. */
const EMPTY_READINGS = 3;
const PROGRESS_EVERY_MS = 5000;

/**
 * Runs one soak: starts SQS and SSM on loopback, the receivers and the workers; publishes the
 * events while injecting faults; waits until the queue is empty (or `--max-seconds`); then checks
 * the invariant over what the receivers got and what the DLQ holds. Stops everything it started.
 */
export async function runSoak(options: SoakOptions, progress: (line: string) => void = () => undefined, signal?: AbortSignal): Promise<SoakReport> {
  const startedAt = Date.now();
  const shouldStop = (): boolean => signal?.aborted === true || Date.now() > startedAt + options.maxSeconds * 1000;
  const plan = planSoak(options);
  const cleanup: Array<() => unknown> = [];
  try {
    const receivers = await startSoakReceivers(plan, options.seed);
    cleanup.push(() => receivers.close());
    const stack = await startSoakStack(subscriptionParameters(SUBSCRIPTIONS_PATH, plan.subscriptions, receivers.urlOf));
    cleanup.push(() => stack.stop());
    if (options.ssmTps > 0) stack.store.throttleReads(options.ssmTps);
    const meter = startSsmMeter(stack.store);
    cleanup.push(() => meter.stop());
    const sqs = new SQSClient({ endpoint: stack.endpoint, region: 'us-east-1' });
    const ssm = new SSMClient({ endpoint: stack.endpoint, region: 'us-east-1' });
    cleanup.push(() => sqs.destroy(), () => ssm.destroy());
    const queues = await createSoakQueues(sqs, { name: `platform-webhooks-soak-${options.seed}`, ...options });
    const { retrySchedule, pollers, functionTimeoutMs, crashRate, sendFailureRate, cacheSeconds, traceDir } = options;
    const workerConfig = { retrySchedule, pollers, functionTimeoutMs, crashRate, sendFailureRate, cacheSeconds, ...(traceDir !== undefined && { traceDir }) };
    const pool = new WorkerPool(
      options.workers,
      { endpoint: stack.endpoint, ...queues, ...workerConfig, subscriptionsPath: SUBSCRIPTIONS_PATH, lifetimeMs: options.maxSeconds * 1000 + 60_000 },
      options.seed,
    );
    cleanup.push(() => pool.stop());
    await pool.start();
    const chaos = startChaos({ pool, store: stack.store, random: seededRandom(options.seed + 1), ...options });
    cleanup.push(() => chaos.stop());
    const queueUrls = [queues.queueUrl, queues.retryQueueUrl];
    const ticker = setInterval(() => void reportProgress(sqs, queueUrls, receivers, startedAt, progress), PROGRESS_EVERY_MS);
    cleanup.push(() => clearInterval(ticker));
    const publishing = { from: Date.now(), to: Number.NaN };
    const published = await publishEvents(sqs, queues.queueUrl, plan.events, options.rate, shouldStop);
    publishing.to = Date.now();
    progress(`all ${published.length} events published after ${seconds(startedAt)} s; waiting for the queues to run empty`);
    const settled = await waitUntilEmpty(sqs, queueUrls, shouldStop);
    chaos.stop();
    await pool.stop();
    meter.stop();
    stack.store.throttleReads(undefined);
    const result = checkInvariant({
      events: published,
      subscriptions: plan.subscriptions,
      requests: receivers.requests,
      deadLetters: await readAll(sqs, queues.dlqUrl),
      disabledAtEnd: await disabledSubscriptions(ssm, SUBSCRIPTIONS_PATH),
      maxAttempts: parseSchedule(options.retrySchedule).length + 1,
      settled,
    });
    const { crashes, kills, sendFailures, unexpectedExits, effects, errors, pageTimes } = pool.stats();
    for (const error of errors) progress(error);
    const faults = { crashes, kills, sendFailures, unexpectedWorkerExits: unexpectedExits, ...chaos.stats() };
    const ssmReport = {
      publishing: ssmTraffic(meter.samples(), publishing.from, publishing.to),
      // After the first cache period every container's first load is behind it: refreshes alone.
      steady: ssmTraffic(meter.samples(), publishing.from + options.cacheSeconds * 1000, publishing.to),
      run: ssmTraffic(meter.samples(), Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
      containersStarted: (options.workers + kills + unexpectedExits) * options.pollers,
      pageMs: meanPageMs(pageTimes),
      pagesRead: pageTimes.reduce((sum, container) => sum + container.pages, 0),
      refreshStarts: pageTimes.map((times) => times.refreshStarts),
      // The last container to finish its first load, from the first event published.
      coldFleetSeconds: Math.max(0, ...pageTimes.map((times) => ((times.refreshEnds[0] ?? publishing.from) - publishing.from) / 1000)),
    };
    return { options, result, faults, effects, settled, ssm: ssmReport, wallSeconds: (Date.now() - startedAt) / 1000 };
  } finally {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (error) {
        progress(`cleanup failed: ${String(error)}`);
      }
    }
  }
}

function meanPageMs(times: readonly PageTimes[]): number {
  const pages = times.reduce((sum, container) => sum + container.pages, 0);
  return pages === 0 ? 0 : times.reduce((sum, container) => sum + container.ms, 0) / pages;
}

/** Resolves true once the queues (visible, in flight, delayed) read empty several times in a row; false when told to stop. */
async function waitUntilEmpty(client: SQSClient, queueUrls: readonly string[], shouldStop: () => boolean): Promise<boolean> {
  for (let empty = 0; empty < EMPTY_READINGS; ) {
    if (shouldStop()) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
    empty = (await queueDepth(client, queueUrls)) === 0 ? empty + 1 : 0;
  }
  return true;
}

async function reportProgress(client: SQSClient, queueUrls: readonly string[], receivers: SoakReceivers, startedAt: number, progress: (line: string) => void): Promise<void> {
  const depth = await queueDepth(client, queueUrls).catch(() => NaN);
  progress(`${seconds(startedAt)} s: ${receivers.requests.length} requests received, ${receivers.successes()} answered 2xx, ${depth} messages in the queues`);
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(0);
}

async function main(args: readonly string[]): Promise<void> {
  // Loopback stand-ins check no credentials; the SDK still wants some.
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'soak';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'soak';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  if (args.includes('--help')) return void process.stdout.write(`${soakUsage()}\n`);
  let options: SoakOptions;
  try {
    options = parseSoakOptions(args);
  } catch (error) {
    process.stderr.write(`soak: ${(error as Error).message}\n${soakUsage()}\n`);
    process.exit(2);
  }
  const abort = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.once(name, () => {
      process.stderr.write(`soak: ${name} received; stopping the workers and servers\n`);
      abort.abort();
      setTimeout(() => process.exit(130), 15_000).unref();
    });
  }
  let report: SoakReport;
  try {
    report = await runSoak(options, (line) => process.stderr.write(`${line}\n`), abort.signal);
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    process.stderr.write(`soak: stopped before the end (${(error as Error).message}); everything it started is stopped\n`);
    process.exit(130);
  }
  process.stdout.write(`${formatReport(report).join('\n')}\n`);
  process.exitCode = passed(report.result) ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
