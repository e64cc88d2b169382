import type { BenchContext } from './bench-context';
import { medianRun } from './dispatch-throughput';
import { HTTP_CLIENT_NAMES } from './http-clients';
import type { HttpClientName } from './http-clients';
import type { DispatchResult, MeasureTask } from './measure-process';
import { measureInProcess, startReceiverProcess } from './processes';

/** One HTTP client's measurements at one size: through the real handler and alone, every round. */
export interface ClientChoiceRow {
  readonly client: HttpClientName;
  readonly subscriptions: number;
  /** The round with the median rate, through the real handler. */
  readonly handler: DispatchResult;
  /** The round with the median rate, the client alone. */
  readonly alone: DispatchResult;
  readonly rounds: { readonly handler: number[]; readonly alone: number[] };
}

/**
 * Section 8: the HTTP clients compared (BENCHMARKS.md, "Choosing the HTTP client"), each through
 * the real handler and alone, with the batches of section 1, every client in each round, in turn,
 * so that a change in the machine's load touches all of them alike. Their cold start and bundle
 * size are in section 5.
 */
export async function clientChoice(ctx: BenchContext): Promise<ClientChoiceRow[]> {
  const receiver = await startReceiverProcess(ctx.scripts.receiver);
  const rows: ClientChoiceRow[] = [];
  try {
    for (const subscriptions of ctx.sizes.clientChoiceSubscriptions) {
      const path = `/bench/client-choice-${subscriptions}`;
      await ctx.standIns.seed(path, subscriptions, receiver.url);
      const runs = new Map<string, DispatchResult[]>();
      for (let round = 0; round < ctx.sizes.dispatchRounds; round++) {
        for (const http of HTTP_CLIENT_NAMES) {
          for (const client of ['handler', 'sender'] as const) {
            const task: MeasureTask = { kind: 'dispatch', client, http, setup: ctx.handlerSetup(path), receiverUrl: receiver.url, subscriptions, concurrency: ctx.concurrency, warmupMs: ctx.sizes.warmupMs, durationMs: ctx.sizes.durationMs };
            const result = await measureInProcess<DispatchResult>(ctx.scripts.measure, task, ctx.childEnv, 120_000);
            const key = `${http} ${client}`;
            runs.set(key, [...(runs.get(key) ?? []), result]);
            ctx.progress(`client choice S=${subscriptions} ${key}: ${Math.round(result.rate)}/s, ${result.cpuMicrosPerDelivery.toFixed(0)} µs CPU/delivery`);
          }
        }
      }
      for (const http of HTTP_CLIENT_NAMES) {
        const handler = runs.get(`${http} handler`) ?? [];
        const alone = runs.get(`${http} sender`) ?? [];
        rows.push({ client: http, subscriptions, handler: medianRun(handler), alone: medianRun(alone), rounds: { handler: handler.map((r) => r.rate), alone: alone.map((r) => r.rate) } });
      }
    }
  } finally {
    receiver.stop();
  }
  return rows;
}
