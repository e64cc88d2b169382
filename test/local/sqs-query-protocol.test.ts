import { answerSqsQuery, sqsQueryForm } from '../../local/sqs-query-protocol';
import type { SqsJsonAnswer, SqsJsonCall } from '../../local/sqs-query-protocol';

const ENDPOINT = 'http://127.0.0.1:4566';
const QUEUE_URL = `${ENDPOINT}/000000000000/q1`;
/** QUEUE_URL form-encoded, as botocore encodes it. */
const Q = 'http%3A%2F%2F127.0.0.1%3A4566%2F000000000000%2Fq1';
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const NS = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"';

interface Call {
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** A JSON-protocol SQS that records its calls and answers each operation with `answers[operation]` (default `{}`). */
function recordingSqs(answers: Readonly<Record<string, SqsJsonAnswer>> = {}): { sqs: SqsJsonCall; calls: Call[] } {
  const calls: Call[] = [];
  const sqs: SqsJsonCall = async (operation, input) => {
    calls.push({ operation, input });
    return answers[operation] ?? { statusCode: 200, output: {} };
  };
  return { sqs, calls };
}

/** Answers a form-encoded POST to `path`, as botocore sends one. */
async function post(body: string, sqs: SqsJsonCall, path = '/') {
  const url = new URL(path, ENDPOINT);
  const form = sqsQueryForm(url, FORM, Buffer.from(body));
  if (form === undefined) throw new Error(`not a query-protocol request: ${body}`);
  return answerSqsQuery(url, form, sqs);
}

const ok = (output: Record<string, unknown>): SqsJsonAnswer => ({ statusCode: 200, output });

describe('answerSqsQuery', () => {
  // Each body is byte for byte what botocore 1.29 (Debian 12's python3-botocore) serializes for the call in the title.
  it.each([
    ['list_queues(QueueNamePrefix)', 'Action=ListQueues&Version=2012-11-05&QueueNamePrefix=platform-webhooks', 'ListQueues', { QueueNamePrefix: 'platform-webhooks' }],
    ['get_queue_url', 'Action=GetQueueUrl&Version=2012-11-05&QueueName=q1', 'GetQueueUrl', { QueueName: 'q1' }],
    [
      'create_queue(Attributes, tags)',
      'Action=CreateQueue&Version=2012-11-05&QueueName=q1&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=60&Attribute.2.Name=RedrivePolicy' +
        '&Attribute.2.Value=%7B%22deadLetterTargetArn%22%3A%22arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Adlq%22%2C%22maxReceiveCount%22%3A%225%22%7D&Tag.1.Key=team&Tag.1.Value=ml',
      'CreateQueue',
      {
        QueueName: 'q1',
        Attributes: { VisibilityTimeout: '60', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"5"}' },
        tags: { team: 'ml' },
      },
    ],
    [
      'get_queue_attributes',
      `Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=${Q}&AttributeName.1=QueueArn&AttributeName.2=VisibilityTimeout`,
      'GetQueueAttributes',
      { QueueUrl: QUEUE_URL, AttributeNames: ['QueueArn', 'VisibilityTimeout'] },
    ],
    [
      'send_message(DelaySeconds, MessageAttributes)',
      `Action=SendMessage&Version=2012-11-05&QueueUrl=${Q}&MessageBody=%7B%22type%22%3A%22jobs.failed%22%7D&DelaySeconds=5` +
        '&MessageAttribute.1.Name=source&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=platform' +
        '&MessageAttribute.2.Name=blob&MessageAttribute.2.Value.DataType=Binary&MessageAttribute.2.Value.BinaryValue=AAE%3D',
      'SendMessage',
      {
        QueueUrl: QUEUE_URL,
        MessageBody: '{"type":"jobs.failed"}',
        DelaySeconds: 5,
        MessageAttributes: { source: { DataType: 'String', StringValue: 'platform' }, blob: { DataType: 'Binary', BinaryValue: 'AAE=' } },
      },
    ],
    [
      'send_message_batch',
      `Action=SendMessageBatch&Version=2012-11-05&QueueUrl=${Q}&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one` +
        '&SendMessageBatchRequestEntry.1.DelaySeconds=2&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=n' +
        '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=Number&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=42' +
        '&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two',
      'SendMessageBatch',
      {
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: 'a', MessageBody: 'one', DelaySeconds: 2, MessageAttributes: { n: { DataType: 'Number', StringValue: '42' } } },
          { Id: 'b', MessageBody: 'two' },
        ],
      },
    ],
    [
      'receive_message',
      `Action=ReceiveMessage&Version=2012-11-05&QueueUrl=${Q}&AttributeName.1=All&MessageAttributeName.1=All&MaxNumberOfMessages=10&WaitTimeSeconds=1&VisibilityTimeout=30`,
      'ReceiveMessage',
      { QueueUrl: QUEUE_URL, AttributeNames: ['All'], MessageAttributeNames: ['All'], MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30 },
    ],
    ['delete_message', `Action=DeleteMessage&Version=2012-11-05&QueueUrl=${Q}&ReceiptHandle=rh%2B%2F%3D`, 'DeleteMessage', { QueueUrl: QUEUE_URL, ReceiptHandle: 'rh+/=' }],
    [
      'delete_message_batch',
      `Action=DeleteMessageBatch&Version=2012-11-05&QueueUrl=${Q}&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=r1` +
        '&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=r2',
      'DeleteMessageBatch',
      { QueueUrl: QUEUE_URL, Entries: [{ Id: 'a', ReceiptHandle: 'r1' }, { Id: 'b', ReceiptHandle: 'r2' }] },
    ],
    [
      'change_message_visibility',
      `Action=ChangeMessageVisibility&Version=2012-11-05&QueueUrl=${Q}&ReceiptHandle=r1&VisibilityTimeout=0`,
      'ChangeMessageVisibility',
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'r1', VisibilityTimeout: 0 },
    ],
    [
      'set_queue_attributes',
      `Action=SetQueueAttributes&Version=2012-11-05&QueueUrl=${Q}&Attribute.1.Name=DelaySeconds&Attribute.1.Value=10`,
      'SetQueueAttributes',
      { QueueUrl: QUEUE_URL, Attributes: { DelaySeconds: '10' } },
    ],
    ['delete_queue', `Action=DeleteQueue&Version=2012-11-05&QueueUrl=${Q}`, 'DeleteQueue', { QueueUrl: QUEUE_URL }],
    ['purge_queue', `Action=PurgeQueue&Version=2012-11-05&QueueUrl=${Q}`, 'PurgeQueue', { QueueUrl: QUEUE_URL }],
    ['list_dead_letter_source_queues', `Action=ListDeadLetterSourceQueues&Version=2012-11-05&QueueUrl=${Q}`, 'ListDeadLetterSourceQueues', { QueueUrl: QUEUE_URL }],
  ])('translates botocore %s into the JSON call', async (_call, body, operation, input) => {
    // Prepare
    const { sqs, calls } = recordingSqs();

    // Act
    const answer = await post(body, sqs);

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(calls).toEqual([{ operation, input }]);
  });

  it('writes a received message with its attributes, escaping what XML would change', async () => {
    // Prepare
    const message = {
      MessageId: 'm-1',
      ReceiptHandle: 'rh-1',
      MD5OfBody: '0b1e3a',
      Body: 'line 1\r\n<b>&</b>',
      Attributes: { SentTimestamp: '1700000000000', ApproximateReceiveCount: '2' },
      MD5OfMessageAttributes: '9c8d7e',
      MessageAttributes: { source: { StringValue: 'platform', DataType: 'String' }, raw: { BinaryValue: 'AAE=', DataType: 'Binary' } },
    };
    const { sqs } = recordingSqs({ ReceiveMessage: ok({ Messages: [message] }) });

    // Act
    const answer = await post(`Action=ReceiveMessage&Version=2012-11-05&QueueUrl=${Q}`, sqs);

    // Assess
    expect(answer.headers).toMatchObject({ 'content-type': 'text/xml' });
    expect(answer.body).toBe(
      `<?xml version="1.0"?><ReceiveMessageResponse ${NS}><ReceiveMessageResult><Message>` +
        '<MessageId>m-1</MessageId><ReceiptHandle>rh-1</ReceiptHandle><MD5OfBody>0b1e3a</MD5OfBody>' +
        '<Body>line 1&#xD;\n&lt;b&gt;&amp;&lt;/b&gt;</Body>' +
        '<Attribute><Name>SentTimestamp</Name><Value>1700000000000</Value></Attribute>' +
        '<Attribute><Name>ApproximateReceiveCount</Name><Value>2</Value></Attribute>' +
        '<MD5OfMessageAttributes>9c8d7e</MD5OfMessageAttributes>' +
        '<MessageAttribute><Name>source</Name><Value><StringValue>platform</StringValue><DataType>String</DataType></Value></MessageAttribute>' +
        '<MessageAttribute><Name>raw</Name><Value><BinaryValue>AAE=</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>' +
        `</Message></ReceiveMessageResult><ResponseMetadata><RequestId>${answer.headers['x-amzn-requestid']}</RequestId></ResponseMetadata></ReceiveMessageResponse>`,
    );
  });

  it('writes batch results, successful and failed entries each under their own element', async () => {
    // Prepare
    const { sqs } = recordingSqs({
      SendMessageBatch: ok({
        Successful: [{ Id: 'a', MessageId: 'm-a', MD5OfMessageBody: 'f97c5d' }],
        Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue', Message: 'too big' }],
      }),
    });

    // Act
    const answer = await post(`Action=SendMessageBatch&Version=2012-11-05&QueueUrl=${Q}&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one`, sqs);

    // Assess
    expect(answer.body).toContain(
      '<SendMessageBatchResult>' +
        '<SendMessageBatchResultEntry><Id>a</Id><MD5OfMessageBody>f97c5d</MD5OfMessageBody><MessageId>m-a</MessageId></SendMessageBatchResultEntry>' +
        '<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code><Message>too big</Message></BatchResultErrorEntry>' +
        '</SendMessageBatchResult>',
    );
  });

  it('answers actions without a result with the response metadata alone, and an empty result as an empty element', async () => {
    // Prepare
    const { sqs } = recordingSqs();

    // Act
    const deleted = await post(`Action=DeleteMessage&Version=2012-11-05&QueueUrl=${Q}&ReceiptHandle=r1`, sqs);
    const received = await post(`Action=ReceiveMessage&Version=2012-11-05&QueueUrl=${Q}`, sqs);

    // Assess
    expect(deleted.body).toMatch(new RegExp(`^<\\?xml version="1.0"\\?><DeleteMessageResponse ${NS}><ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></DeleteMessageResponse>$`));
    expect(received.body).toContain('<ReceiveMessageResult></ReceiveMessageResult><ResponseMetadata>');
  });

  it.each([
    ['com.amazonaws.sqs#QueueDoesNotExist', 400, 'AWS.SimpleQueueService.NonExistentQueue', 'Sender'],
    ['com.amazonaws.sqs#QueueNameExists', 400, 'QueueAlreadyExists', 'Sender'],
    ['com.amazonaws.sqs#TooManyEntriesInBatchRequest', 400, 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'Sender'],
    ['com.amazonaws.sqs#InvalidParameterValue', 400, 'InvalidParameterValue', 'Sender'],
    ['ServiceUnavailable', 503, 'ServiceUnavailable', 'Receiver'],
  ])('turns the JSON error %s (HTTP %i) into an ErrorResponse with code %s', async (type, statusCode, code, fault) => {
    // Prepare
    const { sqs } = recordingSqs({ GetQueueUrl: { statusCode, output: { __type: type, message: 'what went wrong' } } });

    // Act
    const answer = await post('Action=GetQueueUrl&Version=2012-11-05&QueueName=nope', sqs);

    // Assess
    expect(answer.statusCode).toBe(statusCode);
    expect(answer.body).toBe(
      `<?xml version="1.0"?><ErrorResponse ${NS}><Error><Type>${fault}</Type><Code>${code}</Code><Message>what went wrong</Message><Detail/></Error>` +
        `<RequestId>${answer.headers['x-amzn-requestid']}</RequestId></ErrorResponse>`,
    );
  });

  it('refuses an action it does not translate, naming the ones it does, without calling SQS', async () => {
    // Prepare
    const { sqs, calls } = recordingSqs();

    // Act
    const answer = await post('Action=AddPermission&Version=2012-11-05&Label=x', sqs);

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('<Code>InvalidAction</Code>');
    expect(answer.body).toContain('The action AddPermission is not translated');
    expect(answer.body).toContain('SendMessage, SendMessageBatch, ReceiveMessage');
    expect(calls).toEqual([]);
  });

  it('refuses a number member that is not a whole number, naming it', async () => {
    // Prepare
    const { sqs, calls } = recordingSqs();

    // Act
    const answer = await post(`Action=SendMessage&Version=2012-11-05&QueueUrl=${Q}&MessageBody=x&DelaySeconds=soon`, sqs);

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('<Code>InvalidParameterValue</Code><Message>Value soon for parameter DelaySeconds is invalid. Reason: it must be a whole number.</Message>');
    expect(calls).toEqual([]);
  });

  it("acts on the queue whose URL the request was sent to when the form names none, as SQS's documented examples do", async () => {
    // Prepare
    const { sqs, calls } = recordingSqs();

    // Act
    await post('Action=SendMessage&Version=2012-11-05&MessageBody=Your+Message+Text', sqs, '/000000000000/q1/');
    await post('Action=ListQueues&Version=2012-11-05', sqs, '/000000000000/q1');

    // Assess
    expect(calls).toEqual([
      { operation: 'SendMessage', input: { QueueUrl: QUEUE_URL, MessageBody: 'Your Message Text' } },
      { operation: 'ListQueues', input: {} },
    ]);
  });

  it('reads list and map entries in index order, whatever order the form has them in', async () => {
    // Prepare
    const { sqs, calls } = recordingSqs();
    const body = `Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=${Q}&AttributeName.10=C&AttributeName.2=B&AttributeName.1=A`;

    // Act
    await post(body, sqs);

    // Assess
    expect(calls[0]?.input.AttributeNames).toEqual(['A', 'B', 'C']);
  });
});

describe('sqsQueryForm', () => {
  it('recognizes SQS query requests in a form body or in the query string', () => {
    // Act
    const posted = sqsQueryForm(new URL('/', ENDPOINT), FORM, Buffer.from('Action=ListQueues&Version=2012-11-05'));
    const fromUrl = sqsQueryForm(new URL('/000000000000/q1?Action=PurgeQueue&Version=2012-11-05', ENDPOINT), undefined, Buffer.alloc(0));

    // Assess
    expect(posted?.get('Action')).toBe('ListQueues');
    expect(fromUrl?.get('Action')).toBe('PurgeQueue');
  });

  it("leaves other services' query requests and JSON requests alone", () => {
    // Act
    const sns = sqsQueryForm(new URL('/', ENDPOINT), FORM, Buffer.from('Action=ListTopics&Version=2010-03-31'));
    const json = sqsQueryForm(new URL('/', ENDPOINT), 'application/x-amz-json-1.0', Buffer.from('{"QueueNamePrefix":"a"}'));

    // Assess
    expect(sns).toBeUndefined();
    expect(json).toBeUndefined();
  });
});
