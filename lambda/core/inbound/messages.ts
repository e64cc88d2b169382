import type { PlatformEvent } from './events';
import { checkEventSize, describe, isPlainObject, parseEnvelope } from './envelope';
import type { MessageFacts } from './envelope';
import { unwrapSourceEnvelope } from './source-envelopes';
import type { SourceOptions } from './source-envelopes';

/** Marks a queue message as a retry of one delivery rather than a platform event. */
export const DELIVERY_KIND = 'platform-webhooks.delivery';

/**
 * A delivery message (docs/design.md §4): one subscription, the event, the next attempt and the delivery
 * id, re-enqueued on the events queue for a retry.
 */
export interface DeliveryMessage {
  readonly kind: typeof DELIVERY_KIND;
  readonly subscription: string;
  readonly event: PlatformEvent;
  readonly deliveryId: string;
  /** The 1-based number of the attempt this message carries. */
  readonly attempt: number;
  /** When the first attempt was made; absent while no attempt has been made. */
  readonly firstAttemptAt?: string;
  /** When the attempt is due; a message received earlier waits again (SQS delays cap at 15 minutes). */
  readonly dueAt?: string;
  /** The error of the previous attempt, for the dead-letter record if this one is the last. */
  readonly lastError?: string;
}

export type DeadLetterReason = 'exhausted' | 'permanent' | 'invalid-event';

/** The dead-letter record (docs/design.md §4, contract). */
export interface DeadLetterRecord {
  readonly reason: DeadLetterReason;
  readonly error: string;
  /** The event; for an invalid event, the raw body (parsed when it was JSON). */
  readonly event: unknown;
  readonly subscription?: string;
  readonly deliveryId?: string;
  readonly attempts: number;
  readonly firstAttemptAt: string;
  readonly lastAttemptAt: string;
}

/** A queue message as the core understands it. */
export type QueueMessage =
  | { readonly kind: 'event'; readonly event: PlatformEvent }
  | { readonly kind: 'delivery'; readonly delivery: DeliveryMessage }
  | { readonly kind: 'invalid'; readonly error: string; readonly raw: unknown };

/**
 * Parses a queue message body into an event, a delivery message or an invalid message. An event
 * may come wrapped by SNS, EventBridge or as a CloudEvent (see `source-envelopes.ts`); an invalid
 * one keeps the raw body and its error names the wrapper. Never throws.
 */
export function parseQueueMessage(body: string, facts: MessageFacts, options: SourceOptions = {}): QueueMessage {
  const tooLarge = checkEventSize(body);
  if (tooLarge) return { kind: 'invalid', error: tooLarge, raw: body };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return { kind: 'invalid', error: `event body is not valid JSON (${(error as Error).message})`, raw: body };
  }
  if (isPlainObject(value) && value.kind === DELIVERY_KIND) return parseDelivery(value, facts);
  const source = unwrapSourceEnvelope(value, facts, options);
  if (!source.ok) return { kind: 'invalid', error: source.error, raw: value };
  const envelope = parseEnvelope(source.envelope, source.facts);
  if (envelope.ok) return { kind: 'event', event: envelope.event };
  return { kind: 'invalid', error: source.via === undefined ? envelope.error : `${source.via}: ${envelope.error}`, raw: value };
}

function parseDelivery(value: Record<string, unknown>, facts: MessageFacts): QueueMessage {
  const invalid = (error: string): QueueMessage => ({ kind: 'invalid', error: `delivery message: ${error}`, raw: value });
  const { subscription, deliveryId, attempt, event, firstAttemptAt, dueAt, lastError } = value;
  if (typeof subscription !== 'string' || subscription === '') return invalid(`"subscription" must be a name, got ${describe(subscription)}`);
  if (typeof deliveryId !== 'string' || deliveryId === '') return invalid(`"deliveryId" must be a string, got ${describe(deliveryId)}`);
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1) return invalid(`"attempt" must be a positive integer, got ${describe(attempt)}`);
  for (const [field, time] of Object.entries({ firstAttemptAt, dueAt })) {
    if (time !== undefined && (typeof time !== 'string' || Number.isNaN(Date.parse(time)))) return invalid(`"${field}" must be a date-time, got ${describe(time)}`);
  }
  const envelope = parseEnvelope(event, facts);
  if (!envelope.ok) return invalid(envelope.error);
  return {
    kind: 'delivery',
    delivery: {
      kind: DELIVERY_KIND,
      subscription,
      deliveryId,
      attempt,
      event: envelope.event,
      ...(typeof firstAttemptAt === 'string' && { firstAttemptAt }),
      ...(typeof dueAt === 'string' && { dueAt }),
      ...(typeof lastError === 'string' && { lastError }),
    },
  };
}
