import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ParameterStore } from './parameter-store';
import { createSsmRequestHandler } from './ssm-protocol';

/** Options of {@link startParameterStoreServer}. */
export interface ParameterStoreServerOptions {
  /** TCP port; default 0, a free port chosen by the OS (read it back from `port`). */
  readonly port?: number;
  /** Loopback address to listen on; default `127.0.0.1`. Other addresses are refused. */
  readonly host?: string;
  /** Data file to load and keep up to date; default none (in memory only). */
  readonly dataFile?: string;
  /** Region in ARNs; default `us-east-1`. */
  readonly region?: string;
}

/** A running Parameter Store stand-in. */
export interface ParameterStoreServer {
  /** Base URL for `new SSMClient({ endpoint })`, e.g. `http://127.0.0.1:49152`. */
  readonly endpoint: string;
  readonly port: number;
  /** The state behind the server: seed it, inspect it, or `injectFaults` on it. */
  readonly store: ParameterStore;
  /** Stops listening, closes idle keep-alive connections and waits for pending writes. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the SSM Parameter Store stand-in on its own HTTP server, on loopback only.
 * The local stack mounts {@link createSsmRequestHandler} behind its shared endpoint instead.
 * @throws TypeError when `host` is not a loopback address.
 * @throws ParameterDataFileError when the data file is unreadable or malformed.
 * @throws the listen error (e.g. EADDRINUSE) when the port is taken.
 */
export async function startParameterStoreServer(
  options: ParameterStoreServerOptions = {},
): Promise<ParameterStoreServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new TypeError(
      `Expected \`host\` to be a loopback address (127.0.0.1, ::1 or localhost), got ${host}: ` +
        'the stand-in checks no credentials, so it must not be reachable from other machines.',
    );
  }
  const store = await ParameterStore.open({ dataFile: options.dataFile, region: options.region });
  const server = createServer(createSsmRequestHandler(store));
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
  return { endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port, store, close };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
