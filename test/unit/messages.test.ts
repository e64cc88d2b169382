import { MAX_EVENT_BYTES } from '../../lambda/core/inbound/envelope';
import { DELIVERY_KIND, parseQueueMessage } from '../../lambda/core/inbound/messages';
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

    it('rejects a body larger than 256 KiB without parsing it', () => {
      // Prepare
      const body = JSON.stringify(publishedEvent({ data: { blob: 'x'.repeat(MAX_EVENT_BYTES) } }));

      // Act
      const { error, raw } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toMatch(/^event body is \d+ bytes; the limit is 262144 bytes \(256 KiB\)$/);
      expect(raw).toBe(body);
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
      const { firstAttemptAt: _first, dueAt: _due, lastError: _last, ...delivery } = deliveryMessage({ attempt: 1 });

      // Act
      const message = parseQueueMessage(JSON.stringify(delivery), facts);

      // Assess
      expect(message).toEqual({ kind: 'delivery', delivery });
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
      ['subscription', '', '"subscription" must be a name, got ""'],
      ['subscription', 7, '"subscription" must be a name, got number 7'],
      ['deliveryId', '', '"deliveryId" must be a string, got ""'],
      ['deliveryId', null, '"deliveryId" must be a string, got null'],
      ['attempt', 0, '"attempt" must be a positive integer, got number 0'],
      ['attempt', 1.5, '"attempt" must be a positive integer, got number 1.5'],
      ['attempt', '2', '"attempt" must be a positive integer, got "2"'],
      ['firstAttemptAt', 'yesterday', '"firstAttemptAt" must be a date-time, got "yesterday"'],
      ['dueAt', 12, '"dueAt" must be a date-time, got number 12'],
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
      const body = JSON.stringify({ kind: DELIVERY_KIND, subscription: 'ops', deliveryId: 'msg_1', attempt: 2, event });

      // Act
      const { error } = invalid(parseQueueMessage(body, facts));

      // Assess
      expect(error).toMatch(expected);
    });
  });
});
