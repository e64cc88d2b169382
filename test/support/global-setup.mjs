// Starts one fauxqs SQS emulator on a free loopback port for the whole jest run.
// fauxqs is ESM-only, hence this .mjs file; workers find it through FAUXQS_ENDPOINT.
import { startFauxqs } from 'fauxqs';

export default async function globalSetup() {
  const server = await startFauxqs({ port: 0, logger: false});
  globalThis.__FAUXQS__ = server;
  process.env.FAUXQS_ENDPOINT = `http://127.0.0.1:${server.port}`;
}
