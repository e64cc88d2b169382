import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AttemptResult } from '../core/outcome';
import type { DeliveryRequest, HttpSender } from '../core/ports';

/** A response body is drained (never buffered) up to this many bytes to keep the connection; past it the socket is dropped. */
export const MAX_DRAIN_BYTES = 64 * 1024;

/** Idle pooled connections close after this, below Node's 5 s server keep-alive default, to avoid reusing a socket the peer is closing. */
export const IDLE_SOCKET_MS = 4000;

export interface NodeHttpSenderOptions {
  /** Connections per origin; the handler bounds concurrent deliveries to the same number. */
  readonly maxSockets: number;
  /** DNS lookup for new connections; the target guard plugs in here (design §6). */
  readonly lookup?: LookupFunction;
}

export interface ClosableHttpSender extends HttpSender {
  /** Closes pooled connections. */
  close(): void;
}

/**
 * POSTs over keep-alive pools of node:http / node:https connections. Redirects are never followed
 * (node:http does not), the response body is discarded unread, and a timeout covers connecting,
 * sending and receiving the response head.
 */
export function createNodeHttpSender(options: NodeHttpSenderOptions): ClosableHttpSender {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets,
    timeout: IDLE_SOCKET_MS,
    scheduling: 'lifo' as const,
    ...(options.lookup && { lookup: options.lookup }),
  };
  const httpAgent = new http.Agent(agentOptions);
  // Certificates are always verified; extra CAs come from NODE_EXTRA_CA_CERTS.
  const httpsAgent = new https.Agent({ ...agentOptions, rejectUnauthorized: true });

  return {
    send: (request) => post(request, httpAgent, httpsAgent),
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function post(request: DeliveryRequest, httpAgent: http.Agent, httpsAgent: https.Agent): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    let settled = false;
    const finish = (result: AttemptResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = (secure ? https : http).request(url, {
      method: 'POST',
      agent: secure ? httpsAgent : httpAgent,
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
    });
    const timer = setTimeout(() => {
      finish({ kind: 'network-error', code: 'ETIMEDOUT', message: `no response within ${request.timeoutMs} ms` });
      req.destroy();
    }, request.timeoutMs);
    req.on('response', (res) => {
      finish({
        kind: 'response',
        status: res.statusCode ?? 0,
        ...(res.headers.location !== undefined && { location: res.headers.location }),
        ...(res.headers['retry-after'] !== undefined && { retryAfter: res.headers['retry-after'] }),
      });
      discard(res);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish({ kind: 'network-error', code: error.code ?? error.name, message: error.message });
    });
    req.end(request.body);
  });
}

/** Reads and drops the body so the connection can be reused; a body past the bound costs the connection instead. */
function discard(res: http.IncomingMessage): void {
  let bytes = 0;
  res.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_DRAIN_BYTES) res.destroy();
  });
  res.on('error', () => undefined);
}
