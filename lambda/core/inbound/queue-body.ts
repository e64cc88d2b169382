import { createHash } from 'node:crypto';
import { MAX_EVENT_BYTES, SQS_MAX_MESSAGE_BYTES } from './envelope';
import type { PlatformEvent } from './events';
import type { DeadLetterRecord } from './messages';

/**
 * How much of a raw body a dead-letter record keeps when the whole does not fit in one message,
 * in bytes of its JSON string: enough to see what was sent, small enough to list.
 */
export const DEAD_LETTER_EXCERPT_BYTES = 64 * 1024;

/** The longest `error` a dead-letter record or delivery message keeps, in characters. */
export const MAX_ERROR_CHARS = 2000;

/**
 * JSON for an SQS message body. `JSON.stringify` escapes control characters and lone surrogates
 * but leaves U+FFFE and U+FFFF as they are, which SQS refuses in a message; they are escaped too.
 * @throws {TypeError | RangeError} when the value cannot be serialized (a cycle, too deep).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
export function queueBody(value: unknown): string {
  return JSON.stringify(value).replace(/[\ufffe\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16)}`);
}

/** The size of a message body in UTF-8 bytes, as SQS counts it. */
export function bodyBytes(body: string): number {
  return Buffer.byteLength(body, 'utf8');
}

/** An error text cut to {@link MAX_ERROR_CHARS}, saying so. */
export function clipError(error: string): string {
  return error.length <= MAX_ERROR_CHARS ? error : `${error.slice(0, MAX_ERROR_CHARS - 30)}… (${error.length} characters in all)`;
}

/**
 * The SQS body of a dead-letter record (docs/design.md §4), always within {@link SQS_MAX_MESSAGE_BYTES}
 * whatever the event: when the whole record does not fit (a raw body that grows when escaped) or
 * cannot be serialized, `event` becomes the first {@link DEAD_LETTER_EXCERPT_BYTES} of the raw body
 * (or of the event's JSON), with `eventBytes` and `eventSha256` of the whole. Never throws.
 */
export function deadLetterBody(record: DeadLetterRecord): string {
  const bounded = { ...record, error: clipError(String(record.error)) };
  const whole = tryQueueBody(bounded);
  if (whole !== undefined && bodyBytes(whole) <= SQS_MAX_MESSAGE_BYTES) return whole;
  const raw = typeof record.event === 'string' ? record.event : (tryQueueBody(record.event) ?? describeUnserializable(record.event));
  return queueBody({
    ...bounded,
    event: excerpt(raw, DEAD_LETTER_EXCERPT_BYTES),
    eventBytes: bodyBytes(raw),
    eventSha256: createHash('sha256').update(raw, 'utf8').digest('hex'),
  });
}

/**
 * The longest prefix of `text` whose JSON string ({@link queueBody}) takes at most `maxBytes`,
 * never splitting a surrogate pair.
 */
export function excerpt(text: string, maxBytes: number): string {
  let used = 2; // the quotes
  let end = 0;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    const pair = code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(end + 1) & 0xfc00) === 0xdc00;
    const cost = pair ? 4 : escapedBytes(code);
    if (used + cost > maxBytes) break;
    used += cost;
    end += pair ? 2 : 1;
  }
  return text.slice(0, end);
}

/** UTF-8 bytes of one UTF-16 code unit (not part of a pair) inside a {@link queueBody} string. */
function escapedBytes(code: number): number {
  if (code === 0x22 || code === 0x5c || code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) return 2;
  if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) return 6;
  if (code < 0x80) return 1;
  return code < 0x800 ? 2 : 3;
}

function tryQueueBody(value: unknown): string | undefined {
  try {
    return queueBody(value);
  } catch {
    return undefined;
  }
}

function describeUnserializable(value: unknown): string {
  return `(the event could not be serialized: ${typeof value})`;
}

/**
 * The most an event may weigh as the function writes it into its own messages: twice the
 * publisher's limit, so that a delivery message (the event, its deliveries' errors) and a redrive
 * message (the event, up to 1,000 names) always fit SQS's 1 MiB (docs/design.md §4).
 */
export const MAX_WRITTEN_EVENT_BYTES = 2 * MAX_EVENT_BYTES;

/**
 * How much larger than its message body an event can grow when written again: a number in
 * exponent form below 1e21 is written out in full (`9e20`, 4 bytes, becomes 21 digits), and a
 * CloudEvent's `data_base64` of control characters becomes `\u00XX` escapes (4.5 times).
 */
const MAX_GROWTH = 6;

/**
 * Why an event cannot be carried in the function's own messages, or undefined: written as JSON it
 * must stay within {@link MAX_WRITTEN_EVENT_BYTES}. A body small enough that no growth can take it
 * there is not measured.
 */
export function writtenEventProblem(body: string, event: PlatformEvent): string | undefined {
  if (bodyBytes(body) * MAX_GROWTH <= MAX_WRITTEN_EVENT_BYTES) return undefined;
  const bytes = bodyBytes(queueBody(event));
  if (bytes <= MAX_WRITTEN_EVENT_BYTES) return undefined;
  return `event is ${bytes} bytes once written as JSON again (numbers in exponent form below 1e21, such as 9e20, are written out in full, and base64 data is decoded); the limit is ${MAX_WRITTEN_EVENT_BYTES} bytes, send such numbers as strings`;
}
