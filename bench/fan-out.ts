import type { FanOutResult, MeasureTask } from './measure-process';
import { measureInProcess, startReceiverProcess } from './processes';
import type { BenchContext } from './bench-context';

/**
 * Section 4: one event matching 100 (reference), 1,000 and 10,000 subscriptions: the time to
 * build the type index (once per subscription load), to match one record (a lookup), and to
 * dispatch, with the per-delivery rate of each size.
 */
export async function fanOut(ctx: BenchContext): Promise<FanOutResult> {
  const receiver = await startReceiverProcess(ctx.scripts.receiver);
  try {
    const task: MeasureTask = { kind: 'fanout', setup: ctx.handlerSetup('/bench/fan-out-unused'), receiverUrl: receiver.url, counts: [...ctx.sizes.fanOutSubscriptions], minDeliveries: ctx.sizes.fanOutMinDeliveries };
    const result = await measureInProcess<FanOutResult>(ctx.scripts.measure, task, ctx.childEnv, 300_000);
    for (const row of result.rows) ctx.progress(`fan-out ${row.subscriptions}: ${row.dispatchMs.toFixed(0)} ms, ${Math.round(row.rate)}/s`);
    return result;
  } finally {
    receiver.stop();
  }
}
