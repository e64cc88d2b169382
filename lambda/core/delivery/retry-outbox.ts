import type { PlatformEvent } from '../inbound/events';
import { DELIVERY_KIND } from '../inbound/messages';
import type { DeliveryMessage, PendingDelivery } from '../inbound/messages';
import { SQS_MAX_MESSAGE_BYTES } from '../inbound/envelope';
import { bodyBytes, queueBody } from '../inbound/queue-body';
import { applyRetryAfter, nextDelay, sqsDelaySeconds } from './retry-policy';
import type { DispatcherDeps } from './dispatcher-deps';

/**
 * The deliveries of one event that go back to the retry queue, gathered while the record is
 * worked on and sent at its end (docs/design.md §4): deliveries due together (same attempt, same
 * wait) share one delivery message, split only where a message would pass SQS's size limit. A
 * fan-out to 10,000 failing subscriptions thus sends the event a few times, not 10,000 times.
 */
export interface RetryOutbox {
  /**
   * Adds a delivery whose attempt `failedAttempt` failed retryably. Every delivery of one attempt
   * (and one Retry-After, in whole seconds) waits the same jittered delay, drawn once, counted from the flush.
   * @returns the wait in milliseconds, or undefined when the schedule is exhausted (nothing added).
   */
  retry(delivery: PendingDelivery, failedAttempt: number, retryAfterMs: number | undefined): number | undefined;
  /** Adds a delivery to make later at the same attempt number (not counted), after `waitMs` (default 0). */
  defer(delivery: PendingDelivery, attempt: number, waitMs?: number): void;
  /** Deliveries added and not yet sent. */
  readonly size: number;
  /**
   * Sends every delivery message, concurrently, and empties the outbox.
   * @returns the errors of the sends that failed (their deliveries are not settled); empty when all were sent.
   */
  flush(): Promise<unknown[]>;
}

interface Group {
  readonly attempt: number;
  /** From the outbox's flush; 0 means due at once. */
  readonly waitMs: number;
  readonly deliveries: PendingDelivery[];
}

export function createRetryOutbox(event: PlatformEvent, deps: Pick<DispatcherDeps, 'queue' | 'clock' | 'random' | 'config'>): RetryOutbox {
  const groups = new Map<string, Group>();
  let size = 0;
  const add = (key: string, attempt: number, waitMs: () => number, delivery: PendingDelivery): Group => {
    let group = groups.get(key);
    if (group === undefined) {
      group = { attempt, waitMs: waitMs(), deliveries: [] };
      groups.set(key, group);
    }
    group.deliveries.push(delivery);
    size++;
    return group;
  };
  return {
    retry(delivery, failedAttempt, retryAfterMs) {
      if (deps.config.retrySchedule[failedAttempt - 1] === undefined) return undefined;
      const key = `retry ${failedAttempt + 1} ${retryAfterMs === undefined ? '-' : Math.ceil(retryAfterMs / 1000)}`;
      const delay = (): number => applyRetryAfter(nextDelay(failedAttempt, deps.config.retrySchedule, deps.random()) ?? 0, retryAfterMs);
      return add(key, failedAttempt + 1, delay, delivery).waitMs;
    },
    defer(delivery, attempt, waitMs = 0) {
      add(`defer ${attempt} ${waitMs}`, attempt, () => waitMs, delivery);
    },
    get size() {
      return size;
    },
    async flush() {
      const failed: unknown[] = [];
      const sends: Array<Promise<void>> = [];
      // The wait counts from the send, so a delivery that failed early in a long fan-out waits its full delay too.
      const now = deps.clock.now();
      for (const group of groups.values()) {
        const dueAt = group.waitMs > 0 ? now + group.waitMs : undefined;
        try {
          for (const message of deliveryMessages(event, { ...group, dueAt })) sends.push(deps.queue.enqueue(message, sqsDelaySeconds(group.waitMs)));
        } catch (error) {
          failed.push(error);
        }
      }
      groups.clear();
      size = 0;
      const results = await Promise.allSettled(sends);
      return [...failed, ...results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []))];
    },
  };
}

/**
 * A group's delivery messages, each within {@link SQS_MAX_MESSAGE_BYTES} as sent ({@link queueBody}):
 * the event once per message, as many deliveries as fit.
 * @throws {RangeError} when the event and one delivery alone do not fit (an event is at most 256 KiB, so they always do).
 */
export function deliveryMessages(event: PlatformEvent, group: { readonly attempt: number; readonly dueAt: number | undefined; readonly deliveries: readonly PendingDelivery[] }): DeliveryMessage[] {
  const shell = (deliveries: readonly PendingDelivery[]): DeliveryMessage => ({
    kind: DELIVERY_KIND,
    event,
    attempt: group.attempt,
    ...(group.dueAt !== undefined && { dueAt: new Date(group.dueAt).toISOString() }),
    deliveries,
  });
  const emptyBytes = bodyBytes(queueBody(shell([])));
  const messages: DeliveryMessage[] = [];
  let current: PendingDelivery[] = [];
  let bytes = emptyBytes;
  for (const delivery of group.deliveries) {
    const entryBytes = bodyBytes(queueBody(delivery));
    if (current.length > 0 && bytes + 1 + entryBytes > SQS_MAX_MESSAGE_BYTES) {
      messages.push(shell(current));
      current = [];
      bytes = emptyBytes;
    }
    const added = entryBytes + (current.length > 0 ? 1 : 0); // the comma between entries
    if (bytes + added > SQS_MAX_MESSAGE_BYTES) {
      throw new RangeError(`a delivery message of event ${event.id} would be ${bytes + added} bytes, above SQS's limit of ${SQS_MAX_MESSAGE_BYTES}`);
    }
    bytes += added;
    current.push(delivery);
  }
  if (current.length > 0) messages.push(shell(current));
  return messages;
}
