import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';

import { LOCAL_QUEUE_NAMES } from '../cli/aws-context';

/**
 * The deployed stack's settings (infra/webhook-dispatcher.ts), kept here as plain numbers so that
 * `npm start` does not load the CDK: a 60 s function timeout, a visibility timeout of six times
 * that, redrive to the DLQ after 5 receives, 14 days' retention in the DLQ.
 */
export const LOCAL_QUEUE_SETTINGS = {
  functionTimeoutSeconds: 60,
  visibilityTimeoutSeconds: 6 * 60,
  maxReceiveCount: 5,
  deadLetterRetentionSeconds: 14 * 24 * 60 * 60,
} as const;

/** The URLs of the local stack's queues. */
export interface LocalQueueUrls {
  readonly queueUrl: string;
  /** The internal retry queue (docs/design.md §4). */
  readonly retryQueueUrl: string;
  readonly dlqUrl: string;
}

/**
 * Creates the DLQ, and the events queue and retry queue redriving to it with the same settings;
 * resolves with their URLs. Idempotent.
 */
export async function createLocalQueues(sqs: SQSClient): Promise<LocalQueueUrls> {
  const settings = LOCAL_QUEUE_SETTINGS;
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: LOCAL_QUEUE_NAMES.deadLetter,
      Attributes: { MessageRetentionPeriod: String(settings.deadLetterRetentionSeconds) },
    }),
  );
  const dlqUrl = dlq.QueueUrl ?? '';
  const { Attributes: dlqAttributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
  const redriving = async (name: string): Promise<string> => {
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqAttributes.QueueArn, maxReceiveCount: settings.maxReceiveCount }),
        },
      }),
    );
    return queue.QueueUrl ?? '';
  };
  return { queueUrl: await redriving(LOCAL_QUEUE_NAMES.events), retryQueueUrl: await redriving(LOCAL_QUEUE_NAMES.retries), dlqUrl };
}
