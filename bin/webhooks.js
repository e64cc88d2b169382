#!/usr/bin/env node
'use strict';
// The `webhooks` command: runs dist/cli.mjs, the CLI built into plain JavaScript by scripts/build-cli.js
// (npm install builds it). In this repository a bundle older than its sources is rebuilt first.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Stack traces (WEBHOOKS_DEBUG=1) name the TypeScript sources; the maps are read only then, and only a
// checkout has them (the package leaves them out, package.json `files`).
if (process.env.WEBHOOKS_DEBUG) process.setSourceMapsEnabled(true);

const { pathToFileURL } = require('node:url');
const { ensureCliBundle } = require('../scripts/build-cli.js');

ensureCliBundle((reason) => process.stderr.write(`webhooks: building the CLI first (${reason})\n`)).then(
  (bundle) => import(pathToFileURL(bundle).href),
  (error) => {
    process.stderr.write(`error: could not build the webhooks CLI (${error instanceof Error ? error.message : String(error)}); run "npm install" in ${require('node:path').join(__dirname, '..')}\n`);
    process.exitCode = 1;
  },
);
