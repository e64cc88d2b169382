import { createHttpSender } from '../lambda/adapters/http-sender';
import type { ClosableHttpSender, HttpSenderOptions } from '../lambda/adapters/http-sender';
import { createNodeHttpSender } from './node-http-sender';
import { createUndiciRequestSender } from './undici-request-sender';

/**
 * The HTTP clients the benchmark compares through the real handler and alone (BENCHMARKS.md,
 * "Choosing the HTTP client"), each behind the same target guard and bounds: `undici` is the
 * function's own (`createHttpSender`), the others are kept in bench/ for the comparison.
 */
export const HTTP_CLIENTS = {
  undici: { label: 'undici dispatch', module: 'lambda/adapters/http-sender.ts', exported: 'createHttpSender', create: createHttpSender },
  'node-http': { label: 'node:http keep-alive', module: 'bench/node-http-sender.ts', exported: 'createNodeHttpSender', create: createNodeHttpSender },
  'undici-request': { label: 'undici request', module: 'bench/undici-request-sender.ts', exported: 'createUndiciRequestSender', create: createUndiciRequestSender },
} as const satisfies Record<string, { label: string; module: string; exported: string; create: (options: HttpSenderOptions) => ClosableHttpSender }>;

export type HttpClientName = keyof typeof HTTP_CLIENTS;

/** The client the function uses. */
export const FUNCTION_CLIENT: HttpClientName = 'undici';

export const HTTP_CLIENT_NAMES = Object.keys(HTTP_CLIENTS) as HttpClientName[];
