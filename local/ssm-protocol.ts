import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { SsmError } from './errors';
import type { ParameterStore } from './parameter-store';
import { readBody } from './read-body';
import { isJsonObject, isSsmOperation, readSsmInput, SSM_OPERATIONS } from './ssm-api';
import type { JsonObject, SsmInput, SsmOperation } from './ssm-api';

/** The `X-Amz-Target` prefix of SSM requests; a router sends requests starting with it here. */
export const SSM_TARGET_PREFIX = 'AmazonSSM.';

// SSM requests are small (a value is at most 8 KB); this only stops a runaway client.
const MAX_BODY_BYTES = 1024 * 1024;

type Handlers = { readonly [O in SsmOperation]: (store: ParameterStore, input: SsmInput<O>) => JsonObject | Promise<JsonObject> };

// Each operation calls the store with the members `SSM_API` declares (camelCased, as the store
// names them), and answers in SSM's shapes.
const HANDLERS: Handlers = {
  PutParameter: async (store, input) => {
    const written = await store.put({ ...fromWire(input), tags: input.Tags && tagRecord(input.Tags) });
    return { Version: written.version, Tier: written.tier };
  },
  GetParameter: (store, input) => ({ Parameter: toWire(store.get(input.Name, input.WithDecryption)) }),
  GetParameters: (store, input) => {
    const { parameters, invalidParameters } = store.getMany(input.Names, input.WithDecryption);
    return { Parameters: parameters.map(toWire), InvalidParameters: invalidParameters };
  },
  GetParametersByPath: (store, input) => wirePage(store.getByPath(fromWire(input))),
  GetParameterHistory: (store, input) => wirePage(store.history(input.Name, fromWire(input)), ({ arn: _arn, ...version }) => version),
  DescribeParameters: (store, input) => {
    const filters = input.ParameterFilters?.map((filter) => ({ key: filter.Key, option: filter.Option, values: filter.Values ?? [] }));
    return wirePage(store.describe({ ...fromWire(input), filters }));
  },
  DeleteParameter: async (store, input) => {
    await store.delete(input.Name);
    return {};
  },
  DeleteParameters: async (store, input) => {
    const { deletedParameters, invalidParameters } = await store.deleteMany(input.Names);
    return { DeletedParameters: deletedParameters, InvalidParameters: invalidParameters };
  },
  AddTagsToResource: async (store, input) => {
    await store.tag(parameterName(input), { add: tagRecord(input.Tags) });
    return {};
  },
  RemoveTagsFromResource: async (store, input) => {
    await store.tag(parameterName(input), { remove: input.TagKeys });
    return {};
  },
  ListTagsForResource: (store, input) => ({
    TagList: Object.entries(store.tags(parameterName(input))).map(([Key, Value]) => ({ Key, Value })),
  }),
};

/**
 * A Node request handler speaking SSM's wire protocol over `store`: AWS JSON 1.1, HTTP POST,
 * `X-Amz-Target: AmazonSSM.<Operation>`, for the operations and members of `SSM_API`. Errors are
 * HTTP 400 `{"__type": code, "message": …}`, which `@aws-sdk/client-ssm` turns into its typed
 * exceptions; unexpected failures are 500 `InternalServerError`. SigV4 is not checked: any
 * Authorization (or none) is accepted. Each request is counted, and may be throttled, by
 * `store.takeFault`. A router may look at the headers first, but must pass the request on with its body unread.
 */
export function createSsmRequestHandler(store: ParameterStore): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(store, req).then(
      (output) => send(res, 200, output),
      (error: unknown) => {
        if (error instanceof SsmError) return send(res, error.statusCode, { __type: error.code, message: error.message });
        const message = error instanceof Error ? error.message : String(error);
        send(res, 500, { __type: 'InternalServerError', message: `The local Parameter Store failed: ${message}` });
      },
    );
  };
}

async function handle(store: ParameterStore, req: IncomingMessage): Promise<JsonObject> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === undefined) {
    throw new SsmError('SerializationException', `The request body is larger than ${MAX_BODY_BYTES} bytes, the most this stand-in accepts.`);
  }
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
    const supported = SSM_OPERATIONS.join(', ');
    throw new SsmError('UnknownOperationException', `Operation ${operation} is not supported by the local Parameter Store; it supports ${supported}.`);
  }
  const refusal = store.takeFault(operation);
  if (refusal !== undefined) throw refusal;
  const handler = HANDLERS[operation] as (store: ParameterStore, input: unknown) => JsonObject | Promise<JsonObject>;
  return handler(store, readSsmInput(operation, parseBody(body.toString('utf8'))));
}

function parseBody(text: string): JsonObject {
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SsmError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!isJsonObject(body)) throw new SsmError('SerializationException', 'The request body must be a JSON object.');
  return body;
}

function parameterName(input: { readonly ResourceType: string; readonly ResourceId: string }): string {
  if (input.ResourceType === 'Parameter') return input.ResourceId;
  throw new SsmError('InvalidResourceType', 'The local Parameter Store tags parameters only; set ResourceType to Parameter.');
}

function tagRecord(tags: readonly { readonly Key: string; readonly Value: string }[]): Record<string, string> {
  return Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value]));
}

function wirePage<T extends object>(page: { items: readonly T[]; nextToken?: string }, pick = (item: T): object => item): JsonObject {
  return { Parameters: page.items.map((item) => toWire(pick(item))), NextToken: page.nextToken };
}

// SSM's PascalCase members as the store's camelCase names: `KeyId` is `keyId`.
function fromWire<T extends object>(input: T): { [K in keyof T as Uncapitalize<K & string>]: T[K] } {
  return Object.fromEntries(Object.entries(input).map(([key, value]) => [`${key[0]?.toLowerCase()}${key.slice(1)}`, value])) as never;
}

// A store view in SSM's PascalCase members; AWS JSON 1.1 sends timestamps as epoch seconds.
function toWire(view: object): JsonObject {
  const member = (key: string): string => (key === 'arn' ? 'ARN' : `${key[0]?.toUpperCase()}${key.slice(1)}`);
  const wire = (value: unknown): unknown => (value instanceof Date ? value.getTime() / 1000 : value);
  return Object.fromEntries(Object.entries(view).map(([key, value]) => [member(key), wire(value)]));
}

function send(res: ServerResponse, status: number, body: JsonObject): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  const length = Buffer.byteLength(payload);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': length, 'x-amzn-requestid': randomUUID() });
  res.end(payload);
}
