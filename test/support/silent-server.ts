import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

/**
 * A TCP server on loopback that accepts connections and never answers, as a stalled AWS endpoint
 * does, for the file's tests (started before them, its sockets destroyed and closed after).
 * @returns the server's URL, once the file's `beforeAll` has run.
 */
export function useSilentServer(): { url(): string } {
  let server: Server | undefined;
  let url = '';
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    const started = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    const address = started.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  });
  return { url: () => url };
}
