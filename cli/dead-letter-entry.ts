import type { Message } from '@aws-sdk/client-sqs';
import { isPlainObject, parseEnvelope } from '../lambda/core/inbound/envelope';
import { DELIVERY_KIND, parseQueueMessage } from '../lambda/core/inbound/messages';
import type { DeadLetterRecord, DeliveryMessage } from '../lambda/core/inbound/messages';

/**
 * What a dead-letter queue message is:
 * - `delivery`: a record of a delivery that failed for good (`exhausted` or `permanent`);
 * - `invalid-event`: a record of a body that was not a valid event;
 * - `unprocessed`: not a record but an original message the events queue's redrive policy moved
 *   after it failed to be processed five times (an SSM outage, a bug); redriven as it is.
 */
export type DeadLetterKind = 'delivery' | 'invalid-event' | 'unprocessed';

/** One DLQ message, understood. */
export interface DeadLetterEntry {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly kind: DeadLetterKind;
  /** When it entered the DLQ (ISO-8601), when SQS says. */
  readonly sentAt?: string;
  /** The record, for `delivery` and `invalid-event`. */
  readonly record?: DeadLetterRecord;
  /** A one-line summary for listings. */
  readonly summary: {
    readonly reason: string;
    readonly error: string;
    readonly subscription?: string;
    readonly deliveryId?: string;
    readonly attempts?: number;
    readonly eventType?: string;
    readonly eventId?: string;
  };
}

const DELIVERY_REASONS = new Set(['exhausted', 'permanent']);

/** Classifies a message received from the DLQ. Never throws. */
export function deadLetterEntry(message: Message): DeadLetterEntry {
  const body = message.Body ?? '';
  const base = { messageId: message.MessageId ?? '', receiptHandle: message.ReceiptHandle ?? '', body, ...sentAt(message) };
  const value = parseJson(body);
  if (isPlainObject(value) && typeof value.reason === 'string' && 'event' in value && (DELIVERY_REASONS.has(value.reason) || value.reason === 'invalid-event')) {
    const record = value as unknown as DeadLetterRecord;
    const event = isPlainObject(record.event) ? record.event : {};
    return {
      ...base,
      kind: record.reason === 'invalid-event' ? 'invalid-event' : 'delivery',
      record,
      summary: {
        reason: record.reason,
        error: String(record.error ?? ''),
        ...(typeof record.subscription === 'string' && { subscription: record.subscription }),
        ...(typeof record.deliveryId === 'string' && { deliveryId: record.deliveryId }),
        ...(typeof record.attempts === 'number' && { attempts: record.attempts }),
        ...(typeof event.type === 'string' && { eventType: event.type }),
        ...(typeof event.id === 'string' && { eventId: event.id }),
      },
    };
  }
  const parsed = parseQueueMessage(body, { messageId: base.messageId, sentAt: Date.now() });
  const summary = { reason: 'unprocessed', error: `moved here by the queue's redrive policy after repeated processing failures${parsed.kind === 'invalid' ? ` (${parsed.error})` : ''}` };
  if (parsed.kind === 'event') return { ...base, kind: 'unprocessed', summary: { ...summary, eventType: parsed.event.type, ...(isPlainObject(value) && typeof value.id === 'string' && { eventId: value.id }) } };
  if (parsed.kind === 'delivery') {
    const { subscription, deliveryId, attempt, event } = parsed.delivery;
    return { ...base, kind: 'unprocessed', summary: { ...summary, subscription, deliveryId, attempts: attempt - 1, eventType: event.type, eventId: event.id } };
  }
  return { ...base, kind: 'unprocessed', summary };
}

/** What redriving an entry sends to the events queue, or why it is skipped. */
export type RedrivePlan = { readonly body: string } | { readonly skip: string };

/**
 * The message a redrive sends for an entry (docs/design.md §4): a delivery record becomes a fresh delivery
 * message (same subscription, same delivery id, so the same `webhook-id`, attempt 1); an invalid
 * event goes back as its raw body only with `force`; an unprocessed message goes back as it is.
 */
export function redrivePlan(entry: DeadLetterEntry, force: boolean): RedrivePlan {
  switch (entry.kind) {
    case 'unprocessed':
      return { body: entry.body };
    case 'invalid-event': {
      if (!force) return { skip: 'an invalid event; it would be dead-lettered again unless the catalogue changed (redrive it with --force)' };
      const raw = entry.record?.event;
      return { body: typeof raw === 'string' ? raw : JSON.stringify(raw) };
    }
    case 'delivery': {
      const record = entry.record;
      if (record === undefined || typeof record.subscription !== 'string' || typeof record.deliveryId !== 'string' || record.deliveryId === '') {
        return { skip: 'the record names no subscription or delivery id' };
      }
      const envelope = parseEnvelope(record.event, { messageId: record.deliveryId, sentAt: Date.parse(record.firstAttemptAt) || Date.now() });
      if (!envelope.ok) return { skip: `the record's event is not valid (${envelope.error})` };
      const message: DeliveryMessage = { kind: DELIVERY_KIND, subscription: record.subscription, event: envelope.event, deliveryId: record.deliveryId, attempt: 1 };
      return { body: JSON.stringify(message) };
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function sentAt(message: Message): { sentAt?: string } {
  const millis = Number(message.Attributes?.SentTimestamp);
  return Number.isFinite(millis) && millis > 0 ? { sentAt: new Date(millis).toISOString() } : {};
}
