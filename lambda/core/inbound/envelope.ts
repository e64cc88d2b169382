import { isEventType, suggestEventType } from './events';
import type { PlatformEvent } from './events';

/** The largest event body accepted, in bytes (the classic SQS message limit). */
export const MAX_EVENT_BYTES = 256 * 1024;

/** What the queue tells us about a message besides its body, used for defaults (docs/design.md §1). */
export interface MessageFacts {
  readonly messageId: string;
  /** When the message was sent (SQS `SentTimestamp`), epoch milliseconds. */
  readonly sentAt: number;
}

export type EnvelopeResult =
  | { readonly ok: true; readonly event: PlatformEvent }
  | { readonly ok: false; readonly error: string };

/**
 * Validates a parsed JSON value as the platform's event envelope (docs/design.md §1), defaulting `id` to
 * the SQS message id and `timestamp` to the SQS sent time. Never throws: an invalid envelope
 * yields a sentence naming what is wrong.
 */
export function parseEnvelope(value: unknown, facts: MessageFacts): EnvelopeResult {
  if (!isPlainObject(value)) return invalid(`event must be a JSON object, got ${describe(value)}`);
  const { type, data, id, timestamp } = value;
  if (type === undefined) return invalid('event has no "type"; expected one of the catalogue, e.g. "experiments.succeeded"');
  if (typeof type !== 'string') return invalid(`event "type" must be a string, got ${describe(type)}`);
  if (!isEventType(type)) {
    const suggestion = suggestEventType(type);
    const hint = suggestion ? `; did you mean "${suggestion}"?` : '';
    return invalid(`event type "${clip(type)}" is not in the catalogue${hint}`);
  }
  if (data === undefined) return invalid(`event "${type}" has no "data"; expected a JSON object`);
  if (!isPlainObject(data)) return invalid(`event "data" must be a JSON object, got ${describe(data)}`);
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
