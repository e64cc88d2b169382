import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import type { BenchContext } from './bench-context';
import { FUNCTION_CLIENT, HTTP_CLIENTS, HTTP_CLIENT_NAMES } from './http-clients';
import type { HttpClientName } from './http-clients';
import { buildLikeHandler } from '../scripts/build-handler.js';
import { PRODUCTION_NODE_OPTIONS, buildBundle } from './production-bundle';
import { startReceiverProcess } from './processes';
import { BENCH_AWS_ENV } from './stand-ins';
import { median, sqsBatch } from './workload';

/** One process timed: `node -e ''`, the floor, or the handler with one of the HTTP clients compared. */
export interface ColdStartSubject {
  /** `bare`, `floor`, or the HTTP client of a handler bundle (`undici` is the production bundle). */
  readonly subject: 'bare' | 'floor' | HttpClientName;
  /** Median milliseconds from process start (performance.timeOrigin) to the handler's answer. */
  readonly readyMs: number;
  /** Median wall milliseconds from spawn to exit, measured by the parent. */
  readonly wallMs: number;
  /**
   * Median CPU milliseconds (user + system, every thread of the process) from its start to the
   * handler's answer: at 256 MB a container has about 0.145 vCPU, so this, not readyMs, is what a
   * cold start takes there.
   */
  readonly cpuMs: number;
  /** Median CPU milliseconds until the process settled after its answer: the cold start's whole CPU. */
  readonly settledCpuMs: number;
  /** The bundle's size (none for `bare`); deployed by default without its source map. */
  readonly bundleBytes?: number;
}

export interface ColdStartResult {
  readonly runs: number;
  readonly subjects: ColdStartSubject[];
  /** ours ÷ floor in bundle size (JS file). */
  readonly sizeRatio: number;
  /** (ours − bare) ÷ (floor − bare), on readyMs. */
  readonly timeAboveBareRatio: number;
}

/**
 * Loads a bundle, invokes `handler` with one SQS event and reports, on stderr, the milliseconds
 * since the process started and the CPU it took, then the CPU once the process has settled (no
 * more than 1 ms of CPU in 50 ms, for at most 2 s): threads that go on working after the answer,
 * such as V8 optimising WebAssembly in the background, take their CPU from the same share of a
 * vCPU in Lambda. With no bundle it reports at once (the bare-node baseline).
 */
const PROBE = `
const bundle = process.argv[1];
const cpuMs = () => { const cpu = process.cpuUsage(); return (cpu.user + cpu.system) / 1000; };
const done = (ok, why) => {
  const ms = performance.now();
  const ready = cpuMs();
  if (why) process.stderr.write(why + "\\n");
  let last = ready;
  const settle = setInterval(() => {
    const now = cpuMs();
    if (now - last < 1 || performance.now() - ms > 2000) {
      clearInterval(settle);
      process.stderr.write('COLD ' + JSON.stringify({ ms, cpuMs: ready, settledCpuMs: now, ok }) + '\\n');
      process.exit(0);
    }
    last = now;
  }, 50);
};
if (!bundle) done(true);
else {
  const context = { getRemainingTimeInMillis: () => 60000, functionName: 'cold', awsRequestId: 'cold' };
  require(bundle).handler(JSON.parse(process.env.COLD_EVENT), context).then(
    (r) => done(r.status === 200 || (Array.isArray(r.batchItemFailures) && r.batchItemFailures.length === 0), JSON.stringify(r)),
    (e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); done(false); });
}`;

/**
 * Section 5: the production bundle (built exactly as the CDK bundling builds it) against a fresh
 * `node -e ''`, the floor bundle (only the SQS and SSM clients) and the handler built with each
 * other HTTP client compared (section 9), interleaved, medians.
 */
