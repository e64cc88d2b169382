import { randomUUID } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';

import { SqsQueryError } from './sqs-query-errors';
import { integer, list, map, named, structure as formStructure, text } from './sqs-query-form';
import type { FormMembers } from './sqs-query-form';
import { errorResponse, flatList, flatMap, queryResponse, scalar, structure } from './sqs-query-xml';
import type { XmlWriter } from './sqs-query-xml';

/** SQS's API version, which every query-protocol request names in `Version`. */
const SQS_API_VERSION = '2012-11-05';

/** An answer of SQS's JSON protocol: the HTTP status and the parsed body (`{__type, message}` for errors). */
export interface SqsJsonAnswer {
  readonly statusCode: number;
  readonly output: Readonly<Record<string, unknown>>;
}

/** Makes one call in SQS's JSON protocol, e.g. `('SendMessage', { QueueUrl, MessageBody })`. */
export type SqsJsonCall = (operation: string, input: Readonly<Record<string, unknown>>) => Promise<SqsJsonAnswer>;

/** An answer in the query protocol: HTTP status, headers and the XML body. */
interface SqsQueryAnswer {
  readonly statusCode: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: string;
}

const messageAttributeValue = {
  form: formStructure({
    StringValue: text,
    BinaryValue: text,
    StringListValues: named('StringListValue', list(text)),
    BinaryListValues: named('BinaryListValue', list(text)),
    DataType: text,
  }),
  xml: structure({
    StringValue: scalar,
    BinaryValue: scalar,
    StringListValues: flatList('StringListValue', scalar),
    BinaryListValues: flatList('BinaryListValue', scalar),
    DataType: scalar,
  }),
};
const messageAttributes = (wireName: string) => named(wireName, map('Name', 'Value', messageAttributeValue.form));
const attributeMap = named('Attribute', map('Name', 'Value', text));
const batchErrors = flatList('BatchResultErrorEntry', structure({ Id: scalar, SenderFault: scalar, Code: scalar, Message: scalar }));
const sentMessage = { MD5OfMessageBody: scalar, MD5OfMessageAttributes: scalar, MD5OfMessageSystemAttributes: scalar, MessageId: scalar, SequenceNumber: scalar };

/**
 * The query-protocol actions this endpoint translates: each one's form members by JSON name
 * (renamed where the 2012-11-05 service model gives a `locationName`) and its result's XML layout;
 * actions without a result answer with `ResponseMetadata` alone.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Operations.html
 */
