import http from 'node:http';
import https from 'node:https';
import { CONNECT_TIMEOUT_MS, IDLE_SOCKET_MS, MAX_DRAIN_BYTES } from '../lambda/adapters/http-sender';
import type { ClosableHttpSender, HttpSenderOptions } from '../lambda/adapters/http-sender';
import { TargetRefusedError, TargetResolutionError } from '../lambda/adapters/errors';
import { createTargetGuard, pinnedLookup } from '../lambda/adapters/target-guard';
import type { TargetGuard, TargetVerdict } from '../lambda/adapters/target-guard';
import type { AttemptResult } from '../lambda/core/delivery/outcome';
import type { DeliveryRequest } from '../lambda/core/ports';

interface Agents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

/**
 * The HTTP sender the function used before undici (BENCHMARKS.md, "Choosing the HTTP client"), kept
 * as the benchmark's node:http alternative with the same options and the same guarantees as
 * `createHttpSender`. POSTs over keep-alive pools of node:http / node:https connections. Every target is checked by
 * the guard first: a refused one is never connected to and yields a `refused` result naming the
 * rule; an allowed one is connected to the addresses the guard checked, with no second DNS
 * resolution. Redirects are never followed (node:http does not), certificates are always verified
 * (extra CAs come from NODE_EXTRA_CA_CERTS), the response body is drained up to
 * {@link MAX_DRAIN_BYTES} and never buffered, connecting is bounded by {@link CONNECT_TIMEOUT_MS}
 * and the attempt's timeout covers resolving, connecting, sending and the response head.
 */
export function createNodeHttpSender(options: HttpSenderOptions): ClosableHttpSender {
  // No agent-level `lookup`: agent options override request options, and each request pins its own.
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
  const agents: Agents = { http: new http.Agent(agentOptions), https: new https.Agent({ ...agentOptions, rejectUnauthorized: true }) };
  const guard = options.guard ?? createTargetGuard({ allowPrivateTargets: true });
  const connectCapMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;

  return {
    send: (request) => post(request, agents, guard, connectCapMs),
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function post(request: DeliveryRequest, agents: Agents, guard: TargetGuard, connectCapMs: number): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const deadline = Date.now() + request.timeoutMs;
    let settled = false;
    let req: http.ClientRequest | undefined;
    let connectTimer: NodeJS.Timeout | undefined;
    const finish = (result: AttemptResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(connectTimer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish(timedOut(`no response within ${request.timeoutMs} ms`));
      req?.destroy();
    }, request.timeoutMs);

    guard
      .check(request.url)
      .then((verdict) => {
        if (settled) return;
        if (!verdict.allowed) return finish({ kind: 'refused', rule: verdict.rule, message: verdict.message });
        req = open(request, verdict, agents);
        req.on('socket', (socket) => {
          if (!socket.connecting) return; // a pooled connection
          const connectMs = Math.min(request.timeoutMs, connectCapMs);
          connectTimer = setTimeout(() => {
            finish(timedOut(`could not connect within ${connectMs} ms`));
            req?.destroy();
          }, connectMs);
          socket.once('connect', () => clearTimeout(connectTimer));
        });
        req.on('response', (res) => {
          finish({
            kind: 'response',
            status: res.statusCode ?? 0,
            ...(res.headers.location !== undefined && { location: res.headers.location }),
            ...(res.headers['retry-after'] !== undefined && { retryAfter: res.headers['retry-after'] }),
          });
          discard(res, deadline);
        });
        req.on('error', (error: NodeJS.ErrnoException) => finish(failure(error)));
        req.end(request.body);
      })
      // A failed resolution, or node:http refusing the request outright (e.g. an invalid header).
      .catch((error: unknown) => finish(failure(error)));
  });
}

/** Sends to the checked addresses only: the pinned lookup answers with them instead of resolving again. */
function open(request: DeliveryRequest, verdict: Extract<TargetVerdict, { allowed: true }>, agents: Agents): http.ClientRequest {
  const secure = verdict.url.protocol === 'https:';
  return (secure ? https : http).request(verdict.url, {
    method: 'POST',
    agent: secure ? agents.https : agents.http,
    lookup: pinnedLookup(verdict.addresses),
    headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
  });
}

function timedOut(message: string): AttemptResult {
  return { kind: 'network-error', code: 'ETIMEDOUT', message };
}

function failure(error: unknown): AttemptResult {
  if (error instanceof TargetRefusedError) return { kind: 'refused', rule: error.rule, message: error.message };
  if (error instanceof TargetResolutionError) return { kind: 'network-error', code: error.code, message: error.message };
  // Duck-typed: errors from node core may come from another realm (e.g. under jest), failing instanceof Error.
  if (typeof error !== 'object' || error === null) return { kind: 'network-error', code: 'Error', message: String(error) };
  const { code, name, message } = error as Partial<NodeJS.ErrnoException>;
  return { kind: 'network-error', code: code ?? name ?? 'Error', message: message ?? String(error) };
}

/**
 * Reads and drops the body so the connection can be reused. A body past {@link MAX_DRAIN_BYTES},
 * or still streaming at the attempt's deadline, costs the connection instead of being read.
 */
function discard(res: http.IncomingMessage, deadline: number): void {
  let bytes = 0;
  const drainTimer = setTimeout(() => res.destroy(), Math.max(0, deadline - Date.now()));
  drainTimer.unref();
  res.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_DRAIN_BYTES) res.destroy();
  });
  res.on('close', () => clearTimeout(drainTimer));
  res.on('error', () => undefined);
}
