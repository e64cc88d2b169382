import type { DispatchClient, DispatchResult, MeasureTask } from './measure-process';
import { measureInProcess, startReceiverProcess } from './processes';
import type { BenchContext } from './bench-context';

/** Clients measured once per size, each in a fresh process. */
const ONCE: readonly DispatchClient[] = ['autocannon', 'pool', 'naive', 'work'];

/** Ours and (a) are measured in alternating rounds (medians reported): their ratio is the target, and the machine is shared. */
const ALTERNATING: readonly DispatchClient[] = ['sender', 'handler'];

export interface DispatchRow {
  readonly subscriptions: number;
  readonly concurrency: number;
  readonly results: Record<DispatchClient, DispatchResult>;
  /** `work` with POWERTOOLS_LOG_LEVEL=WARN: what the INFO line per delivery costs. */
  readonly workWithoutInfoLogs: DispatchResult;
  /** Every round of ours and (a), in order. */
  readonly rounds: { readonly handler: number[]; readonly sender: number[] };
}

/**
 * Section 1: batches of 10 events × S subscriptions, delivered by one handler instance to a
 * receiver in its own process, beside (a) our HTTP sender alone, (b) a bare undici Pool, (c)
 * autocannon and the naive baseline, with the same bodies, headers and concurrency.
 */
export async function dispatchThroughput(ctx: BenchContext): Promise<DispatchRow[]> {
  const receiver = await startReceiverProcess(ctx.scripts.receiver);
  const rows: DispatchRow[] = [];
  try {
    for (const subscriptions of ctx.sizes.dispatchSubscriptions) {
      const path = `/bench/dispatch-${subscriptions}`;
      await ctx.standIns.seed(path, subscriptions, receiver.url);
      const concurrency = Math.min(ctx.concurrency, 10 * subscriptions);
      const all: Partial<Record<DispatchClient, DispatchResult[]>> = {};
      const order = [...ONCE, ...Array.from({ length: ctx.sizes.dispatchRounds }, () => ALTERNATING).flat()];
      for (const client of order) {
        const task: MeasureTask = {
          kind: 'dispatch',
          client,
          setup: ctx.handlerSetup(path),
          receiverUrl: receiver.url,
          subscriptions,
          // autocannon and the bare clients may use every connection the handler may use.
          concurrency: client === 'autocannon' ? concurrency : ctx.concurrency,
          warmupMs: ctx.sizes.warmupMs,
          durationMs: client === 'naive' ? ctx.sizes.naiveDurationMs : ctx.sizes.durationMs,
        };
        const result = await measureInProcess<DispatchResult>(ctx.scripts.measure, task, ctx.childEnv, 120_000);
        (all[client] ??= []).push(result);
        ctx.progress(`dispatch S=${subscriptions} ${client}: ${Math.round(result.rate)}/s, ${result.cpuMicrosPerDelivery.toFixed(0)} µs CPU/delivery`);
      }
      const quietTask: MeasureTask = { kind: 'dispatch', client: 'work', setup: ctx.handlerSetup(path), receiverUrl: receiver.url, subscriptions, concurrency: ctx.concurrency, warmupMs: ctx.sizes.warmupMs, durationMs: ctx.sizes.durationMs };
      const workWithoutInfoLogs = await measureInProcess<DispatchResult>(ctx.scripts.measure, quietTask, { ...ctx.childEnv, POWERTOOLS_LOG_LEVEL: 'WARN' }, 120_000);
      ctx.progress(`dispatch S=${subscriptions} work without INFO logs: ${Math.round(workWithoutInfoLogs.rate)}/s, ${workWithoutInfoLogs.cpuMicrosPerDelivery.toFixed(0)} µs CPU/delivery`);
      const results = Object.fromEntries(Object.entries(all).map(([client, runs]) => [client, medianRun(runs)])) as Record<DispatchClient, DispatchResult>;
      rows.push({ subscriptions, concurrency, results, workWithoutInfoLogs, rounds: { handler: (all.handler ?? []).map((r) => r.rate), sender: (all.sender ?? []).map((r) => r.rate) } });
    }
  } finally {
    receiver.stop();
  }
  return rows;
}

/** The run with the median rate (its CPU, latencies and RSS come with it). */
export function medianRun(runs: readonly DispatchResult[]): DispatchResult {
  const sorted = [...runs].sort((a, b) => a.rate - b.rate);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (median === undefined) throw new Error('no run to take the median of');
  return median;
}
