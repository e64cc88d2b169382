import type { Message } from '@aws-sdk/client-sqs';
import { deadLetterEntry, redrivePlan } from '../../cli/dead-letter-entry';
import { DELIVERY_KIND } from '../../lambda/core/inbound/messages';

const EVENT = { id: 'evt_1', type: 'jobs.failed', timestamp: '2026-11-27T10:00:00.000Z', data: {} };

function message(body: unknown): Message {
  return { MessageId: 'm-1', ReceiptHandle: 'r-1', Body: typeof body === 'string' ? body : JSON.stringify(body), Attributes: { SentTimestamp: '1764237600000' } };
}

describe('dead-letter entries', () => {
  it('redrives a delivery message the queue moved after repeated failures as it is, showing its subscription', () => {
    // Prepare
    const moved = { kind: DELIVERY_KIND, subscription: 'ops', event: EVENT, deliveryId: 'msg_1', attempt: 3 };

    // Act
    const entry = deadLetterEntry(message(moved));

    // Assess
    expect(entry).toMatchObject({ kind: 'unprocessed', sentAt: '2025-11-27T10:00:00.000Z', summary: { reason: 'unprocessed', subscription: 'ops', deliveryId: 'msg_1', attempts: 2, eventType: 'jobs.failed', eventId: 'evt_1' } });
    expect(redrivePlan(entry, false)).toEqual({ body: JSON.stringify(moved) });
  });

  it('sends back the raw text of an invalid event that was not JSON, only when forced', () => {
    // Prepare
    const entry = deadLetterEntry(message({ reason: 'invalid-event', error: 'event body is not valid JSON', event: 'not json{', attempts: 0, firstAttemptAt: 'x', lastAttemptAt: 'x' }));

    // Act
    const plans = [redrivePlan(entry, false), redrivePlan(entry, true)];

    // Assess
    expect(plans).toEqual([{ skip: expect.stringContaining('--force') }, { body: 'not json{' }]);
  });

  it('skips a delivery record that names no delivery id rather than inventing one', () => {
    // Prepare
    const entry = deadLetterEntry(message({ reason: 'exhausted', error: 'HTTP 503', event: EVENT, subscription: 'ops', attempts: 8, firstAttemptAt: 'x', lastAttemptAt: 'x' }));

    // Act
    const plan = redrivePlan(entry, true);

    // Assess
    expect(plan).toEqual({ skip: 'the record names no subscription or delivery id' });
  });
});
