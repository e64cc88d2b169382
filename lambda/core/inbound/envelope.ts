import { BUILT_IN_EVENTS } from './events';
import type { EventCatalogue, EventType, PlatformEvent } from './events';

/** The largest event body accepted, in bytes (the classic SQS message limit). */
export const MAX_EVENT_BYTES = 256 * 1024;

/**
 * The largest SQS message body, in bytes: 1 MiB, SQS's limit and the default `MaximumMessageSize`
 * of a queue (the stack and `npm start` keep the default). Delivery messages and dead-letter
 * records are built to fit it.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;

/**
 * The deepest nesting of objects and arrays accepted in an event's `data` (docs/design.md §1): `{}`
 * is 1 level, `{"a":{}}` 2. Deeper values parse, but `JSON.stringify` and every renderer recurse,
 * so one hostile event could otherwise fail every attempt to build, sign or re-enqueue it.
 */
export const MAX_EVENT_DEPTH = 64;

/**
 * The deepest nesting accepted in a whole queue message or dead-letter record: the data plus the
 * two levels at most that wrap it (envelope, or delivery message and event, or record and event).
 */
export const MAX_BODY_DEPTH = MAX_EVENT_DEPTH + 2;

/** What the queue tells us about a message besides its body, used for defaults (docs/design.md §1). */
export interface MessageFacts {
  readonly messageId: string;
  /** When the message was sent (SQS `SentTimestamp`), epoch milliseconds. */
  readonly sentAt: number;
}

/**
 * The envelope a publisher sends (docs/design.md §1): `type` from the catalogue (or one of the
 * deployment's extra types, `Extra`), `data` a JSON object; `id` and `timestamp` default to the SQS
 * message id and sent time.
 */
export interface EventEnvelope<Extra extends string = never> {
  readonly type: EventType | Extra;
  readonly id?: string;
  /** ISO-8601 date-time, e.g. `2026-11-27T10:00:00.000Z`. */
  readonly timestamp?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export type EnvelopeResult =
  | { readonly ok: true; readonly event: PlatformEvent }
  | { readonly ok: false; readonly error: string };

/**
 * Validates a parsed JSON value as the platform's event envelope (docs/design.md §1), defaulting `id` to
 * the SQS message id and `timestamp` to the SQS sent time; its type must be one of `catalogue`
 * (default: the built-in events). Never throws: an invalid envelope yields a sentence naming what is wrong.
 */
export function parseEnvelope(value: unknown, facts: MessageFacts, catalogue: EventCatalogue = BUILT_IN_EVENTS): EnvelopeResult {
  if (!isPlainObject(value)) return invalid(`event must be a JSON object, got ${describe(value)}`);
  const { type, data, id, timestamp } = value;
  if (type === undefined) return invalid('event has no "type"; expected one of the catalogue, e.g. "experiments.succeeded"');
  if (typeof type !== 'string') return invalid(`event "type" must be a string, got ${describe(type)}`);
  if (!catalogue.has(type)) {
    const suggestion = catalogue.suggestEventType(type);
    const hint = suggestion ? `; did you mean "${suggestion}"?` : '';
    return invalid(`event type "${clip(type)}" is not in the catalogue${hint}`);
  }
  if (data === undefined) return invalid(`event "${type}" has no "data"; expected a JSON object`);
  if (!isPlainObject(data)) return invalid(`event "data" must be a JSON object, got ${describe(data)}`);
  const depth = valueDepth(data, MAX_EVENT_DEPTH);
  if (depth > MAX_EVENT_DEPTH) return invalid(`event "data" nests more than ${MAX_EVENT_DEPTH} levels of objects and arrays deep, the limit; flatten it`);
  if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > 256)) {
    return invalid(`event "id" must be a string of 1 to 256 characters, got ${describe(id)}`);
  }
  if (timestamp !== undefined && !isIsoTimestamp(timestamp)) {
    return invalid(`event "timestamp" must be an ISO-8601 date-time, got ${describe(timestamp)}`);
  }
  return {
    ok: true,
    event: {
      id: id ?? facts.messageId,
      type,
      timestamp: timestamp ?? new Date(facts.sentAt).toISOString(),
      data,
    },
  };
}

/** The size rule of docs/design.md §1, checked before parsing so a huge body is never parsed. */
export function checkEventSize(body: string): string | undefined {
  const bytes = Buffer.byteLength(body, 'utf8');
  return bytes > MAX_EVENT_BYTES ? `event body is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES} bytes (256 KiB)` : undefined;
}

/**
 * How deep the objects and arrays of a JSON text nest, counted without parsing it (strings are
 * skipped, escapes included), so that a body too deep to handle is refused before `JSON.parse`.
 * Stops counting once past `limit` and returns `limit + 1`.
 */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++; // backslash: the next character is escaped
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return limit + 1;
      }
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * How deep the objects and arrays of a parsed value nest (an object or array is 1), walked
 * without recursion. Stops counting once past `limit` and returns `limit + 1`.
 */
export function valueDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [current, depth] = item;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return limit + 1;
    }
    for (const child of Object.values(current)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return deepest;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a value for error messages: its JSON type and, when short, the value. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${clip(value)}"`;
  return `${typeof value} ${String(value)}`;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isIsoTimestamp(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

function invalid(error: string): EnvelopeResult {
  return { ok: false, error };
}
