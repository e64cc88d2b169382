import { SETTLE_MARGIN_MS } from '../../lambda/core/delivery/call-budget';
import { FRESH_READ_RETRY_MS, processRecord } from '../../lambda/core/delivery/dispatch';
import { SettlementError } from '../../lambda/core/errors';
import { MAX_EVENT_BYTES } from '../../lambda/core/inbound/envelope';
import { DELIVERY_KIND, REDRIVE_KIND } from '../../lambda/core/inbound/messages';
import { DEAD_LETTERED_BY_REASON, METRICS } from '../../lambda/core/ports';
import { deliveryId } from '../../lambda/core/delivery/signature';
import {
  FIXED_NOW, batchContext, deliveryMessage, fakeDeps, fakeQueue, platformEvent, publishedEvent, queueRecord, response, retryRecord, secret, subscription,
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

    it('re-enqueues every delivery in one delivery message, as attempt 1 and without an HTTP call, when the invocation has little time left', async () => {
      // Prepare
      const subscriptions = [subscription({ name: 'a' }), subscription({ name: 'b' })];
      const { deps, http, queue } = fakeDeps({ subscriptions });

      // Act
      await processRecord(queueRecord(publishedEvent()), batchContext({ remainingMs: 3 * SECOND }), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([{ delaySeconds: 0, message: { kind: DELIVERY_KIND, event: platformEvent(), attempt: 1, deliveries: [{ subscription: 'a' }, { subscription: 'b' }] } }]);
    });

    it('gathers the failures of a fan-out into one delivery message per attempt and wait, not one per subscription', async () => {
      // Prepare
      const subscriptions = Array.from({ length: 300 }, (_, i) => subscription({ name: `s${i}`, url: `https://s${i}.example.com/` }));
      const { deps, queue, metrics } = fakeDeps({ subscriptions, http: response(500), config: { retrySchedule: [5 * SECOND] } });

      // Act
      await processRecord(queueRecord(publishedEvent()), batchContext(), deps);

      // Assess
      expect(queue.enqueued).toHaveLength(1);
      expect(queue.enqueued[0]).toMatchObject({ delaySeconds: 5, message: { attempt: 2, dueAt: iso(FIXED_NOW + 5 * SECOND) } });
      expect(queue.enqueued[0]?.message.deliveries.map((delivery) => delivery.subscription)).toEqual(subscriptions.map((s) => s.name));
      expect(metrics.counts[METRICS.retried]).toBe(300);
    });

    it('keeps deliveries with different Retry-After answers in different delivery messages', async () => {
      // Prepare
      const subscriptions = [subscription({ name: 'soon', url: 'https://soon.example.com/' }), subscription({ name: 'later', url: 'https://later.example.com/' })];
      const answers: Record<string, ReturnType<typeof response>> = { 'https://soon.example.com/': response(503), 'https://later.example.com/': response(429, { retryAfter: '600' }) };
      const { deps, queue } = fakeDeps({ subscriptions, http: (request) => answers[request.url] ?? response(200), config: { retrySchedule: [5 * SECOND] } });

      // Act
      await processRecord(queueRecord(publishedEvent()), batchContext(), deps);

      // Assess
      const sent = queue.enqueued.map(({ message, delaySeconds }) => [message.deliveries.map((d) => d.subscription), delaySeconds]);
      expect(sent).toEqual(expect.arrayContaining([[['soon'], 5], [['later'], 600]]));
      expect(sent).toHaveLength(2);
    });

    it('rejects with SettlementError when the retries cannot be enqueued, after every delivery completed', async () => {
      // Prepare
      const subscriptions = [
        subscription({ name: 'ok', url: 'https://ok.example.com/' }),
        subscription({ name: 'flaky', url: 'https://flaky.example.com/' }),
        subscription({ name: 'gone', url: 'https://gone.example.com/' }),
        subscription({ name: 'down', url: 'https://down.example.com/' }),
      ];
      const statuses: Record<string, number> = { 'https://ok.example.com/': 200, 'https://flaky.example.com/': 500, 'https://gone.example.com/': 404, 'https://down.example.com/': 503 };
      const queue = fakeQueue({ enqueue: () => true });
      const { deps, http } = fakeDeps({ subscriptions, queue, http: (request) => response(statuses[request.url] ?? 599) });

      // Act
      const settled = processRecord(queueRecord(publishedEvent()), batchContext(), deps);

      // Assess
      await expect(settled).rejects.toBeInstanceOf(SettlementError);
      await expect(settled).rejects.toThrow('1 send settling the deliveries of event evt_01JTEST failed');
      expect(http.requests).toHaveLength(4);
      expect(queue.deadLettered.map((record) => record.subscription)).toEqual(['gone']);
    });

    it('dead-letters only the delivery whose request cannot be built (signed), and delivers the others', async () => {
      // Prepare: a stored value no validation would let through, so signing throws
      const subscriptions = [
        subscription({ name: 'plain', url: 'https://plain.example.com/' }),
        subscription({ name: 'broken', url: 'https://broken.example.com/', secret: 42 as unknown as string }),
        subscription({ name: 'other', url: 'https://other.example.com/' }),
      ];
      const { deps, http, queue } = fakeDeps({ subscriptions });

      // Act
      await processRecord(queueRecord(publishedEvent()), batchContext(), deps);

      // Assess
      expect(http.requests.map((request) => request.url).sort()).toEqual(['https://other.example.com/', 'https://plain.example.com/']);
      expect(queue.deadLettered).toEqual([
        expect.objectContaining({ reason: 'permanent', subscription: 'broken', attempts: 1, error: expect.stringMatching(/^could not build the request: TypeError: /) }),
      ]);
      expect(queue.enqueued).toEqual([]);
    });

    it('passes the read deadline, the settle margin before the invocation\'s, to the subscription source', async () => {
      // Prepare
      const { deps, subscriptions } = fakeDeps();

      // Act
      await processRecord(queueRecord(publishedEvent()), batchContext({ remainingMs: 60 * SECOND }), deps);

      // Assess
      expect(subscriptions.loads).toEqual([{ deadline: FIXED_NOW + 60 * SECOND - SETTLE_MARGIN_MS }]);
    });
  });

  describe('a delivery message', () => {
    it('attempts it from the retry queue with its attempt number and the derived webhook-id', async () => {
      // Prepare
      const { deps, http, queue } = fakeDeps();
      const message = deliveryMessage({ attempt: 3 });

      // Act
      await processRecord(retryRecord(message), batchContext(), deps);

      // Assess
      expect(http.requests).toHaveLength(1);
      expect(http.requests[0]?.headers).toMatchObject({ 'webhook-id': deliveryId(message.event.id, 'ops'), 'webhook-attempt': '3', 'webhook-event': message.event.type });
      expect(queue.enqueued).toEqual([]);
    });

    it('dead-letters one from any other queue as an invalid event, delivering nothing', async () => {
      // Prepare
      const { deps, http, queue, subscriptions } = fakeDeps();
      const forged = { ...deliveryMessage({ dueAt: '9999-12-31T00:00:00.000Z' }), deliveryId: 'msg_chosen_by_publisher' };

      // Act
      await processRecord(queueRecord(forged), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([]);
      expect(subscriptions.loads).toEqual([]);
      expect(queue.deadLettered).toStrictEqual([
        {
          reason: 'invalid-event',
          error: 'a delivery message (kind "platform-webhooks.delivery") arrived on queue "platform-webhooks-events"; only the function\'s own retry queue carries them, so it was not delivered',
          event: forged,
          attempts: 0,
          firstAttemptAt: iso(FIXED_NOW),
          lastAttemptAt: iso(FIXED_NOW),
        },
      ]);
    });

    it('attempts every delivery it carries and re-enqueues the failures together as the next attempt', async () => {
      // Prepare
      const subscriptions = ['a', 'b', 'c'].map((name) => subscription({ name, url: `https://${name}.example.com/` }));
      const { deps, http, queue } = fakeDeps({ subscriptions, http: (request) => response(request.url.startsWith('https://b.') ? 200 : 500), config: { retrySchedule: [SECOND, 2 * SECOND] } });
      const message = deliveryMessage({ deliveries: [{ subscription: 'a', firstAttemptAt: iso(FIXED_NOW - SECOND) }, { subscription: 'b' }, { subscription: 'c', lastError: 'HTTP 502' }] });

      // Act
      await processRecord(retryRecord(message), batchContext(), deps);

      // Assess
      expect(http.requests).toHaveLength(3);
      expect(queue.enqueued).toEqual([
        {
          delaySeconds: 2,
          message: {
            kind: DELIVERY_KIND,
            event: message.event,
            attempt: 3,
            dueAt: iso(FIXED_NOW + 2 * SECOND),
            deliveries: [
              { subscription: 'a', firstAttemptAt: iso(FIXED_NOW - SECOND), lastError: 'HTTP 500' },
              { subscription: 'c', firstAttemptAt: iso(FIXED_NOW), lastError: 'HTTP 500' },
            ],
          },
        },
      ]);
    });

    it('attempts a message due within a second', async () => {
      // Prepare
      const { deps, http } = fakeDeps();

      // Act
      await processRecord(retryRecord(deliveryMessage({ dueAt: iso(FIXED_NOW + 900) })), batchContext(), deps);

      // Assess
      expect(http.requests).toHaveLength(1);
    });

    it('re-enqueues a message received before it is due, unchanged and without an HTTP call', async () => {
      // Prepare
      const { deps, http, queue } = fakeDeps();
      const message = deliveryMessage({ dueAt: iso(FIXED_NOW + 90 * SECOND + 1) });

      // Act
      await processRecord(retryRecord(message), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([{ message, delaySeconds: 91 }]);
    });

    it('hops again, at most 900 seconds, while a long delay is not yet due', async () => {
      // Prepare
      const { deps, http, queue } = fakeDeps({ config: { retrySchedule: [5 * SECOND, 2 * HOUR] } });
      const message = deliveryMessage({ dueAt: iso(FIXED_NOW + 2 * HOUR) });

      // Act
      await processRecord(retryRecord(message), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([{ message, delaySeconds: 900 }]);
    });

    it('dead-letters a message due later than the schedule and Retry-After allow, as an invalid event', async () => {
      // Prepare: the longest wait is 5 min × 1.2 + 1 h
      const { deps, http, queue } = fakeDeps({ config: { retrySchedule: [5 * SECOND, 300 * SECOND] } });
      const message = deliveryMessage({ dueAt: iso(FIXED_NOW + 360 * SECOND + HOUR + 61 * SECOND) });

      // Act
      await processRecord(retryRecord(message), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([]);
      expect(queue.deadLettered).toEqual([
        expect.objectContaining({ reason: 'invalid-event', event: message, error: expect.stringMatching(/^delivery message due at .+, later than the longest wait the retry schedule and Retry-After allow \(66 minutes\)/) }),
      ]);
    });

    it('waits for a message due at the very end of the longest wait', async () => {
      // Prepare
      const { deps, queue } = fakeDeps({ config: { retrySchedule: [5 * SECOND, 300 * SECOND] } });
      const message = deliveryMessage({ dueAt: iso(FIXED_NOW + 360 * SECOND + HOUR) });

      // Act
      await processRecord(retryRecord(message), batchContext(), deps);

      // Assess
      expect(queue.enqueued).toEqual([{ message, delaySeconds: 900 }]);
      expect(queue.deadLettered).toEqual([]);
    });

    it.each([
      ['deleted', [], 'deleted'],
      ['disabled', [subscription({ name: 'ops', enabled: false })], 'disabled'],
      ['no longer subscribed to the event', [subscription({ name: 'ops', events: ['builds.*'] })], 'no longer subscribes to experiments.succeeded'],
      ['filtering the event out', [subscription({ name: 'ops', filter: { data: { experiment: { project: ['nlp'] } } } })], 'its filter keeps the event out'],
    ])('drops the retry of a %s subscription once the store confirms it: no HTTP call, no dead letter', async (_what, subscriptions, why) => {
      // Prepare
      const { deps, http, queue, audit, metrics, subscriptions: source } = fakeDeps({ subscriptions });

      // Act
      await processRecord(retryRecord(deliveryMessage()), batchContext(), deps);

      // Assess
      expect(source.freshReads).toEqual(['ops']);
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([]);
      expect(queue.deadLettered).toEqual([]);
      expect(metrics.counts[METRICS.dropped]).toBe(1);
      expect(audit.entries).toEqual([expect.objectContaining({ subscription: 'ops', outcome: 'dropped', reason: `${why}, as the store said at ${iso(FIXED_NOW)}` })]);
    });

    it.each([
      ['lacks the subscription (created after it was loaded)', []],
      ['holds the subscription disabled (re-enabled since)', [subscription({ name: 'ops', enabled: false, url: 'https://old.example.com/' })]],
    ])('delivers a retry whose cached copy %s, after a fresh read', async (_what, cached) => {
      // Prepare
      const stored = subscription({ name: 'ops', url: 'https://new.example.com/' });
      const { deps, http, metrics, subscriptions } = fakeDeps({ subscriptions: cached, store: [stored] });

      // Act
      await processRecord(retryRecord(deliveryMessage()), batchContext(), deps);

      // Assess
      expect(subscriptions.freshReads).toEqual(['ops']);
      expect(http.requests.map((request) => request.url)).toEqual(['https://new.example.com/']);
      expect(metrics.counts[METRICS.dropped]).toBeUndefined();
    });

    it('does not read the store for a retry the cached copy can deliver', async () => {
      // Prepare
      const { deps, http, subscriptions } = fakeDeps();

      // Act
      await processRecord(retryRecord(deliveryMessage()), batchContext(), deps);

      // Assess
      expect(subscriptions.freshReads).toEqual([]);
      expect(http.requests).toHaveLength(1);
    });

    it('re-enqueues, uncounted and after a pause, a retry whose subscription the store cannot be read for', async () => {
      // Prepare
      const { deps, http, queue, audit, metrics } = fakeDeps({ subscriptions: [], failFresh: true });
      const message = deliveryMessage();

      // Act
      await processRecord(retryRecord(message), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([
        { delaySeconds: FRESH_READ_RETRY_MS / 1000, message: { ...message, dueAt: iso(FIXED_NOW + FRESH_READ_RETRY_MS) } },
      ]);
      expect(metrics.counts[METRICS.dropped]).toBeUndefined();
      expect(audit.entries).toEqual([expect.objectContaining({ outcome: 'deferred', reason: 'store-unreadable', subscription: 'ops', retryInMs: FRESH_READ_RETRY_MS })]);
    });

    it('re-enqueues, unread and uncounted, a retry the cached copy cannot decide when no time is left to read the store', async () => {
      // Prepare
      const { deps, http, queue, subscriptions } = fakeDeps({ subscriptions: [] });
      const message = deliveryMessage();

      // Act
      await processRecord(retryRecord(message), batchContext({ remainingMs: SETTLE_MARGIN_MS }), deps);

      // Assess
      expect(subscriptions.freshReads).toEqual([]);
      expect(http.requests).toEqual([]);
      expect(queue.enqueued).toEqual([{ delaySeconds: 0, message: { kind: DELIVERY_KIND, event: message.event, attempt: message.attempt, deliveries: message.deliveries } }]);
    });

    it('reads the subscription again for the retry', async () => {
      // Prepare
      const { deps, http } = fakeDeps({ subscriptions: [subscription({ url: 'https://moved.example.com/new', headers: { 'X-Token': 'v2' } })] });

      // Act
      await processRecord(retryRecord(deliveryMessage()), batchContext(), deps);

      // Assess
      expect(http.requests[0]).toMatchObject({ url: 'https://moved.example.com/new', headers: { 'X-Token': 'v2' } });
    });
  });

  describe('a redrive message', () => {
    it('delivers the event again from any queue, at attempt 1, under the derived webhook-id, to each named subscription that still wants it', async () => {
      // Prepare
      const subscriptions = [
        subscription({ name: 'ops', url: 'https://ops.example.com/' }),
        subscription({ name: 'builds', url: 'https://builds.example.com/', events: ['builds.*'] }),
        subscription({ name: 'other', url: 'https://other.example.com/' }),
      ];
      const { deps, http, queue, audit } = fakeDeps({ subscriptions });
      const event = platformEvent();

      // Act
      await processRecord(queueRecord({ kind: REDRIVE_KIND, event, subscriptions: ['ops', 'builds'] }), batchContext(), deps);

      // Assess
      expect(http.requests.map((request) => [request.url, request.headers['webhook-id'], request.headers['webhook-attempt']])).toEqual([
        ['https://ops.example.com/', deliveryId(event.id, 'ops'), '1'],
      ]);
      expect(queue.deadLettered).toEqual([]);
      expect(audit.entries).toContainEqual(expect.objectContaining({ outcome: 'dropped', subscription: 'builds', reason: expect.stringMatching(/^no longer subscribes to experiments\.succeeded, as the store said at /) }));
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
      await processRecord(retryRecord(JSON.stringify(retry?.message)), batchContext({ now: clock.now() }), deps);

      // Assess
      expect(retry).toMatchObject({ delaySeconds: 5, message: { kind: DELIVERY_KIND, attempt: 2, deliveries: [{ subscription: 'ops' }] } });
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

  describe('sizes', () => {
    it('delivers the retry of an event near the 256 KiB limit: the delivery message that carries it is larger, and only SQS limits it', async () => {
      // Prepare: an event just under the publisher's limit, whose first attempt fails.
      let answered = 0;
      const { deps, http, queue, clock } = fakeDeps({ http: () => (answered++ === 0 ? response(500) : response(200)), config: { retrySchedule: [5 * SECOND] } });
      const published = publishedEvent({ data: { experiment: { id: 1, notes: 'n'.repeat(MAX_EVENT_BYTES - 200) } } });
      const body = JSON.stringify(published);


      // Act
      await processRecord(queueRecord(body), batchContext(), deps);
      const retry = JSON.stringify(queue.enqueued[0]?.message);
      clock.advance(5 * SECOND);
      await processRecord(retryRecord(retry), batchContext({ now: clock.now() }), deps);

      // Assess
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
      expect(Buffer.byteLength(retry)).toBeGreaterThan(MAX_EVENT_BYTES);
      expect(http.requests.map((request) => request.headers['webhook-attempt'])).toEqual(['1', '2']);
      expect(queue.deadLettered).toEqual([]);
    });

    it('takes a redrive message of an event near the limit, though the message is over 256 KiB', async () => {
      // Prepare
      const { deps, http, queue } = fakeDeps();
      const event = platformEvent({ data: { experiment: { id: 1, notes: 'n'.repeat(MAX_EVENT_BYTES - 200) } } });
      const body = JSON.stringify({ kind: REDRIVE_KIND, event, subscriptions: ['ops'] });

      // Act
      await processRecord(queueRecord(body), batchContext(), deps);

      // Assess
      expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_EVENT_BYTES);
      expect(http.requests).toHaveLength(1);
      expect(queue.deadLettered).toEqual([]);
    });

    it('dead-letters as invalid, before any delivery, an event whose numbers grow past twice the limit when written again', async () => {
      // Prepare: 9e20 is 4 bytes as published and 21 as JSON.stringify writes it (900000000000000000000).
      const { deps, http, queue } = fakeDeps();
      const body = JSON.stringify(publishedEvent()).replace('"data":{', `"data":{"huge":[${Array(40_000).fill('9e20').join(',')}],`);

      // Act
      await processRecord(queueRecord(body), batchContext(), deps);

      // Assess
      expect(Buffer.byteLength(body)).toBeLessThan(MAX_EVENT_BYTES);
      expect(http.requests).toEqual([]);
      expect(queue.deadLettered).toEqual([
        expect.objectContaining({ reason: 'invalid-event', error: expect.stringMatching(/^event is \d+ bytes once written as JSON again \(numbers in exponent form below 1e21, such as 9e20, are written out in full, and base64 data is decoded\); the limit is 524288 bytes, send such numbers as strings$/) }),
      ]);
      expect(queue.deadLettered[0]?.event).toBe(body);
    });

    it('dead-letters as invalid a redrive message whose event is larger than any event the function writes, before any delivery', async () => {
      // Prepare: a redrive is taken from any queue, and SQS takes up to 1 MiB.
      const { deps, http, queue } = fakeDeps();
      const event = platformEvent({ data: { experiment: { id: 1, notes: 'n'.repeat(900_000) } } });
      const body = JSON.stringify({ kind: REDRIVE_KIND, event, subscriptions: ['ops'] });

      // Act
      await processRecord(queueRecord(body), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.deadLettered).toEqual([expect.objectContaining({ reason: 'invalid-event', error: expect.stringMatching(/^event is 9\d{5} bytes once written as JSON again/) })]);
    });

    it('still refuses a publisher\'s event over 256 KiB, naming its size', async () => {
      // Prepare
      const { deps, http, queue } = fakeDeps();
      const body = JSON.stringify(publishedEvent({ data: { experiment: { notes: 'n'.repeat(MAX_EVENT_BYTES) } } }));

      // Act
      await processRecord(queueRecord(body), batchContext(), deps);

      // Assess
      expect(http.requests).toEqual([]);
      expect(queue.deadLettered).toEqual([
        expect.objectContaining({ reason: 'invalid-event', error: `event body is ${Buffer.byteLength(body)} bytes; the limit is ${MAX_EVENT_BYTES} bytes (256 KiB)` }),
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
