import { MAX_BODY_DEPTH, MAX_EVENT_BYTES, MAX_EVENT_DEPTH, SQS_MAX_MESSAGE_BYTES } from '../../lambda/core/inbound/envelope';
import { DELIVERY_KIND, REDRIVE_KIND, parseQueueMessage } from '../../lambda/core/inbound/messages';
import type { QueueMessage } from '../../lambda/core/inbound/messages';
import { FIXED_NOW, deliveryMessage, platformEvent, publishedEvent } from '../support/factories';

const facts = { messageId: 'sqs-message-1', sentAt: FIXED_NOW };

function invalid(message: QueueMessage): { error: string; raw: unknown } {
  if (message.kind !== 'invalid') throw new Error(`expected an invalid message, got ${message.kind}`);
  return message;
}

describe('parseQueueMessage', () => {
  describe('events', () => {
    it('parses a published event', () => {
      // Prepare
      const body = JSON.stringify(publishedEvent());

      // Act
      const message = parseQueueMessage(body, facts);

      // Assess
      expect(message).toEqual({ kind: 'event', event: platformEvent() });
    });

    it('defaults the id and timestamp of an event from the SQS message', () => {
      // Prepare
      const body = JSON.stringify({ type: 'builds.failed', data: {} });

      // Act
      const message = parseQueueMessage(body, facts);

      // Assess
      expect(message).toEqual({ kind: 'event', event: { id: 'sqs-message-1', type: 'builds.failed', timestamp: '2026-11-27T10:00:00.000Z', data: {} } });
    });
  });

  describe('invalid bodies', () => {
    it('keeps a body that is not JSON as it is', () => {
      // Prepare
      const body = 'experiments.succeeded 42';

      // Act
      const { error, raw } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toMatch(/^event body is not valid JSON \(.+\)$/);
      expect(raw).toBe(body);
    });

    it('names what is wrong with a JSON body that is not a valid event, keeping the parsed body', () => {
      // Prepare
      const value = publishedEvent({ type: 'experiments.sucess' });

      // Act
      const { error, raw } = invalid(parseQueueMessage(JSON.stringify(value), facts));

      // Assess
      expect(error).toMatch(/^event type "experiments.sucess" is not in the catalogue/);
      expect(raw).toEqual(value);
    });

    it('rejects a publisher\'s body larger than 256 KiB', () => {
      // Prepare
      const body = JSON.stringify(publishedEvent({ data: { blob: 'x'.repeat(MAX_EVENT_BYTES) } }));

      // Act
      const { error, raw } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toMatch(/^event body is \d+ bytes; the limit is 262144 bytes \(256 KiB\)$/);
      expect(raw).toEqual(JSON.parse(body));
    });

    it('rejects a body larger than SQS\'s 1 MiB without parsing it, whatever it claims to be', () => {
      // Prepare
      const body = JSON.stringify({ kind: DELIVERY_KIND, attempt: 2, event: publishedEvent({ data: { blob: 'x'.repeat(SQS_MAX_MESSAGE_BYTES) } }), deliveries: [{ subscription: 'ops' }] });

      // Act
      const { error, raw } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toMatch(/^message body is \d+ bytes; SQS's limit is 1048576 bytes \(1 MiB\)$/);
      expect(raw).toBe(body);
    });

    it('takes a delivery message over 256 KiB: it wraps an event that passed the limit', () => {
      // Prepare
      const event = platformEvent({ data: { blob: 'x'.repeat(MAX_EVENT_BYTES - 200) } });
      const body = JSON.stringify({ kind: DELIVERY_KIND, attempt: 2, event, deliveries: [{ subscription: 'ops', lastError: 'HTTP 503' }] });

      // Act
      const message = parseQueueMessage(body, facts);

      // Assess
      expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_EVENT_BYTES);
      expect(message).toMatchObject({ kind: 'delivery', delivery: { attempt: 2, event } });
    });
  });

  describe('nesting', () => {
    const nested = (levels: number): string => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

    it(`accepts an event whose data nests ${MAX_EVENT_DEPTH} levels, and its delivery message`, () => {
      // Prepare
      const body = `{"type":"jobs.failed","id":"evt_1","data":${nested(MAX_EVENT_DEPTH)}}`;
      const delivery = `{"kind":"${DELIVERY_KIND}","attempt":2,"deliveries":[{"subscription":"ops"}],"event":${body}}`;

      // Act
      const messages = [parseQueueMessage(body, facts), parseQueueMessage(delivery, facts)];

      // Assess
      expect(messages.map((message) => message.kind)).toEqual(['event', 'delivery']);
    });

    it(`refuses an event whose data nests ${MAX_EVENT_DEPTH + 1} levels`, () => {
      // Prepare
      const body = `{"type":"jobs.failed","id":"evt_1","data":${nested(MAX_EVENT_DEPTH + 1)}}`;

      // Act
      const { error } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toBe(`event "data" nests more than ${MAX_EVENT_DEPTH} levels of objects and arrays deep, the limit; flatten it`);
    });

    it.each([5000, 40_000])('refuses, before parsing, an event whose data nests %i levels, keeping the raw body', (levels) => {
      // Prepare
      const body = `{"type":"jobs.failed","id":"evt_1","data":${nested(levels)}}`;

      // Act
      const { error, raw } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toBe(`event body nests more than ${MAX_BODY_DEPTH} levels of objects and arrays deep; an event's data may nest ${MAX_EVENT_DEPTH} at most, flatten it`);
      expect(raw).toBe(body);
    });

    it('refuses deep data that arrives inside an SNS notification', () => {
      // Prepare
      const inner = `{"type":"jobs.failed","id":"evt_1","data":${nested(200)}}`;
      const body = JSON.stringify({ Type: 'Notification', MessageId: 'sns-1', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: inner });

      // Act
      const { error } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toBe(`SNS notification: event "data" nests more than ${MAX_EVENT_DEPTH} levels of objects and arrays deep, the limit; flatten it`);
    });
  });

  describe('redrive messages', () => {
    it('parses a redrive message, each subscription once', () => {
      // Prepare
      const body = JSON.stringify({ kind: REDRIVE_KIND, event: platformEvent(), subscriptions: ['ops', 'ci', 'ops'] });

      // Act
      const message = parseQueueMessage(body, facts);

      // Assess
      expect(message).toEqual({ kind: 'redrive', redrive: { kind: REDRIVE_KIND, event: platformEvent(), subscriptions: ['ops', 'ci'] } });
    });

    it.each([
      [{ subscriptions: [] }, '"subscriptions" must be a non-empty array of names, got an array'],
      [{ subscriptions: ['ops', '../x'] }, '"subscriptions"[1] must be a subscription name, got "../x"'],
      [{ subscriptions: Array.from({ length: 1001 }, (_, i) => `s${i}`) }, '"subscriptions" names 1001 subscriptions; the limit is 1000, send several messages'],
      [{ event: { type: 'jobs.exploded', data: {} } }, 'event type "jobs.exploded" is not in the catalogue'],
    ])('rejects %j', (overrides, expected) => {
      // Prepare
      const body = JSON.stringify({ kind: REDRIVE_KIND, event: platformEvent(), subscriptions: ['ops'], ...overrides });

      // Act
      const { error } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toMatch(new RegExp(`^redrive message: ${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    });
  });

  describe('delivery messages', () => {
    it('parses a delivery message', () => {
      // Prepare
      const delivery = deliveryMessage();

      // Act
      const message = parseQueueMessage(JSON.stringify(delivery), facts);

      // Assess
      expect(message).toEqual({ kind: 'delivery', delivery });
    });

    it('parses a delivery message without the optional fields', () => {
      // Prepare
      const { dueAt: _due, ...delivery } = deliveryMessage({ attempt: 1, deliveries: [{ subscription: 'ops' }, { subscription: 'jobs.team-2' }] });

      // Act
      const message = parseQueueMessage(JSON.stringify(delivery), facts);

      // Assess
      expect(message).toEqual({ kind: 'delivery', delivery });
    });

    it('keeps each subscription once when a message names it twice', () => {
      // Prepare
      const delivery = deliveryMessage({ deliveries: [{ subscription: 'ops' }, { subscription: 'ops', lastError: 'HTTP 500' }] });

      // Act
      const message = parseQueueMessage(JSON.stringify(delivery), facts);

      // Assess
      expect(message.kind === 'delivery' && message.delivery.deliveries).toEqual([{ subscription: 'ops', lastError: 'HTTP 500' }]);
    });

    it("keeps the event's own id and timestamp rather than the SQS message's", () => {
      // Prepare
      const delivery = deliveryMessage({ event: platformEvent({ id: 'evt_original', timestamp: '2026-11-26T08:00:00.000Z' }) });

      // Act
      const message = parseQueueMessage(JSON.stringify(delivery), facts);

      // Assess
      expect(message.kind === 'delivery' && message.delivery.event).toMatchObject({ id: 'evt_original', timestamp: '2026-11-26T08:00:00.000Z' });
    });

    it.each([
      ['attempt', 0, '"attempt" must be a positive integer, got number 0'],
      ['attempt', 1.5, '"attempt" must be a positive integer, got number 1.5'],
      ['attempt', '2', '"attempt" must be a positive integer, got "2"'],
      ['dueAt', 12, '"dueAt" must be a date-time, got number 12'],
      ['deliveries', [], '"deliveries" must be a non-empty array, got an array'],
      ['deliveries', undefined, '"deliveries" must be a non-empty array, got nothing'],
      ['deliveries', ['ops'], '"deliveries"[0] must be an object, got "ops"'],
      ['deliveries', [{ subscription: '' }], '"deliveries"[0].subscription must be a subscription name, got ""'],
      ['deliveries', [{ subscription: 'ops' }, { subscription: '../other' }], '"deliveries"[1].subscription must be a subscription name, got "../other"'],
      ['deliveries', [{ subscription: 'ops', firstAttemptAt: 'yesterday' }], '"deliveries"[0].firstAttemptAt must be a date-time, got "yesterday"'],
      ['deliveries', [{ subscription: 'ops', lastError: 500 }], '"deliveries"[0].lastError must be a string, got number 500'],
    ])('rejects %s %j', (field, value, expected) => {
      // Prepare
      const body = JSON.stringify({ ...deliveryMessage(), [field]: value });

      // Act
      const { error, raw } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toBe(`delivery message: ${expected}`);
      expect(raw).toEqual(JSON.parse(body));
    });

    it.each([
      ['missing', undefined, /^delivery message: event must be a JSON object, got nothing/],
      ['of an unknown type', { ...platformEvent(), type: 'jobs.exploded' }, /^delivery message: event type "jobs.exploded" is not in the catalogue/],
      ['without data', { type: 'jobs.failed', id: 'evt_1' }, /^delivery message: event "jobs.failed" has no "data"/],
    ])('rejects an event %s', (_what, event, expected) => {
      // Prepare
      const body = JSON.stringify({ kind: DELIVERY_KIND, attempt: 2, event, deliveries: [{ subscription: 'ops' }] });

      // Act
      const { error } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toMatch(expected);
    });
  });
});
