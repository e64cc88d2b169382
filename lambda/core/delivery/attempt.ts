import type { AuditEntry } from './audit-entry';
import { buildRequest } from './delivery-request';
import { SETTLE_MARGIN_MS } from './call-budget';
import type { BatchContext, DispatcherDeps } from './dispatcher-deps';
import type { PlatformEvent } from '../inbound/events';
import type { DeadLetterReason, PendingDelivery } from '../inbound/messages';
import { clipError } from '../inbound/queue-body';
import { redactUrl } from '../secrets/redaction';
import { classify } from './outcome';
import type { AttemptResult } from './outcome';
import { DEAD_LETTERED_BY_REASON, METRICS } from '../ports';
import type { DeliveryRequest } from '../ports';
import { formatDuration, parseRetryAfter } from './retry-policy';
import type { RetryOutbox } from './retry-outbox';
import type { AttemptEnd, BreakerTransition } from './circuit-breaker';
import type { Subscription } from '../subscriptions/subscriptions';
import { describeError } from '../errors';

/** One delivery of one event to one subscription, at one attempt. */
export interface DeliveryJob {
  readonly subscription: Subscription;
  readonly event: PlatformEvent;
  /** Renders the body in the subscription's format; may throw, which fails this delivery alone, for good. */
  readonly body: () => string;
  readonly attempt: number;
  readonly deliveryId: string;
  readonly firstAttemptAt?: string;
  readonly lastError?: string;
}

/**
 * Attempts one delivery under the batch's concurrency bound and settles it: delivered, added to
 * the outbox for a retry, or dead-lettered. A delivery there is no time left to finish, one whose
 * subscription's circuit is open and one over its `maxPerSecond` (docs/design.md §10) go to the
 * outbox without counting an attempt. Building the request (rendering, signing) or sending it
 * throwing is that delivery's permanent failure (docs/design.md §4). Rejects only when settling
 * itself failed (an SQS send to the DLQ).
 */
export function attemptDelivery(job: DeliveryJob, batch: BatchContext, deps: DispatcherDeps, outbox: RetryOutbox): Promise<void> {
  return batch.limit(async () => {
    const { clock, config, audit, metrics } = deps;
    const fields = auditFields(job);
    const timeoutMs = job.subscription.timeoutMs ?? config.defaultTimeoutMs;
    if (clock.now() + timeoutMs + SETTLE_MARGIN_MS > batch.deadline) {
      outbox.defer(pending(job), job.attempt);
      audit.record({ ...fields, outcome: 'deferred', reason: 'no-time-left' });
      metrics.count(METRICS.deferred);
      return;
    }
    const admission = deps.traffic.admit(job.subscription, clock.now(), timeoutMs);
    if (admission.kind !== 'admitted') {
      // SQS delays are whole seconds: deliveries due in the same second share a delivery message.
      const waitMs = Math.max(1, Math.ceil(admission.waitMs / 1000)) * 1000;
      outbox.defer(pending(job), job.attempt, waitMs);
      recordDeferral(admission.kind, fields, waitMs, deps);
      return;
    }
    reportTransition(admission.transition, job, deps);
    const end = (how: AttemptEnd): void => reportTransition(admission.settle(how, clock.now()), job, deps);
    const startedAt = clock.now();
    // Formatted only when the attempt fails: a delivered one never needs it.
    const attempted = (): DeliveryJob => ({ ...job, firstAttemptAt: job.firstAttemptAt ?? new Date(startedAt).toISOString() });
    let request: DeliveryRequest;
    try {
      request = buildRequest(job.subscription, job.event, job.body(), { deliveryId: job.deliveryId, attempt: job.attempt, now: startedAt, userAgent: config.userAgent, defaultTimeoutMs: config.defaultTimeoutMs });
    } catch (error) {
      end('not-sent');
      return deadLetter(attempted(), 'permanent', `could not build the request: ${describeError(error)}`, deps, {});
    }
    let result: AttemptResult;
    try {
      result = await deps.http.send(request);
    } catch (error) {
      end('permanent');
      return deadLetter(attempted(), 'permanent', `could not send the request: ${describeError(error)}`, deps, {});
    }
    const latencyMs = clock.now() - startedAt;
    const outcome = classify(result);
    const status = result.kind === 'response' ? result.status : undefined;
    end(outcome.kind);
    if (outcome.kind === 'delivered') {
      audit.record({ ...fields, outcome: 'delivered', status, latencyMs });
      metrics.count(METRICS.delivered);
      metrics.latency(latencyMs);
      return;
    }
    metrics.count(METRICS.failed);
    if (outcome.kind === 'permanent') {
      if (outcome.disableSubscription) await disable(job.subscription, deps, logFields(job));
      return deadLetter(attempted(), 'permanent', outcome.error, deps, { status, latencyMs });
    }
    const retryAfterMs = parseRetryAfter(outcome.retryAfter, clock.now());
    const waitMs = outbox.retry(pending({ ...attempted(), lastError: outcome.error }), job.attempt, retryAfterMs);
    if (waitMs === undefined) return deadLetter(attempted(), 'exhausted', outcome.error, deps, { status, latencyMs });
    audit.record({ ...fields, outcome: 'retry', status, latencyMs, error: outcome.error, retryInMs: waitMs });
    metrics.count(METRICS.retried);
  });
}

