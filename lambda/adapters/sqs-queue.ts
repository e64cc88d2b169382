import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { MAX_SQS_DELAY_SECONDS } from '../core/delivery/attempt';
import type { DeliveryQueue } from '../core/ports';

export interface SqsDeliveryQueueOptions {
  readonly client: SQSClient;
  /** The events queue: retries are re-enqueued there as delivery messages. */
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** Re-enqueues delivery messages and sends dead-letter records over SQS. */
export function createSqsDeliveryQueue({ client, queueUrl, deadLetterQueueUrl }: SqsDeliveryQueueOptions): DeliveryQueue {
  return {
    async enqueue(message, delaySeconds) {
      assertDelay(delaySeconds);
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message), DelaySeconds: delaySeconds }));
    },
    async deadLetter(record) {
      await client.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: JSON.stringify(record) }));
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
