import { buildLikeHandler } from '../scripts/build-handler.js';

/**
/**
 * The deployed function's NODE_OPTIONS with the default options (infra/webhook-dispatcher.ts):
 * none; `--enable-source-maps` comes only with `sourceMaps`, which also ships the map.
 */
export const PRODUCTION_NODE_OPTIONS = '';

/**
 * Bundles `entry` into `outfile` as the function's code is built (scripts/build-handler.js, what
 * `npm run build` deploys), with its source map unless `sourceMaps` is false (the deployed
 * default). `external` is for the benchmark's own processes only (packages resolved at run time);
 * the production and floor bundles pass none.
 */
export async function buildBundle(entry: string, outfile: string, external: readonly string[] = [], sourceMaps = true): Promise<void> {
  await buildLikeHandler({ entry, outfile, sourceMaps, external: [...external] });
}

/** The benchmark's own processes, bundled the production way and run with plain node. */
export interface BenchScripts {
  readonly measure: string;
  readonly receiver: string;
}

/** Packages the benchmark processes load at run time (devDependencies, not bundled). */
const BENCH_EXTERNALS = ['undici', 'autocannon'];

export async function buildBenchScripts(outDir: string): Promise<BenchScripts> {
  const measure = `${outDir}/measure-process.js`;
  const receiver = `${outDir}/receiver-process.js`;
  await buildBundle(`${__dirname}/measure-process.ts`, measure, BENCH_EXTERNALS);
  await buildBundle(`${__dirname}/receiver-process.ts`, receiver);
  return { measure, receiver };
}
