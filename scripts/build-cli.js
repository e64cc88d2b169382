#!/usr/bin/env node
'use strict';
/**
 * Builds the `webhooks` CLI into plain JavaScript, dist/cli.mjs and the chunks it imports, so that a
 * run starts node and nothing else: no TypeScript loader, and only the code its command needs
 * (cli/program.ts imports each command's module when it runs; each becomes a chunk of its own).
 * `npm run build` (scripts/build.js) runs it; so do `npm install` and `npm ci`, through `prepare`.
 * bin/webhooks.js and the tests' globalSetup call {@link ensureCliBundle}, so an edit under cli/ or
 * lambda/ is never run or tested from a stale bundle.
 *
 * Plain JavaScript, as bin/webhooks.js requires it before anything could compile TypeScript; it
 * ships in the package for that reason. Its source maps do not (package.json `files`).
 */
const { mkdirSync, readdirSync, rmSync } = require('node:fs');
const { basename, join } = require('node:path');
const { ROOT, ownSources, recordSources, staleReason, writeAtomically } = require('./bundle-sources.js');

const DIST = join(ROOT, 'dist');

/** The CLI's process entry, the root of what is bundled. */
const ENTRY_SOURCE = join(ROOT, 'cli', 'main.ts');

/** The entry bin/webhooks.js imports. */
const CLI_BUNDLE = join(DIST, 'cli.mjs');

/** Where the chunks go: code shared by several commands, and each command's own. */
const CHUNKS = join(DIST, 'chunks');

/** What the bundle was built from: the repository's own source files and when the build started. */
const CLI_SOURCES = join(DIST, 'cli.sources.json');

/**
 * ES modules, because only they can be split into chunks loaded on demand (esbuild splits no other
 * format). Bundled CommonJS packages call `require`, which an ES module lacks: the banner makes one.
 * Node 20.18 is the oldest Node.js the project supports (package.json `engines`). Minified, with
 * source maps that bin/webhooks.js enables under WEBHOOKS_DEBUG; `keepNames` keeps the class
 * names that errors are named after.
 */
const BUILD_OPTIONS = {
  absWorkingDir: ROOT,
  entryPoints: { cli: ENTRY_SOURCE },
  outdir: DIST,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20.18',
  format: 'esm',
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  write: false,
  logLevel: 'warning',
};

/**
 * Builds dist/cli.mjs, its chunks, their source maps and the source list, each file replaced in one
 * rename: chunks first, then the entry, then the source list, so that a build cut short leaves a
 * bundle that still runs and counts as stale. Then removes the chunks of earlier builds.
 */
async function buildCli() {
  const startedAt = Date.now();
  // esbuild is a devDependency: loaded only to build, never by a run of a fresh bundle.
  const { build } = require('esbuild');
  const result = await build(BUILD_OPTIONS);
  mkdirSync(CHUNKS, { recursive: true });
  const isEntry = (file) => file.path === CLI_BUNDLE || file.path === `${CLI_BUNDLE}.map`;
  for (const file of result.outputFiles.filter((file) => !isEntry(file))) writeAtomically(file.path, file.contents);
  for (const file of result.outputFiles.filter(isEntry)) writeAtomically(file.path, file.contents);
  recordSources(CLI_SOURCES, startedAt, ownSources(result.metafile));
  const written = new Set(result.outputFiles.map((file) => basename(file.path)));
  for (const name of readdirSync(CHUNKS)) {
    if (!written.has(name) && !name.endsWith('.tmp')) rmSync(join(CHUNKS, name), { force: true });
  }
}

/**
 * Builds dist/cli.mjs before it runs when it is missing or a source it was built from has changed
 * since (a developer edited cli/ and did not run `npm install`); never in a copy installed from the
 * package, which has no sources to compare with. Resolves with the bundle's path.
 * @param {(reason: string) => void} [onBuild] told why, first
 */
async function ensureCliBundle(onBuild = () => undefined) {
  const reason = staleReason({ outputs: [CLI_BUNDLE], record: CLI_SOURCES, entry: ENTRY_SOURCE });
  if (reason !== undefined) {
    onBuild(reason);
    await buildCli();
  }
  return CLI_BUNDLE;
}

module.exports = { buildCli, ensureCliBundle };

if (require.main === module) {
  buildCli().catch((error) => {
    process.stderr.write(`error: could not build the webhooks CLI: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
