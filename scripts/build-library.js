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
const { basename, join } = require('node:path');
const { promisify } = require('node:util');
const { ROOT, ownSources, recordSources, staleReason, writeAtomically } = require('./bundle-sources.js');

const DIST = join(ROOT, 'dist');

/**
 * The package's entries, the only modules meant for other projects, as package.json `exports`
 * lists them (the one list): `./dist/<name>.js` is built from `lib/<name>.ts`.
 */
const ENTRIES = Object.fromEntries(
  Object.values(require(join(ROOT, 'package.json')).exports).map(({ default: built }) => {
    const name = basename(built, '.js');
    return [name, join(ROOT, 'lib', `${name}.ts`)];
  }),
);

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
 * Writes the declarations with tsconfig.build.json (a few seconds: every declaration is emitted
 * again, so none can be stale).
 */
async function buildTypes() {
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    // -p, not -b: -b's up-to-date check compared only the files under lib/ with its record, so a
    // change to a module they import (infra/, lambda/) left that module's declaration stale.
    await promisify(execFile)(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT });
  } catch (error) {
    // tsc reports on stdout.
    throw new Error(`tsc -p tsconfig.build.json failed:\n${error.stdout || error.message}`, { cause: error });
  }
}

/**
 * Builds the entries when one is missing or a source changed since, and the declarations when stale.
 * @param {(reason: string) => void} [onBuild] told why the entries are built, first
 */
async function ensureLibrary(onBuild = () => undefined) {
  const outputs = Object.keys(ENTRIES).map((name) => join(DIST, `${name}.js`));
  const reason = staleReason({ outputs, record: LIBRARY_SOURCES, entry: Object.values(ENTRIES)[0] });
  if (reason !== undefined) {
    onBuild(reason);
    await buildEntries();
  }
  await buildTypes();
}

module.exports = { buildEntries, buildTypes, ensureLibrary };
