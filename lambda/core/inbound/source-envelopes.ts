import { describe, isPlainObject } from './envelope';
import type { MessageFacts } from './envelope';

/**
 * Envelopes other services wrap an event in on its way to the queue, besides the platform's own
 * (docs/design.md §1), with the names errors give them.
 */
export const SOURCE_ENVELOPES = {
  sns: 'SNS notification',
  eventBridge: 'EventBridge event',
  cloudEvent: 'CloudEvent',
} as const;

export interface SourceOptions {
  /**
   * Stripped from the start of a CloudEvent's `type` (with the "." after it), so that
   * `com.example.platform.experiments.succeeded` is `experiments.succeeded` for the prefix
   * `com.example.platform`. A type without the prefix is taken as it stands.
   */
  readonly cloudEventsTypePrefix?: string;
}

export type SourceResult =
  /** `envelope` is shaped as the platform's (type, data, id?, timestamp?); `via` names the wrappers, e.g. `SNS notification > CloudEvent`. */
  | { readonly ok: true; readonly envelope: unknown; readonly facts: MessageFacts; readonly via?: string }
  | { readonly ok: false; readonly error: string };

/**
 * Unwraps an SNS notification (an SNS → SQS subscription without raw message delivery), an
 * EventBridge event (a rule targeting the queue) or a CloudEvents 1.0 structured JSON event into
 * the platform's envelope; anything else is returned as it is. An SNS message may itself be any of
 * the other shapes. The wrapper's ids and times become the defaults for the event's own. Never
 * throws: a wrapper that cannot hold an event yields a sentence naming the wrapper.
 */
export function unwrapSourceEnvelope(value: unknown, facts: MessageFacts, options: SourceOptions = {}): SourceResult {
  if (isPlainObject(value) && typeof value.Type === 'string' && 'TopicArn' in value && value.Type !== 'Notification') {
    return { ok: false, error: `${SOURCE_ENVELOPES.sns}: a message of Type "${value.Type}" holds no event${value.Type === 'SubscriptionConfirmation' ? '; confirm the subscription by opening its SubscribeURL' : ''}` };
  }
  if (isPlainObject(value) && value.Type === 'Notification' && 'Message' in value) return fromSns(value, facts, options);
  return fromInner(value, facts, options, []);
}

function fromSns(notification: Record<string, unknown>, facts: MessageFacts, options: SourceOptions): SourceResult {
  const label = SOURCE_ENVELOPES.sns;
  const { Message: message, MessageId: messageId, Timestamp: timestamp } = notification;
  if (typeof message !== 'string') return { ok: false, error: `${label}: "Message" must be a string, got ${describe(message)}` };
  let inner: unknown;
  try {
    inner = JSON.parse(message);
  } catch (error) {
    return { ok: false, error: `${label}: "Message" is not valid JSON (${(error as Error).message})` };
  }
  const sentAt = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  const snsFacts: MessageFacts = {
    messageId: typeof messageId === 'string' && messageId !== '' ? messageId : facts.messageId,
    sentAt: Number.isNaN(sentAt) ? facts.sentAt : sentAt,
  };
  return fromInner(inner, snsFacts, options, [label]);
}

function fromInner(value: unknown, facts: MessageFacts, options: SourceOptions, outer: readonly string[]): SourceResult {
  if (isPlainObject(value) && typeof value['detail-type'] === 'string' && 'source' in value) return fromEventBridge(value, facts, [...outer, SOURCE_ENVELOPES.eventBridge]);
  if (isPlainObject(value) && 'specversion' in value) return fromCloudEvent(value, facts, options, [...outer, SOURCE_ENVELOPES.cloudEvent]);
  return { ok: true, envelope: value, facts, ...(outer.length > 0 && { via: outer.join(' > ') }) };
}

/** `detail-type` is the event type and `detail` its data; `id` and `time` are kept. */
function fromEventBridge(event: Record<string, unknown>, facts: MessageFacts, labels: readonly string[]): SourceResult {
  const { 'detail-type': type, detail, id, time } = event;
  if (detail === undefined) return failure(labels, '"detail" is missing; expected the event data as a JSON object');
  if (!isPlainObject(detail)) return failure(labels, `"detail" must be a JSON object, got ${describe(detail)}`);
  return success({ type, data: detail, ...(id !== undefined && { id }), ...(time !== undefined && { timestamp: time }) }, facts, labels);
}

/** CloudEvents 1.0 structured mode: `type`, `id`, `time` and `data` (or JSON in `data_base64`). */
function fromCloudEvent(event: Record<string, unknown>, facts: MessageFacts, options: SourceOptions, labels: readonly string[]): SourceResult {
  const { specversion, type, id, time, data, data_base64: base64 } = event;
  if (specversion !== '1.0') return failure(labels, `"specversion" must be "1.0", got ${describe(specversion)}`);
  if (data !== undefined && base64 !== undefined) return failure(labels, '"data" and "data_base64" are both present; a CloudEvent carries one of them');
  let payload = data;
  if (base64 !== undefined) {
    const decoded = decodeJson(base64);
    if (!decoded.ok) return failure(labels, `"data_base64" ${decoded.error}; only JSON data can be delivered`);
    payload = decoded.value;
  }
  const eventType = typeof type === 'string' ? stripPrefix(type, options.cloudEventsTypePrefix) : type;
  return success(
    { type: eventType, ...(payload !== undefined && { data: payload }), ...(id !== undefined && { id }), ...(time !== undefined && { timestamp: time }) },
    facts,
    labels,
  );
}

/** The event type of a CloudEvent type: without the configured prefix and the "." that follows it. */
export function stripPrefix(type: string, prefix: string | undefined): string {
  if (!prefix || !type.startsWith(prefix)) return type;
  const rest = type.slice(prefix.length);
  return rest.startsWith('.') && !prefix.endsWith('.') ? rest.slice(1) : rest;
}

function decodeJson(base64: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  if (typeof base64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    return { ok: false, error: `must be base64, got ${describe(base64)}` };
  }
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(base64, 'base64'))) };
  } catch {
    return { ok: false, error: 'does not hold JSON' };
  }
}

function success(envelope: Record<string, unknown>, facts: MessageFacts, labels: readonly string[]): SourceResult {
  return { ok: true, envelope, facts, via: labels.join(' > ') };
}

function failure(labels: readonly string[], problem: string): SourceResult {
  return { ok: false, error: `${labels.join(' > ')}: ${problem}` };
}
