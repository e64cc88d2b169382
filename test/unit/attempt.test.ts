import { attemptDelivery } from '../../lambda/core/delivery/attempt';
import type { DeliveryJob } from '../../lambda/core/delivery/attempt';
import { SETTLE_MARGIN_MS } from '../../lambda/core/delivery/call-budget';
import { standardBody } from '../../lambda/core/delivery/delivery-request';
import type { BatchContext, DispatcherDeps } from '../../lambda/core/delivery/dispatcher-deps';
import { createRetryOutbox } from '../../lambda/core/delivery/retry-outbox';
import { MAX_SQS_DELAY_SECONDS, sqsDelaySeconds } from '../../lambda/core/delivery/retry-policy';
import { DELIVERY_KIND } from '../../lambda/core/inbound/messages';
import { MAX_ERROR_CHARS } from '../../lambda/core/inbound/queue-body';
import { DEAD_LETTERED_BY_REASON, METRICS } from '../../lambda/core/ports';
import type { Subscription } from '../../lambda/core/subscriptions/subscriptions';
import {
  FIXED_NOW, batchContext, fakeDeps, fakeQueue, networkError, platformEvent, refused, response, secret, subscription,
} from '../support/factories';

const SECOND = 1000;
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function job(overrides: Partial<DeliveryJob> = {}, sub: Subscription = subscription()): DeliveryJob {
  const event = platformEvent();
  return { subscription: sub, event, body: () => standardBody(event), attempt: 1, deliveryId: 'msg_delivery1', ...overrides };
}

/** Attempts one job, then sends what its outbox gathered, as the dispatcher does at the end of a record. */
async function attempt(deliveryJob: DeliveryJob, batch: BatchContext, deps: DispatcherDeps): Promise<void> {
  const outbox = createRetryOutbox(deliveryJob.event, deps);
  await attemptDelivery(deliveryJob, batch, deps, outbox);
  const failures = await outbox.flush();
  if (failures.length > 0) throw failures[0];
}

describe('sqsDelaySeconds', () => {
  it.each([
    [0, 0],
    [1, 1],
    [1000, 1],
    [1001, 2],
    [4_000.4, 5],
    [899_001, 900],
    [900_000, 900],
    [2 * HOUR, 900],
    [-5000, 0],
  ])('waits %d ms as DelaySeconds %i', (waitMs, expected) => {
    // Act
    const delaySeconds = sqsDelaySeconds(waitMs);

    // Assess
    expect(delaySeconds).toBe(expected);
  });
});

