import { createRetryOutbox, deliveryMessages } from '../../lambda/core/delivery/retry-outbox';
import { DELIVERY_KIND } from '../../lambda/core/inbound/messages';
import { SQS_MAX_MESSAGE_BYTES } from '../../lambda/core/inbound/envelope';
import { bodyBytes, queueBody } from '../../lambda/core/inbound/queue-body';
import { FIXED_NOW, fakeDeps, fakeQueue, platformEvent } from '../support/factories';

const SECOND = 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe('createRetryOutbox', () => {
  it('sends the retries of one attempt as one message, all due after one jittered delay', async () => {
    // Prepare
    const { deps, queue } = fakeDeps({ random: 0, config: { retrySchedule: [5 * SECOND] } });
    const outbox = createRetryOutbox(platformEvent(), deps);

    // Act
    const waits = ['a', 'b', 'c'].map((name) => outbox.retry({ subscription: name, lastError: 'HTTP 500' }, 1, undefined));
    const failures = await outbox.flush();

    // Assess
    expect(waits).toEqual([4 * SECOND, 4 * SECOND, 4 * SECOND]);
    expect(failures).toEqual([]);
    expect(queue.enqueued).toEqual([
      {
        delaySeconds: 4,
        message: {
          kind: DELIVERY_KIND,
          event: platformEvent(),
          attempt: 2,
          dueAt: iso(FIXED_NOW + 4 * SECOND),
          deliveries: ['a', 'b', 'c'].map((name) => ({ subscription: name, lastError: 'HTTP 500' })),
        },
      },
    ]);
    expect(outbox.size).toBe(0);
  });

  it('answers undefined, adding nothing, once the schedule is exhausted', async () => {
    // Prepare
    const { deps, queue } = fakeDeps({ config: { retrySchedule: [5 * SECOND] } });
    const outbox = createRetryOutbox(platformEvent(), deps);

    // Act
    const wait = outbox.retry({ subscription: 'a' }, 2, undefined);
    await outbox.flush();

    // Assess
    expect(wait).toBeUndefined();
    expect(queue.enqueued).toEqual([]);
  });

  it('keeps deferred deliveries apart from retries, at their own attempt and due at once', async () => {
    // Prepare
    const { deps, queue } = fakeDeps({ config: { retrySchedule: [5 * SECOND] } });
    const outbox = createRetryOutbox(platformEvent(), deps);

    // Act
    outbox.retry({ subscription: 'failed' }, 1, undefined);
    outbox.defer({ subscription: 'late' }, 1);
    outbox.defer({ subscription: 'unread' }, 1, 30 * SECOND);
    await outbox.flush();

    // Assess
    const sent = queue.enqueued.map(({ message, delaySeconds }) => ({ names: message.deliveries.map((d) => d.subscription), attempt: message.attempt, dueAt: message.dueAt, delaySeconds }));
    expect(sent).toEqual([
      { names: ['failed'], attempt: 2, dueAt: iso(FIXED_NOW + 5 * SECOND), delaySeconds: 5 },
      { names: ['late'], attempt: 1, dueAt: undefined, delaySeconds: 0 },
      { names: ['unread'], attempt: 1, dueAt: iso(FIXED_NOW + 30 * SECOND), delaySeconds: 30 },
    ]);
  });

  it('returns the errors of the sends that failed, after every send has settled', async () => {
    // Prepare
    const queue = fakeQueue({ enqueue: (message) => message.attempt === 2 });
    const { deps } = fakeDeps({ queue, config: { retrySchedule: [5 * SECOND] } });
    const outbox = createRetryOutbox(platformEvent(), deps);
    outbox.retry({ subscription: 'a' }, 1, undefined);
    outbox.defer({ subscription: 'b' }, 1);

    // Act
    const failures = await outbox.flush();

    // Assess
    expect(failures).toEqual([expect.objectContaining({ message: expect.stringContaining('SQS SendMessage failed') })]);
    expect(queue.enqueued.map(({ message }) => message.deliveries[0]?.subscription)).toEqual(['b']);
  });
});

describe('deliveryMessages', () => {
  it('splits the deliveries of a 256 KiB event over as few messages as fit in SQS, each within its limit', () => {
    // Prepare
    const event = platformEvent({ data: { blob: 'x'.repeat(250 * 1024) } });
    const deliveries = Array.from({ length: 10_000 }, (_, i) => ({ subscription: `subscription-${String(i).padStart(5, '0')}`, firstAttemptAt: iso(FIXED_NOW), lastError: 'HTTP 500' }));

    // Act
    const messages = deliveryMessages(event, { attempt: 2, dueAt: FIXED_NOW + 5 * SECOND, deliveries });

    // Assess
    const sizes = messages.map((message) => bodyBytes(queueBody(message)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
    expect(messages.flatMap((message) => message.deliveries)).toEqual(deliveries);
    expect(messages).toHaveLength(2);
  });
});
