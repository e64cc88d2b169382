import type { BenchContext } from './bench-context';
import type { BreakerResult, MeasureTask } from './measure-process';
import { measureInProcess, startReceiverProcess } from './processes';
import { RECORDS_PER_BATCH, median } from './workload';

/** Subscriptions of each batch's events, and how many of their endpoints never answer. */
export const DEAD_ENDPOINTS = { subscriptions: 20, dead: 5 } as const;

export interface BreakerRow {
  readonly breaker: boolean;
  /** The per-attempt timeout the dead endpoints are waited for (DELIVERY_TIMEOUT_MS). */
  readonly deliveryTimeoutMs: number;
  readonly batches: number;
  readonly deliveriesPerBatch: number;
  /** The first batch: its failures open the circuits. */
  readonly firstBatchMs: number;
  /** The median of the batches after it. */
  readonly laterBatchMs: number;
  /** Invocation time of every batch together: what Lambda bills (at the function's memory). */
  readonly lambdaSeconds: number;
  /** Deliveries to the live endpoints per batch (median): the same with and without. */
  readonly delivered: number;
}

/**
 * Section 8: batches of 10 events × 20 subscriptions whose first 5 endpoints hang, one handler (one
 * container) taking batch after batch, without the circuit breaker (BREAKER_FAILURES=0) and with
 * it (the default 5, cool-down 60 s: every batch here falls within it).
 */
export async function deadEndpoints(ctx: BenchContext): Promise<BreakerRow[]> {
  const receiver = await startReceiverProcess(ctx.scripts.receiver, 0, DEAD_ENDPOINTS.dead);
  const rows: BreakerRow[] = [];
  try {
    const path = '/bench/dead-endpoints';
    await ctx.standIns.seed(path, DEAD_ENDPOINTS.subscriptions, receiver.url);
    const { breakerBatches: batches, breakerTimeoutMs: deliveryTimeoutMs } = ctx.sizes;
    for (const breaker of [false, true]) {
      const task = { kind: 'breaker', setup: ctx.handlerSetup(path), breaker, batches, deliveryTimeoutMs } satisfies MeasureTask;
      const result = await measureInProcess<BreakerResult>(ctx.scripts.measure, task, ctx.childEnv, batches * (deliveryTimeoutMs + 30_000));
      const row: BreakerRow = {
        breaker,
        deliveryTimeoutMs,
        batches,
        deliveriesPerBatch: RECORDS_PER_BATCH * DEAD_ENDPOINTS.subscriptions,
        firstBatchMs: result.batchMs[0] ?? 0,
        laterBatchMs: median(result.batchMs.slice(1)),
        lambdaSeconds: result.batchMs.reduce((sum, ms) => sum + ms, 0) / 1000,
        delivered: median(result.deliveredPerBatch),
      };
      rows.push(row);
      ctx.progress(`dead endpoints, breaker ${breaker ? 'on' : 'off'}: first batch ${row.firstBatchMs.toFixed(0)} ms, later ${row.laterBatchMs.toFixed(0)} ms, ${row.lambdaSeconds.toFixed(1)} Lambda-s for ${batches} batches`);
    }
  } finally {
    receiver.stop();
  }
  return rows;
}
