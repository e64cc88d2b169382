import { createHandler } from '../../lambda/handler';
import { lambdaContext } from '../../local/lambda-context';
import { QUEUE_NAMES, RETRY_QUEUE_URL, deliveryMessage, fakeDeps, sqsRecord, subscription } from '../support/factories';

function handlerOver(retryQueueUrl: string | undefined) {
  const fakes = fakeDeps({ subscriptions: [subscription()] });
  const handler = createHandler({ ...fakes.deps, concurrency: 2, ...(retryQueueUrl !== undefined && { retryQueueUrl }) });
  return { ...fakes, handler };
}

describe('createHandler: which queue a record came from', () => {
  it.each([
    ['the retry queue', `arn:aws:sqs:us-east-1:123456789012:${QUEUE_NAMES.retries}`, RETRY_QUEUE_URL, 1],
    ['the events queue', `arn:aws:sqs:us-east-1:123456789012:${QUEUE_NAMES.events}`, RETRY_QUEUE_URL, 0],
    ['a queue of the same name in another account', `arn:aws:sqs:us-east-1:999999999999:${QUEUE_NAMES.retries}`, RETRY_QUEUE_URL, 0],
    ['a record without an ARN', '', RETRY_QUEUE_URL, 0],
    ['the retry queue, to a handler told of none', `arn:aws:sqs:us-east-1:123456789012:${QUEUE_NAMES.retries}`, undefined, 0],
  ])('trusts a delivery message from %s only if it is the configured retry queue', async (_what, eventSourceARN, retryQueueUrl, delivered) => {
    // Prepare
    const { handler, http, queue } = handlerOver(retryQueueUrl);
    const record = sqsRecord(deliveryMessage({ dueAt: undefined }), { eventSourceARN });

    // Act
    const response = await handler({ Records: [record] }, lambdaContext(60_000));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(http.requests).toHaveLength(delivered);
    expect(queue.deadLettered.map((dead) => dead.reason)).toEqual(delivered === 1 ? [] : ['invalid-event']);
  });
});
