import type { EventCatalogue, PlatformEvent } from './events';
import { MAX_BODY_DEPTH, MAX_EVENT_BYTES, MAX_EVENT_DEPTH, SQS_MAX_MESSAGE_BYTES, checkEventSize, describe, isPlainObject, jsonDepth, parseEnvelope } from './envelope';
import type { MessageFacts } from './envelope';
import { unwrapSourceEnvelope } from './source-envelopes';
import type { SourceOptions } from './source-envelopes';
import { SUBSCRIPTION_NAME_PATTERN } from '../subscriptions/subscriptions';

/** Marks a queue message as pending deliveries of one event rather than a platform event. */
export const DELIVERY_KIND = 'platform-webhooks.delivery';

/** One subscription's delivery that a delivery message carries; its delivery id is derived from the event id and the name. */
export interface PendingDelivery {
  readonly subscription: string;
  /** When the first attempt was made; absent while no attempt has been made. */
  readonly firstAttemptAt?: string;
  /** The error of the previous attempt, for the dead-letter record if the next one is the last. */
  readonly lastError?: string;
}

/**
 * A delivery message (docs/design.md §4): one event and the deliveries of it still to attempt, all
 * at the same attempt number and due time, on the retry queue. One message carries many
 * subscriptions, so a fan-out that fails everywhere re-enqueues the event a few times, not once per
 * subscription.
 */
export interface DeliveryMessage {
  readonly kind: typeof DELIVERY_KIND;
  readonly event: PlatformEvent;
  /** The 1-based number of the attempt this message carries. */
  readonly attempt: number;
  /** When the attempt is due; a message received earlier waits again (SQS delays cap at 15 minutes). */
  readonly dueAt?: string;
  /** At least one; names are unique. */
  readonly deliveries: readonly PendingDelivery[];
}

/** Marks a queue message as a request to deliver one event again to named subscriptions (`webhooks dlq redrive`). */
export const REDRIVE_KIND = 'platform-webhooks.redrive';

/**
 * The most subscriptions one redrive message names: each name the cached copy does not know costs a
 * read of the store, and anyone who may publish may send one.
 */
export const MAX_REDRIVE_SUBSCRIPTIONS = 1000;

/**
 * A redrive request (docs/design.md §4): deliver `event` again, from attempt 1, to each named
 * subscription that (as stored now) still subscribes to it and whose filter lets it through. It
 * carries no attempt, due time or delivery id, so it may come from any queue: it can do no more than
 * publishing the event again would, and less (it reaches only the subscriptions it names).
 */
export interface RedriveMessage {
  readonly kind: typeof REDRIVE_KIND;
  readonly event: PlatformEvent;
  /** At least one, at most {@link MAX_REDRIVE_SUBSCRIPTIONS}; names are unique. */
  readonly subscriptions: readonly string[];
}

export type DeadLetterReason = 'exhausted' | 'permanent' | 'invalid-event';

/** The dead-letter record (docs/design.md §4, contract). */
export interface DeadLetterRecord {
  readonly reason: DeadLetterReason;
  readonly error: string;
  /** The event; for an invalid event, the raw body (parsed when it was JSON); an excerpt when the whole did not fit. */
  readonly event: unknown;
  /** Present when `event` is an excerpt: the size of the whole in UTF-8 bytes. */
  readonly eventBytes?: number;
  /** Present when `event` is an excerpt: the SHA-256 of the whole (hex), to match it with the publisher's copy. */
  readonly eventSha256?: string;
  readonly subscription?: string;
  readonly deliveryId?: string;
  readonly attempts: number;
  readonly firstAttemptAt: string;
  readonly lastAttemptAt: string;
}

/** How queue messages are read: the wrappers' options, and the deployment's event catalogue (default: the built-in events). */
export interface MessageOptions extends SourceOptions {
  readonly catalogue?: EventCatalogue;
}

/** A queue message as the core understands it. */
export type QueueMessage =
  | { readonly kind: 'event'; readonly event: PlatformEvent }
  | { readonly kind: 'delivery'; readonly delivery: DeliveryMessage }
  | { readonly kind: 'redrive'; readonly redrive: RedriveMessage }
  | { readonly kind: 'invalid'; readonly error: string; readonly raw: unknown };

/**
 * Parses a queue message body into an event, a delivery message or an invalid message. An event
 * may come wrapped by SNS, EventBridge or as a CloudEvent (see `source-envelopes.ts`); an invalid
 * one keeps the raw body (parsed when it is JSON no deeper than {@link MAX_BODY_DEPTH}, so the
 * record can always be serialized) and its error names the wrapper. Never throws.
 */