/**
 * The audit line (docs/design.md §11) and the `Deferred` count of a delivery that traffic control
 * put off without an attempt (§10): outcome `rate-limited` or `short-circuited`, with the wait.
 */
function recordDeferral(outcome: 'rate-limited' | 'short-circuited', fields: Omit<AuditEntry, 'outcome'>, waitMs: number, deps: DispatcherDeps): void {
  deps.audit.record({ ...fields, outcome, retryInMs: waitMs });
  deps.metrics.count(METRICS.deferred);
}

/** One line per change of a subscription's circuit; each opening is counted (`CircuitOpened`). */
function reportTransition(transition: BreakerTransition | undefined, job: DeliveryJob, deps: DispatcherDeps): void {
  if (transition === undefined) return;
  const fields = { subscription: job.subscription.name, url: redactUrl(job.subscription.url) };
  switch (transition.kind) {
    case 'opened':
      deps.log.warn(`circuit opened after ${transition.failures} consecutive retryable failures: deliveries wait ${formatDuration(transition.cooldownMs)}, then one probes`, { ...fields, circuit: 'open', failures: transition.failures, cooldownMs: transition.cooldownMs });
      return deps.metrics.count(METRICS.circuitOpened);
    case 're-opened':
      deps.log.warn(`circuit opened again: the probe failed; deliveries wait ${formatDuration(transition.cooldownMs)}, then one probes`, { ...fields, circuit: 'open', cooldownMs: transition.cooldownMs });
      return deps.metrics.count(METRICS.circuitOpened);
    case 'half-open':
      return deps.log.info('circuit half-open: one delivery probes the endpoint', { ...fields, circuit: 'half-open' });
    case 'closed':
      return deps.log.info('circuit closed: the probe was answered; deliveries resume', { ...fields, circuit: 'closed' });
  }
}

async function deadLetter(
  job: DeliveryJob,
  reason: DeadLetterReason,
  error: string,
  deps: DispatcherDeps,
  extra: { readonly status?: number; readonly latencyMs?: number },
): Promise<void> {
  const now = new Date(deps.clock.now()).toISOString();
  await deps.queue.deadLetter({
    reason,
    error: clipError(error),
    event: job.event,
    subscription: job.subscription.name,
    deliveryId: job.deliveryId,
    attempts: job.attempt,
    firstAttemptAt: job.firstAttemptAt ?? now,
    lastAttemptAt: now,
  });
  deps.audit.record({ ...auditFields(job), outcome: 'dead-lettered', reason, ...extra, error: clipError(error) });
  deps.metrics.count(METRICS.deadLettered);
  deps.metrics.count(DEAD_LETTERED_BY_REASON[reason]);
}

/** After HTTP 410: disables the subscription unless it changed since this delivery read it (docs/design.md §3). */
async function disable(subscription: Subscription, deps: DispatcherDeps, fields: Record<string, unknown>): Promise<void> {
  try {
    const result = await deps.subscriptions.disable(subscription);
    switch (result) {
      case 'disabled':
        return deps.log.warn('subscription disabled after HTTP 410 Gone', fields);
      case 'version-moved':
        // A rotation or an edit since this delivery's read wins: the receiver may answer again with it.
        return deps.log.warn('subscription not disabled after HTTP 410 Gone: it changed since this delivery read it', { ...fields, version: subscription.version });
      case 'gone':
        return deps.log.info('subscription not disabled after HTTP 410 Gone: it no longer exists', fields);
    }
  } catch (error) {
    // The next 410 tries again; failing the record would re-deliver to every other subscription.
    deps.log.error('could not disable the subscription after HTTP 410 Gone', { ...fields, error: describeError(error) });
  }
}

/** What goes back to the retry queue for a job: its subscription and what its attempts so far left. */
function pending(job: DeliveryJob): PendingDelivery {
  return {
    subscription: job.subscription.name,
    ...(job.firstAttemptAt !== undefined && { firstAttemptAt: job.firstAttemptAt }),
    ...(job.lastError !== undefined && { lastError: clipError(job.lastError) }),
  };
}

/** What every audit line of a job says (docs/design.md §11). */
function auditFields(job: DeliveryJob): Omit<AuditEntry, 'outcome'> {
  return { eventId: job.event.id, eventType: job.event.type, subscription: job.subscription.name, deliveryId: job.deliveryId, attempt: job.attempt, url: job.subscription.url };
}

function logFields(job: DeliveryJob): Record<string, unknown> {
  return { eventId: job.event.id, eventType: job.event.type, deliveryId: job.deliveryId, subscription: job.subscription.name, attempt: job.attempt };
}
