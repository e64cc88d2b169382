import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { LookupFunction } from 'node:net';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
// The Agent alone, not the package index, which loads fetch, WebSocket and the rest on every cold
// start (BENCHMARKS.md, "Choosing the HTTP client"). Typed by ./undici-agent.d.ts.
import Agent from 'undici/lib/dispatcher/agent.js';
import type { AttemptResult } from '../core/delivery/outcome';
import type { DeliveryRequest, HttpSender } from '../core/ports';
import { TargetRefusedError, TargetResolutionError } from './errors';
import { answerLookup, createTargetGuard } from './target-guard';
import type { ResolvedAddress, TargetGuard } from './target-guard';

/** A response body is drained (never buffered) up to this many bytes to keep the connection; past it the socket is dropped. */
export const MAX_DRAIN_BYTES = 64 * 1024;

/** Idle pooled connections close after this, below Node's 5 s server keep-alive default, to avoid reusing a socket the peer is closing. */
export const IDLE_SOCKET_MS = 4000;

/** Connecting (TCP and TLS) may take at most this long, or the attempt's whole timeout when that is shorter. */
export const CONNECT_TIMEOUT_MS = 5000;

/** Host names whose checked addresses are remembered for the connections the pool opens; the oldest go first. */
const MAX_CHECKED_HOSTS = 10_000;

export interface HttpSenderOptions {
  /** Connections per origin; the handler bounds concurrent deliveries to the same number. */
  readonly maxSockets: number;
  /**
   * Checks every target and pins its connection to the checked addresses (docs/design.md §6). Default: a
   * guard with `allowPrivateTargets: true`, which still refuses non-http(s) URLs, credentials in
   * URLs and the metadata endpoints. The handler always passes the guard built from its config.
   */
  readonly guard?: TargetGuard;
  /** Cap on connecting, default {@link CONNECT_TIMEOUT_MS}. */
  readonly connectTimeoutMs?: number;
}

export interface ClosableHttpSender extends HttpSender {
  /** Closes pooled connections. */
  close(): void;
}

/**
 * POSTs over keep-alive pools of undici connections, one pool per origin (docs/design.md §5). Every
 * target is checked by the guard first: a refused one is never connected to and yields a `refused`
 * result naming the rule; an allowed one is connected to the addresses the guard checked for its
 * host, with no second DNS resolution. Redirects are never followed (`dispatch` follows none),
 * certificates are always verified (extra CAs come from NODE_EXTRA_CA_CERTS), the response body
 * is drained up to {@link MAX_DRAIN_BYTES} and never buffered, connecting is bounded by
 * {@link CONNECT_TIMEOUT_MS} and the attempt's timeout covers resolving, connecting, sending and
 * the response head.
 */
export function createHttpSender(options: HttpSenderOptions): ClosableHttpSender {
  const guard = options.guard ?? createTargetGuard({ allowPrivateTargets: true });
  const connectCapMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const checked = new Map<string, readonly ResolvedAddress[]>();
  const agent = new Agent({
    connections: options.maxSockets,
    keepAliveTimeout: IDLE_SOCKET_MS,
    keepAliveMaxTimeout: IDLE_SOCKET_MS,
    maxResponseSize: MAX_DRAIN_BYTES,
    connect: { timeout: connectCapMs, rejectUnauthorized: true, lookup: checkedLookup(checked) },
  });
  const context: SendContext = { agent, guard, checked, connectCapMs };
  return {
    send: (request) => new Promise((resolve) => new Attempt(request, context, resolve).start()),
    close() {
      void agent.destroy();
    },
  };
}

interface SendContext {
  readonly agent: UndiciAgent;
  readonly guard: TargetGuard;
  /** The addresses the guard last allowed for each host name: the only ones a new connection to it may use. */
  readonly checked: Map<string, readonly ResolvedAddress[]>;
  readonly connectCapMs: number;
}

/**
 * The lookup of every connection the pools open: it answers with the addresses the guard checked
 * for that host name, never resolving it again (node:net skips the lookup for IP literals, which
 * the guard checked as they are). Each attempt records its verdict before it is dispatched, so a
 * host is always known when its connection opens; every address ever recorded was allowed.
 */
export function checkedLookup(checked: ReadonlyMap<string, readonly ResolvedAddress[]>): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = checked.get(hostname);
    if (addresses === undefined) return callback(new TargetRefusedError('unchecked-host', `${hostname} was not checked by the target guard before connecting`), '');
    answerLookup(addresses, options, callback);
  };
}

/**
 * One POST, as an undici dispatch handler: a class rather than closures, since one is made per
 * delivery. Settles once, with the response head, a failure, or the timeout; the body is drained
 * after it has settled, until the attempt's deadline.
 */
