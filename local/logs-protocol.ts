import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { LogsError } from './errors';
import type { LogStore, StoredLogEvent } from './log-store';
import { readBody } from './read-body';

/** The `X-Amz-Target` prefix of CloudWatch Logs requests; a router sends requests starting with it here. */
export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

// A PutLogEvents batch is at most about 1 MB; this only stops a runaway client.
const MAX_BODY_BYTES = 2 * 1024 * 1024;

type Input = Record<string, unknown>;
type Member = 'string' | 'number' | 'boolean' | 'strings' | 'events';

/**
 * The operations and request members the stand-in supports. A member not listed is refused
 * (InvalidParameterException) rather than ignored, so nothing passes locally that would mean
 * something else in AWS. `interleaved` is accepted and has no effect, as in AWS, where it is
 * deprecated and results are always interleaved.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_Operations.html
 */
const LOGS_API = {
  CreateLogGroup: { logGroupName: 'string' },
  CreateLogStream: { logGroupName: 'string', logStreamName: 'string' },
  PutLogEvents: { logGroupName: 'string', logStreamName: 'string', logEvents: 'events', sequenceToken: 'string' },
  FilterLogEvents: {
    logGroupName: 'string', logGroupIdentifier: 'string', logStreamNames: 'strings', logStreamNamePrefix: 'string',
    startTime: 'number', endTime: 'number', filterPattern: 'string', nextToken: 'string', limit: 'number', interleaved: 'boolean',
  },
} as const satisfies Record<string, Record<string, Member>>;

type Operation = keyof typeof LOGS_API;

const HANDLERS: { readonly [O in Operation]: (store: LogStore, input: Input) => Input } = {
  CreateLogGroup: (store, input) => {
    store.createGroup(required(input, 'logGroupName'));
    return {};
  },
  CreateLogStream: (store, input) => {
    store.createStream(required(input, 'logGroupName'), required(input, 'logStreamName'));
    return {};
  },
  PutLogEvents: (store, input) => {
    const events = (input.logEvents ?? []) as { timestamp: number; message: string }[];
    store.put(required(input, 'logGroupName'), required(input, 'logStreamName'), events);
    return {};
  },
  FilterLogEvents: (store, input) => {
    if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
      throw new LogsError('InvalidParameterException', 'Give logStreamNames or logStreamNamePrefix, not both.');
    }
    const page = store.filter({
      group: groupOf(input),
      ...(input.logStreamNames !== undefined && { streams: input.logStreamNames as string[] }),
      ...(input.logStreamNamePrefix !== undefined && { streamPrefix: input.logStreamNamePrefix as string }),
      ...(input.startTime !== undefined && { startTime: input.startTime as number }),
      ...(input.endTime !== undefined && { endTime: input.endTime as number }),
      ...(input.filterPattern !== undefined && { filterPattern: input.filterPattern as string }),
      ...(input.limit !== undefined && { limit: input.limit as number }),
      ...(input.nextToken !== undefined && { nextToken: input.nextToken as string }),
    });
    return { events: page.events.map(toWire), ...(page.nextToken !== undefined && { nextToken: page.nextToken }) };
  },
};

/**
 * A Node request handler speaking CloudWatch Logs' wire protocol over `store`: AWS JSON 1.1, HTTP
 * POST, `X-Amz-Target: Logs_20140328.<Operation>`, for the operations of `LOGS_API`. Errors are HTTP
 * 400 `{"__type": code, "message": …}`, which `@aws-sdk/client-cloudwatch-logs` turns into its typed
 * exceptions; unexpected failures are 500. SigV4 is not checked.
 */
export function createLogsRequestHandler(store: LogStore): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(store, req).then(
      (output) => send(res, 200, output),
      (error: unknown) => {
        if (error instanceof LogsError) return send(res, error.statusCode, { __type: error.code, message: error.message });
        const message = error instanceof Error ? error.message : String(error);
        send(res, 500, { __type: 'ServiceUnavailableException', message: `The local CloudWatch Logs failed: ${message}` });
      },
    );
  };
}

async function handle(store: LogStore, req: IncomingMessage): Promise<Input> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === undefined) throw new LogsError('SerializationException', `The request body is larger than ${MAX_BODY_BYTES} bytes, the most this stand-in accepts.`);
  const target = req.headers['x-amz-target'];
  const operation = typeof target === 'string' && target.startsWith(LOGS_TARGET_PREFIX) ? target.slice(LOGS_TARGET_PREFIX.length) : undefined;
  if (req.method !== 'POST' || operation === undefined || !Object.hasOwn(LOGS_API, operation)) {
    throw new LogsError(
      'UnknownOperationException',
      `Operation ${JSON.stringify(operation ?? target ?? null)} is not supported by the local CloudWatch Logs; it supports ${Object.keys(LOGS_API).join(', ')}.`,
    );
  }
  const input = parseInput(body.toString('utf8'), operation as Operation);
  return HANDLERS[operation as Operation](store, input);
}

function parseInput(text: string, operation: Operation): Input {
  let input: unknown;
  try {
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new LogsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new LogsError('SerializationException', 'The request body must be a JSON object.');
  const members: Record<string, Member> = LOGS_API[operation];
  for (const [name, value] of Object.entries(input)) {
    const kind = members[name];
    if (kind === undefined) throw new LogsError('InvalidParameterException', `${operation} member ${name} is not supported by the local CloudWatch Logs; it accepts ${Object.keys(members).join(', ')}.`);
    if (!isKind(value, kind)) throw new LogsError('SerializationException', `${operation} member ${name} must be ${kind === 'events' ? 'a list of { timestamp, message }' : `a ${kind}`}.`);
  }
  return input as Input;
}

function isKind(value: unknown, kind: Member): boolean {
  switch (kind) {
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'events':
      return Array.isArray(value) && value.every((item) => typeof item?.timestamp === 'number' && typeof item?.message === 'string');
    default:
      return typeof value === kind;
  }
}

function required(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw new LogsError('InvalidParameterException', `${name} is required.`);
  return value;
}

/** The group a FilterLogEvents names, by name or by identifier (its name or ARN). */
function groupOf(input: Input): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw new LogsError('InvalidParameterException', 'Give logGroupName or logGroupIdentifier, not both.');
  }
  const identifier = input.logGroupIdentifier as string | undefined;
  if (identifier !== undefined) return /:log-group:([^:]+)/.exec(identifier)?.[1] ?? identifier;
  return required(input, 'logGroupName');
}

function toWire(event: StoredLogEvent): Input {
  return { logStreamName: event.stream, timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime, eventId: String(event.seq) };
}

function send(res: ServerResponse, status: number, body: Input): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(payload), 'x-amzn-requestid': randomUUID() });
  res.end(payload);
}
