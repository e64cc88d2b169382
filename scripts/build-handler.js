#!/usr/bin/env node
'use strict';
/**
 * Builds the delivery function's code, the asset the `WebhookDispatcher` construct deploys with
 * `Code.fromAsset` (infra/webhook-dispatcher.ts), so that a CDK app using the construct, this
 * repository's or one that installed the package, needs neither esbuild nor TypeScript nor Docker,
 * and synthesizes offline (docs/design.md §7). Two directories, as the `sourceMaps` option chooses:
 * dist/handler/index.js, and dist/handler-source-maps/ with index.js linked to its index.js.map.
 * `npm run build` runs this file (scripts/build.js); jest's globalSetup and the `cdk.json` app call
 * {@link ensureHandlerAssets}, so what is synthesized and tested is built from the sources in the tree.
 */
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { ROOT, ownSources, recordSources, staleReason, writeAtomically } = require('./bundle-sources.js');

/** The function's entry (docs/design.md §5). */
const HANDLER_SOURCE = join(ROOT, 'lambda', 'handler.ts');

/** The asset directories infra/webhook-dispatcher.ts deploys, by whether source maps ship. */
const HANDLER_ASSETS = {
  plain: join(ROOT, 'dist', 'handler'),
  sourceMaps: join(ROOT, 'dist', 'handler-source-maps'),
};

const HANDLER_SOURCES = join(ROOT, 'dist', 'handler.sources.json');

/**
 * The options `NodejsFunction` passed to esbuild before the asset was built here, kept so that the
 * deployed code is what it was: Node.js 22 (the function's runtime; arm64 changes nothing in
 * JavaScript), CommonJS, minified, the AWS SDK bundled rather than the runtime's copy (pinned to
 * the version tested; its ES module builds, chosen by `mainFields`, tree-shake to about two thirds
 * of the size of its CommonJS ones), so no externals. Source maps, when asked for, are linked and
 * carry no sources content: the map is most of the asset and slows every cold start.
 */
const HANDLER_BUILD_OPTIONS = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  mainFields: ['module', 'main'],
  minify: true,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
};

/**
 * Bundles `entry` into `outfile` the way the function is bundled; with `sourceMaps`, a linked map
 * beside it. `external` and `plugins` are for the benchmark only (packages resolved at run time, a
 * module swapped for the one compared); with `write: false` the files are returned rather than
 * written. Resolves with esbuild's result.
 * @param {{ entry?: string, outfile: string, sourceMaps: boolean, external?: string[], plugins?: import('esbuild').Plugin[], write?: boolean }} options
 */
function buildLikeHandler({ entry = HANDLER_SOURCE, outfile, sourceMaps, external = [], plugins = [], write = true }) {
  // esbuild is a devDependency: loaded only to build.
  const { build } = require('esbuild');
  return build({ ...HANDLER_BUILD_OPTIONS, entryPoints: [entry], outfile, sourcemap: sourceMaps ? 'linked' : false, external, plugins, write });
}

/**
 * Builds both asset directories and their source list; each file is replaced in one rename, the
 * source list last, so that a build cut short counts as stale.
 */
async function buildHandlerAssets() {
  const startedAt = Date.now();
  const builds = await Promise.all(
    [false, true].map((sourceMaps) =>
      buildLikeHandler({ outfile: join(sourceMaps ? HANDLER_ASSETS.sourceMaps : HANDLER_ASSETS.plain, 'index.js'), sourceMaps, write: false }),
    ),
  );
  for (const { outputFiles } of builds) {
    for (const file of outputFiles) {
      mkdirSync(join(file.path, '..'), { recursive: true });
      writeAtomically(file.path, file.contents);
    }
  }
  recordSources(HANDLER_SOURCES, startedAt, ownSources(builds[0].metafile));
}

/**
 * Builds the assets when one is missing or a source changed since.
 * @param {(reason: string) => void} [onBuild] told why, first
 */
async function ensureHandlerAssets(onBuild = () => undefined) {
  const reason = staleReason({
    outputs: [join(HANDLER_ASSETS.plain, 'index.js'), join(HANDLER_ASSETS.sourceMaps, 'index.js')],
    record: HANDLER_SOURCES,
    entry: HANDLER_SOURCE,
  });
  if (reason !== undefined) {
    onBuild(reason);
    await buildHandlerAssets();
  }
}

module.exports = { buildHandlerAssets, buildLikeHandler, ensureHandlerAssets };

if (require.main === module) {
  // `node scripts/build-handler.js --if-stale`: the `cdk.json` app's first step.
  const run = process.argv.includes('--if-stale')
    ? ensureHandlerAssets((reason) => process.stderr.write(`platform-webhooks: building the function's code first (${reason})\n`))
    : buildHandlerAssets();
  run.catch((error) => {
    process.stderr.write(`error: could not build the function's code: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
