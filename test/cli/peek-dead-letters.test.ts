import { peekDeadLetters } from '../../cli/dead-letter-queue';
import type { DeadLetterQueue } from '../../cli/dead-letter-queue';
import { deadLetterEntry } from '../../cli/dead-letter-entry';
import type { DeadLetterEntry } from '../../cli/dead-letter-entry';

/**
 * A DLQ whose ApproximateNumberOfMessages lags, as SQS's may for up to a minute: no local peer can
 * make SQS's count lag, so the queue is a fake that records how each receive waited.
 */
function laggingQueue(messages: number, counted: number): DeadLetterQueue & { readonly waits: number[]; readonly released: number[] } {
  const entries = Array.from({ length: messages }, (_, index) =>
    deadLetterEntry({ MessageId: `m${index}`, ReceiptHandle: `r${index}`, Body: JSON.stringify({ reason: 'exhausted', error: 'HTTP 500', event: {}, attempts: 3, firstAttemptAt: '2026-11-30T00:00:00.000Z', lastAttemptAt: '2026-11-30T00:00:00.000Z' }) }),
  );
  const hidden = new Set<string>();
  const waits: number[] = [];
  const released: number[] = [];
  return {
    waits,
    released,
    async visibleCount() {
      return counted;
    },
    async receive(count, _visibilitySeconds, waitSeconds = 1) {
      waits.push(waitSeconds);
      const batch: DeadLetterEntry[] = entries.filter((entry) => !hidden.has(entry.messageId)).slice(0, Math.min(count, 10));
      for (const entry of batch) hidden.add(entry.messageId);
      return batch;
    },
    async release(batch) {
      released.push(batch.length);
    },
    async delete() {},
  };
}

describe('peekDeadLetters', () => {
  it.each([
    [25, 0],
    [25, 3],
    [25, 25],
  ])('lists all %i messages when SQS counts %i visible, long-polling only while the count says more are there', async (messages, counted) => {
    // Prepare
    const queue = laggingQueue(messages, counted);

    // Act
    const listed = await peekDeadLetters(queue, 100);

    // Assess
    expect(listed.map((entry) => entry.messageId)).toEqual(Array.from({ length: messages }, (_, index) => `m${index}`));
    expect(queue.waits.at(-1)).toBe(0);
    expect(queue.waits.filter((wait) => wait === 1)).toHaveLength(Math.ceil(counted / 10));
    expect(queue.released.reduce((sum, count) => sum + count, 0)).toBe(messages);
  });

  it('lists every message, long-polling each receive, when the count cannot be read', async () => {
    // Prepare
    const queue = { ...laggingQueue(12, 12), visibleCount: () => Promise.reject(new Error('AccessDenied: sqs:GetQueueAttributes')) };

    // Act
    const listed = await peekDeadLetters(queue, 100);

    // Assess
    expect(listed).toHaveLength(12);
    expect(queue.waits).toEqual([1, 1, 1]);
  });

  it('stops at max', async () => {
    // Prepare
    const queue = laggingQueue(25, 25);

    // Act
    const listed = await peekDeadLetters(queue, 12);

    // Assess
    expect(listed).toHaveLength(12);
  });
});
