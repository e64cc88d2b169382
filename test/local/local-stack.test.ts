import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import type { ReceivedDelivery } from '../../local/demo-receiver';
import type { LocalStack } from '../../local/local-stack';
import { DELIVERY_KIND } from '../../lambda/core/inbound/messages';
import { publishedEvent, secret } from '../support/factories';
import { removeDataDirs, startTestStack, waitFor } from './test-stack';

const PATH = '/platform-webhooks/subscriptions';
const region = 'us-east-1';

describe('startLocalStack', () => {
  let stack: LocalStack;
  const deliveries: ReceivedDelivery[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ onDelivery: (delivery) => deliveries.push(delivery) });
  });

  afterAll(async () => {
    await stack?.stop();
    await removeDataDirs();
  });

  it('answers SQS and SSM through one loopback endpoint to SDK clients given only that endpoint', async () => {
    // Prepare
    const sqs = new SQSClient({ endpoint: stack.endpoint, region });
    const ssm = new SSMClient({ endpoint: stack.endpoint, region });

    // Act
    const { QueueUrls: queues } = await sqs.send(new ListQueuesCommand({}));
    const value = JSON.stringify({ url: 'http://127.0.0.1:9/one-endpoint', events: ['*'] });
    await ssm.send(new PutParameterCommand({ Name: `${PATH}/one-endpoint`, Type: 'String', Value: value }));
    const { Parameter: parameter } = await ssm.send(new GetParameterCommand({ Name: `${PATH}/one-endpoint` }));

    // Assess
    expect(stack.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(queues).toEqual(expect.arrayContaining([stack.queueUrl, stack.retryQueueUrl, stack.dlqUrl]));
    expect(stack.queueUrl).toBe(`${stack.endpoint}/000000000000/platform-webhooks-events`);
    expect(stack.retryQueueUrl).toBe(`${stack.endpoint}/000000000000/platform-webhooks-retries`);
    expect(stack.dlqUrl).toBe(`${stack.endpoint}/000000000000/platform-webhooks-dlq`);
    expect(parameter?.Value).toBe(value);
  });

  it('serves a client configured by AWS_ENDPOINT_URL alone', async () => {
    // Prepare
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = stack.endpoint;
    try {
      const sqs = new SQSClient({ region });

      // Act
      const { QueueUrl: found } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'platform-webhooks-dlq' }));

      // Assess
      expect(found).toBe(stack.dlqUrl);
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previous;
    }
  });

  it('hands out queue URLs that resolve, so a client with no endpoint at all sends to the queue URL', async () => {
    // Prepare
    const viaEndpoint = new SQSClient({ endpoint: stack.endpoint, region });
    const { QueueUrl: probeUrl = '' } = await viaEndpoint.send(new CreateQueueCommand({ QueueName: 'probe' }));
    const noEndpoint = new SQSClient({ region });
    const sdkNotice = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act
    await noEndpoint.send(new SendMessageCommand({ QueueUrl: probeUrl, MessageBody: 'hello' }));
    const { Messages: messages = [] } = await noEndpoint.send(new ReceiveMessageCommand({ QueueUrl: probeUrl, WaitTimeSeconds: 1 }));

    // Assess
    expect(probeUrl).toBe(`${stack.endpoint}/000000000000/probe`);
    expect(messages.map((message) => message.Body)).toEqual(['hello']);
    expect(sdkNotice).toHaveBeenCalledWith(expect.stringContaining('using QueueUrl host as endpoint'));
    sdkNotice.mockRestore();
  });

  it('accepts a queue URL naming the endpoint by another host name', async () => {
    // Prepare
    const sqs = new SQSClient({ endpoint: stack.endpoint, region });
    const localhostUrl = stack.dlqUrl.replace('127.0.0.1', 'localhost');

    // Act
    const { Attributes: attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: localhostUrl, AttributeNames: ['QueueArn'] }));

    // Assess
    expect(attributes.QueueArn).toBe('arn:aws:sqs:us-east-1:000000000000:platform-webhooks-dlq');
  });

  it("creates the events queue and the retry queue redriving to the DLQ as the deployed stack's do", async () => {
    // Prepare
    const sqs = new SQSClient({ endpoint: stack.endpoint, region });
    const attributes = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};

    // Act
    const [queue, retries, dlq] = [await attributes(stack.queueUrl), await attributes(stack.retryQueueUrl), await attributes(stack.dlqUrl)];

    // Assess
    for (const source of [queue, retries]) {
      expect(JSON.parse(source.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: dlq.QueueArn, maxReceiveCount: 5 });
      expect(source.VisibilityTimeout).toBe('360');
    }
    expect(dlq.MessageRetentionPeriod).toBe(String(14 * 24 * 3600));
  });

  it('delivers a published event to the receiver, with the signature verified or reported unsigned', async () => {
    // Prepare
    const ssm = new SSMClient({ endpoint: stack.endpoint, region });
    const sqs = new SQSClient({ endpoint: stack.endpoint, region });
    const subscribe = (name: string, extra: object): Promise<unknown> =>
      ssm.send(new PutParameterCommand({
        Name: `${PATH}/${name}`,
        Type: 'SecureString',
        Overwrite: true,
        Value: JSON.stringify({ url: `${stack.receiverUrl}/${name}`, events: ['jobs.*'], ...extra }),
      }));
    await subscribe('signed', { secret: secret() });
    await subscribe('plain', {});

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: JSON.stringify(publishedEvent({ type: 'jobs.failed' })) }));
    const received = await waitFor(() => deliveries.filter((delivery) => delivery.event === 'jobs.failed'), 2, 'deliveries');

    // Assess
    const by = (name: string) => received.find((delivery) => delivery.subscription === name);
    expect(by('signed')?.signature).toEqual({ result: 'verified' });
    expect(by('plain')?.signature).toEqual({ result: 'unsigned' });
    expect(by('signed')).toMatchObject({ attempt: '1', webhookId: expect.stringMatching(/^msg_/) });
    expect(JSON.parse(by('signed')?.body ?? '{}')).toMatchObject({ type: 'jobs.failed', data: publishedEvent().data });
  });

  it('delivers a retry from the retry queue, and dead-letters one published to the events queue without delivering it', async () => {
    // Prepare
    const ssm = new SSMClient({ endpoint: stack.endpoint, region });
    const sqs = new SQSClient({ endpoint: stack.endpoint, region });
    await ssm.send(new PutParameterCommand({ Name: `${PATH}/retried`, Type: 'String', Overwrite: true, Value: JSON.stringify({ url: `${stack.receiverUrl}/retried`, events: ['builds.*'] }) }));
    const retry = (id: string) => JSON.stringify({ kind: DELIVERY_KIND, event: publishedEvent({ id, type: 'builds.failed' }), attempt: 2, deliveries: [{ subscription: 'retried' }] });

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: retry('evt_forged') }));
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.retryQueueUrl, MessageBody: retry('evt_retried') }));
    const received = await waitFor(() => deliveries.filter((delivery) => delivery.subscription === 'retried'), 1, 'a delivery of the retry');
    let dead: Message[] = [];
    for (let tries = 0; dead.length === 0 && tries < 15; tries++) dead = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.dlqUrl, WaitTimeSeconds: 1 }))).Messages ?? [];

    // Assess
    expect(received.map((delivery) => [JSON.parse(delivery.body).id, delivery.attempt])).toEqual([['evt_retried', '2']]);
    expect(JSON.parse(dead[0]?.Body ?? '{}')).toMatchObject({ reason: 'invalid-event', error: expect.stringContaining('arrived on queue "platform-webhooks-events"') });
  });
});
