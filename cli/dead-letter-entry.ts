import type { Message } from '@aws-sdk/client-sqs';
import { deliveryId } from '../lambda/core/delivery/signature';
import { MAX_BODY_DEPTH, isPlainObject, jsonDepth, parseEnvelope } from '../lambda/core/inbound/envelope';
import type { EventCatalogue, PlatformEvent } from '../lambda/core/inbound/events';
import { DELIVERY_KIND, MAX_REDRIVE_SUBSCRIPTIONS, REDRIVE_KIND, parseQueueMessage } from '../lambda/core/inbound/messages';
import type { DeadLetterRecord, RedriveMessage } from '../lambda/core/inbound/messages';

/**
 * What a dead-letter queue message is:
 * - `delivery`: a record of a delivery that failed for good (`exhausted` or `permanent`);
 * - `invalid-event`: a record of a body that was not a valid event;
 * - `unprocessed`: not a record but an original message the events or retry queue's redrive
 *   policy moved after it failed to be processed five times (an SSM outage, a bug).
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
  /** For `unprocessed`: the name of the queue SQS moved it from (`DeadLetterQueueSourceArn`), when SQS says. */
  readonly sourceQueue?: string;
  /** The record, for `delivery` and `invalid-event`. */
  readonly record?: DeadLetterRecord;
  /** The body as JSON when it is JSON that can be handled (no deeper than the event limit), else the body as text. */
  readonly value: unknown;
  /** A one-line summary for listings. */
  readonly summary: {
    readonly reason: string;
    readonly error: string;
    readonly subscription?: string;
    /** Every subscription an unprocessed delivery or redrive message carries (`subscription` shows the first ones). */
    readonly subscriptions?: readonly string[];
    readonly deliveryId?: string;
    readonly attempts?: number;
    readonly eventType?: string;
    readonly eventId?: string;
  };
}

const DELIVERY_REASONS = new Set(['exhausted', 'permanent']);

/**
 * Classifies a message received from the DLQ, its events read against `catalogue` (the
 * deployment's, so that extra event types are understood; default the built-in events). Never
 * throws, whatever the body.
 */
export function deadLetterEntry(message: Message, catalogue?: EventCatalogue): DeadLetterEntry {
  const body = message.Body ?? '';
  const base = { messageId: message.MessageId ?? '', receiptHandle: message.ReceiptHandle ?? '', body, ...sentAt(message), ...sourceQueue(message) };
  try {
    return understood(body, base, catalogue);
  } catch (error) {
    // A body this code did not foresee is still listed, as text, rather than ending the listing.
    return { ...base, kind: 'unprocessed', value: body, summary: { reason: 'unprocessed', error: `could not be read (${(error as Error).message})` } };
  }
}

type Base = Pick<DeadLetterEntry, 'messageId' | 'receiptHandle' | 'body' | 'sentAt' | 'sourceQueue'>;

