import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

import type { FauxqsModule } from './load-fauxqs';
import { QueueUrlMap } from './queue-url-map';
import { readBody } from './read-body';

/** The largest request passed on, fauxqs's own body limit (11 MiB, for S3 multipart parts). */
const MAX_BODY_BYTES = 11 * 1024 * 1024;
const SQS_TARGET_PREFIX = 'AmazonSQS.';
/** Request headers not passed on: framing is redone, and `authorization` carries the client's region (see below). */
const DROPPED_REQUEST_HEADERS = ['authorization', 'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'expect'];
const DROPPED_RESPONSE_HEADERS = ['content-length', 'transfer-encoding', 'connection', 'keep-alive'];

/** fauxqs (SQS, and its SNS and S3) behind the local stack's endpoint. */
export interface FauxqsHandler {
  /** Serves one request; the router passes it on with its body unread. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Stops fauxqs: pending long polls return, later requests get 503. */
  close(): Promise<void>;
}

/**
 * Runs fauxqs in-process, without a listening socket of its own (it would listen on every
 * interface): each request is read, passed to fauxqs with `inject`, and its answer written back.
 * On the way, queue URLs are translated ({@link QueueUrlMap}) so the ones clients get resolve, and
 * the `authorization` header is dropped so every client lands in the one local region
 * (`us-east-1`) whatever region it signs for: fauxqs checks no signatures.
 * @param publicOrigin the endpoint clients use, e.g. `http://127.0.0.1:4566`.
 */
export async function createFauxqsHandler(fauxqs: FauxqsModule, publicOrigin: string): Promise<FauxqsHandler> {
  const app = fauxqs.buildApp({ logger: false, defaultRegion: 'us-east-1' });
  await app.ready();
  const urls = new QueueUrlMap(publicOrigin);

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) return reply(res, 413, { 'content-type': 'text/plain' }, `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    const operation = sqsOperation(req.headers);
    if (operation === undefined && isSqsQueryRequest(req.headers, body)) return reply(res, 400, { 'content-type': 'text/xml' }, queryProtocolError());
    const payload = operation === undefined ? body : Buffer.from(urls.rewriteRequest(body.toString('utf8')));
    let response;
    try {
      response = await app.inject({ method: (req.method ?? 'GET') as 'GET', url: req.url ?? '/', headers: forwardedHeaders(req.headers), payload });
    } catch {
      return reply(res, 503, { 'content-type': 'application/x-amz-json-1.0' }, JSON.stringify({ __type: 'ServiceUnavailable', message: 'The local stack is shutting down.' }));
    }
    const out = operation !== undefined && response.statusCode === 200 ? Buffer.from(urls.rewriteResponse(operation, response.payload)) : response.rawPayload;
    reply(res, response.statusCode, withoutHeaders(response.headers, DROPPED_RESPONSE_HEADERS), out);
  };

  return {
    handle: (req, res) => {
      serve(req, res).catch((error: unknown) => reply(res, 500, { 'content-type': 'text/plain' }, `the local SQS endpoint failed: ${String(error)}`));
    },
    close: () => app.close(),
  };
}

function sqsOperation(headers: IncomingHttpHeaders): string | undefined {
  const target = headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(SQS_TARGET_PREFIX) ? target.slice(SQS_TARGET_PREFIX.length) : undefined;
}

/** An SQS request in the older query protocol (form-encoded), which fauxqs does not speak. */
function isSqsQueryRequest(headers: IncomingHttpHeaders, body: Buffer): boolean {
  if (!(headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return false;
  return new URLSearchParams(body.toString('utf8')).get('Version') === '2012-11-05';
}

function queryProtocolError(): string {
  const message =
    "This local endpoint speaks SQS's JSON protocol only, and this client sent the older query protocol. " +
    'Use a current AWS SDK or CLI (they send JSON to SQS).';
  return `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_REQUEST_HEADERS.includes(name)) continue;
    forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return forwarded;
}

function withoutHeaders(headers: OutgoingHttpHeaders, dropped: readonly string[]): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !dropped.includes(name.toLowerCase())));
}

function reply(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: Buffer | string): void {
  if (res.headersSent || res.destroyed) return void res.destroy();
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
