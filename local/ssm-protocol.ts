import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { SerializationError, SsmError, UnknownOperationError } from './errors';
import type { ParameterStore } from './parameter-store';
import { isJsonObject } from './ssm-input';
import type { JsonObject } from './ssm-input';
import { isSsmOperation, SSM_OPERATIONS } from './ssm-operation-names';
import type { SsmOperation } from './ssm-operation-names';
import { runSsmOperation } from './ssm-operations';

/** The `X-Amz-Target` prefix of SSM requests; a router sends requests starting with it here. */
export const SSM_TARGET_PREFIX = 'AmazonSSM.';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
// SSM requests are small (a value is at most 8 KB); this only stops a runaway client.
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A Node request handler speaking SSM's wire protocol over `store`: AWS JSON 1.1, HTTP POST,
 * `X-Amz-Target: AmazonSSM.<Operation>`. Errors are HTTP 400 `{"__type": code, "message": …}`,
 * which `@aws-sdk/client-ssm` turns into its typed exceptions; unexpected failures are 500
 * `InternalServerError`. SigV4 is not checked: any Authorization (or none) is accepted.
 * Injected faults (`store.injectFaults`) are applied here, per request. A router may look at the
 * headers first, but must pass the request on with its body unread.
 */
export function createSsmRequestHandler(
  store: ParameterStore,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(store, req).then(
      (output) => send(res, 200, output),
      (error: unknown) => sendError(res, error),
    );
  };
}

async function handle(store: ParameterStore, req: IncomingMessage): Promise<JsonObject> {
  const body = await readBody(req);
  const operation = operationOf(req);
  const fault = store.takeFault(operation);
  if (fault !== undefined) throw fault;
  return runSsmOperation(store, operation, parseInput(body));
}

function operationOf(req: IncomingMessage): SsmOperation {
  const target = req.headers['x-amz-target'];
  if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith(SSM_TARGET_PREFIX)) {
    throw new UnknownOperationError(
      `Expected a POST with X-Amz-Target: ${SSM_TARGET_PREFIX}<Operation>; ` +
        `got ${req.method ?? '?'} with X-Amz-Target ${JSON.stringify(target ?? null)}.`,
    );
  }
  const operation = target.slice(SSM_TARGET_PREFIX.length);
  if (!isSsmOperation(operation)) {
    throw new UnknownOperationError(
      `Operation ${operation} is not supported by the local Parameter Store; it supports ${SSM_OPERATIONS.join(', ')}.`,
    );
  }
  return operation;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Drains the whole body even when it is too large, so the connection stays usable.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) {
    throw new SerializationError(
      `The request body is ${size} bytes; the local Parameter Store accepts at most ${MAX_BODY_BYTES}.`,
    );
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseInput(body: string): JsonObject {
  if (body.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    throw new SerializationError('The request body is not valid JSON.');
  }
  if (!isJsonObject(input)) throw new SerializationError('The request body must be a JSON object.');
  return input;
}

function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof SsmError) {
    send(res, error.statusCode, { __type: error.code, message: error.message });
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  send(res, 500, { __type: 'InternalServerError', message: `The local Parameter Store failed: ${message}` });
}

function send(res: ServerResponse, status: number, body: JsonObject): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(payload);
}
