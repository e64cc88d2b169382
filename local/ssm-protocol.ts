import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { SsmError } from './errors';
import type { ParameterStore } from './parameter-store';
import { readBody } from './read-body';
import { isJsonObject, isSsmOperation, SSM_OPERATIONS } from './ssm-api';
import type { JsonObject, SsmOperation } from './ssm-api';
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
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === undefined) {
    throw new SsmError('SerializationException', `The request body is larger than ${MAX_BODY_BYTES} bytes, the most the local Parameter Store accepts.`);
  }
  const operation = operationOf(req);
  const fault = store.takeFault(operation);
  if (fault !== undefined) throw fault;
  return runSsmOperation(store, operation, parseInput(body.toString('utf8')));
}

function operationOf(req: IncomingMessage): SsmOperation {
  const target = req.headers['x-amz-target'];
  if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith(SSM_TARGET_PREFIX)) {
    throw new SsmError(
      'UnknownOperationException',
      `Expected a POST with X-Amz-Target: ${SSM_TARGET_PREFIX}<Operation>; ` +
        `got ${req.method ?? '?'} with X-Amz-Target ${JSON.stringify(target ?? null)}.`,
    );
  }
  const operation = target.slice(SSM_TARGET_PREFIX.length);
  if (!isSsmOperation(operation)) {
    throw new SsmError(
      'UnknownOperationException',
      `Operation ${operation} is not supported by the local Parameter Store; it supports ${SSM_OPERATIONS.join(', ')}.`,
    );
  }
  return operation;
}

function parseInput(body: string): JsonObject {
  if (body.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    throw new SsmError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!isJsonObject(input)) throw new SsmError('SerializationException', 'The request body must be a JSON object.');
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
