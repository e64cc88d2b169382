import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { LocalStackError, PortInUseError } from './local-stack-errors';

/** The address every server of the local stack listens on: it checks no credentials. */
export const LOOPBACK = '127.0.0.1';

/**
 * Starts `server` listening on {@link LOOPBACK}:`port` (0 picks a free port) and returns the port.
 * @throws PortInUseError when the port is taken.
 * @throws LocalStackError for any other listen failure (e.g. a privileged port).
 */
export async function listenOnLoopback(server: Server, port: number, role: PortInUseError['server']): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(port, role, { cause: error })
          : new LocalStackError(`cannot listen on ${LOOPBACK}:${port}: ${error.message}`, { cause: error }),
      );
    };
    server.once('error', fail);
    server.listen(port, LOOPBACK, () => {
      server.off('error', fail);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Closes `server`, dropping its open connections (keep-alive or mid-request). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
