/** The audit line of each outcome (docs/design.md §11), as the core reports it through the AuditLog port. */
import { processRecord } from '../../lambda/core/delivery/dispatch';
import { deliveryId } from '../../lambda/core/delivery/signature';
import {
  batchContext, deliveryMessage, fakeDeps, networkError, platformEvent, publishedEvent, queueRecord, response, retryRecord, subscription,
} from '../support/factories';

const event = platformEvent({ id: 'evt_audit' });
const ops = subscription({ name: 'ops', url: 'https://hooks.example.com/ops?token=abc' });
const first = { eventId: 'evt_audit', eventType: 'experiments.succeeded', subscription: 'ops', deliveryId: deliveryId('evt_audit', 'ops'), attempt: 1 };

describe('the audit trail', () => {
  it('records a delivered attempt with its status, latency and URL (redacted when written)', async () => {
    // Prepare
    const { deps, audit } = fakeDeps({ subscriptions: [ops], http: response(204) });

    // Act
    await processRecord(queueRecord(publishedEvent({ ...event })), batchContext(), deps);

    // Assess
    expect(audit.entries).toEqual([{ ...first, outcome: 'delivered', status: 204, latencyMs: expect.any(Number), url: ops.url }]);
  });

  it('records a failed attempt that will be retried, with its error and the wait', async () => {
    // Prepare
    const { deps, audit } = fakeDeps({ subscriptions: [ops], http: networkError('ECONNRESET'), config: { retrySchedule: [5000] } });

    // Act
    await processRecord(queueRecord(publishedEvent({ ...event })), batchContext(), deps);

    // Assess
    expect(audit.entries).toEqual([{ ...first, outcome: 'retry', status: undefined, latencyMs: expect.any(Number), error: expect.stringMatching(/^ECONNRESET/), retryInMs: 5000, url: ops.url }]);
  });

  it.each([
    ['permanent', response(404), []],
    ['exhausted', response(503), []],
  ] as const)('records a dead letter with its reason: %s', async (reason, result, retrySchedule) => {
    // Prepare
    const { deps, audit } = fakeDeps({ subscriptions: [ops], http: result, config: { retrySchedule } });

    // Act
    await processRecord(queueRecord(publishedEvent({ ...event })), batchContext(), deps);

    // Assess
    expect(audit.entries).toEqual([expect.objectContaining({ ...first, outcome: 'dead-lettered', reason, status: result.kind === 'response' ? result.status : undefined })]);
  });

  it('records a delivery deferred for lack of time, naming the attempt it put off', async () => {
    // Prepare
    const { deps, audit } = fakeDeps({ subscriptions: [ops] });

    // Act
    await processRecord(queueRecord(publishedEvent({ ...event })), batchContext({ remainingMs: 1000 }), deps);

    // Assess
    expect(audit.entries).toEqual([expect.objectContaining({ ...first, outcome: 'deferred', reason: 'no-time-left' })]);
  });

  it('records an event the subscription\'s filter keeps out', async () => {
    // Prepare
    const picky = subscription({ name: 'ops', filter: { data: { experiment: { project: ['nlp'] } } } });
    const { deps, audit, http } = fakeDeps({ subscriptions: [picky] });

    // Act
    await processRecord(queueRecord(publishedEvent({ ...event })), batchContext(), deps);

    // Assess
    expect(http.requests).toEqual([]);
    expect(audit.entries).toEqual([{ ...first, outcome: 'filtered' }]);
  });

  it('records a retry dropped because its subscription is gone', async () => {
    // Prepare
    const { deps, audit } = fakeDeps({ subscriptions: [] });

    // Act
    await processRecord(retryRecord(deliveryMessage({ event, attempt: 3 })), batchContext(), deps);

    // Assess
    expect(audit.entries).toEqual([{ ...first, attempt: 3, outcome: 'dropped', reason: expect.stringMatching(/^deleted, as the store said at \d{4}-/) }]);
  });
});
