import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The benchmark's receiver, run in its own process: a minimal node:http server on loopback that
 * reads each request body and answers 200 (after `--delay-ms`, default 0). With `--hang-hooks N`
 * the endpoints of subscriptions 0 to N - 1 (`/hooks/<i>`) never answer, as a dead endpoint
 * behind a load balancer that accepts connections. It tells its parent the port over IPC and
 * stops when the parent disconnects.
 */
const option = (name: string): number => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) || 0 : 0);
const delayMs = option('--delay-ms');
const hangHooks = option('--hang-hooks');

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const hook = /\/hooks\/(\d+)$/.exec(req.url ?? '');
    if (hook !== null && Number(hook[1]) < hangHooks) return;
    if (delayMs === 0) return void res.writeHead(200, { 'content-length': '0' }).end();
    setTimeout(() => res.writeHead(200, { 'content-length': '0' }).end(), delayMs);
  });
});
// Longer than the sender's 4 s idle close, as a real receiver's would usually be.
server.keepAliveTimeout = 10_000;
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
