import { bodiesOf } from '../formats/render-body';
import { describeError, SettlementError } from '../errors';
import { matches } from '../inbound/events';
import type { PlatformEvent } from '../inbound/events';
import { DELIVERY_KIND, parseQueueMessage } from '../inbound/messages';
import type { DeliveryMessage, PendingDelivery } from '../inbound/messages';
import { writtenEventProblem } from '../inbound/queue-body';
import { DEAD_LETTERED_BY_REASON, METRICS } from '../ports';
import type { FreshRead } from '../ports';
import { attemptDelivery } from './attempt';
import type { AuditEntry } from './audit-entry';
import { SETTLE_MARGIN_MS } from './call-budget';
import type { BatchContext, DispatcherDeps, QueueRecord } from './dispatcher-deps';
import { createRetryOutbox } from './retry-outbox';
import type { RetryOutbox } from './retry-outbox';
import { longestWait, sqsDelaySeconds } from './retry-policy';
import { deliveryId } from './signature';
import { passesFilter } from '../subscriptions/subscription-filter';
import type { Subscription } from '../subscriptions/subscriptions';

/** A delivery due within this much is attempted now rather than delayed again. */
const EARLY_TOLERANCE_MS = 1000;

/** Clock drift allowed between the container that scheduled a retry and the one that reads it. */
const CLOCK_SKEW_MS = 60_000;

/** A delivery whose subscription could not be read fresh is tried again after this, not counted. */
export const FRESH_READ_RETRY_MS = 30_000;

/** Fresh reads of one delivery message made at once (the source shares and rate-limits them too). */
const FRESH_READS_AT_ONCE = 8;

/**
 * Settles one queue record: every matching subscription is delivered, re-enqueued, dropped by rule
 * or dead-lettered (docs/design.md §4). A delivery message counts only when it came from the retry
 * queue; from anywhere else it is an invalid event, never delivered. A redrive message, which
 * carries nothing a publisher could not send, is taken from any queue.
 * @throws {SettlementError} when any delivery could not be settled; SQS then redelivers the record.
 */
export async function processRecord(record: QueueRecord, batch: BatchContext, deps: DispatcherDeps): Promise<void> {
  const message = parseQueueMessage(record.body, { messageId: record.messageId, sentAt: record.sentAt }, deps.config);
  switch (message.kind) {
    case 'invalid':
      return deadLetterInvalid(record, message.error, message.raw, deps);
    case 'event': {
      const tooLarge = writtenEventProblem(record.body, message.event);
      if (tooLarge !== undefined) return deadLetterInvalid(record, tooLarge, record.body, deps);
      return fanOut(message.event, batch, deps);
    }
    case 'delivery':
      if (!record.fromRetryQueue) {
        const where = record.queueName === undefined ? 'a queue other than the retry queue' : `queue "${record.queueName}"`;
        const error = `a delivery message (kind "${DELIVERY_KIND}") arrived on ${where}; only the function's own retry queue carries them, so it was not delivered`;
        return deadLetterInvalid(record, error, parsedBody(record), deps);
      }
      return retry(message.delivery, record, batch, deps);
    case 'redrive': {
      // Attempt 1 of each named delivery, decided as a retry is: only the subscription as stored now may send it.
      const { event, subscriptions } = message.redrive;
      const tooLarge = writtenEventProblem(record.body, event);
      if (tooLarge !== undefined) return deadLetterInvalid(record, tooLarge, record.body, deps);
      return retry({ kind: DELIVERY_KIND, event, attempt: 1, deliveries: subscriptions.map((subscription) => ({ subscription })) }, record, batch, deps);
    }
  }
}

async function deadLetterInvalid(record: QueueRecord, error: string, raw: unknown, deps: DispatcherDeps): Promise<void> {
  const at = new Date(deps.clock.now()).toISOString();
  deps.log.error('invalid event sent to the dead-letter queue', { messageId: record.messageId, queue: record.queueName, error });
  await deps.queue.deadLetter({ reason: 'invalid-event', error, event: raw, attempts: 0, firstAttemptAt: at, lastAttemptAt: at });
  deps.metrics.count(METRICS.deadLettered);
  deps.metrics.count(DEAD_LETTERED_BY_REASON['invalid-event']);
}

