import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterEntry } from './dead-letter-entry';
import type { DeadLetterEntry } from './dead-letter-entry';
import type { EventCatalogue } from '../lambda/core/inbound/events';

/** SQS returns at most 10 messages per receive and changes at most 10 visibilities per batch. */
const SQS_BATCH = 10;

/**
 * How long a listing hides the messages it has seen, so paging does not see them twice; they are
 * made visible again as soon as the listing ends, and by SQS after this long if the CLI is killed.
 */
export const LIST_VISIBILITY_SECONDS = 10;

/** How long a redrive hides a message between receiving it and deleting it once its replacement is sent. */
export const REDRIVE_VISIBILITY_SECONDS = 60;

/** The dead-letter queue as the CLI reads it: receive without deleting, release, delete. */
export interface DeadLetterQueue {
  /**
   * Receives up to `count` (≤ 10) messages, hidden for `visibilitySeconds`; waits up to
   * `waitSeconds` (default 1: long polling, so SQS asks all its servers) and returns an empty list
   * when none are visible.
   */
  receive(count: number, visibilitySeconds: number, waitSeconds?: number): Promise<DeadLetterEntry[]>;
  /**
   * How many messages SQS counts as visible (`ApproximateNumberOfMessages`): approximate, and
   * behind by up to a minute after messages arrive or leave.
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
   */
  visibleCount(): Promise<number>;
  /** Makes received messages visible again at once. */
  release(entries: readonly DeadLetterEntry[]): Promise<void>;
  delete(entry: DeadLetterEntry): Promise<void>;
}

/** The dead-letter queue at `queueUrl`, over an SQS client; its events read against `catalogue` (see {@link deadLetterEntry}). */
export function createDeadLetterQueue(client: SQSClient, queueUrl: string, catalogue?: EventCatalogue): DeadLetterQueue {
  return {
    async receive(count, visibilitySeconds, waitSeconds = 1) {
      const { Messages: messages = [] } = await client.send(new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(count, SQS_BATCH),
        VisibilityTimeout: visibilitySeconds,
        WaitTimeSeconds: waitSeconds,
        // DeadLetterQueueSourceArn names the queue a redrive policy moved a message from.
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount', 'DeadLetterQueueSourceArn'],
      }));
      return messages.map((message) => deadLetterEntry(message, catalogue));
    },
    async visibleCount() {
      const { Attributes: attributes = {} } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      const count = Number(attributes.ApproximateNumberOfMessages ?? 0);
      return Number.isFinite(count) ? count : 0;
    },
    async release(entries) {
      for (let start = 0; start < entries.length; start += SQS_BATCH) {
        const chunk = entries.slice(start, start + SQS_BATCH);
        await client.send(new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((entry, index) => ({ Id: String(index), ReceiptHandle: entry.receiptHandle, VisibilityTimeout: 0 })),
        }));
      }
    },
    async delete(entry) {
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: entry.receiptHandle }));
    },
  };
}

/**
 * Up to `max` messages of the DLQ, left in it: received with a short visibility timeout, then
 * released. Receiving counts as a receive (`ApproximateReceiveCount`) but deletes nothing.
 * Receives wait (long polling) only while SQS's count of visible messages says more are there;
 * past it, they ask without waiting until one comes back empty, so a listing neither waits a
 * second at its end nor trusts a count that lags by up to a minute.
 */
export async function peekDeadLetters(queue: DeadLetterQueue, max: number): Promise<DeadLetterEntry[]> {
  const seen: DeadLetterEntry[] = [];
  const received: DeadLetterEntry[] = [];
  // Without the count (a role allowed to receive but not to read attributes), every receive long-polls, as before.
  const counted = await queue.visibleCount().catch(() => Number.POSITIVE_INFINITY);
  try {
    while (seen.length < max) {
      const batch = await queue.receive(max - seen.length, LIST_VISIBILITY_SECONDS, seen.length < counted ? 1 : 0);
      received.push(...batch);
      const fresh = batch.filter((entry) => !seen.some((other) => other.messageId === entry.messageId));
      if (fresh.length === 0) break;
      seen.push(...fresh);
    }
  } finally {
    await queue.release(received);
  }
  return seen;
}
