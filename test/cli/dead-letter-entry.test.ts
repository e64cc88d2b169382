import type { Message } from '@aws-sdk/client-sqs';
import { deadLetterEntry, redrivePlan } from '../../cli/dead-letter-entry';
import { deliveryId } from '../../lambda/core/delivery/signature';
import { eventCatalogue } from '../../lambda/core/inbound/events';
import { DELIVERY_KIND, MAX_REDRIVE_SUBSCRIPTIONS, REDRIVE_KIND } from '../../lambda/core/inbound/messages';

const EVENT = { id: 'evt_1', type: 'jobs.failed', timestamp: '2026-11-27T10:00:00.000Z', data: {} };

function message(body: unknown, attributes: Record<string, string> = {}): Message {
  return { MessageId: 'm-1', ReceiptHandle: 'r-1', Body: typeof body === 'string' ? body : JSON.stringify(body), Attributes: { SentTimestamp: '1764237600000', ...attributes } };
}

const redrive = (subscriptions: string[]) => JSON.stringify({ kind: REDRIVE_KIND, event: EVENT, subscriptions });

describe('dead-letter entries', () => {
  it('redrives a delivery message a queue moved after repeated failures as a redrive message for its subscriptions, showing them', () => {
    // Prepare
    const moved = { kind: DELIVERY_KIND, event: EVENT, attempt: 3, deliveries: [{ subscription: 'ops' }, { subscription: 'ci' }, { subscription: 'qa' }] };

    // Act
    const entry = deadLetterEntry(message(moved, { DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:123456789012:platform-webhooks-retries' }));

    // Assess
    expect(entry).toMatchObject({
      kind: 'unprocessed', sentAt: '2025-11-27T10:00:00.000Z', sourceQueue: 'platform-webhooks-retries',
      summary: { reason: 'unprocessed', subscription: 'ops, ci (+1 more)', subscriptions: ['ops', 'ci', 'qa'], attempts: 2, eventType: 'jobs.failed', eventId: 'evt_1' },
    });
    expect(redrivePlan(entry, false)).toEqual({ bodies: [redrive(['ops', 'ci', 'qa'])] });
  });

  it(`splits the subscriptions of a large unprocessed delivery message over redrive messages of at most ${MAX_REDRIVE_SUBSCRIPTIONS}`, () => {
    // Prepare
    const names = Array.from({ length: 2500 }, (_, i) => `s${i}`);
    const entry = deadLetterEntry(message({ kind: DELIVERY_KIND, event: EVENT, attempt: 2, deliveries: names.map((subscription) => ({ subscription })) }));

    // Act
    const plan = redrivePlan(entry, false);

    // Assess
    expect(plan).toEqual({ bodies: [redrive(names.slice(0, 1000)), redrive(names.slice(1000, 2000)), redrive(names.slice(2000))] });
  });

  it('names the delivery id of an unprocessed delivery message that carries one subscription', () => {
    // Act
    const entry = deadLetterEntry(message({ kind: DELIVERY_KIND, event: EVENT, attempt: 1, deliveries: [{ subscription: 'ops' }] }));

    // Assess
    expect(entry.summary).toMatchObject({ subscription: 'ops', deliveryId: deliveryId('evt_1', 'ops') });
  });

  it('sends back a delivery message that came from the events queue only as a redrive message: no attempt, due time or webhook-id of its own', () => {
    // Prepare: a forged one that failed to be processed five times
    const forged = { kind: DELIVERY_KIND, event: EVENT, attempt: 7, dueAt: '9999-12-31T00:00:00.000Z', deliveryId: 'msg_chosen', deliveries: [{ subscription: 'ops', lastError: 'x' }] };
    const entry = deadLetterEntry(message(forged, { DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:123456789012:platform-webhooks-events' }));

    // Act
    const plan = redrivePlan(entry, true);

    // Assess
    expect(plan).toEqual({ bodies: [redrive(['ops'])] });
  });

  it('reads events of the deployment\'s extra types with its catalogue: a delivery record and a moved delivery message are redriven', () => {
    // Prepare
    const catalogue = eventCatalogue(['models.registered']);
    const event = { ...EVENT, type: 'models.registered' };
    const record = { reason: 'exhausted', error: 'HTTP 500', event, subscription: 'ops', deliveryId: deliveryId('evt_1', 'ops'), attempts: 3, firstAttemptAt: EVENT.timestamp, lastAttemptAt: EVENT.timestamp };
    const moved = { kind: DELIVERY_KIND, event, attempt: 2, deliveries: [{ subscription: 'ops' }] };
    const expected = { bodies: [JSON.stringify({ kind: REDRIVE_KIND, event, subscriptions: ['ops'] })] };

    // Act
    const plans = [deadLetterEntry(message(record), catalogue), deadLetterEntry(message(moved), catalogue)].map((entry) => redrivePlan(entry, false, catalogue));
    const withoutCatalogue = [deadLetterEntry(message(record)), deadLetterEntry(message(moved))].map((entry) => redrivePlan(entry, false));

    // Assess
    expect(plans).toEqual([expected, expected]);
    expect(withoutCatalogue).toEqual([
      { skip: expect.stringContaining('event type "models.registered" is not in the catalogue') },
      { skip: expect.stringMatching(/^a delivery message that cannot be read \(delivery message: event type "models.registered" is not in the catalogue\); check --extra-event-types/) },
    ]);
  });

  it('sends an unprocessed event back as it is', () => {
    // Act
    const plan = redrivePlan(deadLetterEntry(message(EVENT)), false);

    // Assess
    expect(plan).toEqual({ bodies: [JSON.stringify(EVENT)] });
  });

  it('turns a delivery record into a redrive message for its subscription', () => {
    // Prepare
    const entry = deadLetterEntry(message({ reason: 'exhausted', error: 'HTTP 503', event: EVENT, subscription: 'ops', deliveryId: deliveryId('evt_1', 'ops'), attempts: 8, firstAttemptAt: 'x', lastAttemptAt: 'x' }));

    // Act
    const plan = redrivePlan(entry, false);

    // Assess
    expect(plan).toEqual({ bodies: [redrive(['ops'])] });
  });

  it('skips a delivery record whose delivery id does not belong to its event and subscription', () => {
    // Prepare
    const entry = deadLetterEntry(message({ reason: 'permanent', error: 'HTTP 404', event: EVENT, subscription: 'ops', deliveryId: 'msg_other', attempts: 1, firstAttemptAt: 'x', lastAttemptAt: 'x' }));

    // Act
    const plan = redrivePlan(entry, false);

    // Assess
    expect(plan).toEqual({ skip: 'the record\'s delivery id does not belong to event evt_1 and subscription "ops"' });
  });

  it('sends back the raw text of an invalid event that was not JSON, only when forced', () => {
    // Prepare
    const entry = deadLetterEntry(message({ reason: 'invalid-event', error: 'event body is not valid JSON', event: 'not json{', attempts: 0, firstAttemptAt: 'x', lastAttemptAt: 'x' }));

    // Act
    const plans = [redrivePlan(entry, false), redrivePlan(entry, true)];

    // Assess
    expect(plans).toEqual([{ skip: expect.stringContaining('--force') }, { bodies: ['not json{'] }]);
  });

  it('skips an invalid event of which only an excerpt was kept', () => {
    // Prepare
    const entry = deadLetterEntry(message({ reason: 'invalid-event', error: 'too large', event: '""""', eventBytes: 716800, eventSha256: 'ab12', attempts: 0, firstAttemptAt: 'x', lastAttemptAt: 'x' }));

    // Act
    const plan = redrivePlan(entry, true);

    // Assess
    expect(plan).toEqual({ skip: 'only an excerpt of the body was kept (716800 bytes in all, SHA-256 ab12); it cannot be sent again' });
  });

  it('skips a delivery record that names no delivery id rather than inventing one', () => {
    // Prepare
    const entry = deadLetterEntry(message({ reason: 'exhausted', error: 'HTTP 503', event: EVENT, subscription: 'ops', attempts: 8, firstAttemptAt: 'x', lastAttemptAt: 'x' }));

    // Act
    const plan = redrivePlan(entry, true);

    // Assess
    expect(plan).toEqual({ skip: 'the record names no subscription or delivery id' });
  });

  it.each([
    ['nested 5,000 levels deep', `${'{"data":'.repeat(5000)}{}${'}'.repeat(5000)}`],
    ['nested 100,000 levels deep in arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['a record whose event is nested 5,000 levels deep', `{"reason":"invalid-event","error":"x","attempts":0,"event":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['not JSON', '\u001b[2J{"oops"'],
    ['empty', ''],
  ])('understands any body: %s, kept as text', (_what, body) => {
    // Act
    const entry = deadLetterEntry(message(body));

    // Assess
    expect(entry).toMatchObject({ kind: 'unprocessed', value: body, summary: { reason: 'unprocessed' } });
    expect(() => JSON.stringify(entry)).not.toThrow();
  });
});