async function fanOut(event: PlatformEvent, batch: BatchContext, deps: DispatcherDeps): Promise<void> {
  const index = await deps.subscriptions.load({ deadline: readDeadline(batch) });
  const subscriptions = index.forType(event.type).filter((subscription) => isWanted(subscription, event, deps));
  if (subscriptions.length === 0) {
    deps.log.info('no subscription matches the event', { eventId: event.id, eventType: event.type });
    return;
  }
  const ready = subscriptions.map((subscription) => ({ subscription, pending: { subscription: subscription.name } }));
  await deliverAll(event, ready, 1, batch, deps, createRetryOutbox(event, deps));
}

async function retry(message: DeliveryMessage, record: QueueRecord, batch: BatchContext, deps: DispatcherDeps): Promise<void> {
  const { event } = message;
  const wait = message.dueAt === undefined ? 0 : Date.parse(message.dueAt) - deps.clock.now();
  const longest = longestWait(deps.config.retrySchedule);
  if (wait > longest + CLOCK_SKEW_MS) {
    const error = `delivery message due at ${message.dueAt}, later than the longest wait the retry schedule and Retry-After allow (${Math.round(longest / 60_000)} minutes); this function did not schedule it`;
    return deadLetterInvalid(record, error, parsedBody(record), deps);
  }
  if (wait > EARLY_TOLERANCE_MS) {
    // SQS delays cap at 15 minutes: a longer wait hops again without attempting.
    await deps.queue.enqueue(message, sqsDelaySeconds(wait));
    deps.log.debug('delivery not yet due; waiting again', { eventId: event.id, attempt: message.attempt, deliveries: message.deliveries.length, dueAt: message.dueAt });
    return;
  }
  const index = await deps.subscriptions.load({ deadline: readDeadline(batch) });
  const outbox = createRetryOutbox(event, deps);
  const ready: ReadyDelivery[] = [];
  const unsure: PendingDelivery[] = [];
  for (const pending of message.deliveries) {
    const cached = index.byName(pending.subscription);
    if (cached !== undefined && wants(cached, event)) ready.push({ subscription: cached, pending });
    else unsure.push(pending);
  }
  // The cached copy may predate the subscription (or its re-enabling): only the store may drop a delivery.
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < unsure.length) {
      const pending = unsure[next++] as PendingDelivery;
      if (deps.clock.now() >= readDeadline(batch)) {
        // No time left to read: the delivery goes back as it is, to be decided by the next invocation.
        outbox.defer(pending, message.attempt);
        deps.audit.record({ ...pendingFields(pending, message), outcome: 'deferred', reason: 'no-time-left' });
        continue;
      }
      const decided = await readFresh(pending, message, batch, deps);
      if (decided === 'unknown') outbox.defer(pending, message.attempt, FRESH_READ_RETRY_MS);
      else if (decided !== 'dropped') ready.push({ subscription: decided, pending });
    }
  };
  await Promise.allSettled(Array.from({ length: Math.min(FRESH_READS_AT_ONCE, unsure.length) }, reader));
  await deliverAll(event, ready, message.attempt, batch, deps, outbox);
}

/**
 * The store's word on a delivery's subscription: the subscription to deliver to, `dropped` (logged
 * and counted, naming the read that decided it), or `unknown` when the store could not be read.
 */
async function readFresh(pending: PendingDelivery, message: DeliveryMessage, batch: BatchContext, deps: DispatcherDeps): Promise<Subscription | 'dropped' | 'unknown'> {
  const fields = pendingFields(pending, message);
  let read: FreshRead;
  try {
    read = await deps.subscriptions.readFresh(pending.subscription, { deadline: readDeadline(batch) });
  } catch (error) {
    deps.audit.record({ ...fields, outcome: 'deferred', reason: 'store-unreadable', error: describeError(error), retryInMs: FRESH_READ_RETRY_MS });
    deps.metrics.count(METRICS.deferred);
    return 'unknown';
  }
  const dropped = (why: string): 'dropped' => {
    // The reason names the store read that decided, for "why did this retry stop?" (docs/design.md §11).
    deps.audit.record({ ...fields, outcome: 'dropped', reason: `${why}, as the store said at ${new Date(read.readAt).toISOString()}` });
    deps.metrics.count(METRICS.dropped);
    return 'dropped';
  };
  const { subscription } = read;
  if (subscription === undefined) return dropped('deleted');
  if (!subscription.enabled) return dropped('disabled');
  if (!subscribes(subscription, message.event)) return dropped(`no longer subscribes to ${message.event.type}`);
  // One line for the retry, the drop: not a `filtered` line besides.
  if (!passesFilter(subscription.filter, message.event)) return dropped('its filter keeps the event out');
  return subscription;
}

