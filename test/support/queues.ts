import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';

/** The fauxqs emulator started by jest's globalSetup. */
export function fauxqsEndpoint(): string {
  const endpoint = process.env.FAUXQS_ENDPOINT;
  if (!endpoint) throw new Error('FAUXQS_ENDPOINT is not set: run the tests through jest (its globalSetup starts fauxqs)');
  return endpoint;
}

/** An SQS client pointed at the emulator, without SDK retries so failures show at once. */
export function sqsClient(): SQSClient {
  return new SQSClient({ endpoint: fauxqsEndpoint(), region: 'us-east-1', maxAttempts: 1 });
}

let counter = 0;

/** The queues of one test: events, retries (docs/design.md §4) and the DLQ. */
export interface TestQueues {
  readonly queueUrl: string;
  readonly retryQueueUrl: string;
  readonly dlqUrl: string;
}

/** Creates a uniquely named events queue, retry queue and DLQ for one test. */
export async function createQueues(client: SQSClient, prefix: string): Promise<TestQueues> {
  const unique = `${prefix}-${process.pid}-${++counter}-${Date.now()}`;
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `${unique}-dlq` }));
  const queue = await client.send(new CreateQueueCommand({ QueueName: unique, Attributes: { VisibilityTimeout: '30' } }));
  const retries = await client.send(new CreateQueueCommand({ QueueName: `${unique}-retries`, Attributes: { VisibilityTimeout: '30' } }));
  return { queueUrl: queue.QueueUrl ?? '', retryQueueUrl: retries.QueueUrl ?? '', dlqUrl: dlq.QueueUrl ?? '' };
}

export async function send(client: SQSClient, queueUrl: string, body: string | object): Promise<string> {
  const result = await client.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: typeof body === 'string' ? body : JSON.stringify(body) }),
  );
  return result.MessageId ?? '';
}

/** Receives and deletes every message currently visible (waiting up to `waitSeconds` for the first). */
export async function drain(client: SQSClient, queueUrl: string, waitSeconds = 0): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages: messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: all.length === 0 ? waitSeconds : 0, MessageSystemAttributeNames: ['All'] }),
    );
    if (messages.length === 0) return all;
    for (const message of messages) {
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle ?? '' }));
      all.push(message);
    }
  }
}
