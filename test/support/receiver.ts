import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly receivedAt: number;
}

/** How a receiver answers: a status (with headers), never (hang), or by resetting the connection. */
export type Reply =
  | {
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: string;
      /** Awaited after the request arrived and before the answer is written: something that races the delivery. */
      readonly beforeAnswer?: () => Promise<unknown>;
    }
  | 'hang'
  | 'reset';

export interface Receiver {
  /** The URL of a path on this receiver, e.g. `url('/ok')`. */
  url(path: string): string;
  /** Scripts the replies of a path: consumed in order, the last one repeats. Default: 200. */
  script(path: string, ...replies: Reply[]): void;
  /** Requests received, optionally only those of one path. */
  requests(path?: string): ReceivedRequest[];
  /** Resolves when `count` requests (of a path) have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, path?: string, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** Starts a real HTTP receiver on a free loopback port. */
export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const scripts = new Map<string, Reply[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
      const script = scripts.get(path) ?? [];
      const reply = (script.length > 1 ? script.shift() : script[0]) ?? { status: 200 };
      if (reply === 'hang') return;
      if (reply === 'reset') return req.socket.destroy();
      const answer = (): void => void res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
      if (reply.beforeAnswer === undefined) return answer();
      reply.beforeAnswer().then(answer, () => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const filter = (path?: string) => (path === undefined ? received : received.filter((r) => r.path === path));
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    script: (path, ...replies) => void scripts.set(path, replies),
    requests: (path) => [...filter(path)],
    async waitFor(count, path, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (filter(path).length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} requests${path ? ` on ${path}` : ''}, got ${filter(path).length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return [...filter(path)];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
