import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { refuseForeignHost } from './refuse-foreign-host';
import { ParameterStore } from './parameter-store';
import type { ParameterStoreOptions } from './parameter-store';
import { createSsmRequestHandler } from './ssm-protocol';

/** Options of {@link startParameterStoreServer}; `dataFile`, `region` and `now` as the store's. */
export interface ParameterStoreServerOptions extends ParameterStoreOptions {
  /** TCP port; default 0, a free port chosen by the OS (read it back from `port`). */
  readonly port?: number;
  /** Loopback address to listen on: `127.0.0.1` (default), `::1` or `localhost`. */
  readonly host?: string;
  /** Throttle the read APIs together above this many requests per second, as SSM does; default none. */
  readonly readTps?: number;
}

/** A running Parameter Store stand-in. */
export interface ParameterStoreServer {
  /** Base URL for `new SSMClient({ endpoint })`, e.g. `http://127.0.0.1:49152`. */
  readonly endpoint: string;
  readonly port: number;
  /** The state behind the server: seed it, inspect it, read its `operationCounts`, or `injectFaults` on it. */
  readonly store: ParameterStore;
  /** Stops listening, closes idle keep-alive connections and waits for pending writes. Idempotent. */
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

/**
 * Starts the SSM Parameter Store stand-in on its own HTTP server, on loopback only, refusing requests
 * addressed to other hosts. The local stack mounts {@link createSsmRequestHandler} behind its shared endpoint instead.
 * @throws TypeError when `host` is not a loopback address, or `readTps` not a positive integer.
 * @throws ParameterDataFileError when the data file is unreadable or malformed.
 * @throws the listen error (e.g. EADDRINUSE) when the port is taken.
 */
export async function startParameterStoreServer(options: ParameterStoreServerOptions = {}): Promise<ParameterStoreServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.includes(host)) {
    throw new TypeError(
      `Expected \`host\` to be a loopback address (127.0.0.1, ::1 or localhost), got ${host}: ` +
        'the stand-in checks no credentials, so it must not be reachable from other machines.',
    );
  }
  const store = await ParameterStore.open(options);
  store.throttleReads(options.readTps);
  const handle = createSsmRequestHandler(store);
  const server = createServer((req, res) => {
    if (!refuseForeignHost(req, res)) handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)));
      server.closeIdleConnections();
    }).then(() => store.flush());
    return closing;
  };
  return { endpoint: `http://${host === '::1' ? '[::1]' : host}:${port}`, port, store, close };
}
