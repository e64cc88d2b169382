import { bodiesOf, renderBody } from '../formats/render-body';
import { SettlementError } from '../errors';
import type { PlatformEvent } from '../inbound/events';
import { parseQueueMessage } from '../inbound/messages';
import type { DeliveryMessage } from '../inbound/messages';
import { DEAD_LETTERED_BY_REASON, METRICS } from '../ports';
import { attemptDelivery, sqsDelaySeconds } from './attempt';
import type { BatchContext, DispatcherDeps, QueueRecord } from './dispatcher-deps';
import type { DeliveryJob } from './attempt';
import { deliveryId } from './signature';
import { passesFilter } from '../subscriptions/subscription-filter';
import type { Subscription } from '../subscriptions/subscriptions';

/**
 * Settles one queue record: every matching subscription is delivered, re-enqueued, dropped by rule
 * or dead-lettered (docs/design.md §4).
 * @throws {SettlementError} when any of them could not be settled; SQS then redelivers the record.
 */
export async function processRecord(record: QueueRecord, batch: BatchContext, deps: DispatcherDeps): Promise<void> {
  const message = parseQueueMessage(record.body, { messageId: record.messageId, sentAt: record.sentAt }, deps.config);
  switch (message.kind) {
    case 'invalid':
      return deadLetterInvalid(record, message.error, message.raw, deps);
    case 'event':
      return fanOut(message.event, batch, deps);
    case 'delivery':
      return retry(message.delivery, batch, deps);
  }
}

async function deadLetterInvalid(record: QueueRecord, error: string, raw: unknown, deps: DispatcherDeps): Promise<void> {
  const at = new Date(deps.clock.now()).toISOString();
  deps.log.error('invalid event sent to the dead-letter queue', { messageId: record.messageId, error });
  await deps.queue.deadLetter({ reason: 'invalid-event', error, event: raw, attempts: 0, firstAttemptAt: at, lastAttemptAt: at });
  deps.metrics.count(METRICS.deadLettered);
  deps.metrics.count(DEAD_LETTERED_BY_REASON['invalid-event']);
}

async function fanOut(event: PlatformEvent, batch: BatchContext, deps: DispatcherDeps): Promise<void> {
  const index = await deps.subscriptions.load();
  const subscriptions = index.forType(event.type).filter((subscription) => isWanted(subscription, event, deps));
  if (subscriptions.length === 0) {
    deps.log.info('no subscription matches the event', { eventId: event.id, eventType: event.type });
    return;
  }
  const bodyFor = bodiesOf(event); // each format's body is built once per event and shared
  const failures: unknown[] = [];
  // Jobs are made as slots free up, not all at once: a 10,000-subscription fan-out keeps at most
  // `concurrency` deliveries of this record pending, which bounds memory and queueing cost.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < subscriptions.length) {
      const subscription = subscriptions[next++] as Subscription;
      const job: DeliveryJob = { subscription, event, body: bodyFor(subscription), attempt: 1, deliveryId: deliveryId(event.id, subscription.name) };
      await attemptDelivery(job, batch, deps).catch((error: unknown) => void failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(batch.limit.concurrency, subscriptions.length) }, worker));
  throwIfUnsettled(event, failures, subscriptions.length);
}

async function retry(message: DeliveryMessage, batch: BatchContext, deps: DispatcherDeps): Promise<void> {
  const fields = { eventId: message.event.id, deliveryId: message.deliveryId, subscription: message.subscription, attempt: message.attempt };
  const now = deps.clock.now();
  const wait = message.dueAt === undefined ? 0 : Date.parse(message.dueAt) - now;
  if (wait > EARLY_TOLERANCE_MS) {
    // SQS delays cap at 15 minutes: a longer wait hops again without attempting.
    await deps.queue.enqueue(message, sqsDelaySeconds(wait));
    deps.log.debug('delivery not yet due; waiting again', { ...fields, dueAt: message.dueAt });
    return;
  }
  const index = await deps.subscriptions.load();
  const subscription = index.byName(message.subscription);
  if (subscription === undefined || !subscription.enabled) {
    deps.log.info(`retry dropped: subscription ${subscription ? 'is disabled' : 'no longer exists'}`, fields);
    deps.metrics.count(METRICS.dropped);
    return;
  }
  if (!isWanted(subscription, message.event, deps)) return; // the filter as stored now, not as at the first attempt
  const job: DeliveryJob = {
    subscription,
    event: message.event,
    body: renderBody(message.event, subscription),
    attempt: message.attempt,
    deliveryId: message.deliveryId,
    ...(message.firstAttemptAt !== undefined && { firstAttemptAt: message.firstAttemptAt }),
    ...(message.lastError !== undefined && { lastError: message.lastError }),
  };
  const failures: unknown[] = [];
  await attemptDelivery(job, batch, deps).catch((error: unknown) => void failures.push(error));
  throwIfUnsettled(message.event, failures, 1);
}

/**
 * Whether the subscription's filter lets the event through (docs/design.md §10). One it keeps out is
 * not delivered to that subscription: a debug line, no dead letter (the audit line of §11 goes here).
 */
function isWanted(subscription: Subscription, event: PlatformEvent, deps: DispatcherDeps): boolean {
  if (passesFilter(subscription.filter, event)) return true;
  deps.log.debug('event filtered out by the subscription\'s filter', { eventId: event.id, eventType: event.type, subscription: subscription.name });
  return false;
}

/** A delivery due within this much is attempted now rather than delayed again. */
const EARLY_TOLERANCE_MS = 1000;

function throwIfUnsettled(event: PlatformEvent, failures: readonly unknown[], total: number): void {
  if (failures.length > 0) {
    throw new SettlementError(`${failures.length} of ${total} deliveries of event ${event.id} could not be settled`, {
      cause: failures.length === 1 ? failures[0] : new AggregateError(failures),
    });
  }
}
