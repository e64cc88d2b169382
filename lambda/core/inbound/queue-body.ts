import { createHash } from 'node:crypto';
import type { DeadLetterRecord } from './messages';

/**
 * The largest SQS message body, in bytes: 1 MiB, SQS's limit and the default `MaximumMessageSize`
 * of a queue (the stack and `npm start` keep the default). Delivery messages and dead-letter
 * records are built to fit it.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;

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
