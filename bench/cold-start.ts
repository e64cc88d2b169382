import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './bench-context';
import { PRODUCTION_NODE_OPTIONS, buildBundle } from './production-bundle';
import { startReceiverProcess } from './processes';
import { BENCH_AWS_ENV } from './stand-ins';
import { median, sqsBatch } from './workload';

/** The three processes timed side by side. */
export type ColdStartSubject = 'bare' | 'floor' | 'ours';

export interface ColdStartResult {
  readonly runs: number;
  readonly bundleBytes: { readonly ours: number; readonly oursMap: number; readonly floor: number; readonly floorMap: number };
  /** Median milliseconds from process start (performance.timeOrigin) to the handler's answer. */
  readonly readyMs: Record<ColdStartSubject, number>;
  /** Median wall milliseconds from spawn to exit, measured by the parent. */
  readonly wallMs: Record<ColdStartSubject, number>;
  /** ours ÷ floor in bundle size (JS file). */
  readonly sizeRatio: number;
  /** (ours − bare) ÷ (floor − bare), on readyMs. */
  readonly timeAboveBareRatio: number;
}

/**
 * Loads a bundle, invokes `handler` with one SQS event and reports, on stderr, the milliseconds
 * since the process started. With no bundle it reports at once (the bare-node baseline).
 */
const PROBE = `
const bundle = process.argv[1];
const done = (ok, why) => { if (why) process.stderr.write(why + "\\n"); process.stderr.write('COLD ' + JSON.stringify({ ms: performance.now(), ok }) + '\\n'); process.exit(0); };
if (!bundle) done(true);
else {
  const context = { getRemainingTimeInMillis: () => 60000, functionName: 'cold', awsRequestId: 'cold' };
  require(bundle).handler(JSON.parse(process.env.COLD_EVENT), context).then(
    (r) => done(r.status === 200 || (Array.isArray(r.batchItemFailures) && r.batchItemFailures.length === 0), JSON.stringify(r)),
    (e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); done(false); });
}`;

/**
 * Section 5: the production bundle (built exactly as the CDK bundling builds it) against a fresh
 * `node -e ''` and the floor bundle (only the SQS and SSM clients), interleaved, medians.
 */
export async function coldStart(ctx: BenchContext): Promise<ColdStartResult> {
  const ours = join(ctx.outDir, 'prod', 'index.js');
  const floor = join(ctx.outDir, 'floor', 'index.js');
  await buildBundle(join(__dirname, '..', 'lambda', 'handler.ts'), ours);
  await buildBundle(join(__dirname, 'floor', 'floor-handler.ts'), floor);
  const receiver = await startReceiverProcess(ctx.scripts.receiver);
  const path = '/bench/cold';
  await ctx.standIns.seed(path, 1, receiver.url);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...BENCH_AWS_ENV,
    AWS_ENDPOINT_URL_SSM: ctx.standIns.ssm.endpoint,
    AWS_ENDPOINT_URL_SQS: ctx.standIns.sqsEndpoint,
    SUBSCRIPTIONS_PATH: path,
    QUEUE_URL: ctx.standIns.queueUrl,
    RETRY_QUEUE_URL: ctx.standIns.retryQueueUrl,
    DLQ_URL: ctx.standIns.dlqUrl,
    QUEUE_NAME: ctx.standIns.queueUrl.split('/').pop(),
    ALLOW_PRIVATE_TARGETS: 'true',
    POWERTOOLS_SERVICE_NAME: 'platform-webhooks',
    POWERTOOLS_METRICS_NAMESPACE: 'PlatformWebhooks',
    NODE_OPTIONS: PRODUCTION_NODE_OPTIONS,
    COLD_EVENT: JSON.stringify(sqsBatch(0, 1)),
  };
  const samples: Record<ColdStartSubject, { ready: number[]; wall: number[] }> = { bare: { ready: [], wall: [] }, floor: { ready: [], wall: [] }, ours: { ready: [], wall: [] } };
  try {
    for (let run = 0; run < ctx.sizes.coldStartRuns; run++) {
      for (const [subject, bundle] of [['bare', undefined], ['floor', floor], ['ours', ours]] as const) {
        const { ready, wall, ok, stderr } = await probe(bundle, env);
        if (!ok) throw new Error(`cold start of ${subject} did not handle its event: ${stderr}`);
        samples[subject].ready.push(ready);
        samples[subject].wall.push(wall);
      }
    }
  } finally {
    receiver.stop();
  }
  const readyMs = { bare: median(samples.bare.ready), floor: median(samples.floor.ready), ours: median(samples.ours.ready) };
  const wallMs = { bare: median(samples.bare.wall), floor: median(samples.floor.wall), ours: median(samples.ours.wall) };
  const bundleBytes = { ours: statSync(ours).size, oursMap: statSync(`${ours}.map`).size, floor: statSync(floor).size, floorMap: statSync(`${floor}.map`).size };
  const result: ColdStartResult = {
    runs: ctx.sizes.coldStartRuns,
    bundleBytes,
    readyMs,
    wallMs,
    sizeRatio: bundleBytes.ours / bundleBytes.floor,
    timeAboveBareRatio: (readyMs.ours - readyMs.bare) / (readyMs.floor - readyMs.bare),
  };
  ctx.progress(`cold start: ours ${readyMs.ours.toFixed(0)} ms, floor ${readyMs.floor.toFixed(0)} ms, bare ${readyMs.bare.toFixed(0)} ms`);
  return result;
}

function probe(bundle: string | undefined, env: NodeJS.ProcessEnv): Promise<{ ready: number; wall: number; ok: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    // The bare baseline is node -e '' in effect: the probe returns before loading anything.
    const child = spawn(process.execPath, bundle === undefined ? ['-e', PROBE] : ['-e', PROBE, bundle], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const line = stderr.split('\n').find((l) => l.startsWith('COLD '));
      if (line === undefined) return reject(new Error(`cold-start probe printed no result: ${stderr}`));
      const { ms, ok } = JSON.parse(line.slice(5)) as { ms: number; ok: boolean };
      resolve({ ready: ms, wall: performance.now() - startedAt, ok, stderr });
    });
  });
}
