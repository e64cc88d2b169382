import { auditToLog } from '../lambda/adapters/audit-to-log';
import type { HttpSender, SubscriptionSource } from '../lambda/core/ports';
import { indexSubscriptions } from '../lambda/core/subscriptions/subscription-index';
import type { BatchHandler } from '../lambda/handler';
import { Samples, autocannonRun, benchRequests, benchSubscriptions, invoke, naiveClient, poolClient, realHandler, sendBatch, senderClient } from './clients';
import type { HandlerSetup } from './clients';
import type { HttpClientName } from './http-clients';
import { BENCH_EVENT_TYPE, RECORDS_PER_BATCH, benchContext, median, quantile, sqsBatch } from './workload';

/**
 * The clients of section 1: ours, (a) our HTTP sender alone, (b) a bare undici Pool, (c)
 * autocannon, the naive baseline, and `work`: the handler with its HTTP sender replaced by an
 * instant 200, which measures our own work per delivery (parse, match, sign, limiter, audit line,
 * metrics) without HTTP. `handler` and `sender` take the HTTP client compared (`http`, default the
 * function's own).
 */
export type DispatchClient = 'handler' | 'sender' | 'pool' | 'autocannon' | 'naive' | 'work';

export type MeasureTask =
  | { kind: 'dispatch'; client: DispatchClient; http?: HttpClientName; setup: HandlerSetup; receiverUrl: string; subscriptions: number; concurrency: number; warmupMs: number; durationMs: number }
  | { kind: 'slow'; client: 'handler' | 'sender' | 'naive'; setup: HandlerSetup; receiverUrl: string; subscriptions: number; batches: number; concurrency: number; maxDeliveries?: number }
  | { kind: 'fanout'; setup: HandlerSetup; receiverUrl: string; counts: number[]; minDeliveries: number }
  | { kind: 'breaker'; setup: HandlerSetup; breaker: boolean; batches: number; deliveryTimeoutMs: number };

export interface DispatchResult { rate: number; p50: number; p99: number; rssMb: number; deliveries: number; failed: number; seconds: number; cpuMicrosPerDelivery: number }
export interface SlowResult { batchMs: number[]; deliveriesPerBatch: number; measuredDeliveries: number; extrapolated: boolean; rssMb: number }
export interface FanOutRow { subscriptions: number; indexBuildMs: number; matchMicros: number; dispatchMs: number; rate: number; deliveries: number; failed: number }
export interface FanOutResult { rows: FanOutRow[]; rssMb: number }
export interface BreakerResult { batchMs: number[]; deliveredPerBatch: number[] }

const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

/** Runs `step(i)` for i = 0, 1, … until `ms` have passed; returns the elapsed milliseconds. */
async function runFor(ms: number, step: (i: number) => Promise<unknown>, from = 0): Promise<{ elapsed: number; steps: number }> {
  const startedAt = performance.now();
  let i = from;
  while (performance.now() - startedAt < ms) await step(i++);
  return { elapsed: performance.now() - startedAt, steps: i - from };
}

async function dispatch(task: Extract<MeasureTask, { kind: 'dispatch' }>): Promise<DispatchResult> {
  const samples = new Samples();
  const requests = benchRequests(benchSubscriptions(task.receiverUrl, task.subscriptions));
  if (task.client === 'autocannon') {
    await autocannonRun(requests[0]!, task.concurrency, Math.max(1, task.warmupMs / 1000));
    const run = await autocannonRun(requests[0]!, task.concurrency, task.durationMs / 1000);
    // autocannon parses responses with its own HTTP parser: its CPU per request is shown for scale only.
    const deliveries = Math.round(run.rate * (task.durationMs / 1000));
    return { rate: run.rate, p50: run.p50, p99: run.p99, rssMb: peakRssMb(), deliveries, failed: run.errors, seconds: task.durationMs / 1000, cpuMicrosPerDelivery: run.cpuMicros / deliveries };
  }
  let step: (batch: number) => Promise<unknown>;
  let close = (): void => undefined;
  if (task.client === 'handler' || task.client === 'work') {
    const instant: HttpSender = { send: async () => ({ kind: 'response', status: 200 }) };
    const handler: BatchHandler = await realHandler(task.setup, samples, task.client === 'work' ? (deps) => ({ ...deps, http: instant }) : undefined, { http: task.http });
    step = (batch) => invoke(handler, batch);
  } else if (task.client === 'naive') {
    step = naiveClient(task.receiverUrl, task.subscriptions, samples);
  } else {
    const client = task.client === 'sender' ? senderClient(task.concurrency, samples, task.http) : poolClient(new URL(task.receiverUrl).origin, task.concurrency, samples);
    step = () => sendBatch(requests, task.concurrency, client.send);
    close = client.close;
  }
  const warm = await runFor(task.warmupMs, step);
  samples.latencies.length = 0;
  samples.delivered = 0;
  samples.failed = 0;
  const cpuBefore = process.cpuUsage();
  const { elapsed } = await runFor(task.durationMs, step, warm.steps);
  const cpu = process.cpuUsage(cpuBefore);
  close();
  const sorted = Float64Array.from(samples.latencies).sort();
  return { rate: samples.delivered / (elapsed / 1000), p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), rssMb: peakRssMb(), deliveries: samples.delivered, failed: samples.failed, seconds: elapsed / 1000, cpuMicrosPerDelivery: (cpu.user + cpu.system) / samples.delivered };
}

