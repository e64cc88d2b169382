import { SSMClient } from '@aws-sdk/client-ssm';
import { createSsmSubscriptionSource } from '../lambda/adapters/ssm-subscriptions';
import type { Log } from '../lambda/core/ports';
import type { BenchContext } from './bench-context';
import { BENCH_AWS_ENV } from './stand-ins';
import { median } from './workload';

export interface LoadingRow {
  readonly subscriptions: number;
  /** Median time of a cold load (a fresh source, so a full paginated read and index build). */
  readonly coldLoadMs: number;
  /** GetParametersByPath calls of one cold load. */
  readonly ssmCalls: number;
  readonly loaded: number;
  /** SSM calls made by warm loads within the cache TTL (should be 0). */
  readonly warmSsmCalls: number;
  readonly warmLoads: number;
  readonly warmLoadMicros: number;
}

const silent: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Section 6: time and SSM calls to load 100 and 1,000 subscriptions (pages of 10); warm loads make none. */
export async function subscriptionLoading(ctx: BenchContext): Promise<LoadingRow[]> {
  const client = new SSMClient({
    endpoint: ctx.standIns.ssm.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: BENCH_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: BENCH_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  let calls = 0;
  client.middlewareStack.add((next) => (args) => {
    calls++;
    return next(args);
  }, { step: 'initialize', name: 'countCalls' });
  const rows: LoadingRow[] = [];
  try {
    for (const subscriptions of ctx.sizes.loadingSubscriptions) {
      const path = `/bench/loading-${subscriptions}`;
      await ctx.standIns.seed(path, subscriptions, 'http://127.0.0.1:9');
      const times: number[] = [];
      let ssmCalls = 0;
      let loaded = 0;
      let source = createSsmSubscriptionSource({ client, path, cacheSeconds: 60, clock: { now: () => Date.now() }, log: silent });
      for (let run = 0; run < ctx.sizes.loadingRuns; run++) {
        source = createSsmSubscriptionSource({ client, path, cacheSeconds: 60, clock: { now: () => Date.now() }, log: silent });
        calls = 0;
        const startedAt = performance.now();
        loaded = (await source.load()).all.length;
        times.push(performance.now() - startedAt);
        ssmCalls = calls;
      }
      calls = 0;
      const warmLoads = 1000;
      const warmStart = performance.now();
      for (let i = 0; i < warmLoads; i++) await source.load();
      const warmLoadMicros = ((performance.now() - warmStart) * 1000) / warmLoads;
      rows.push({ subscriptions, coldLoadMs: median(times), ssmCalls, loaded, warmSsmCalls: calls, warmLoads, warmLoadMicros });
      ctx.progress(`loading ${subscriptions}: ${median(times).toFixed(0)} ms, ${ssmCalls} calls, warm ${calls} calls`);
    }
  } finally {
    client.destroy();
  }
  return rows;
}