const ACTIONS: Readonly<Record<string, { readonly input: FormMembers; readonly result?: XmlWriter }>> = {
  ListQueues: {
    input: { QueueNamePrefix: text, NextToken: text, MaxResults: integer },
    result: structure({ QueueUrls: flatList('QueueUrl', scalar), NextToken: scalar }),
  },
  GetQueueUrl: { input: { QueueName: text, QueueOwnerAWSAccountId: text }, result: structure({ QueueUrl: scalar }) },
  CreateQueue: {
    input: { QueueName: text, Attributes: attributeMap, tags: named('Tag', map('Key', 'Value', text)) },
    result: structure({ QueueUrl: scalar }),
  },
  GetQueueAttributes: {
    input: { QueueUrl: text, AttributeNames: named('AttributeName', list(text)) },
    result: structure({ Attributes: flatMap('Attribute', 'Name', 'Value', scalar) }),
  },
  SetQueueAttributes: { input: { QueueUrl: text, Attributes: attributeMap } },
  DeleteQueue: { input: { QueueUrl: text } },
  PurgeQueue: { input: { QueueUrl: text } },
  ListDeadLetterSourceQueues: {
    input: { QueueUrl: text, NextToken: text, MaxResults: integer },
    result: structure({ queueUrls: flatList('QueueUrl', scalar), NextToken: scalar }),
  },
  SendMessage: {
    input: {
      QueueUrl: text,
      MessageBody: text,
      DelaySeconds: integer,
      MessageAttributes: messageAttributes('MessageAttribute'),
      MessageSystemAttributes: messageAttributes('MessageSystemAttribute'),
      MessageDeduplicationId: text,
      MessageGroupId: text,
    },
    result: structure(sentMessage),
  },
  SendMessageBatch: {
    input: {
      QueueUrl: text,
      Entries: named('SendMessageBatchRequestEntry', list(formStructure({
        Id: text,
        MessageBody: text,
        DelaySeconds: integer,
        MessageAttributes: messageAttributes('MessageAttribute'),
        MessageSystemAttributes: messageAttributes('MessageSystemAttribute'),
        MessageDeduplicationId: text,
        MessageGroupId: text,
      }))),
    },
    result: structure({ Successful: flatList('SendMessageBatchResultEntry', structure({ Id: scalar, ...sentMessage })), Failed: batchErrors }),
  },
  ReceiveMessage: {
    input: {
      QueueUrl: text,
      AttributeNames: named('AttributeName', list(text)),
      MessageSystemAttributeNames: named('MessageSystemAttributeName', list(text)),
      MessageAttributeNames: named('MessageAttributeName', list(text)),
      MaxNumberOfMessages: integer,
      VisibilityTimeout: integer,
      WaitTimeSeconds: integer,
      ReceiveRequestAttemptId: text,
    },
    result: structure({
      Messages: flatList('Message', structure({
        MessageId: scalar,
        ReceiptHandle: scalar,
        MD5OfBody: scalar,
        Body: scalar,
        Attributes: flatMap('Attribute', 'Name', 'Value', scalar),
        MD5OfMessageAttributes: scalar,
        MessageAttributes: flatMap('MessageAttribute', 'Name', 'Value', messageAttributeValue.xml),
      })),
    }),
  },
  DeleteMessage: { input: { QueueUrl: text, ReceiptHandle: text } },
  DeleteMessageBatch: {
    input: { QueueUrl: text, Entries: named('DeleteMessageBatchRequestEntry', list(formStructure({ Id: text, ReceiptHandle: text }))) },
    result: structure({ Successful: flatList('DeleteMessageBatchResultEntry', structure({ Id: scalar })), Failed: batchErrors }),
  },
  ChangeMessageVisibility: { input: { QueueUrl: text, ReceiptHandle: text, VisibilityTimeout: integer } },
};

/**
 * The form of a request in SQS's query protocol (`Action=…&Version=2012-11-05&…`, in a
 * form-encoded POST body or in the URL's query string), or `undefined` for any other request.
 */
export function sqsQueryForm(url: URL, contentType: string | undefined, body: Buffer): URLSearchParams | undefined {
  const form = new URLSearchParams(url.search);
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) form.append(name, value);
  }
  return form.get('Version') === SQS_API_VERSION && form.has('Action') ? form : undefined;
}

/**
 * Answers one query-protocol request by translating it into a JSON-protocol call: the form becomes
 * the JSON input, the JSON output becomes the `<ActionResponse>` XML, and a JSON error becomes an
 * `ErrorResponse` with the query protocol's code. A request sent to a queue's URL (`POST
 * /000000000000/name`) without a `QueueUrl` member acts on that queue, as SQS allows.
 * @param url the request's URL, with the endpoint's origin.
 */
export async function answerSqsQuery(url: URL, form: URLSearchParams, sqs: SqsJsonCall): Promise<SqsQueryAnswer> {
  const requestId = randomUUID();
  const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
  try {
    const action = form.get('Action') ?? '';
    const spec = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (spec === undefined) {
      throw new SqsQueryError(
        'InvalidAction',
        `The action ${action} is not translated from SQS's query protocol by the local endpoint, which translates ${Object.keys(ACTIONS).join(', ')}. ` +
          "Send it in SQS's JSON protocol (a current AWS SDK or CLI) instead.",
      );
    }
    const input = formStructure(spec.input)(form, '') as Record<string, unknown>;
    const queueUrl = url.pathname.replace(/\/+$/, '');
    if ('QueueUrl' in spec.input && input.QueueUrl === undefined && queueUrl !== '') input.QueueUrl = `${url.origin}${queueUrl}`;
    const answer = await sqs(action, input);
    if (answer.statusCode !== 200) throw SqsQueryError.fromJson(answer.statusCode, answer.output);
    const result = spec.result?.(answer.output, `${action}Result`) ?? '';
    return { statusCode: 200, headers, body: queryResponse(action, result, requestId) };
  } catch (error) {
    if (!(error instanceof SqsQueryError)) throw error;
    return { statusCode: error.statusCode, headers, body: errorResponse(error, requestId) };
  }
}
