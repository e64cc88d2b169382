import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { MAX_SQS_DELAY_SECONDS } from '../core/delivery/retry-policy';
import { deadLetterBody, queueBody } from '../core/inbound/queue-body';
import type { DeliveryQueue } from '../core/ports';

export interface SqsDeliveryQueueOptions {
  readonly client: SQSClient;
  /** The retry queue (docs/design.md §4): retries and deferred deliveries go there as delivery messages, never to the events queue. */
  readonly retryQueueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** Re-enqueues delivery messages on the retry queue and sends dead-letter records, each as SQS accepts it (`queue-body.ts`). */
export function createSqsDeliveryQueue({ client, retryQueueUrl, deadLetterQueueUrl }: SqsDeliveryQueueOptions): DeliveryQueue {
  return {
    async enqueue(message, delaySeconds) {
      assertDelay(delaySeconds);
      await client.send(new SendMessageCommand({ QueueUrl: retryQueueUrl, MessageBody: queueBody(message), DelaySeconds: delaySeconds }));
    },
    async deadLetter(record) {
      await client.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: deadLetterBody(record) }));
    },
  };
}

/**
 * SQS rejects a DelaySeconds outside 0–900 (some emulators accept it, so we check it ourselves).
 * @throws {RangeError}
 */
export function assertDelay(delaySeconds: number): void {
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_SQS_DELAY_SECONDS) {
    throw new RangeError(`Expected \`delaySeconds\` to be an integer from 0 to ${MAX_SQS_DELAY_SECONDS}, got ${delaySeconds}`);
  }
}
