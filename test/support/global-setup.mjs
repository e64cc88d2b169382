// Starts one fauxqs SQS emulator on a free loopback port for the whole jest run.
// fauxqs is ESM-only, hence this .mjs file; workers find it through FAUXQS_ENDPOINT.
// Builds the CLI bundle first when its sources are newer, so the tests that spawn bin/webhooks.js run what users run.
import { startFauxqs } from 'fauxqs';
import { ensureCliBundle } from '../../scripts/build-cli.js';

export default async function globalSetup() {
  await ensureCliBundle((reason) => process.stderr.write(`\nglobalSetup: building the webhooks CLI (${reason})\n`));
  const server = await startFauxqs({ port: 0, logger: false});
  globalThis.__FAUXQS__ = server;
  process.env.FAUXQS_ENDPOINT = `http://127.0.0.1:${server.port}`;
}