export function parseQueueMessage(body: string, facts: MessageFacts, options: MessageOptions = {}): QueueMessage {
  // The publisher's limit (256 KiB) is checked once the message is known to be a publisher's: a
  // delivery or redrive message wraps an event that passed it, so it is larger, up to SQS's limit.
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > SQS_MAX_MESSAGE_BYTES) return { kind: 'invalid', error: `message body is ${bytes} bytes; SQS's limit is ${SQS_MAX_MESSAGE_BYTES} bytes (1 MiB)`, raw: body };
  if (jsonDepth(body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
    return { kind: 'invalid', error: `event body nests more than ${MAX_BODY_DEPTH} levels of objects and arrays deep; an event's data may nest ${MAX_EVENT_DEPTH} at most, flatten it`, raw: body };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    // Too large for a publisher's event, and not one of the function's own messages either.
    const tooLarge = bytes > MAX_EVENT_BYTES ? checkEventSize(body) : undefined;
    return { kind: 'invalid', error: tooLarge ?? `event body is not valid JSON (${(error as Error).message})`, raw: body };
  }
  if (isPlainObject(value) && value.kind === DELIVERY_KIND) return parseDelivery(value, facts, options.catalogue);
  if (isPlainObject(value) && value.kind === REDRIVE_KIND) return parseRedrive(value, facts, options.catalogue);
  const tooLarge = bytes > MAX_EVENT_BYTES ? checkEventSize(body) : undefined;
  if (tooLarge !== undefined) return { kind: 'invalid', error: tooLarge, raw: value };
  const source = unwrapSourceEnvelope(value, facts, options);
  if (!source.ok) return { kind: 'invalid', error: source.error, raw: value };
  const envelope = parseEnvelope(source.envelope, source.facts, options.catalogue);
  if (envelope.ok) return { kind: 'event', event: envelope.event };
  return { kind: 'invalid', error: source.via === undefined ? envelope.error : `${source.via}: ${envelope.error}`, raw: value };
}

function parseDelivery(value: Record<string, unknown>, facts: MessageFacts, catalogue: EventCatalogue | undefined): QueueMessage {
  const invalid = (error: string): QueueMessage => ({ kind: 'invalid', error: `delivery message: ${error}`, raw: value });
  const { attempt, event, dueAt, deliveries } = value;
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1) return invalid(`"attempt" must be a positive integer, got ${describe(attempt)}`);
  if (dueAt !== undefined && !isDateTime(dueAt)) return invalid(`"dueAt" must be a date-time, got ${describe(dueAt)}`);
  if (!Array.isArray(deliveries) || deliveries.length === 0) return invalid(`"deliveries" must be a non-empty array, got ${describe(deliveries)}`);
  const pending = new Map<string, PendingDelivery>();
  for (const [index, entry] of deliveries.entries()) {
    const where = `"deliveries"[${index}]`;
    if (!isPlainObject(entry)) return invalid(`${where} must be an object, got ${describe(entry)}`);
    const { subscription, firstAttemptAt, lastError } = entry;
    if (typeof subscription !== 'string' || !SUBSCRIPTION_NAME_PATTERN.test(subscription)) return invalid(`${where}.subscription must be a subscription name, got ${describe(subscription)}`);
    if (firstAttemptAt !== undefined && !isDateTime(firstAttemptAt)) return invalid(`${where}.firstAttemptAt must be a date-time, got ${describe(firstAttemptAt)}`);
    if (lastError !== undefined && typeof lastError !== 'string') return invalid(`${where}.lastError must be a string, got ${describe(lastError)}`);
    pending.set(subscription, {
      subscription,
      ...(firstAttemptAt !== undefined && { firstAttemptAt }),
      ...(lastError !== undefined && { lastError }),
    });
  }
  const envelope = parseEnvelope(event, facts, catalogue);
  if (!envelope.ok) return invalid(envelope.error);
  return {
    kind: 'delivery',
    delivery: { kind: DELIVERY_KIND, event: envelope.event, attempt, ...(typeof dueAt === 'string' && { dueAt }), deliveries: [...pending.values()] },
  };
}

function parseRedrive(value: Record<string, unknown>, facts: MessageFacts, catalogue: EventCatalogue | undefined): QueueMessage {
  const invalid = (error: string): QueueMessage => ({ kind: 'invalid', error: `redrive message: ${error}`, raw: value });
  const { event, subscriptions } = value;
  if (!Array.isArray(subscriptions) || subscriptions.length === 0) return invalid(`"subscriptions" must be a non-empty array of names, got ${describe(subscriptions)}`);
  if (subscriptions.length > MAX_REDRIVE_SUBSCRIPTIONS) return invalid(`"subscriptions" names ${subscriptions.length} subscriptions; the limit is ${MAX_REDRIVE_SUBSCRIPTIONS}, send several messages`);
  for (const [index, name] of subscriptions.entries()) {
    if (typeof name !== 'string' || !SUBSCRIPTION_NAME_PATTERN.test(name)) return invalid(`"subscriptions"[${index}] must be a subscription name, got ${describe(name)}`);
  }
  const envelope = parseEnvelope(event, facts, catalogue);
  if (!envelope.ok) return invalid(envelope.error);
  return { kind: 'redrive', redrive: { kind: REDRIVE_KIND, event: envelope.event, subscriptions: [...new Set(subscriptions as string[])] } };
}

function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
