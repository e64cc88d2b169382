import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

import { LIST_DEAD_LETTER_SOURCE_QUEUES, listDeadLetterSourceQueues } from './dead-letter-source-queues';
import type { FauxqsModule } from './load-fauxqs';
import { parseJsonObject, QueueUrlMap } from './queue-url-map';
import { readBody } from './read-body';
import { answerSqsQuery, sqsQueryForm } from './sqs-query-protocol';
import type { SqsJsonAnswer, SqsJsonCall } from './sqs-query-protocol';
import { describeError } from '../lambda/core/errors';

/** The largest request passed on, fauxqs's own body limit (11 MiB, for S3 multipart parts). */
const MAX_BODY_BYTES = 11 * 1024 * 1024;
const SQS_TARGET_PREFIX = 'AmazonSQS.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const SHUTTING_DOWN: SqsJsonAnswer = { statusCode: 503, output: { __type: 'ServiceUnavailable', message: 'The local stack is shutting down.' } };
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
 * (`us-east-1`) whatever region it signs for: fauxqs checks no signatures. fauxqs speaks SQS's
 * JSON protocol only: requests in the older query protocol (older AWS CLIs and SDKs, such as
 * Debian 12's awscli 2.9 and boto3 1.26) are translated to it and back ({@link answerSqsQuery}),
 * and ListDeadLetterSourceQueues, which it lacks, is composed from calls it has.
 * @param publicOrigin the endpoint clients use, e.g. `http://127.0.0.1:4566`.
 */
export async function createFauxqsHandler(fauxqs: FauxqsModule, publicOrigin: string): Promise<FauxqsHandler> {
  const app = fauxqs.buildApp({ logger: false, defaultRegion: 'us-east-1' });
  await app.ready();
  const urls = new QueueUrlMap(publicOrigin);

  const callSqs: SqsJsonCall = async (operation, input) => {
    if (operation === LIST_DEAD_LETTER_SOURCE_QUEUES) return listDeadLetterSourceQueues(input, callSqs);
    const headers = { 'content-type': JSON_CONTENT_TYPE, 'x-amz-target': `${SQS_TARGET_PREFIX}${operation}` };
    let response;
    try {
      response = await app.inject({ method: 'POST', url: '/', headers, payload: urls.rewriteRequest(JSON.stringify(input)) });
    } catch {
      return SHUTTING_DOWN;
    }
    const payload = response.statusCode === 200 ? urls.rewriteResponse(operation, response.payload) : response.payload;
    return { statusCode: response.statusCode, output: parseJsonObject(payload) ?? {} };
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) return reply(res, 413, { 'content-type': 'text/plain' }, `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    const operation = sqsOperation(req.headers);
    const url = new URL(req.url ?? '/', publicOrigin);
    const form = operation === undefined ? sqsQueryForm(url, req.headers['content-type'], body) : undefined;
    if (form !== undefined) {
      const answer = await answerSqsQuery(url, form, callSqs);
      return reply(res, answer.statusCode, answer.headers, answer.body);
    }
    if (operation === LIST_DEAD_LETTER_SOURCE_QUEUES) {
      const answer = await callSqs(operation, parseJsonObject(body.toString('utf8')) ?? {});
      return reply(res, answer.statusCode, { 'content-type': JSON_CONTENT_TYPE }, JSON.stringify(answer.output));
    }
    const payload = operation === undefined ? body : Buffer.from(urls.rewriteRequest(body.toString('utf8')));
    let response;
    try {
      response = await app.inject({ method: (req.method ?? 'GET') as 'GET', url: req.url ?? '/', headers: forwardedHeaders(req.headers), payload });
    } catch {
      return reply(res, SHUTTING_DOWN.statusCode, { 'content-type': JSON_CONTENT_TYPE }, JSON.stringify(SHUTTING_DOWN.output));
    }
    const out = operation !== undefined && response.statusCode === 200 ? Buffer.from(urls.rewriteResponse(operation, response.payload)) : response.rawPayload;
    reply(res, response.statusCode, withoutHeaders(response.headers, DROPPED_RESPONSE_HEADERS), out);
  };

  return {
    handle: (req, res) => {
      serve(req, res).catch((error: unknown) => reply(res, 500, { 'content-type': 'text/plain' }, `the local SQS endpoint failed: ${describeError(error)}`));
    },
    close: () => app.close(),
  };
}

function sqsOperation(headers: IncomingHttpHeaders): string | undefined {
  const target = headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(SQS_TARGET_PREFIX) ? target.slice(SQS_TARGET_PREFIX.length) : undefined;
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
