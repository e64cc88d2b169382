import { createHash } from 'node:crypto';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { assertDelay, createSqsDeliveryQueue } from '../../lambda/adapters/sqs-queue';
import type { DeadLetterRecord } from '../../lambda/core/inbound/messages';
import { SQS_MAX_MESSAGE_BYTES } from '../../lambda/core/inbound/envelope';
import { deliveryMessage, platformEvent } from '../support/factories';

const RETRY_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/platform-webhooks-retries';
const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/platform-webhooks-dlq';

describe('assertDelay', () => {
  it.each([0, 1, 899, 900])('accepts %i seconds', (delaySeconds) => {
    // Act
    const check = (): void => assertDelay(delaySeconds);

    // Assess
    expect(check).not.toThrow();
  });

  it.each([901, -1, 1.5, 3600, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d seconds, which SQS would refuse', (delaySeconds) => {
    // Act
    const check = (): void => assertDelay(delaySeconds);

    // Assess
    expect(check).toThrow(RangeError);
    expect(check).toThrow(`Expected \`delaySeconds\` to be an integer from 0 to 900, got ${delaySeconds}`);
  });
});

describe('createSqsDeliveryQueue', () => {
  const sqs = mockClient(SQSClient);

  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  });

  function queue() {
    return createSqsDeliveryQueue({ client: new SQSClient({ region: 'us-east-1' }), retryQueueUrl: RETRY_QUEUE_URL, deadLetterQueueUrl: DLQ_URL });
  }

  it('enqueues a delivery message on the retry queue, never the events queue, with its delay', async () => {
    // Prepare
    const message = deliveryMessage();

    // Act
    await queue().enqueue(message, 900);

    // Assess
    const sends = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(sends).toEqual([{ QueueUrl: RETRY_QUEUE_URL, MessageBody: JSON.stringify(message), DelaySeconds: 900 }]);
  });

  it('refuses a delay above 900 seconds without sending anything', async () => {
    // Act
    const sending = queue().enqueue(deliveryMessage(), 901);

    // Assess
    await expect(sending).rejects.toThrow(RangeError);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('sends a dead-letter record to the DLQ', async () => {
    // Prepare
    const record: DeadLetterRecord = {
      reason: 'permanent', error: 'HTTP 404', event: platformEvent(), subscription: 'ops', deliveryId: 'msg_1',
      attempts: 1, firstAttemptAt: '2026-11-27T10:00:00.000Z', lastAttemptAt: '2026-11-27T10:00:00.000Z',
    };

    // Act
    await queue().deadLetter(record);

    // Assess
    const sends = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(sends).toEqual([{ QueueUrl: DLQ_URL, MessageBody: JSON.stringify(record) }]);
  });

  it('escapes the characters SQS refuses in a message (U+FFFE, U+FFFF), which JSON.stringify leaves as they are', async () => {
    // Prepare
    const message = deliveryMessage({ event: platformEvent({ data: { note: 'a\uffffb\ufffe' } }) });

    // Act
    await queue().enqueue(message, 0);

    // Assess
    const [send] = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input.MessageBody ?? '');
    expect(send).not.toMatch(/[\ufffe\uffff]/);
    expect(JSON.parse(send ?? '')).toEqual(message);
  });

  it('sends a dead-letter record too large for SQS as a bounded excerpt of its raw body', async () => {
    // Prepare: quotes double when escaped, so 700 KiB of them would be a 1.4 MB record
    const raw = '"'.repeat(700 * 1024);
    const record: DeadLetterRecord = { reason: 'invalid-event', error: 'event body is 716800 bytes', event: raw, attempts: 0, firstAttemptAt: '2026-11-27T10:00:00.000Z', lastAttemptAt: '2026-11-27T10:00:00.000Z' };

    // Act
    await queue().deadLetter(record);

    // Assess
    const [body = ''] = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input.MessageBody ?? '');
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
    const sent = JSON.parse(body) as DeadLetterRecord;
    expect(sent).toMatchObject({ reason: 'invalid-event', error: record.error, eventBytes: 700 * 1024, eventSha256: createHash('sha256').update(raw).digest('hex') });
    expect(raw.startsWith(String(sent.event))).toBe(true);
  });

  it('passes a send failure to the caller', async () => {
    // Prepare
    sqs.on(SendMessageCommand).rejects(new Error('ServiceUnavailable'));

    // Act
    const sending = queue().deadLetter({ reason: 'invalid-event', error: 'x', event: 'x', attempts: 0, firstAttemptAt: '', lastAttemptAt: '' });

    // Assess
    await expect(sending).rejects.toThrow('ServiceUnavailable');
  });
});
