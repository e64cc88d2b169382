import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { SETTINGS } from '../lambda/settings';
import { FULL_SIZES, QUICK_SIZES } from './bench-context';
import type { BenchContext } from './bench-context';
import { benchCapacity } from './capacity';
import { clientChoice } from './client-choice';
import { cliStart } from './cli-start';
import { deadEndpoints } from './dead-endpoints';
import { coldStart } from './cold-start';
import type { ColdStartResult } from './cold-start';
import { dispatchThroughput } from './dispatch-throughput';
import type { DispatchRow } from './dispatch-throughput';
import { fanOut } from './fan-out';
import type { FanOutResult } from './measure-process';
import { buildBenchScripts } from './production-bundle';
import { formatTables } from './report-table';
import type { BenchResults } from './report-table';
import { slowReceivers } from './slow-receivers';
import type { SlowRow } from './slow-receivers';
import { BENCH_AWS_ENV, startStandIns } from './stand-ins';
import { subscriptionLoading } from './subscription-loading';
import { evaluateTargets } from './targets';
import type { LoadingRow } from './subscription-loading';

/** The shape of `bench/results.json`. */

const load = (): number[] => loadavg().map((value) => Math.round(value * 100) / 100);

/**
 * `npm run bench [-- --quick] [-- --out file]`: runs every section, prints the tables and writes
 * the results (default `bench/results.json`). `--quick` uses tiny sizes (the smoke test).
 */
async function main(argv: readonly string[]): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const quick = argv.includes('--quick');
  const outIndex = argv.indexOf('--out');
  const out = resolve(outIndex >= 0 ? (argv[outIndex + 1] ?? '') : join(__dirname, 'results.json'));
  const before = load();
  const outDir = mkdtempSync(join(tmpdir(), 'platform-webhooks-bench-'));
  const standIns = await startStandIns();
  try {
    const ctx: BenchContext = {
      sizes: quick ? QUICK_SIZES : FULL_SIZES,
      scripts: await buildBenchScripts(outDir),
      standIns,
      concurrency: SETTINGS.deliveryConcurrency.default,
      outDir,
      childEnv: {
        ...BENCH_AWS_ENV,
        // The production log level: every delivery writes one INFO audit line (to /dev/null here), as in Lambda.
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_DISABLED: 'false',
        POWERTOOLS_DEV: 'false',
        POWERTOOLS_SERVICE_NAME: 'platform-webhooks',
        POWERTOOLS_METRICS_NAMESPACE: 'PlatformWebhooks',
        // The bench processes are bundles in a scratch directory: they find undici and autocannon here.
        NODE_PATH: [process.env.NODE_PATH, join(__dirname, '..', 'node_modules')].filter(Boolean).join(delimiter),
      },
      handlerSetup: (subscriptionsPath) => ({ ssmEndpoint: standIns.ssm.endpoint, sqsEndpoint: standIns.sqsEndpoint, queueUrl: standIns.queueUrl, retryQueueUrl: standIns.retryQueueUrl, dlqUrl: standIns.dlqUrl, subscriptionsPath }),
      progress: (line) => process.stderr.write(`  ${line}\n`),
    };
    const dispatch = await dispatchThroughput(ctx);
    const choice = await clientChoice(ctx);
    const slow = await slowReceivers(ctx);
    const fan = await fanOut(ctx);
    const cold = await coldStart(ctx);
    const loading = await subscriptionLoading(ctx);
    const cli = await cliStart(ctx);
    const breaker = await deadEndpoints(ctx);
    const results: BenchResults = {
      mode: quick ? 'quick' : 'full',
      startedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` },
      load: { before, after: load() },
      concurrency: ctx.concurrency,
      dispatch,
      clientChoice: choice,
      slow,
      fanOut: fan,
      coldStart: cold,
      loading,
      cliStart: cli,
      breaker,
      capacity: benchCapacity(dispatch, choice),
      targets: evaluateTargets({ dispatch, slow, fanOut: fan, coldStart: cold }),
    };
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${formatTables(results)}\n\nwrote ${out}\n`);
  } finally {
    await standIns.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
