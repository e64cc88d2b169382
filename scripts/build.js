#!/usr/bin/env node
'use strict';
/**
 * `npm run build`: everything dist/ holds, each part by its own script, at once.
 *   cli      dist/cli.mjs and its chunks, the `webhooks` bin (scripts/build-cli.js)
 *   handler  dist/handler/ and dist/handler-source-maps/, the function's code (scripts/build-handler.js)
 *   library  dist/index.js and dist/cdk.js, the package's entries (scripts/build-library.js)
 *   types    dist/types/, their declarations (scripts/build-library.js)
 * `node scripts/build.js cli handler` builds only those: `prepare` (npm install, npm ci) builds what
 * a checkout runs, `prepack` (npm pack, npm publish) adds what only the package needs.
 */
const { buildCli } = require('./build-cli.js');
const { buildHandlerAssets } = require('./build-handler.js');
const { buildEntries, buildTypes } = require('./build-library.js');

const PARTS = { cli: buildCli, handler: buildHandlerAssets, library: buildEntries, types: buildTypes };

const asked = process.argv.slice(2);
const unknown = asked.filter((part) => !(part in PARTS));
if (unknown.length > 0) {
  process.stderr.write(`error: unknown build part ${unknown.map((part) => `"${part}"`).join(', ')}; the parts are ${Object.keys(PARTS).join(', ')}\n`);
  process.exitCode = 2;
} else {
  const parts = asked.length > 0 ? asked : Object.keys(PARTS);
  Promise.all(parts.map((part) => PARTS[part]().catch((error) => Promise.reject(new Error(`${part}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }))))).catch((error) => {
    process.stderr.write(`error: npm run build: ${error.message}\n`);
    process.exitCode = 1;
  });
}
