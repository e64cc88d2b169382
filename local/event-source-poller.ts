import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { BatchHandler } from '../lambda/handler';
import { lambdaContext } from './lambda-context';

export interface PollerOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly handler: BatchHandler;
  /** Records per invocation, at most 10 (SQS's receive limit). */
  readonly batchSize?: number;
  /** Long polling wait, seconds (0–20). */
  readonly waitTimeSeconds?: number;
  /** The function timeout the handler sees through `getRemainingTimeInMillis`. */
  readonly functionTimeoutMs?: number;
  /** How long a received message stays invisible; Lambda's event source uses the queue's setting. */
  readonly visibilityTimeoutSeconds?: number;
  /** Called when an invocation throws (Lambda would retry the whole batch after the visibility timeout). */
  readonly onError?: (error: unknown) => void;
}

export interface PollResult {
  readonly received: number;
  readonly failed: number;
}

/**
 * Behaves like Lambda's SQS event source mapping: receives batches with long polling, invokes the
 * handler, deletes the records that succeeded and leaves `batchItemFailures` (or a whole batch
 * whose invocation threw) to reappear after the visibility timeout.
 */
export class EventSourcePoller {
  readonly #options: PollerOptions;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  /** Receives one batch and invokes the handler with it. */
  async pollOnce(): Promise<PollResult> {
    const { client, queueUrl, handler } = this.#options;
    const { Messages: messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: this.#options.batchSize ?? 10,
        WaitTimeSeconds: this.#options.waitTimeSeconds ?? 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        ...(this.#options.visibilityTimeoutSeconds !== undefined && { VisibilityTimeout: this.#options.visibilityTimeoutSeconds }),
      }),
    );
    if (messages.length === 0) return { received: 0, failed: 0 };
    const event: SQSEvent = { Records: messages.map((message) => toRecord(message, queueUrl)) };
    let failedIds: Set<string>;
    try {
      const response = await handler(event, lambdaContext(this.#options.functionTimeoutMs ?? 60_000));
      failedIds = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.#options.onError?.(error);
      return { received: messages.length, failed: messages.length };
    }
    const done = messages.filter((message) => !failedIds.has(message.MessageId ?? ''));
    if (done.length > 0) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })),
        }),
      );
    }
    return { received: messages.length, failed: failedIds.size };
  }

  /** Polls until {@link stop} is called. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        try {
          await this.pollOnce();
        } catch (error) {
          this.#options.onError?.(error);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    })();
  }

  /** Stops after the batch in progress. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }
}

/**
 * The record Lambda's event source would build from a received SQS message, with the
 * `eventSourceARN` of the queue it came from (`<endpoint>/<account>/<name>` → `arn:aws:sqs:…:<account>:<name>`),
 * which the handler uses to tell the retry queue from the events queue.
 */
export function toRecord(message: Message, queueUrl: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const [account = '000000000000', queueName = ''] = queueUrl.replace(/\/+$/, '').split('/').slice(-2);
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:${account}:${queueName}`,
    awsRegion: 'us-east-1',
  };
}
