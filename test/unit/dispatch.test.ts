import { processRecord } from '../../lambda/core/delivery/dispatch';
import { SettlementError } from '../../lambda/core/errors';
import { DELIVERY_KIND } from '../../lambda/core/inbound/messages';
import { DEAD_LETTERED_BY_REASON, METRICS } from '../../lambda/core/ports';
import { deliveryId } from '../../lambda/core/delivery/signature';
import {
  FIXED_NOW, batchContext, deliveryMessage, fakeDeps, fakeQueue, platformEvent, publishedEvent, queueRecord, response, secret, subscription,
} from '../support/factories';

const SECOND = 1000;
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe('processRecord', () => {
  describe('an event', () => {
    it('delivers it once to every enabled subscription that matches, as attempt 1', async () => {
      // Prepare
      const subscriptions = [
        subscription({ name: 'experiments', url: 'https://a.example.com/', events: ['experiments.done', 'experiments.succeeded', '*'] }),
        subscription({ name: 'successes', url: 'https://b.example.com/', events: ['*.succeeded'] }),
        subscription({ name: 'jobs', url: 'https://c.example.com/', events: ['jobs.*'] }),
        subscription({ name: 'paused', url: 'https://d.example.com/', events: ['*'], enabled: false }),
      ];
      const { deps, http, queue } = fakeDeps({ subscriptions });
      const event = platformEvent({ type: 'experiments.succeeded' });

      // Act
      await processRecord(queueRecord(publishedEvent({ ...event })), batchContext(), deps);

      // Assess
      expect(http.requests.map((request) => request.url).sort()).toEqual(['https://a.example.com/', 'https://b.example.com/']);
      const sent = http.requests.map((request) => ({ id: request.headers['webhook-id'], attempt: request.headers['webhook-attempt'] }));
      expect(sent).toEqual(
        expect.arrayContaining([
          { id: deliveryId(event.id, 'experiments'), attempt: '1' },
          { id: deliveryId(event.id, 'successes'), attempt: '1' },
        ]),
      );
      expect(queue.enqueued).toEqual([]);
      expect(queue.deadLettered).toEqual([]);
    });

    it('sends the event as published, with the id and timestamp defaulted from the SQS message', async () => {
      // Prepare
      const { deps, http } = fakeDeps();
      const record = queueRecord({ type: 'jobs.failed', data: { job: { id: 7 } } }, { messageId: 'sqs-1', sentAt: FIXED_NOW - 60 * SECOND });

      // Act
      await processRecord(record, batchContext(), deps);

      // Assess
      expect(JSON.parse(http.requests[0]?.body ?? 'null')).toStrictEqual({
        id: 'sqs-1',
        type: 'jobs.failed',
        timestamp: iso(FIXED_NOW - 60 * SECOND),
        data: { job: { id: 7 } },
      });
    });

    it('settles an event no subscription matches without sending anything', async () => {
      // Prepare
      const { deps, http, queue } = fakeDeps({ subscriptions: [subscription({ events: ['builds.*'] })] });

      // Act
      await processRecord(queueRecord(publishedEvent()), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([]);
      expect(queue.deadLettered).toEqual([]);
    });

    it('re-enqueues every delivery, as attempt 1 and without an HTTP call, when the invocation has little time left', async () => {
      // Prepare
      const subscriptions = [subscription({ name: 'a' }), subscription({ name: 'b' })];
      const { deps, http, queue } = fakeDeps({ subscriptions });

      // Act
      await processRecord(queueRecord(publishedEvent()), batchContext({ remainingMs: 3 * SECOND }), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued.map(({ message, delaySeconds }) => [message.subscription, message.attempt, delaySeconds]).sort()).toEqual([
        ['a', 1, 0],
        ['b', 1, 0],
      ]);
      expect(queue.enqueued.every(({ message }) => message.firstAttemptAt === undefined)).toBe(true);
    });

    it('rejects with SettlementError when a retry cannot be enqueued, while the other deliveries still complete', async () => {
      // Prepare
      const subscriptions = [
        subscription({ name: 'ok', url: 'https://ok.example.com/' }),
        subscription({ name: 'flaky', url: 'https://flaky.example.com/' }),
        subscription({ name: 'gone', url: 'https://gone.example.com/' }),
        subscription({ name: 'down', url: 'https://down.example.com/' }),
      ];
      const statuses: Record<string, number> = { 'https://ok.example.com/': 200, 'https://flaky.example.com/': 500, 'https://gone.example.com/': 404, 'https://down.example.com/': 503 };
      const queue = fakeQueue({ enqueue: (message) => message.subscription === 'flaky' });
      const { deps, http } = fakeDeps({ subscriptions, queue, http: (request) => response(statuses[request.url] ?? 599) });

      // Act
      const settled = processRecord(queueRecord(publishedEvent()), batchContext(), deps);

      // Assess
      await expect(settled).rejects.toBeInstanceOf(SettlementError);
      await expect(settled).rejects.toThrow('1 of 4 deliveries');
      expect(http.requests).toHaveLength(4);
      expect(queue.deadLettered.map((record) => record.subscription)).toEqual(['gone']);
      expect(queue.enqueued.map(({ message }) => message.subscription)).toEqual(['down']);
    });
  });

  describe('a delivery message', () => {
    it('attempts it with its attempt number and the same webhook-id', async () => {
      // Prepare
      const { deps, http, queue } = fakeDeps();
      const message = deliveryMessage({ attempt: 3, deliveryId: 'msg_same' });

      // Act
      await processRecord(queueRecord(message), batchContext(), deps);

      // Assess
      expect(http.requests).toHaveLength(1);
      expect(http.requests[0]?.headers).toMatchObject({ 'webhook-id': 'msg_same', 'webhook-attempt': '3', 'webhook-event': message.event.type });
      expect(queue.enqueued).toEqual([]);
    });

    it('attempts a message due within a second', async () => {
      // Prepare
      const { deps, http } = fakeDeps();

      // Act
      await processRecord(queueRecord(deliveryMessage({ dueAt: iso(FIXED_NOW + 900) })), batchContext(), deps);

      // Assess
      expect(http.requests).toHaveLength(1);
    });

    it('re-enqueues a message received before it is due, unchanged and without an HTTP call', async () => {
      // Prepare
      const { deps, http, queue } = fakeDeps();
      const message = deliveryMessage({ dueAt: iso(FIXED_NOW + 90 * SECOND + 1) });

      // Act
      await processRecord(queueRecord(message), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([{ message, delaySeconds: 91 }]);
    });

    it('hops again, at most 900 seconds, while a long delay is not yet due', async () => {
      // Prepare
      const { deps, http, queue } = fakeDeps();
      const message = deliveryMessage({ dueAt: iso(FIXED_NOW + 2 * HOUR) });

      // Act
      await processRecord(queueRecord(message), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([{ message, delaySeconds: 900 }]);
    });

    it.each([
      ['deleted', []],
      ['disabled', [subscription({ name: 'ops', enabled: false })]],
    ])('drops the retry of a %s subscription: no HTTP call, no dead letter', async (_what, subscriptions) => {
      // Prepare
      const { deps, http, queue, log, metrics } = fakeDeps({ subscriptions });

      // Act
      await processRecord(queueRecord(deliveryMessage({ subscription: 'ops' })), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([]);
      expect(queue.deadLettered).toEqual([]);
      expect(metrics.counts[METRICS.dropped]).toBe(1);
      expect(log.lines).toContainEqual(expect.objectContaining({ message: expect.stringContaining('retry dropped'), fields: expect.objectContaining({ subscription: 'ops' }) }));
    });

    it('reads the subscription again for the retry', async () => {
      // Prepare
      const { deps, http } = fakeDeps({ subscriptions: [subscription({ url: 'https://moved.example.com/new', headers: { 'X-Token': 'v2' } })] });

      // Act
      await processRecord(queueRecord(deliveryMessage()), batchContext(), deps);

      // Assess
      expect(http.requests[0]).toMatchObject({ url: 'https://moved.example.com/new', headers: { 'X-Token': 'v2' } });
    });
  });

  describe('retries end to end', () => {
    it('keeps the webhook-id on every retry and dead-letters the last failure exactly as docs/design.md §4 says', async () => {
      // Prepare
      const { deps, http, queue, clock } = fakeDeps({ http: response(500), config: { retrySchedule: [5 * SECOND] } });
      const event = platformEvent();

      // Act: the first attempt fails and is re-enqueued; the retry, received when due, fails too.
      await processRecord(queueRecord(publishedEvent()), batchContext(), deps);
      const retry = queue.enqueued[0];
      clock.advance(5 * SECOND);
      await processRecord(queueRecord(JSON.stringify(retry?.message)), batchContext({ now: clock.now() }), deps);

      // Assess
      expect(retry).toMatchObject({ delaySeconds: 5, message: { kind: DELIVERY_KIND, attempt: 2, deliveryId: deliveryId(event.id, 'ops') } });
      expect(http.requests.map((request) => [request.headers['webhook-id'], request.headers['webhook-attempt']])).toEqual([
        [deliveryId(event.id, 'ops'), '1'],
        [deliveryId(event.id, 'ops'), '2'],
      ]);
      expect(queue.enqueued).toHaveLength(1);
      expect(queue.deadLettered).toStrictEqual([
        {
          reason: 'exhausted',
          error: 'HTTP 500',
          event,
          subscription: 'ops',
          deliveryId: deliveryId(event.id, 'ops'),
          attempts: 2,
          firstAttemptAt: iso(FIXED_NOW),
          lastAttemptAt: iso(FIXED_NOW + 5 * SECOND),
        },
      ]);
    });
  });

  describe('an invalid message', () => {
    it('dead-letters a body that is not JSON as an invalid event, keeping the raw body', async () => {
      // Prepare
      const { deps, http, queue, metrics } = fakeDeps();
      const body = 'experiments.succeeded id=42';

      // Act
      await processRecord(queueRecord(body), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.deadLettered).toStrictEqual([
        { reason: 'invalid-event', error: expect.stringMatching(/not valid JSON/), event: body, attempts: 0, firstAttemptAt: iso(FIXED_NOW), lastAttemptAt: iso(FIXED_NOW) },
      ]);
      expect(metrics.counts[METRICS.deadLettered]).toBe(1);
      expect(metrics.counts[DEAD_LETTERED_BY_REASON['invalid-event']]).toBe(1);
    });

    it('dead-letters an event of an unknown type, saying what is wrong', async () => {
      // Prepare
      const { deps, queue } = fakeDeps();
      const value = publishedEvent({ type: 'experiment.succeeded' });

      // Act
      await processRecord(queueRecord(value), batchContext(), deps);

      // Assess
      expect(queue.deadLettered).toEqual([
        expect.objectContaining({ reason: 'invalid-event', event: value, error: expect.stringContaining('did you mean "experiments.succeeded"') }),
      ]);
      expect(queue.deadLettered[0]).not.toHaveProperty('subscription');
      expect(queue.deadLettered[0]).not.toHaveProperty('deliveryId');
    });

    it('rejects when the dead letter cannot be sent, so that SQS delivers the record again', async () => {
      // Prepare
      const { deps } = fakeDeps({ queue: fakeQueue({ deadLetter: () => true }) });

      // Act
      const settled = processRecord(queueRecord('not json'), batchContext(), deps);

      // Assess
      await expect(settled).rejects.toThrow('SQS SendMessage failed');
    });
  });

  describe('secrets', () => {
    it('never writes a secret to a log line, a retry or a dead-letter record', async () => {
      // Prepare
      const keys = [secret(), secret(), secret()];
      const subscriptions = [
        subscription({ name: 'retrying', url: 'https://retrying.example.com/', secret: keys[0] }),
        subscription({ name: 'gone', url: 'https://gone.example.com/', secret: keys[1] }),
        subscription({ name: 'missing', url: 'https://missing.example.com/', secret: keys[2] }),
      ];
      const statuses: Record<string, number> = { 'https://retrying.example.com/': 503, 'https://gone.example.com/': 410, 'https://missing.example.com/': 404 };
      const { deps, log, queue } = fakeDeps({ subscriptions, http: (request) => response(statuses[request.url] ?? 200), config: { retrySchedule: [] } });

      // Act
      await processRecord(queueRecord(publishedEvent()), batchContext(), deps);
      await processRecord(queueRecord(publishedEvent({ id: 'evt_late' })), batchContext({ remainingMs: 1000 }), deps);
      await processRecord(queueRecord('{"oops"'), batchContext(), deps);

      // Assess
      const everything = [log.text(), JSON.stringify(queue.enqueued), JSON.stringify(queue.deadLettered)].join('\n');
      expect(queue.deadLettered.length).toBeGreaterThanOrEqual(4);
      for (const key of keys) {
        expect(everything).not.toContain(key);
        expect(everything).not.toContain(key.slice('whsec_'.length));
      }
    });
  });
});
