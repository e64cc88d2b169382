import type { MeasureTask, SlowResult } from './measure-process';
import { measureInProcess, startReceiverProcess } from './processes';
import type { BenchContext } from './bench-context';
import { RECORDS_PER_BATCH, median } from './workload';

/** How long the slow receiver takes to answer. */
export const SLOW_RECEIVER_DELAY_MS = 100;

export interface SlowRow {
  readonly subscriptions: number;
  readonly deliveries: number;
  /** 100 ms × ceil(deliveries ÷ concurrency). */
  readonly idealMs: number;
  readonly oursMs: number;
  /** The handler's HTTP client alone, same requests and concurrency: timer and loopback latency included. */
  readonly senderMs: number;
  readonly naiveMs: number;
  /** True when the naive batch was timed on a prefix and scaled (it is strictly sequential). */
  readonly naiveExtrapolated: boolean;
  readonly oursRssMb: number;
}

/** Section 2: the same batches against a receiver that answers after 100 ms; wall time per batch against the ideal. */
export async function slowReceivers(ctx: BenchContext): Promise<SlowRow[]> {
  const receiver = await startReceiverProcess(ctx.scripts.receiver, SLOW_RECEIVER_DELAY_MS);
  const rows: SlowRow[] = [];
  try {
    for (const subscriptions of ctx.sizes.slowSubscriptions) {
      const path = `/bench/slow-${subscriptions}`;
      await ctx.standIns.seed(path, subscriptions, receiver.url);
      const deliveries = RECORDS_PER_BATCH * subscriptions;
      const base = { kind: 'slow', setup: ctx.handlerSetup(path), receiverUrl: receiver.url, subscriptions, concurrency: ctx.concurrency } as const;
      const ours = await measureInProcess<SlowResult>(ctx.scripts.measure, { ...base, client: 'handler', batches: ctx.sizes.slowBatches } satisfies MeasureTask, ctx.childEnv, 300_000);
      const sender = await measureInProcess<SlowResult>(ctx.scripts.measure, { ...base, client: 'sender', batches: ctx.sizes.slowBatches } satisfies MeasureTask, ctx.childEnv, 300_000);
      // The naive baseline is sequential: a batch takes deliveries × 100 ms, so long batches are timed on a prefix.
      const naive = await measureInProcess<SlowResult>(ctx.scripts.measure, { ...base, client: 'naive', batches: 1, maxDeliveries: ctx.sizes.naiveSlowMaxDeliveries } satisfies MeasureTask, ctx.childEnv, 300_000);
      const row: SlowRow = {
        subscriptions,
        deliveries,
        idealMs: SLOW_RECEIVER_DELAY_MS * Math.ceil(deliveries / ctx.concurrency),
        oursMs: median(ours.batchMs),
        senderMs: median(sender.batchMs),
        naiveMs: median(naive.batchMs),
        naiveExtrapolated: naive.extrapolated,
        oursRssMb: ours.rssMb,
      };
      rows.push(row);
      ctx.progress(`slow S=${subscriptions}: ours ${row.oursMs.toFixed(0)} ms, sender alone ${row.senderMs.toFixed(0)} ms, ideal ${row.idealMs} ms, naive ${row.naiveMs.toFixed(0)} ms`);
    }
  } finally {
    receiver.stop();
  }
  return rows;
}
