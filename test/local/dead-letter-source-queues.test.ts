import { CreateQueueCommand, GetQueueAttributesCommand, ListDeadLetterSourceQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';

import type { LocalStack } from '../../local/local-stack';
import { removeDataDirs, startTestStack } from './test-stack';

describe('ListDeadLetterSourceQueues at the local endpoint', () => {
  let stack: LocalStack;
  let sqs: SQSClient;
  let dlqUrl: string;
  let sourceUrls: string[];

  beforeAll(async () => {
    stack = await startTestStack();
    sqs = new SQSClient({ endpoint: stack.endpoint, region: 'us-east-1' });
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'sources-dlq' }))).QueueUrl ?? '';
    const { Attributes: { QueueArn: dlqArn } = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
    const redrive = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
    sourceUrls = [];
    for (const name of ['source-a', 'source-b', 'source-c']) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { RedrivePolicy: redrive } }));
      sourceUrls.push(QueueUrl ?? '');
    }
    await sqs.send(new CreateQueueCommand({ QueueName: 'unrelated' }));
  });

  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
    await removeDataDirs();
  });

  it('answers a JSON-protocol client with the queues that redrive to the given one', async () => {
    // Act
    const { queueUrls } = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }));

    // Assess
    expect(queueUrls?.sort()).toEqual([...sourceUrls].sort());
  });

  it('pages the answer by MaxResults, each NextToken leading to the next page', async () => {
    // Act
    const pages: string[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl, MaxResults: 2, NextToken }));
      pages.push(page.queueUrls ?? []);
      NextToken = page.NextToken;
    } while (NextToken !== undefined && pages.length < 5);

    // Assess
    expect(pages.map((page) => page.length)).toEqual([2, 1]);
    expect(pages.flat().sort()).toEqual([...sourceUrls].sort());
  });

  it('refuses a NextToken it did not hand out, and reports a missing queue as SQS does', async () => {
    // Act
    const badToken = sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl, MaxResults: 2, NextToken: 'not-a-token' }));
    const missing = sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: `${stack.endpoint}/000000000000/no-such-queue` }));

    // Assess
    await expect(badToken).rejects.toThrow('The NextToken is not valid; pass the NextToken of the previous page unchanged.');
    await expect(missing).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
