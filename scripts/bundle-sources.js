'use strict';
/**
 * What a bundle of dist/ was built from, and whether it is stale: each build records the repository's
 * own source files it read (esbuild's metafile) and when it started, in a `*.sources.json` beside its
 * output; a source changed since then means the bundle must be built again. Shared by the builds of
 * the CLI, the function and the library entries (scripts/build-*.js).
 *
 * Plain JavaScript, as bin/webhooks.js requires it (through scripts/build-cli.js) before anything could
 * compile TypeScript; it ships in the package for that reason.
 */
const { readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { join, relative, sep } = require('node:path');

const ROOT = join(__dirname, '..');

/** A path relative to the repository root, with forward slashes, for messages. */
function fromRoot(file) {
  return relative(ROOT, file).split(sep).join('/');
}

/**
 * The repository's own files among the inputs of an esbuild metafile, relative to the root
 * (esbuild's `absWorkingDir`). Dependencies change only through npm install, which rebuilds.
 */
function ownSources(metafile) {
  return Object.keys(metafile.inputs).filter((input) => !input.split(/[\\/]/).includes('node_modules'));
}

/** Writes the sources record of a build that started at `startedAt` (epoch ms). */
function recordSources(record, startedAt, sources) {
  writeAtomically(record, `${JSON.stringify({ startedAt, sources }, null, 1)}\n`);
}

/**
 * Why a bundle must be built: one of its `outputs` is missing, or a source it was built from changed
 * since (an edit without `npm install`). Undefined when it is up to date, or when there are no sources
 * to compare with: no `record` and no `entry` source, which is a copy installed from the package.
 */
function staleReason({ outputs, record, entry }) {
  const missing = outputs.find((output) => modifiedAt(output) === undefined);
  if (missing !== undefined) return `${fromRoot(missing)} does not exist`;
  let built;
  try {
    built = JSON.parse(readFileSync(record, 'utf8'));
  } catch {
    return modifiedAt(entry) === undefined ? undefined : `${fromRoot(record)} does not exist`;
  }
  for (const source of built.sources) {
    const modified = modifiedAt(join(ROOT, source));
    if (modified !== undefined && modified >= built.startedAt) return `${source} changed since ${fromRoot(outputs[0])} was built`;
  }
  return undefined;
}

function modifiedAt(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined; // deleted since: whatever imported it has changed too
  }
}

/** Concurrent builds (two test workers, two terminals) each write whole files. */
function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

module.exports = { ROOT, ownSources, recordSources, staleReason, writeAtomically };
