import { checkInvariant } from '../../bench/soak/invariant';
import type { InvariantInput, PublishedEvent } from '../../bench/soak/invariant';
import type { ReplyKind } from '../../bench/soak/receiver-behaviour';
import type { ReceiverBehaviour, SoakSubscription } from '../../bench/soak/soak-plan';
import type { ObservedRequest } from '../../bench/soak/soak-receivers';
import { DELIVERY_KIND } from '../../lambda/core/inbound/messages';
import type { DeadLetterRecord } from '../../lambda/core/inbound/messages';
import { deliveryId } from '../../lambda/core/delivery/signature';

const FLAKY: ReceiverBehaviour = { kind: 'flaky', failureRate: 0.3, slowRate: 0 };
const MAX_ATTEMPTS = 3;

function subscription(name: string, events: string[], overrides: Partial<SoakSubscription> = {}): SoakSubscription {
  return { name, events, enabled: true, behaviour: FLAKY, ...overrides };
}

function published(id: string, type: string, publishedAt = 1000): PublishedEvent {
  return { id, type, publishedAt };
}

function request(subscription: string, eventId: string, attempt: number, reply: ReplyKind, arrivedAt = 1100): ObservedRequest {
  return { subscription, webhookId: deliveryId(eventId, subscription), attempt, eventId, arrivedAt, reply };
}

function deadLetter(subscription: string, event: PublishedEvent, overrides: Partial<DeadLetterRecord>): string {
  const record: DeadLetterRecord = {
    reason: 'exhausted',
    error: 'HTTP 500',
    event: { id: event.id, type: event.type, timestamp: new Date(event.publishedAt).toISOString(), data: {} },
    subscription,
    deliveryId: deliveryId(event.id, subscription),
    attempts: MAX_ATTEMPTS,
    firstAttemptAt: '2026-11-27T10:00:00.000Z',
    lastAttemptAt: '2026-11-27T10:00:03.000Z',
    ...overrides,
  };
  return JSON.stringify(record);
}

const jobFailed = published('evt_1', 'jobs.failed');
const buildSucceeded = published('evt_2', 'builds.succeeded');

/** Two events; `ops` gets both (`*`), `jobs` gets only the job event: three expected pairs. */
function run(overrides: Partial<InvariantInput>): ReturnType<typeof checkInvariant> {
  return checkInvariant({
    events: [jobFailed, buildSucceeded],
    subscriptions: [subscription('ops', ['*']), subscription('jobs', ['jobs.*'])],
    requests: [],
    deadLetters: [],
    disabledAtEnd: new Set(),
    maxAttempts: MAX_ATTEMPTS,
    settled: true,
    ...overrides,
  });
}

const allDelivered = [request('ops', 'evt_1', 1, 'ok', 1040), request('ops', 'evt_2', 1, 'slow', 1250), request('jobs', 'evt_1', 1, 'ok', 1090)];

