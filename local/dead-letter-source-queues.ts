import type { SqsJsonAnswer, SqsJsonCall } from './sqs-query-protocol';

/** The JSON-protocol name of the operation {@link listDeadLetterSourceQueues} answers. */
export const LIST_DEAD_LETTER_SOURCE_QUEUES = 'ListDeadLetterSourceQueues';

/**
 * ListDeadLetterSourceQueues, which fauxqs does not implement, from calls it does: the queues whose
 * `RedrivePolicy` names the ARN of `input.QueueUrl` as their dead-letter target. `MaxResults`
 * (1–1000) pages the answer, and `NextToken` is then the offset of the next page.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html
 */
export async function listDeadLetterSourceQueues(input: Readonly<Record<string, unknown>>, sqs: SqsJsonCall): Promise<SqsJsonAnswer> {
  const page = pageOf(input);
  if (typeof page === 'string') return { statusCode: 400, output: { __type: 'InvalidParameterValue', message: page } };
  const target = await sqs('GetQueueAttributes', { QueueUrl: input.QueueUrl, AttributeNames: ['QueueArn'] });
  if (target.statusCode !== 200) return target;
  const listed = await sqs('ListQueues', {});
  if (listed.statusCode !== 200) return listed;

  const targetArn = attributesOf(target.output).QueueArn;
  const queueUrls = Array.isArray(listed.output.QueueUrls) ? listed.output.QueueUrls.filter((url): url is string => typeof url === 'string') : [];
  const sources: string[] = [];
  for (const queueUrl of queueUrls) {
    const queue = await sqs('GetQueueAttributes', { QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] });
    if (queue.statusCode === 200 && deadLetterTargetOf(attributesOf(queue.output).RedrivePolicy) === targetArn) sources.push(queueUrl);
  }
  const end = page.start + (page.size ?? sources.length);
  return { statusCode: 200, output: { queueUrls: sources.slice(page.start, end), ...(end < sources.length ? { NextToken: String(end) } : {}) } };
}

/** The page asked for, or what is wrong with `MaxResults` or `NextToken`. */
function pageOf(input: Readonly<Record<string, unknown>>): { start: number; size?: number } | string {
  const { MaxResults: size, NextToken: token } = input;
  if (size !== undefined && !(Number.isInteger(size) && (size as number) >= 1 && (size as number) <= 1000)) {
    return `Value ${String(size)} for parameter MaxResults is invalid. Reason: it must be a whole number from 1 to 1000.`;
  }
  if (token !== undefined && !(typeof token === 'string' && /^\d{1,6}$/.test(token))) {
    return 'The NextToken is not valid; pass the NextToken of the previous page unchanged.';
  }
  return { start: token === undefined ? 0 : Number(token), ...(size === undefined ? {} : { size: size as number }) };
}

function attributesOf(output: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { Attributes: attributes } = output;
  return typeof attributes === 'object' && attributes !== null ? (attributes as Record<string, unknown>) : {};
}

function deadLetterTargetOf(redrivePolicy: unknown): unknown {
  if (typeof redrivePolicy !== 'string') return undefined;
  try {
    return (JSON.parse(redrivePolicy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
  } catch {
    return undefined;
  }
}