interface ReadyDelivery {
  readonly subscription: Subscription;
  readonly pending: PendingDelivery;
}

/**
 * Attempts each delivery under the batch's bound (jobs are made as slots free up, so a 10,000-
 * subscription fan-out keeps at most `concurrency` of them pending), then sends what goes back to
 * the retry queue. Every delivery is awaited, failed ones included, so no work of the record runs
 * on after it returns; those near the deadline are deferred, not started.
 * @throws {SettlementError} when a dead-letter or re-enqueue send failed.
 */
async function deliverAll(event: PlatformEvent, ready: readonly ReadyDelivery[], attempt: number, batch: BatchContext, deps: DispatcherDeps, outbox: RetryOutbox): Promise<void> {
  const bodyFor = bodiesOf(event); // each format's body is built once per event and shared
  const failures: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ready.length) {
      const { subscription, pending } = ready[next++] as ReadyDelivery;
      const job = {
        subscription,
        event,
        body: () => bodyFor(subscription),
        attempt,
        deliveryId: deliveryId(event.id, subscription.name),
        ...(pending.firstAttemptAt !== undefined && { firstAttemptAt: pending.firstAttemptAt }),
        ...(pending.lastError !== undefined && { lastError: pending.lastError }),
      };
      try {
        await attemptDelivery(job, batch, deps, outbox);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.allSettled(Array.from({ length: Math.min(batch.limit.concurrency, ready.length) }, worker));
  failures.push(...(await outbox.flush()));
  if (failures.length > 0) {
    throw new SettlementError(`${failures.length} ${failures.length === 1 ? 'send' : 'sends'} settling the deliveries of event ${event.id} failed`, {
      cause: failures.length === 1 ? failures[0] : new AggregateError(failures),
    });
  }
}

/** The body of a record known to be JSON (a delivery message), as the dead-letter record keeps it. */
function parsedBody(record: QueueRecord): unknown {
  return JSON.parse(record.body) as unknown;
}

/**
 * Whether the subscription's filter lets the first attempt of the event through (docs/design.md
 * §10). One it keeps out is not delivered to that subscription: an audit line (§11), no dead letter.
 */
function isWanted(subscription: Subscription, event: PlatformEvent, deps: DispatcherDeps): boolean {
  if (passesFilter(subscription.filter, event)) return true;
  deps.audit.record({ outcome: 'filtered', eventId: event.id, eventType: event.type, subscription: subscription.name, deliveryId: deliveryId(event.id, subscription.name), attempt: 1 });
  return false;
}

/** What every audit line of a delivery carried by a delivery message says. */
function pendingFields(pending: PendingDelivery, message: DeliveryMessage): Omit<AuditEntry, 'outcome'> {
  const { event } = message;
  return { eventId: event.id, eventType: event.type, subscription: pending.subscription, deliveryId: deliveryId(event.id, pending.subscription), attempt: message.attempt };
}

/**
 * Whether a subscription, as read, still wants a retried event: enabled, one of its patterns
 * matches, and its filter (as stored now, not as at the first attempt) lets the event through.
 */
function wants(subscription: Subscription, event: PlatformEvent): boolean {
  return subscription.enabled && subscribes(subscription, event) && passesFilter(subscription.filter, event);
}

function subscribes(subscription: Subscription, event: PlatformEvent): boolean {
  return subscription.events.some((pattern) => matches(pattern, event.type));
}

/** Reads of the store must stop in time to settle what the record needs afterwards. */
function readDeadline(batch: BatchContext): number {
  return batch.deadline - SETTLE_MARGIN_MS;
}