class Attempt implements Dispatcher.DispatchHandler {
  private settled = false;
  private ended = false;
  private controller: Dispatcher.DispatchController | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly request: DeliveryRequest,
    private readonly context: SendContext,
    private readonly resolve: (result: AttemptResult) => void,
  ) {
    // One timer for the whole attempt: before the head it fails the attempt, after it it cuts off the body.
    this.timer = setTimeout(() => this.expire(), request.timeoutMs);
  }

  start(): void {
    this.context.guard.check(this.request.url).then(
      (verdict) => {
        if (this.settled) return;
        if (!verdict.allowed) return this.finish({ kind: 'refused', rule: verdict.rule, message: verdict.message });
        const { url, addresses } = verdict;
        remember(this.context.checked, url.hostname, addresses);
        this.context.agent.dispatch({ origin: url.origin, path: `${url.pathname}${url.search}`, method: 'POST', headers: this.request.headers, body: this.request.body }, this);
      },
      // A failed resolution.
      (error: unknown) => this.finish(failure(error, this.request, this.context.connectCapMs)),
    );
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Timed out while it waited for a connection: it is not sent.
    if (this.settled) controller.abort(timedOut(`no response within ${this.request.timeoutMs} ms`).error);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200) return; // 1xx: the final answer follows
    const location = first(headers.location);
    const retryAfter = first(headers['retry-after']);
    this.finish({ kind: 'response', status: statusCode, ...(location !== undefined && { location }), ...(retryAfter !== undefined && { retryAfter }) }, false);
    // The body is read and dropped until the deadline; the timer must not keep a process alive for it.
    this.timer.unref();
  }

  onResponseData(): void {
    // Dropped: past MAX_DRAIN_BYTES the pool destroys the connection (maxResponseSize).
  }

  onResponseEnd(): void {
    this.ended = true;
    clearTimeout(this.timer);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.ended = true;
    clearTimeout(this.timer);
    this.finish(failure(error, this.request, this.context.connectCapMs));
  }

  private expire(): void {
    if (!this.settled) this.finish(timedOut(`no response within ${this.request.timeoutMs} ms`).result, false);
    // Still sending, waiting for the head, or draining a body past the deadline: the connection goes.
    if (!this.ended) this.controller?.abort(new Error(`attempt deadline of ${this.request.timeoutMs} ms passed`));
  }

  private finish(result: AttemptResult, stopTimer = true): void {
    if (this.settled) return;
    this.settled = true;
    if (stopTimer) clearTimeout(this.timer);
    this.resolve(result);
  }
}

/** Records a host's checked addresses, keeping the map bounded (a deleted host is added back by its next attempt). */
function remember(checked: Map<string, readonly ResolvedAddress[]>, hostname: string, addresses: readonly ResolvedAddress[]): void {
  if (checked.get(hostname) === addresses) return;
  checked.delete(hostname);
  if (checked.size >= MAX_CHECKED_HOSTS) checked.delete(checked.keys().next().value as string);
  checked.set(hostname, addresses);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function timedOut(message: string): { result: AttemptResult; error: Error } {
  return { result: { kind: 'network-error', code: 'ETIMEDOUT', message }, error: Object.assign(new Error(message), { code: 'ETIMEDOUT' }) };
}

/**
 * What a failed attempt reports, in node's terms where undici has its own: a connect timeout is
 * `ETIMEDOUT`, a connection the receiver closed before answering `ECONNRESET`, a header the request
 * may not carry the error node:http gives it.
 */
function failure(error: unknown, request: DeliveryRequest, connectCapMs: number): AttemptResult {
  if (error instanceof TargetRefusedError) return { kind: 'refused', rule: error.rule, message: error.message };
  if (error instanceof TargetResolutionError) return { kind: 'network-error', code: error.code, message: error.message };
  // Duck-typed: errors from node core may come from another realm (e.g. under jest), failing instanceof Error.
  if (typeof error !== 'object' || error === null) return { kind: 'network-error', code: 'Error', message: String(error) };
  const { code, name, message } = error as Partial<NodeJS.ErrnoException>;
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return timedOut(`could not connect within ${connectCapMs} ms`).result;
    case 'UND_ERR_SOCKET':
      return { kind: 'network-error', code: 'ECONNRESET', message: message ?? 'the connection closed' };
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED': {
      const refused = headerError(request.headers);
      if (refused !== undefined) return failure(refused, request, connectCapMs);
    }
  }
  return { kind: 'network-error', code: code ?? name ?? 'Error', message: message ?? String(error) };
}

/** The error node:http gives the first header it would not send, if any (a request undici refused is explained in node's words). */
function headerError(headers: Readonly<Record<string, string>>): unknown {
  for (const [name, value] of Object.entries(headers)) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (error) {
      return error;
    }
  }
  return undefined;
}
