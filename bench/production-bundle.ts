import { buildLikeHandler } from '../scripts/build-handler.js';

/**
 * The production Lambda environment's NODE_OPTIONS with `sourceMaps` (infra/webhook-dispatcher.ts),
 * applied to the measured processes, whose bundles carry their maps.
 */
export const PRODUCTION_NODE_OPTIONS = '--enable-source-maps';

/**
 * Bundles `entry` into `outfile` as the function's code is built (scripts/build-handler.js, what
 * `npm run build` deploys), with its source map. `external` is for the benchmark's own processes
 * only (packages resolved at run time); the production and floor bundles pass none.
 */
export async function buildBundle(entry: string, outfile: string, external: readonly string[] = []): Promise<void> {
  await buildLikeHandler({ entry, outfile, sourceMaps: true, external: [...external] });
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
