import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { PublishedEvent } from './invariant';
import type { SoakEvent } from './soak-plan';

/** The queues of a run: the events queue publishers send to, the retry queue only the function sends to, and the DLQ. */
export interface SoakQueues {
  readonly queueUrl: string;
  readonly retryQueueUrl: string;
  readonly dlqUrl: string;
}

/**
 * Creates the run's events queue, retry queue and DLQ, wired like the stack's (both redrive to the
 * DLQ), with the run's visibility timeout and maxReceiveCount.
 */
export async function createSoakQueues(
  client: SQSClient,
  options: { readonly name: string; readonly visibilitySeconds: number; readonly maxReceiveCount: number },
): Promise<SoakQueues> {
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `${options.name}-dlq` }));
  const dlqUrl = dlq.QueueUrl ?? '';
  const { Attributes: attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
  const redriving = async (name: string): Promise<string> => {
    const queue = await client.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(options.visibilitySeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: attributes?.QueueArn, maxReceiveCount: options.maxReceiveCount }),
        },
      }),
    );
    return queue.QueueUrl ?? '';
  };
  return { queueUrl: await redriving(`${options.name}-events`), retryQueueUrl: await redriving(`${options.name}-retries`), dlqUrl };
}

/** Messages in the queues: visible, in flight and delayed. Zero means no work is left anywhere. */
export async function queueDepth(client: SQSClient, queueUrls: readonly string[]): Promise<number> {
  let depth = 0;
  for (const queueUrl of queueUrls) {
    const { Attributes: attributes = {} } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    depth += Object.values(attributes).reduce((sum, value) => sum + Number(value), 0);
  }
  return depth;
}

/**
 * Publishes the events as the platform would (SendMessageBatch, 10 at a time) at `rate` per second,
 * stamping each with the time it was sent.
 * @throws {Error} when SQS refuses entries three times or `shouldStop` says so (time is up, or a signal).
 */
export async function publishEvents(
  client: SQSClient,
  queueUrl: string,
  events: readonly SoakEvent[],
  rate: number,
  shouldStop: () => boolean,
): Promise<PublishedEvent[]> {
  const published: PublishedEvent[] = [];
  const startedAt = Date.now();
  for (let offset = 0; offset < events.length; offset += 10) {
    if (shouldStop()) throw new Error(`publishing stopped after ${published.length} of ${events.length} events`);
    const wait = startedAt + (offset / rate) * 1000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    let batch = events.slice(offset, offset + 10).map((event) => ({ event, publishedAt: Date.now() }));
    for (let attempt = 1; batch.length > 0; attempt++) {
      if (attempt > 3) throw new Error(`SQS refused ${batch.length} events three times`);
      const { Failed: failed = [] } = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map(({ event, publishedAt }, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify({ type: event.type, id: event.id, timestamp: new Date(publishedAt).toISOString(), data: event.data }),
          })),
        }),
      );
      const failedIds = new Set(failed.map((entry) => entry.Id));
      for (const [index, entry] of batch.entries()) if (!failedIds.has(String(index))) published.push({ id: entry.event.id, type: entry.event.type, publishedAt: entry.publishedAt });
      batch = batch.filter((_, index) => failedIds.has(String(index)));
    }
  }
  return published;
}

/**
 * Every message body in a queue nobody else reads (the DLQ at the end of a run), left hidden so
 * each is read once.
 * @throws {Error} when the queue does not run dry within `timeoutMs`.
 */
export async function readAll(client: SQSClient, queueUrl: string, timeoutMs = 60_000): Promise<string[]> {
  const bodies: string[] = [];
  const until = Date.now() + timeoutMs;
  for (let empty = 0; empty < 2; ) {
    if (Date.now() > until) throw new Error(`${queueUrl} did not run dry within ${timeoutMs} ms`);
    const { Messages: messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 3600 }));
    empty = messages.length === 0 ? empty + 1 : 0;
    for (const message of messages) bodies.push(message.Body ?? '');
  }
  return bodies;
}
