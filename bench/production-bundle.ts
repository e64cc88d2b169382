import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';

/**
 * The esbuild options `NodejsFunction` derives from the bundling of `infra/webhook-dispatcher.ts`:
 * minify, sourceMap (external file, no sources content), target node22, CJS, mainFields
 * module,main, bundleAwsSDK (so no externals), platform node. Kept in step by hand: read the
 * `bundling` block there when it changes.
 */
export const PRODUCTION_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  target: 'node22',
  format: 'cjs',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** The production Lambda environment's NODE_OPTIONS (`infra/webhook-dispatcher.ts`), applied to the measured processes. */
export const PRODUCTION_NODE_OPTIONS = '--enable-source-maps';

/**
 * Bundles `entry` into `outfile` with the production options. `external` is for the benchmark's own
 * processes only (packages resolved at run time); the production and floor bundles pass none.
 */
export async function buildBundle(entry: string, outfile: string, external: readonly string[] = []): Promise<void> {
  await build({ ...PRODUCTION_BUNDLE_OPTIONS, entryPoints: [entry], outfile, external: [...external] });
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
