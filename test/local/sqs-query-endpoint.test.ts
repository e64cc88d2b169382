import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

import type { LocalStack } from '../../local/local-stack';
import { md5OfBody, md5OfMessageAttributes } from './sqs-md5';
import { removeDataDirs, startTestStack } from './test-stack';

const region = 'us-east-1';

/** The text of every `<tag>` element, unescaped as an XML parser would. */
function texts(xml: string, tag: string): string[] {
  const unescape = (text: string): string => text.replace(/&#xD;/g, '\r').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((match) => unescape(match[1] ?? ''));
}

describe("the local endpoint in SQS's query protocol", () => {
  let stack: LocalStack;
  let sqs: SQSClient;

  /** POSTs a form as botocore does: `Action`, `Version`, then the members, form-encoded. */
  const query = async (action: string, members: Record<string, string> = {}): Promise<{ status: number; xml: string }> => {
    const body = new URLSearchParams({ Action: action, Version: '2012-11-05', ...members });
    const response = await fetch(stack.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
    return { status: response.status, xml: await response.text() };
  };
  const createQueue = async (name: string): Promise<string> => texts((await query('CreateQueue', { QueueName: name })).xml, 'QueueUrl')[0] ?? '';

  beforeAll(async () => {
    stack = await startTestStack();
    sqs = new SQSClient({ endpoint: stack.endpoint, region });
  });

  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
    await removeDataDirs();
  });

  it("lists the stack's queues with URLs that resolve to the endpoint", async () => {
    // Act
    const { status, xml } = await query('ListQueues', { QueueNamePrefix: 'platform-webhooks' });

    // Assess
    expect(status).toBe(200);
    expect(texts(xml, 'QueueUrl').sort()).toEqual([stack.dlqUrl, stack.queueUrl, stack.retryQueueUrl].sort());
  });

  it('sends and receives a message byte for byte, with the MD5s a client computes for its body and attributes', async () => {
    // Prepare
    const queueUrl = await createQueue('query-round-trip');
    const body = '{"type":"jobs.failed","note":"line 1\r\nline 2 <b>&amp;</b> ünïcødé ✓"}';
    const attributes = {
      source: { DataType: 'String', StringValue: 'platform & co' },
      attempt: { DataType: 'Number', StringValue: '3' },
      raw: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 254, 255]).toString('base64') },
    };
    const attributeMembers = Object.entries(attributes).flatMap(([name, value], index) => [
      [`MessageAttribute.${index + 1}.Name`, name],
      ...Object.entries(value).map(([field, text]) => [`MessageAttribute.${index + 1}.Value.${field}`, text]),
    ]);

    // Act
    const sent = await query('SendMessage', { QueueUrl: queueUrl, MessageBody: body, ...Object.fromEntries(attributeMembers) });
    const received = await query('ReceiveMessage', { QueueUrl: queueUrl, MessageAttributeName: 'All', WaitTimeSeconds: '5' });

    // Assess
    expect(sent.status).toBe(200);
    expect(texts(sent.xml, 'MD5OfMessageBody')).toEqual([md5OfBody(body)]);
    expect(texts(sent.xml, 'MD5OfMessageAttributes')).toEqual([md5OfMessageAttributes(attributes)]);
    expect(texts(received.xml, 'Body')).toEqual([body]);
    expect(texts(received.xml, 'MD5OfBody')).toEqual([md5OfBody(body)]);
    expect(texts(received.xml, 'MD5OfMessageAttributes')).toEqual([md5OfMessageAttributes(attributes)]);
    expect(texts(received.xml, 'Name')).toEqual(['source', 'attempt', 'raw']);
    expect(texts(received.xml, 'StringValue')).toEqual(['platform & co', '3']);
    expect(texts(received.xml, 'BinaryValue')).toEqual([attributes.raw.BinaryValue]);
  });

  it('delays the messages sent with DelaySeconds, alone or in a batch entry', async () => {
    // Prepare
    const queueUrl = await createQueue('query-delays');

    // Act
    await query('SendMessage', { QueueUrl: queueUrl, MessageBody: 'later', DelaySeconds: '900' });
    await query('SendMessageBatch', {
      QueueUrl: queueUrl,
      'SendMessageBatchRequestEntry.1.Id': 'later',
      'SendMessageBatchRequestEntry.1.MessageBody': 'later too',
      'SendMessageBatchRequestEntry.1.DelaySeconds': '900',
      'SendMessageBatchRequestEntry.2.Id': 'now',
      'SendMessageBatchRequestEntry.2.MessageBody': 'now',
    });
    const { Attributes: counts = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }),
    );

    // Assess
    expect(counts).toEqual({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesDelayed: '2' });
  });

  it("answers a missing queue with AWS's XML ErrorResponse and the query protocol's code", async () => {
    // Act
    const { status, xml } = await query('GetQueueUrl', { QueueName: 'no-such-queue' });

    // Assess
    expect(status).toBe(400);
    expect(xml).toMatch(/^<\?xml version="1.0"\?><ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type>/);
    expect(texts(xml, 'Code')).toEqual(['AWS.SimpleQueueService.NonExistentQueue']);
    expect(texts(xml, 'RequestId')).toHaveLength(1);
  });

  it('lists the events and retry queues as the sources of the DLQ', async () => {
    // Act
    const { status, xml } = await query('ListDeadLetterSourceQueues', { QueueUrl: stack.dlqUrl });

    // Assess
    expect(status).toBe(200);
    expect(texts(xml, 'QueueUrl').sort()).toEqual([stack.queueUrl, stack.retryQueueUrl].sort());
  });
});
