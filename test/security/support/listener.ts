import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP listener on one loopback address that counts every TCP connection it accepts, not
 * just requests: a refused target must never even be connected to. Answers 204.
 */
export interface CountingListener {
  readonly host: string;
  readonly port: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Paths of the requests received so far. */
  readonly paths: readonly string[];
  close(): Promise<void>;
}

export async function startCountingListener(host: '127.0.0.1' | '::1'): Promise<CountingListener> {
  const paths: string[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '/');
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  server.on('connection', () => void connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    get connections() {
      return connections;
    },
    paths,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