export async function coldStart(ctx: BenchContext): Promise<ColdStartResult> {
  const bundles: Array<[ColdStartSubject['subject'], string | undefined]> = [['bare', undefined], ['floor', join(ctx.outDir, 'floor', 'index.js')]];
  await buildBundle(join(__dirname, 'floor', 'floor-handler.ts'), join(ctx.outDir, 'floor', 'index.js'), [], false);
  for (const client of HTTP_CLIENT_NAMES) {
    const outfile = join(ctx.outDir, `handler-${client}`, 'index.js');
    await buildHandlerWith(client, outfile);
    bundles.push([client, outfile]);
  }
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
  const samples = new Map(bundles.map(([subject]) => [subject, { ready: [] as number[], wall: [] as number[], cpu: [] as number[], settled: [] as number[] }]));
  try {
    for (let run = 0; run < ctx.sizes.coldStartRuns; run++) {
      for (const [subject, bundle] of bundles) {
        const { ready, wall, cpu, settled, ok, stderr } = await probe(bundle, env);
        if (!ok) throw new Error(`cold start of ${subject} did not handle its event: ${stderr}`);
        samples.get(subject)?.ready.push(ready);
        samples.get(subject)?.wall.push(wall);
        samples.get(subject)?.cpu.push(cpu);
        samples.get(subject)?.settled.push(settled);
      }
    }
  } finally {
    receiver.stop();
  }
  const subjects: ColdStartSubject[] = bundles.map(([subject, bundle]) => ({
    subject,
    readyMs: median(samples.get(subject)?.ready ?? []),
    wallMs: median(samples.get(subject)?.wall ?? []),
    cpuMs: median(samples.get(subject)?.cpu ?? []),
    settledCpuMs: median(samples.get(subject)?.settled ?? []),
    ...(bundle !== undefined && { bundleBytes: statSync(bundle).size }),
  }));
  const of = (subject: ColdStartSubject['subject']): ColdStartSubject => subjects.find((s) => s.subject === subject) as ColdStartSubject;
  const [bare, floor, ours] = [of('bare'), of('floor'), of(FUNCTION_CLIENT)];
  const result: ColdStartResult = {
    runs: ctx.sizes.coldStartRuns,
    subjects,
    sizeRatio: (ours.bundleBytes ?? 0) / (floor.bundleBytes ?? 1),
    timeAboveBareRatio: (ours.readyMs - bare.readyMs) / (floor.readyMs - bare.readyMs),
  };
  ctx.progress(`cold start: ${subjects.map((s) => `${s.subject} ${s.readyMs.toFixed(0)} ms`).join(', ')}`);
  return result;
}

/**
 * Bundles lambda/handler.ts with the production options, its HTTP sender replaced by the client
 * compared (the production bundle for the function's own). The node:http variant leaves undici's
 * Agent out: its sender only borrows the production sender's constants.
 */
async function buildHandlerWith(client: HttpClientName, outfile: string): Promise<void> {
  const entry = join(__dirname, '..', 'lambda', 'handler.ts');
  if (client === FUNCTION_CLIENT) return buildBundle(entry, outfile, [], false);
  const { module, exported } = HTTP_CLIENTS[client];
  const swap: Plugin = {
    name: 'swap-http-sender',
    setup(bundler) {
      bundler.onResolve({ filter: /\/adapters\/http-sender$/ }, (args) => (args.importer === entry ? { path: 'sender', namespace: 'compared-client' } : undefined));
      bundler.onLoad({ filter: /.*/, namespace: 'compared-client' }, () => ({
        contents: `export { ${exported} as createHttpSender } from ${JSON.stringify(join(__dirname, '..', module))};`,
        loader: 'ts',
        resolveDir: __dirname,
      }));
      if (client === 'node-http') {
        bundler.onResolve({ filter: /^undici\/lib\/dispatcher\/agent\.js$/ }, () => ({ path: 'agent', namespace: 'unused-agent' }));
        bundler.onLoad({ filter: /.*/, namespace: 'unused-agent' }, () => ({ contents: 'module.exports = class {};', loader: 'js' }));
      }
    },
  };
  await buildLikeHandler({ entry, outfile, sourceMaps: false, plugins: [swap] });
}

function probe(bundle: string | undefined, env: NodeJS.ProcessEnv): Promise<{ ready: number; wall: number; cpu: number; settled: number; ok: boolean; stderr: string }> {
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
      const { ms, cpuMs, settledCpuMs, ok } = JSON.parse(line.slice(5)) as { ms: number; cpuMs: number; settledCpuMs: number; ok: boolean };
      resolve({ ready: ms, wall: performance.now() - startedAt, cpu: cpuMs, settled: settledCpuMs, ok, stderr });
    });
  });
}
