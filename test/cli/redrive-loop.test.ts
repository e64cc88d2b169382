import { deadLetterEntry } from '../../cli/dead-letter-entry';
import type { DeadLetterEntry } from '../../cli/dead-letter-entry';
import type { DeadLetterQueue } from '../../cli/dead-letter-queue';
import { redriveDeadLetters } from '../../cli/redrive-dead-letters';

/**
 * A DLQ that a function keeps feeding while the redrive runs: each forced invalid event sent back
 * is dead-lettered again as a new message with new times, as the deployed function does. Its
 * timing is the point, so the queue is a fake on a fixed clock.
 */
function refeedingQueue(now: () => number) {
  const waiting: DeadLetterEntry[] = [];
  const deleted: string[] = [];
  let next = 0;
  const add = (sentAt: number): void => {
    const at = new Date(sentAt).toISOString();
    const record = { reason: 'invalid-event', error: 'event type "jobs.bogus" is not in the catalogue', event: { type: 'jobs.bogus', data: {} }, attempts: 0, firstAttemptAt: at, lastAttemptAt: at };
    next++;
    waiting.push(deadLetterEntry({ MessageId: `m${next}`, ReceiptHandle: `r${next}`, Body: JSON.stringify(record), Attributes: { SentTimestamp: String(sentAt) } }));
  };
  const queue: DeadLetterQueue = {
    async visibleCount() {
      return waiting.length;
    },
    async receive(count) {
      return waiting.splice(0, count);
    },
    async release() {},
    async delete(entry) {
      deleted.push(entry.messageId);
    },
  };
  return { queue, add, deleted, sendBack: () => add(now()) };
}

describe('redriveDeadLetters', () => {
  it('ends when what it sends comes back to the DLQ as new messages: each is redriven once, what arrived since stays', async () => {
    // Prepare
    let clock = Date.parse('2026-11-30T10:00:00.000Z');
    const now = () => clock;
    const dlq = refeedingQueue(now);
    dlq.add(clock - 60_000);
    let sends = 0;

    // Act
    const result = await redriveDeadLetters({
      queue: dlq.queue,
      send: async () => {
        sends++;
        clock += 10;
        dlq.sendBack();
      },
      limit: Number.POSITIVE_INFINITY,
      force: true,
      now,
    });

    // Assess
    expect(sends).toBe(1);
    expect(result.redriven).toHaveLength(1);
    expect(dlq.deleted).toEqual(['m1']);
  });
});
