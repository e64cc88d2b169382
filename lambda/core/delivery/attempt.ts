import { buildRequest } from './delivery-request';
import type { BatchContext, DispatcherDeps } from './dispatcher-deps';
import type { PlatformEvent } from '../inbound/events';
import { DELIVERY_KIND } from '../inbound/messages';
import type { DeadLetterReason, DeliveryMessage } from '../inbound/messages';
import { classify } from './outcome';
import { DEAD_LETTERED_BY_REASON, METRICS } from '../ports';
import { applyRetryAfter, nextDelay, parseRetryAfter } from './retry-policy';
import type { Subscription } from '../subscriptions/subscriptions';

/** One delivery of one event to one subscription, at one attempt. */
export interface DeliveryJob {
  readonly subscription: Subscription;
  readonly event: PlatformEvent;
  readonly body: string;
  readonly attempt: number;
  readonly deliveryId: string;
  readonly firstAttemptAt?: string;
  readonly lastError?: string;
}

/**
 * SQS caps a message delay at 15 minutes.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
export const MAX_SQS_DELAY_SECONDS = 900;

/** Time kept after the longest attempt to settle it (an SQS send) before the invocation's deadline. */
export const SETTLE_MARGIN_MS = 2000;

/** The SQS `DelaySeconds` for a wait: whole seconds, rounded up, at most 900. */
export function sqsDelaySeconds(waitMs: number): number {
  return Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, Math.ceil(waitMs / 1000)));
}

/**
 * Attempts one delivery under the batch's concurrency bound and settles it: delivered, re-enqueued
 * for a retry, or dead-lettered. A delivery there is no time left to finish is re-enqueued without
 * counting an attempt. Rejects only when settling itself failed (an SQS send).
 */
export function attemptDelivery(job: DeliveryJob, batch: BatchContext, deps: DispatcherDeps): Promise<void> {
  return batch.limit(async () => {
    const { clock, config, log, metrics } = deps;
    const fields = logFields(job);
    const timeoutMs = job.subscription.timeoutMs ?? config.defaultTimeoutMs;
    if (clock.now() + timeoutMs + SETTLE_MARGIN_MS > batch.deadline) {
      await deps.queue.enqueue(deliveryMessage(job, job.attempt, clock.now()), 0);
      log.warn('no time left in this invocation; delivery re-enqueued', fields);
      metrics.count(METRICS.deferred);
      return;
    }
    const startedAt = clock.now();
    const request = buildRequest(job.subscription, job.event, job.body, { ...job, now: startedAt, ...config });
    const result = await deps.http.send(request);
    const latencyMs = clock.now() - startedAt;
    const outcome = classify(result);
    const status = result.kind === 'response' ? result.status : undefined;
    if (outcome.kind === 'delivered') {
      log.info('delivered', { ...fields, status, latencyMs });
      metrics.count(METRICS.delivered);
      metrics.latency(latencyMs);
      return;
    }
    metrics.count(METRICS.failed);
    const attempted: DeliveryJob = { ...job, firstAttemptAt: job.firstAttemptAt ?? new Date(startedAt).toISOString() };
    if (outcome.kind === 'permanent') {
      if (outcome.disableSubscription) await disable(job.subscription, deps, fields);
      return deadLetter(attempted, 'permanent', outcome.error, deps, { status, latencyMs });
    }
    const delay = nextDelay(job.attempt, config.retrySchedule, deps.random());
    if (delay === undefined) return deadLetter(attempted, 'exhausted', outcome.error, deps, { status, latencyMs });
    const waitMs = applyRetryAfter(delay, parseRetryAfter(outcome.retryAfter, clock.now()));
    const next = deliveryMessage({ ...attempted, lastError: outcome.error }, job.attempt + 1, clock.now() + waitMs);
    await deps.queue.enqueue(next, sqsDelaySeconds(waitMs));
    log.warn('delivery failed; retry scheduled', { ...fields, status, latencyMs, error: outcome.error, retryInMs: waitMs });
    metrics.count(METRICS.retried);
  });
}

async function deadLetter(
  job: DeliveryJob,
  reason: DeadLetterReason,
  error: string,
  deps: DispatcherDeps,
  extra: Record<string, unknown>,
): Promise<void> {
  const now = new Date(deps.clock.now()).toISOString();
  await deps.queue.deadLetter({
    reason,
    error,
    event: job.event,
    subscription: job.subscription.name,
    deliveryId: job.deliveryId,
    attempts: job.attempt,
    firstAttemptAt: job.firstAttemptAt ?? now,
    lastAttemptAt: now,
  });
  deps.log.error(`delivery dead-lettered (${reason})`, { ...logFields(job), ...extra, error });
  deps.metrics.count(METRICS.deadLettered);
  deps.metrics.count(DEAD_LETTERED_BY_REASON[reason]);
}

async function disable(subscription: Subscription, deps: DispatcherDeps, fields: Record<string, unknown>): Promise<void> {
  try {
    await deps.subscriptions.disable(subscription);
    deps.log.warn('subscription disabled after HTTP 410 Gone', fields);
  } catch (error) {
    // The next 410 tries again; failing the record would re-deliver to every other subscription.
    deps.log.error('could not disable the subscription after HTTP 410 Gone', { ...fields, error: String(error) });
  }
}

function deliveryMessage(job: DeliveryJob, attempt: number, dueAt: number): DeliveryMessage {
  return {
    kind: DELIVERY_KIND,
    subscription: job.subscription.name,
    event: job.event,
    deliveryId: job.deliveryId,
    attempt,
    dueAt: new Date(dueAt).toISOString(),
    ...(job.firstAttemptAt !== undefined && { firstAttemptAt: job.firstAttemptAt }),
    ...(job.lastError !== undefined && { lastError: job.lastError }),
  };
}

function logFields(job: DeliveryJob): Record<string, unknown> {
  return { eventId: job.event.id, eventType: job.event.type, deliveryId: job.deliveryId, subscription: job.subscription.name, attempt: job.attempt };
}
