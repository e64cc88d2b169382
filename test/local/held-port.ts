import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';

/** A loopback port held open by a plain TCP server, to see what a program does when its port is taken. */
export async function holdPort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

export function release(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port that was free a moment ago (for a program that must be told its port in advance). */
export async function freePort(): Promise<number> {
  const server = await holdPort();
  const port = portOf(server);
  await release(server);
  return port;
}
