// Starts one fauxqs SQS emulator on a free loopback port for the whole jest run.
// fauxqs is ESM-only, hence this .mjs file; workers find it through FAUXQS_ENDPOINT.
// Builds the CLI bundle and the function's code first when their sources are newer, so the tests
// that spawn bin/webhooks.js run what users run, and the CDK tests synthesize the code that deploys.
import { startFauxqs } from 'fauxqs';
import { ensureCliBundle } from '../../scripts/build-cli.js';
import { ensureHandlerAssets } from '../../scripts/build-handler.js';

export default async function globalSetup() {
  await Promise.all([
    ensureCliBundle((reason) => process.stderr.write(`\nglobalSetup: building the webhooks CLI (${reason})\n`)),
    ensureHandlerAssets((reason) => process.stderr.write(`\nglobalSetup: building the function's code (${reason})\n`)),
  ]);
  const server = await startFauxqs({ port: 0, logger: false});
  globalThis.__FAUXQS__ = server;
  process.env.FAUXQS_ENDPOINT = `http://127.0.0.1:${server.port}`;
}
