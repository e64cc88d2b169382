#!/usr/bin/env node
'use strict';
/**
 * Builds the package's two entries (package.json `exports`) into CommonJS that Node.js 20.18+
 * loads from `require` and `import` alike, with their type declarations:
 *   `platform-webhooks`     lib/index.ts → dist/index.js, dist/types/lib/index.d.ts
 *   `platform-webhooks/cdk` lib/cdk.ts   → dist/cdk.js,   dist/types/lib/cdk.d.ts
 * The package's dependencies and peer dependencies stay outside the bundles (the app's copies are
 * used: one aws-cdk-lib, one SQS client); everything else they use is bundled in. Not minified:
 * what runs in a user's node_modules stays readable. `npm run build` runs this file (scripts/build.js);
 * the package test calls {@link ensureLibrary} before packing.
 */
const { execFile } = require('node:child_process');
const { join } = require('node:path');
const { promisify } = require('node:util');
const { ROOT, ownSources, recordSources, staleReason, writeAtomically } = require('./bundle-sources.js');

/** The package's entries: the only modules meant for other projects (lib/ holds nothing else public). */
const ENTRIES = { index: join(ROOT, 'lib', 'index.ts'), cdk: join(ROOT, 'lib', 'cdk.ts') };

const DIST = join(ROOT, 'dist');

const LIBRARY_SOURCES = join(DIST, 'library.sources.json');

/** Packages the installed copy resolves at run time, with their subpaths (`aws-cdk-lib/aws-sqs`). */
function externals() {
  const { dependencies = {}, peerDependencies = {} } = require(join(ROOT, 'package.json'));
  return [...Object.keys(dependencies), ...Object.keys(peerDependencies)].flatMap((name) => [name, `${name}/*`]);
}

/** Bundles dist/index.js and dist/cdk.js, then writes their source list. */
async function buildEntries() {
  const startedAt = Date.now();
  // esbuild is a devDependency: loaded only to build.
  const { build } = require('esbuild');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: DIST,
    bundle: true,
    platform: 'node',
    target: 'node20.18',
    format: 'cjs',
    external: externals(),
    // Error and construct classes keep the names they are known by.
    keepNames: true,
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  recordSources(LIBRARY_SOURCES, startedAt, ownSources(result.metafile));
}

/**
 * Writes the declarations with tsconfig.build.json. `tsc -b` first compares its inputs with the
 * last build's record (dist/types/.tsbuildinfo), so with nothing changed it takes half a second.
 */
async function buildTypes() {
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-b', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT });
  } catch (error) {
    // tsc reports on stdout.
    throw new Error(`tsc -b tsconfig.build.json failed:\n${error.stdout || error.message}`, { cause: error });
  }
}

/**
 * Builds the entries when one is missing or a source changed since, and the declarations when stale.
 * @param {(reason: string) => void} [onBuild] told why the entries are built, first
 */
async function ensureLibrary(onBuild = () => undefined) {
  const reason = staleReason({ outputs: [join(DIST, 'index.js'), join(DIST, 'cdk.js')], record: LIBRARY_SOURCES, entry: ENTRIES.index });
  if (reason !== undefined) {
    onBuild(reason);
    await buildEntries();
  }
  await buildTypes();
}

module.exports = { buildEntries, buildTypes, ensureLibrary };