async function slow(task: Extract<MeasureTask, { kind: 'slow' }>): Promise<SlowResult> {
  const samples = new Samples();
  const deliveriesPerBatch = RECORDS_PER_BATCH * task.subscriptions;
  let step: (batch: number) => Promise<unknown>;
  if (task.client === 'handler') {
    const handler = await realHandler(task.setup, samples);
    step = (batch) => invoke(handler, batch);
  } else if (task.client === 'sender') {
    // The handler's HTTP client alone, same requests and concurrency: the floor this machine allows.
    const requests = benchRequests(benchSubscriptions(task.receiverUrl, task.subscriptions));
    const client = senderClient(task.concurrency, samples);
    step = () => sendBatch(requests, task.concurrency, client.send);
  } else {
    step = naiveClient(task.receiverUrl, task.subscriptions, samples, task.maxDeliveries);
  }
  // One warm-up batch (connections opened), then timed batches.
  if (task.client !== 'naive') await step(-1);
  const batchMs: number[] = [];
  for (let b = 0; b < task.batches; b++) {
    samples.delivered = 0;
    const startedAt = performance.now();
    await step(b);
    batchMs.push(performance.now() - startedAt);
  }
  const measured = samples.delivered;
  const extrapolated = measured < deliveriesPerBatch;
  // A naive batch capped at maxDeliveries is sequential: its full wall time scales linearly.
  const scaled = extrapolated && measured > 0 ? batchMs.map((ms) => (ms * deliveriesPerBatch) / measured) : batchMs;
  return { batchMs: scaled, deliveriesPerBatch, measuredDeliveries: measured, extrapolated, rssMb: peakRssMb() };
}

async function fanOut(task: Extract<MeasureTask, { kind: 'fanout' }>): Promise<FanOutResult> {
  const rows: FanOutRow[] = [];
  const samples = new Samples();
  let current = indexSubscriptions([]);
  // The handler's subscription source replaced by the index under test (loading is section 6).
  const source: SubscriptionSource = { load: async () => current, readFresh: async (name) => ({ subscription: current.byName(name), readAt: Date.now() }), disable: async () => 'disabled' };
  const handler = await realHandler(task.setup, samples, (deps) => ({ ...deps, subscriptions: source }));
  for (const count of [Math.min(...task.counts), ...task.counts]) {
    const subscriptions = benchSubscriptions(task.receiverUrl, count);
    const builds: number[] = [];
    for (let i = 0; i < 5; i++) {
      const startedAt = performance.now();
      current = indexSubscriptions(subscriptions);
      builds.push(performance.now() - startedAt);
    }
    const lookups = 10_000;
    const matchStart = performance.now();
    for (let i = 0; i < lookups; i++) if (current.forType(BENCH_EVENT_TYPE).length !== count) throw new Error('index does not match every subscription');
    const matchMicros = ((performance.now() - matchStart) * 1000) / lookups;
    // One untimed round first, as a warm container has had: each subscription's first delivery
    // fills the caches its URL is kept in (the guard's checks, the redacted URL, its circuit).
    const warmUp = await handler(sqsBatch(-1, 1), benchContext());
    if (warmUp.batchItemFailures.length > 0) throw new Error(`fan-out to ${count} not settled`);
    samples.delivered = 0;
    samples.failed = 0;
    const rounds = Math.max(1, Math.ceil(task.minDeliveries / count));
    const startedAt = performance.now();
    for (let r = 0; r < rounds; r++) {
      const response = await handler(sqsBatch(r, 1), benchContext());
      if (response.batchItemFailures.length > 0) throw new Error(`fan-out to ${count} not settled`);
    }
    const dispatchMs = (performance.now() - startedAt) / rounds;
    rows.push({ subscriptions: count, indexBuildMs: median(builds), matchMicros, dispatchMs, rate: (count * 1000) / dispatchMs, deliveries: samples.delivered, failed: samples.failed });
  }
  // The first row warmed the process up (its code compiled and optimised).
  return { rows: rows.slice(1), rssMb: peakRssMb() };
}

/**
 * Consecutive batches through one handler (one container), as the event source sends them while
 * some endpoints are dead: the wall time of each invocation, which is what Lambda bills.
 * Without the breaker (`BREAKER_FAILURES=0`) every batch waits out the dead endpoints' timeouts.
 */
async function breaker(task: Extract<MeasureTask, { kind: 'breaker' }>): Promise<BreakerResult> {
  const samples = new Samples();
  const env = { BREAKER_FAILURES: task.breaker ? '5' : '0', DELIVERY_TIMEOUT_MS: String(task.deliveryTimeoutMs) };
  // Each failure logs a WARN line and writes a WARN audit line, which go to stderr, this process's
  // progress channel: the lines are written as JSON to stdout instead, to /dev/null as every other section's.
  const write = (level: string) => (message: string, fields?: object): void => void process.stdout.write(`${JSON.stringify({ level, message, ...fields })}\n`);
  const log = { debug: write('DEBUG'), info: write('INFO'), warn: write('WARN'), error: write('ERROR') };
  const handler = await realHandler(task.setup, samples, (deps) => ({ ...deps, log, audit: auditToLog(log) }), { env });
  const batchMs: number[] = [];
  const deliveredPerBatch: number[] = [];
  for (let b = 0; b < task.batches; b++) {
    samples.delivered = 0;
    const startedAt = performance.now();
    const response = await handler(sqsBatch(b), benchContext());
    batchMs.push(performance.now() - startedAt);
    deliveredPerBatch.push(samples.delivered);
    if (response.batchItemFailures.length > 0) throw new Error(`batch ${b} not settled`);
  }
  return { batchMs, deliveredPerBatch };
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '{}') as MeasureTask;
  const result = task.kind === 'dispatch' ? await dispatch(task) : task.kind === 'slow' ? await slow(task) : task.kind === 'breaker' ? await breaker(task) : await fanOut(task);
  process.send?.(result, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`measure-process: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