describe('attemptDelivery', () => {
  it('delivers on 2xx and settles nothing more', async () => {
    // Prepare
    const { deps, http, queue, metrics } = fakeDeps({ http: response(204) });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(http.requests).toHaveLength(1);
    expect(http.requests[0]?.headers).toMatchObject({ 'webhook-id': 'msg_delivery1', 'webhook-attempt': '1', 'user-agent': deps.config.userAgent });
    expect(queue.enqueued).toEqual([]);
    expect(queue.deadLettered).toEqual([]);
    expect(metrics.counts[METRICS.delivered]).toBe(1);
  });

  it('re-enqueues a retryable failure as the next attempt, due after the scheduled delay', async () => {
    // Prepare
    const { deps, queue, metrics } = fakeDeps({ http: response(500), config: { retrySchedule: [5 * SECOND, 300 * SECOND] } });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.enqueued).toEqual([
      {
        delaySeconds: 5,
        message: {
          kind: DELIVERY_KIND,
          event: platformEvent(),
          attempt: 2,
          dueAt: iso(FIXED_NOW + 5 * SECOND),
          deliveries: [{ subscription: 'ops', firstAttemptAt: iso(FIXED_NOW), lastError: 'HTTP 500' }],
        },
      },
    ]);
    expect(queue.deadLettered).toEqual([]);
    expect(metrics.counts[METRICS.retried]).toBe(1);
  });

  it('keeps the first-attempt time on later retries', async () => {
    // Prepare
    const { deps, queue } = fakeDeps({ http: networkError('ECONNRESET'), config: { retrySchedule: [SECOND, 60 * SECOND] } });
    const firstAttemptAt = iso(FIXED_NOW - 10 * SECOND);

    // Act
    await attempt(job({ attempt: 2, firstAttemptAt, lastError: 'HTTP 502' }), batchContext(), deps);

    // Assess
    expect(queue.enqueued).toHaveLength(1);
    expect(queue.enqueued[0]?.message).toMatchObject({ attempt: 3, dueAt: iso(FIXED_NOW + 60 * SECOND), deliveries: [{ subscription: 'ops', firstAttemptAt }] });
    expect(queue.enqueued[0]?.message.deliveries[0]?.lastError).toMatch(/^ECONNRESET/);
  });

  it.each([
    [0, 4000, 4],
    [0.5, 5000, 5],
    [0.999999, 6000, 6],
  ])('jitters the delay: random %d waits %i ms (DelaySeconds %i)', async (random, waitMs, delaySeconds) => {
    // Prepare
    const { deps, queue } = fakeDeps({ http: response(503), random, config: { retrySchedule: [5 * SECOND] } });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.enqueued[0]?.delaySeconds).toBe(delaySeconds);
    expect(queue.enqueued[0]?.message.dueAt).toBe(iso(FIXED_NOW + waitMs));
  });

  it('rounds DelaySeconds up to whole seconds', async () => {
    // Prepare
    const { deps, queue } = fakeDeps({ http: response(500), config: { retrySchedule: [1500] } });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.enqueued[0]?.delaySeconds).toBe(2);
  });

  it('hops a delay longer than 15 minutes: DelaySeconds 900, due when the full delay has passed', async () => {
    // Prepare
    const { deps, queue } = fakeDeps({ http: response(500), config: { retrySchedule: [2 * HOUR] } });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.enqueued[0]?.delaySeconds).toBe(MAX_SQS_DELAY_SECONDS);
    expect(queue.enqueued[0]?.message.dueAt).toBe(iso(FIXED_NOW + 2 * HOUR));
  });

  it('raises the delay to Retry-After', async () => {
    // Prepare
    const { deps, queue } = fakeDeps({ http: response(429, { retryAfter: '600' }), config: { retrySchedule: [5 * SECOND] } });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.enqueued[0]?.delaySeconds).toBe(600);
    expect(queue.enqueued[0]?.message.dueAt).toBe(iso(FIXED_NOW + 600 * SECOND));
  });

  it('raises the delay to a Retry-After date, at most an hour above the schedule', async () => {
    // Prepare
    const retryAfter = new Date(FIXED_NOW + 5 * HOUR).toUTCString();
    const { deps, queue } = fakeDeps({ http: response(503, { retryAfter }), config: { retrySchedule: [5 * SECOND] } });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.enqueued[0]?.message.dueAt).toBe(iso(FIXED_NOW + 5 * SECOND + HOUR));
    expect(queue.enqueued[0]?.delaySeconds).toBe(900);
  });

  it('dead-letters the delivery once the schedule is exhausted, exactly as docs/design.md §4 says', async () => {
    // Prepare
    const { deps, queue, metrics } = fakeDeps({ http: response(500), config: { retrySchedule: [5 * SECOND, 300 * SECOND] } });
    const firstAttemptAt = iso(FIXED_NOW - 305 * SECOND);

    // Act
    await attempt(job({ attempt: 3, firstAttemptAt, lastError: 'HTTP 502' }), batchContext(), deps);

    // Assess
    expect(queue.enqueued).toEqual([]);
    expect(queue.deadLettered).toStrictEqual([
      {
        reason: 'exhausted',
        error: 'HTTP 500',
        event: platformEvent(),
        subscription: 'ops',
        deliveryId: 'msg_delivery1',
        attempts: 3,
        firstAttemptAt,
        lastAttemptAt: iso(FIXED_NOW),
      },
    ]);
    expect(metrics.counts[METRICS.deadLettered]).toBe(1);
    expect(metrics.counts[DEAD_LETTERED_BY_REASON.exhausted]).toBe(1);
    expect(metrics.counts[DEAD_LETTERED_BY_REASON.permanent]).toBeUndefined();
  });

  it('dead-letters the only attempt of an empty schedule as exhausted', async () => {
    // Prepare
    const { deps, queue } = fakeDeps({ http: networkError('ECONNREFUSED'), config: { retrySchedule: [] } });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.deadLettered).toEqual([expect.objectContaining({ reason: 'exhausted', attempts: 1, error: expect.stringMatching(/^ECONNREFUSED/) })]);
  });

  it('dead-letters HTTP 404 at once as permanent', async () => {
    // Prepare
    const { deps, queue, subscriptions, metrics } = fakeDeps({ http: response(404) });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.enqueued).toEqual([]);
    expect(queue.deadLettered).toStrictEqual([
      {
        reason: 'permanent',
        error: 'HTTP 404',
        event: platformEvent(),
        subscription: 'ops',
        deliveryId: 'msg_delivery1',
        attempts: 1,
        firstAttemptAt: iso(FIXED_NOW),
        lastAttemptAt: iso(FIXED_NOW),
      },
    ]);
    expect(subscriptions.disabled).toEqual([]);
    expect(metrics.counts[DEAD_LETTERED_BY_REASON.permanent]).toBe(1);
  });

  it('dead-letters a redirect at once, naming its location', async () => {
    // Prepare
    const { deps, queue, http } = fakeDeps({ http: response(301, { location: 'https://moved.example.com/hook' }) });

    // Act
    await attempt(job({ attempt: 2, firstAttemptAt: iso(FIXED_NOW - 5000) }), batchContext(), deps);

    // Assess
    expect(http.requests).toHaveLength(1);
    expect(queue.deadLettered).toEqual([
      expect.objectContaining({ reason: 'permanent', attempts: 2, error: expect.stringContaining('https://moved.example.com/hook') }),
    ]);
  });

  it('dead-letters a refused target at once', async () => {
    // Prepare
    const { deps, queue } = fakeDeps({ http: refused() });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.deadLettered).toEqual([expect.objectContaining({ reason: 'permanent' })]);
    expect(queue.enqueued).toEqual([]);
  });

  it('disables the subscription on HTTP 410 and dead-letters the delivery', async () => {
    // Prepare
    const { deps, queue, subscriptions } = fakeDeps({ http: response(410) });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(subscriptions.disabled).toEqual(['ops']);
    expect(queue.deadLettered).toEqual([expect.objectContaining({ reason: 'permanent', error: expect.stringContaining('410') })]);
  });

  it.each([
    ['version-moved', 'warn', 'subscription not disabled after HTTP 410 Gone: it changed since this delivery read it'],
    ['gone', 'info', 'subscription not disabled after HTTP 410 Gone: it no longer exists'],
  ] as const)('logs a disable that wrote nothing (%s) and still dead-letters the delivery', async (disableResult, level, message) => {
    // Prepare
    const { deps, queue, log } = fakeDeps({ http: response(410), disableResult });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.deadLettered).toEqual([expect.objectContaining({ reason: 'permanent', error: expect.stringContaining('410') })]);
    expect(log.lines).toContainEqual(expect.objectContaining({ level, message, fields: expect.objectContaining({ subscription: 'ops' }) }));
    expect(log.lines.filter((line) => line.level === 'error' && line.message.includes('disable'))).toEqual([]);
  });

  it('logs a failure to disable and still dead-letters the delivery', async () => {
    // Prepare
    const { deps, queue, log } = fakeDeps({ http: response(410), failDisable: true });

    // Act
    const settled = attempt(job(), batchContext(), deps);

    // Assess
    await expect(settled).resolves.toBeUndefined();
    expect(queue.deadLettered).toHaveLength(1);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringContaining('could not disable'), fields: expect.objectContaining({ subscription: 'ops' }) }),
    );
  });

  it('re-enqueues, with the same attempt and no HTTP call, a delivery there is no time left to finish', async () => {
    // Prepare
    const { deps, queue, http, metrics } = fakeDeps();
    const firstAttemptAt = iso(FIXED_NOW - 5000);

    // Act
    await attempt(job({ attempt: 2, firstAttemptAt, lastError: 'HTTP 500' }), batchContext({ remainingMs: 5_000 }), deps);

    // Assess
    expect(http.requests).toEqual([]);
    expect(queue.enqueued).toEqual([
      {
        delaySeconds: 0,
        message: {
          kind: DELIVERY_KIND,
          event: platformEvent(),
          attempt: 2,
          deliveries: [{ subscription: 'ops', firstAttemptAt, lastError: 'HTTP 500' }],
        },
      },
    ]);
    expect(metrics.counts[METRICS.deferred]).toBe(1);
  });

  it("reserves the subscription's own timeout plus the settle margin before the deadline", async () => {
    // Prepare
    const sub = subscription({ timeoutMs: 2500 });
    const enough = fakeDeps({ subscriptions: [sub] });
    const short = fakeDeps({ subscriptions: [sub] });

    // Act
    await attempt(job({}, sub), batchContext({ remainingMs: 2500 + SETTLE_MARGIN_MS }), enough.deps);
    await attempt(job({}, sub), batchContext({ remainingMs: 2500 + SETTLE_MARGIN_MS - 1 }), short.deps);

    // Assess
    expect(enough.http.requests).toHaveLength(1);
    expect(short.http.requests).toEqual([]);
    expect(short.queue.enqueued).toHaveLength(1);
  });

  it.each([
    ['rendering the body', { body: () => { throw new RangeError('Maximum call stack size exceeded'); } }, 'could not build the request: RangeError: Maximum call stack size exceeded'],
  ])('dead-letters a delivery as permanent, without a request, when %s throws', async (_step, overrides, error) => {
    // Prepare
    const { deps, queue, http, metrics } = fakeDeps();

    // Act
    await attempt(job(overrides), batchContext(), deps);

    // Assess
    expect(http.requests).toEqual([]);
    expect(queue.deadLettered).toEqual([expect.objectContaining({ reason: 'permanent', error, subscription: 'ops', attempts: 1 })]);
    expect(metrics.counts[METRICS.deadLettered]).toBe(1);
  });

  it('dead-letters a delivery as permanent when the HTTP sender throws, against its contract', async () => {
    // Prepare
    const { deps, queue } = fakeDeps();
    const throwing: DispatcherDeps = { ...deps, http: { send: async () => { throw new TypeError('sender bug'); } } };

    // Act
    await attempt(job(), batchContext(), throwing);

    // Assess
    expect(queue.deadLettered).toEqual([expect.objectContaining({ reason: 'permanent', error: 'could not send the request: TypeError: sender bug' })]);
  });

  it(`keeps at most ${MAX_ERROR_CHARS} characters of an error`, async () => {
    // Prepare
    const { deps, queue } = fakeDeps({ http: networkError('ECONNRESET', 'socket hang up; '.repeat(1000)), config: { retrySchedule: [] } });

    // Act
    await attempt(job(), batchContext(), deps);

    // Assess
    expect(queue.deadLettered[0]?.error.length).toBeLessThanOrEqual(MAX_ERROR_CHARS);
    expect(queue.deadLettered[0]?.error).toMatch(/^ECONNRESET: (socket hang up; )+.*… \(\d+ characters in all\)$/);
  });

  it('rejects when the retry cannot be enqueued', async () => {
    // Prepare
    const queue = fakeQueue({ enqueue: () => true });
    const { deps } = fakeDeps({ http: response(500), queue });

    // Act
    const settled = attempt(job(), batchContext(), deps);

    // Assess
    await expect(settled).rejects.toThrow('SQS SendMessage failed');
  });

  it('never writes the secret to a log line, a retry or a dead-letter record', async () => {
    // Prepare
    const key = secret();
    const sub = subscription({ secret: key });
    const results = [response(200), response(500), response(404), response(410), networkError(), refused()];
    const outputs: string[] = [];

    // Act
    for (const result of results) {
      for (const remainingMs of [15 * 60_000, 1000]) {
        const { deps, log, queue } = fakeDeps({ subscriptions: [sub], http: result, config: { retrySchedule: [SECOND] } });
        await attempt(job({}, sub), batchContext({ remainingMs }), deps);
        await attempt(job({ attempt: 2 }, sub), batchContext({ remainingMs }), deps);
        outputs.push(log.text(), JSON.stringify(queue.enqueued), JSON.stringify(queue.deadLettered));
      }
    }

    // Assess
    const everything = outputs.join('\n');
    expect(everything).toContain('msg_delivery1');
    expect(everything).not.toContain(key.slice('whsec_'.length));
  });
});