function understood(body: string, base: Base, catalogue: EventCatalogue | undefined): DeadLetterEntry {
  const value = parseJson(body);
  if (isPlainObject(value) && typeof value.reason === 'string' && 'event' in value && (DELIVERY_REASONS.has(value.reason) || value.reason === 'invalid-event')) {
    const record = value as unknown as DeadLetterRecord;
    const event = isPlainObject(record.event) ? record.event : {};
    return {
      ...base,
      kind: record.reason === 'invalid-event' ? 'invalid-event' : 'delivery',
      record,
      value,
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
  const parsed = parseQueueMessage(body, { messageId: base.messageId, sentAt: Date.now() }, { ...(catalogue !== undefined && { catalogue }) });
  const from = base.sourceQueue === undefined ? '' : ` from queue "${base.sourceQueue}"`;
  const summary = { reason: 'unprocessed', error: `moved here${from} by the queue's redrive policy after repeated processing failures${parsed.kind === 'invalid' ? ` (${parsed.error})` : ''}` };
  const unprocessed = { ...base, kind: 'unprocessed' as const, value: value ?? body };
  if (parsed.kind === 'event') return { ...unprocessed, summary: { ...summary, eventType: parsed.event.type, ...(isPlainObject(value) && typeof value.id === 'string' && { eventId: value.id }) } };
  if (parsed.kind === 'delivery' || parsed.kind === 'redrive') {
    const { event } = parsed.kind === 'delivery' ? parsed.delivery : parsed.redrive;
    const attempt = parsed.kind === 'delivery' ? parsed.delivery.attempt : 1;
    const names = parsed.kind === 'delivery' ? parsed.delivery.deliveries.map((delivery) => delivery.subscription) : [...parsed.redrive.subscriptions];
    const [first] = names;
    return {
      ...unprocessed,
      summary: {
        ...summary,
        subscription: names.length === 1 ? (first ?? '') : `${names.slice(0, 2).join(', ')}${names.length > 2 ? ` (+${names.length - 2} more)` : ''}`,
        subscriptions: names,
        ...(names.length === 1 && first !== undefined && { deliveryId: deliveryId(event.id, first) }),
        attempts: attempt - 1,
        eventType: event.type,
        eventId: event.id,
      },
    };
  }
  return { ...unprocessed, summary };
}

/** Whether an entry concerns a subscription (for `--subscription`). */
export function concerns(entry: DeadLetterEntry, subscription: string): boolean {
  return entry.summary.subscriptions?.includes(subscription) ?? entry.summary.subscription === subscription;
}

/** What redriving an entry sends to the events queue (one message or more), or why it is skipped. */
export type RedrivePlan = { readonly bodies: readonly string[] } | { readonly skip: string };

/**
 * The message a redrive sends to the events queue for an entry (docs/design.md §4). Deliveries go
 * back as a redrive message (the event and the subscription names, nothing else), which the
 * function takes from the events queue and decides as a retry, from attempt 1: each subscription
 * gets it again only if, as stored now, it still subscribes to the event and lets it through its
 * filter, under the same `webhook-id` (derived from the event id and the name). So a redrive needs
 * only what publishing needs, and no dead-lettered message, forged or not, becomes a scheduled retry.
 * - a delivery record: a redrive message for its subscription;
 * - an unprocessed delivery message (or redrive message): a redrive message for its subscriptions;
 * - any other unprocessed message: as it is;
 * - an invalid event: its raw body, only with `force` and only when the record kept it whole (a
 *   delivery message among them stays invalid on the events queue).
 */
export function redrivePlan(entry: DeadLetterEntry, force: boolean, catalogue?: EventCatalogue): RedrivePlan {
  const options = { ...(catalogue !== undefined && { catalogue }) };
  switch (entry.kind) {
    case 'unprocessed': {
      const parsed = parseQueueMessage(entry.body, { messageId: entry.messageId, sentAt: Date.now() }, options);
      if (parsed.kind === 'delivery') return { bodies: redriveBodies(parsed.delivery.event, parsed.delivery.deliveries.map((delivery) => delivery.subscription)) };
      // Sent as it is, a delivery message is refused on the events queue (only the retry queue carries them).
      if (parsed.kind === 'invalid' && isPlainObject(entry.value) && entry.value.kind === DELIVERY_KIND) {
        return { skip: `a delivery message that cannot be read (${parsed.error}); check --extra-event-types, or the stack's ExtraEventTypes output` };
      }
      return { bodies: [entry.body] };
    }
    case 'invalid-event': {
      if (!force) return { skip: 'an invalid event; it would be dead-lettered again unless the catalogue changed (redrive it with --force)' };
      const record = entry.record;
      if (record?.eventBytes !== undefined) return { skip: `only an excerpt of the body was kept (${record.eventBytes} bytes in all, SHA-256 ${record.eventSha256 ?? '?'}); it cannot be sent again` };
      const raw = record?.event;
      return { bodies: [typeof raw === 'string' ? raw : JSON.stringify(raw)] };
    }
    case 'delivery': {
      const record = entry.record;
      if (record === undefined || typeof record.subscription !== 'string' || typeof record.deliveryId !== 'string' || record.deliveryId === '') {
        return { skip: 'the record names no subscription or delivery id' };
      }
      const envelope = parseEnvelope(record.event, { messageId: record.deliveryId, sentAt: Date.parse(record.firstAttemptAt) || Date.now() }, catalogue);
      if (!envelope.ok) return { skip: `the record's event is not valid (${envelope.error})` };
      if (deliveryId(envelope.event.id, record.subscription) !== record.deliveryId) {
        return { skip: `the record's delivery id does not belong to event ${envelope.event.id} and subscription "${record.subscription}"` };
      }
      return { bodies: redriveBodies(envelope.event, [record.subscription]) };
    }
  }
}

/** Redrive messages for the subscriptions, as many as the limit of names per message needs. */
function redriveBodies(event: PlatformEvent, subscriptions: readonly string[]): string[] {
  const bodies: string[] = [];
  for (let start = 0; start < subscriptions.length; start += MAX_REDRIVE_SUBSCRIPTIONS) {
    const message: RedriveMessage = { kind: REDRIVE_KIND, event, subscriptions: subscriptions.slice(start, start + MAX_REDRIVE_SUBSCRIPTIONS) };
    bodies.push(JSON.stringify(message));
  }
  return bodies;
}

/** The body as JSON, unless it is not JSON or nests too deep to handle safely. */
function parseJson(text: string): unknown {
  if (jsonDepth(text, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) return undefined;
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

function sourceQueue(message: Message): { sourceQueue?: string } {
  const arn = message.Attributes?.DeadLetterQueueSourceArn;
  const name = arn?.split(':').at(-1);
  return name ? { sourceQueue: name } : {};
}
