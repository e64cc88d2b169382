import { Agent } from 'undici';
import { CONNECT_TIMEOUT_MS, IDLE_SOCKET_MS, MAX_DRAIN_BYTES, checkedLookup } from '../lambda/adapters/http-sender';
import type { ClosableHttpSender, HttpSenderOptions } from '../lambda/adapters/http-sender';
import { createTargetGuard } from '../lambda/adapters/target-guard';
import type { ResolvedAddress } from '../lambda/adapters/target-guard';
import type { AttemptResult } from '../lambda/core/delivery/outcome';

/**
 * The benchmark's third client (BENCHMARKS.md, "Choosing the HTTP client"): undici's `request` API
 * from the package index, as most code uses undici, instead of the sender's `dispatch` with a
 * handler of its own. The same guard, pinned connections, drain cap and timeouts as
 * `createHttpSender`; failures are reported with undici's codes as they are.
 */
export function createUndiciRequestSender(options: HttpSenderOptions): ClosableHttpSender {
  const guard = options.guard ?? createTargetGuard({ allowPrivateTargets: true });
  const checked = new Map<string, readonly ResolvedAddress[]>();
  const agent = new Agent({
    connections: options.maxSockets,
    keepAliveTimeout: IDLE_SOCKET_MS,
    keepAliveMaxTimeout: IDLE_SOCKET_MS,
    connect: { timeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, rejectUnauthorized: true, lookup: checkedLookup(checked) },
  });
  return {
    async send(request): Promise<AttemptResult> {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), request.timeoutMs);
      try {
        const verdict = await guard.check(request.url);
        if (!verdict.allowed) return { kind: 'refused', rule: verdict.rule, message: verdict.message };
        checked.set(verdict.url.hostname, verdict.addresses);
        const { url } = verdict;
        const response = await agent.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method: 'POST', headers: request.headers, body: request.body, signal: abort.signal });
        // Read and dropped up to the cap, past which the body is destroyed, until the deadline.
        response.body.dump({ limit: MAX_DRAIN_BYTES, signal: abort.signal }).catch(() => undefined).finally(() => clearTimeout(timer));
        const location = response.headers.location;
        const retryAfter = response.headers['retry-after'];
        return {
          kind: 'response',
          status: response.statusCode,
          ...(typeof location === 'string' && { location }),
          ...(typeof retryAfter === 'string' && { retryAfter }),
        };
      } catch (error) {
        clearTimeout(timer);
        if (abort.signal.aborted) return { kind: 'network-error', code: 'ETIMEDOUT', message: `no response within ${request.timeoutMs} ms` };
        const { code, message } = error as Partial<NodeJS.ErrnoException>;
        return { kind: 'network-error', code: code ?? 'Error', message: message ?? String(error) };
      }
    },
    close() {
      void agent.destroy();
    },
  };
}