describe('checkInvariant', () => {
  it('passes a run where every expected pair was delivered, counting first-attempt latencies', () => {
    const result = run({ requests: allDelivered });

    expect(result).toMatchObject({ pairs: 3, delivered: 3, droppedByRule: 0, lost: [], unexpected: [], duplicates: 0 });
    expect(result.firstAttemptLatencies).toEqual([40, 90, 250]);
  });

  it('reports a pair that was neither delivered, dead-lettered nor dropped as lost', () => {
    const result = run({ requests: [allDelivered[0], allDelivered[1], request('jobs', 'evt_1', 1, 'http-500')] as ObservedRequest[] });

    expect(result.lost).toEqual([expect.stringContaining('evt_1 (jobs.failed) → jobs')]);
    expect(result.lost[0]).toContain('#1 http-500');
    expect(result.delivered).toBe(2);
  });

  it('reports a delivery to a subscription whose patterns do not match the event as unexpected', () => {
    const result = run({ requests: [...allDelivered, request('jobs', 'evt_2', 1, 'ok')] });

    expect(result.unexpected).toEqual([expect.stringContaining('request to jobs for evt_2')]);
    expect(result.lost).toEqual([]);
  });

  it('reports a delivery to a subscription disabled from the start as unexpected', () => {
    const subscriptions = [subscription('ops', ['*']), subscription('jobs', ['jobs.*']), subscription('off', ['*'], { enabled: false })];

    const result = run({ subscriptions, requests: [...allDelivered, request('off', 'evt_1', 1, 'ok')] });

    expect(result.pairs).toBe(3);
    expect(result.unexpected).toEqual([expect.stringContaining('request to off for evt_1')]);
  });

  it('reports a request whose signature or webhook-id did not verify as unexpected', () => {
    const result = run({ requests: [...allDelivered, request('ops', 'evt_1', 2, 'bad-request')] });

    expect(result.unexpected).toEqual([expect.stringContaining('did not verify')]);
  });

  it('counts 2xx answers beyond the first of a pair as duplicates', () => {
    const result = run({ requests: [...allDelivered, request('ops', 'evt_1', 1, 'ok'), request('ops', 'evt_1', 2, 'ok')] });

    expect(result).toMatchObject({ delivered: 3, duplicates: 2, unexpected: [] });
  });

  it('accepts a dead-letter record that fits what the receiver did', () => {
    const subscriptions = [subscription('ops', ['*'], { behaviour: { kind: 'not-found' } }), subscription('jobs', ['jobs.*'])];
    const requests = [request('ops', 'evt_1', 1, 'http-404'), request('ops', 'evt_2', 1, 'http-404'), ...['http-500', 'reset', 'http-500'].map((reply, index) => request('jobs', 'evt_1', index + 1, reply as ReplyKind))];
    const deadLetters = [
      deadLetter('ops', jobFailed, { reason: 'permanent', error: 'HTTP 404', attempts: 1 }),
      deadLetter('ops', buildSucceeded, { reason: 'permanent', error: 'HTTP 404', attempts: 1 }),
      deadLetter('jobs', jobFailed, { reason: 'exhausted', error: 'HTTP 500', attempts: 3 }),
    ];

    const result = run({ subscriptions, requests, deadLetters });

    expect(result).toMatchObject({ delivered: 0, lost: [], unexpected: [] });
    expect(result.deadLettered).toEqual({ 'permanent: HTTP 404': 2, 'exhausted: HTTP 500': 1 });
  });

  it('reports dead-letter records that do not fit the receiver as unexpected', () => {
    const subscriptions = [subscription('ops', ['*'], { behaviour: { kind: 'not-found' } }), subscription('jobs', ['jobs.*'])];
    const requests = [request('ops', 'evt_1', 1, 'http-404'), request('jobs', 'evt_1', 3, 'http-429')];
    const deadLetters = [
      deadLetter('ops', jobFailed, { reason: 'exhausted', error: 'HTTP 503' }), // ops always answers 404
      deadLetter('jobs', jobFailed, { reason: 'exhausted', error: 'HTTP 500', attempts: 3 }), // attempt 3 was a 429
      deadLetter('ops', buildSucceeded, { reason: 'permanent', error: 'HTTP 404', attempts: 1, deliveryId: 'msg_nobody' }),
    ];

    const result = run({ subscriptions, requests, deadLetters });

    expect(result.unexpected).toEqual([
      expect.stringContaining('ops always answers 404'),
      expect.stringContaining('attempt 3 was answered http-429'),
      expect.stringContaining('for no expected pair'),
    ]);
  });

  it('requires an exhausted record of a flaky receiver to have made every attempt', () => {
    const deadLetters = [deadLetter('jobs', jobFailed, { reason: 'exhausted', error: 'ECONNRESET: socket hang up', attempts: 2 })];

    const result = run({ requests: allDelivered.slice(0, 2), deadLetters });

    expect(result.unexpected).toEqual([expect.stringContaining('expected exhausted after 3')]);
  });

  it('counts pairs of a subscription disabled by 410 as dropped by rule, and as lost while it is still enabled', () => {
    const subscriptions = [subscription('ops', ['*']), subscription('jobs', ['jobs.*'], { behaviour: { kind: 'gone', fromSeq: 0 } })];
    const requests = allDelivered.slice(0, 2);

    const disabled = run({ subscriptions, requests, disabledAtEnd: new Set(['jobs']) });
    const enabled = run({ subscriptions, requests });

    expect(disabled).toMatchObject({ droppedByRule: 1, lost: [] });
    expect(enabled.lost).toEqual([expect.stringContaining('→ jobs')]);
  });

  it('counts a pair only in the DLQ as an unprocessed message (moved by the redrive policy) as lost, saying so', () => {
    const raw = { kind: DELIVERY_KIND, attempt: 2, event: { id: 'evt_1', type: 'jobs.failed', data: {} }, deliveries: [{ subscription: 'jobs' }] };

    const result = run({ requests: allDelivered.slice(0, 2), deadLetters: [JSON.stringify(raw)] });

    expect(result.unprocessed).toBe(1);
    expect(result.lost).toEqual([expect.stringContaining('only an unprocessed message in the DLQ')]);
  });

  it('reports a pair without an outcome as unsettled, not lost, when the run was stopped with messages still queued', () => {
    const result = run({ requests: allDelivered.slice(0, 2), settled: false });

    expect(result.lost).toEqual([]);
    expect(result.unsettled).toEqual([expect.stringContaining('evt_1 (jobs.failed) → jobs')]);
  });

  it('accepts any receiver\'s delivery exhausted on connection errors after every attempt: the client never read the answer', () => {
    const subscriptions = [subscription('ops', ['*'], { behaviour: { kind: 'not-found' } }), subscription('jobs', ['jobs.*'], { behaviour: { kind: 'gone', fromSeq: 0 } })];
    const deadLetters = [
      deadLetter('ops', jobFailed, { error: 'ETIMEDOUT: the request timed out after 1000 ms' }),
      deadLetter('ops', buildSucceeded, { error: 'ECONNRESET: socket hang up' }),
      deadLetter('jobs', jobFailed, { error: 'ETIMEDOUT: the request timed out after 1000 ms' }),
    ];

    const result = run({ subscriptions, deadLetters });

    expect(result).toMatchObject({ lost: [], unexpected: [] });
  });

  it('reports an invalid-event record and a DLQ body that is not JSON as unexpected', () => {
    const invalid = JSON.stringify({ reason: 'invalid-event', error: 'event body is not valid JSON', event: '{', attempts: 0, firstAttemptAt: '', lastAttemptAt: '' });

    const result = run({ requests: allDelivered, deadLetters: [invalid, 'not json'] });

    expect(result.unexpected).toEqual([expect.stringContaining('invalid-event'), expect.stringContaining('not JSON')]);
  });
});
