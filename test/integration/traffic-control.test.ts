import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { handlerHarness, startPeers } from '../support/handler-harness';
import type { Harness, HarnessOptions, Peers } from '../support/handler-harness';
import { createQueues, drain, send } from '../support/queues';
import type { TestQueues } from '../support/queues';
import type { Receiver } from '../support/receiver';

/**
 * Traffic control (docs/design.md §10) through the real handler: fauxqs, the Parameter Store
 * stand-in and a loopback receiver, driven by the local event-source pollers. Timing is judged by
 * the receiver's clock alone and only from below (never more than so many in a second): a busy
 * machine makes arrivals slower, which still passes.
 */

const PATH = '/platform-webhooks/traffic-tests';

let peers: Peers;
let receiver: Receiver;
let sqs: SQSClient;
let queues: TestQueues;
let harness: Harness | undefined;
let testNumber = 0;

beforeAll(async () => {
  peers = await startPeers();
  ({ receiver, sqs } = peers);
});

afterAll(async () => {
  await peers.close();
});

beforeEach(async () => {
  testNumber++;
  queues = await createQueues(sqs, 'traffic');
});

afterEach(() => harness?.close());

function start(env: Record<string, string> = {}, options: Partial<HarnessOptions> = {}): Harness {
  harness = handlerHarness({ sqs, ssm: peers.ssm, ...queues, ...options, env: { SUBSCRIPTIONS_PATH: `${PATH}${testNumber}`, ...env } });
  return harness;
}

async function subscribe(name: string, value: object): Promise<void> {
  await peers.ssm.send(new PutParameterCommand({ Name: `${PATH}${testNumber}/${name}`, Value: JSON.stringify(value), Type: 'String', Overwrite: true }));
}

function jobFailed(id: string): object {
  return { type: 'jobs.failed', id, timestamp: '2026-11-27T10:00:00.000Z', data: { job: { id: 7, name: 'preprocess-imagenet' } } };
}

/** Polls (both queues, unless `poll` says otherwise) until `done()` holds, up to a generous cap. */
async function pollUntil(running: Harness, done: () => boolean, what: string, capMs = 90_000, poll = async (): Promise<unknown> => running.poller.pollOnce()): Promise<void> {
  const until = Date.now() + capMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`expected ${what} within ${capMs} ms`);
    await poll();
    if (!done()) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The most requests that arrived within any one second, by the receiver's clock. */
function busiestSecond(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= 1000) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  return busiest;
}

describe('maxPerSecond through the handler', () => {
  it('delivers 60 events to a subscription with maxPerSecond 5 no faster than 5 in any second, every one of them, none dead-lettered', async () => {
    // Prepare
    const running = start();
    const path = `/limited-${testNumber}`;
    await subscribe('limited', { url: receiver.url(path), events: ['jobs.*'], maxPerSecond: 5 });
    const ids = Array.from({ length: 60 }, (_, i) => `evt_${testNumber}_${i}`);
    for (const id of ids) await send(sqs, queues.queueUrl, jobFailed(id));

    // Act
    await pollUntil(running, () => receiver.requests(path).length >= ids.length, 'all 60 deliveries', 120_000);

    // Assess
    const requests = receiver.requests(path);
    expect(requests.map((request) => JSON.parse(request.body).id).sort()).toEqual([...ids].sort());
    expect(busiestSecond(requests.map((request) => request.receivedAt))).toBeLessThanOrEqual(5);
    expect(requests.every((request) => request.headers['webhook-attempt'] === '1')).toBe(true);
    expect(running.log.lines.some((line) => line.fields?.outcome === 'rate-limited' && line.fields?.subscription === 'limited')).toBe(true);
    expect(await drain(sqs, queues.dlqUrl)).toEqual([]);
  }, 150_000);
});

describe('the circuit breaker through the handler', () => {
  it('opens after consecutive retryable failures, holds the next deliveries back without an attempt, then a probe closes it and they arrive as attempt 1', async () => {
    // Prepare: the endpoint fails until told otherwise; retries of the first events wait an hour
    const running = start({ BREAKER_FAILURES: '2', BREAKER_COOLDOWN: '10s', RETRY_SCHEDULE: '1h' });
    const path = `/flaky-${testNumber}`;
    receiver.script(path, { status: 503 });
    await subscribe('flaky', { url: receiver.url(path), events: ['*'] });
    for (const id of ['a', 'b', 'c']) await send(sqs, queues.queueUrl, jobFailed(`evt_${testNumber}_${id}`));
    await pollUntil(running, () => receiver.requests(path).length >= 3, 'the three failing attempts');
    const later = ['d', 'e', 'f'].map((id) => `evt_${testNumber}_${id}`);
    for (const id of later) await send(sqs, queues.queueUrl, jobFailed(id));

    // Act: the later events come while the circuit is open; then the endpoint recovers
    let handled = 0;
    await pollUntil(running, () => handled >= 3, 'the later events handled', 30_000, async () => {
      handled += (await running.pollers.events.pollOnce()).received;
    });
    const whileOpen = receiver.requests(path).length - 3;
    receiver.script(path, { status: 200 });
    await pollUntil(running, () => later.every((id) => receiver.requests(path).some((request) => JSON.parse(request.body).id === id)), 'the later events delivered');

    // Assess
    // The cool-down is 10 s: only a machine stalled that long lets one of them through as the probe.
    expect(whileOpen).toBeLessThanOrEqual(1);
    const delivered = receiver.requests(path).filter((request) => later.includes(JSON.parse(request.body).id));
    expect(delivered.filter((request) => request.headers['webhook-attempt'] === '1').length).toBe(delivered.length);
    const circuit = running.log.lines.filter((line) => line.fields?.circuit !== undefined).map((line) => line.fields?.circuit);
    expect(circuit[0]).toBe('open');
    expect(circuit.slice(-2)).toEqual(['half-open', 'closed']);
    expect(running.log.lines.filter((line) => line.fields?.outcome === 'short-circuited').length).toBeGreaterThanOrEqual(2);
    expect(await drain(sqs, queues.dlqUrl)).toEqual([]);
  }, 120_000);
});

describe('invalid stored traffic settings through the handler', () => {
  it('skips a stored subscription whose maxPerSecond is out of range, naming the parameter and the field, and delivers to the others', async () => {
    // Prepare
    const running = start();
    const good = `/good-${testNumber}`;
    await subscribe('good', { url: receiver.url(good), events: ['*'], maxPerSecond: 1000 });
    await subscribe('greedy', { url: receiver.url(`/greedy-${testNumber}`), events: ['*'], maxPerSecond: 5000 });
    await send(sqs, queues.queueUrl, jobFailed(`evt_${testNumber}`));

    // Act
    await pollUntil(running, () => receiver.requests(good).length >= 1, 'the delivery to the valid subscription');

    // Assess
    expect(receiver.requests(`/greedy-${testNumber}`)).toEqual([]);
    expect(running.log.lines).toContainEqual({
      level: 'error',
      message: 'invalid subscription parameter skipped',
      fields: { parameter: `${PATH}${testNumber}/greedy`, errors: ['subscription "greedy": maxPerSecond must be from 1 to 1000 deliveries per second'] },
    });
  });
});

describe('extra event types through the handler', () => {
  it('delivers an extra type to the patterns that cover it, titles it by its action in a chat format, and dead-letters a type the deployment does not accept', async () => {
    // Prepare
    const running = start({ EXTRA_EVENT_TYPES: 'jobs.deleted,models.registered' });
    const jobs = `/jobs-${testNumber}`;
    const deleted = `/deleted-${testNumber}`;
    const done = `/done-${testNumber}`;
    const chat = `/chat-${testNumber}`;
    await subscribe('jobs', { url: receiver.url(jobs), events: ['jobs.*'] });
    await subscribe('deletions', { url: receiver.url(deleted), events: ['*.deleted'] });
    await subscribe('finished', { url: receiver.url(done), events: ['jobs.done'] });
    await subscribe('chat', { url: receiver.url(chat), events: ['models.registered', 'jobs.deleted'], format: 'slack' });
    await send(sqs, queues.queueUrl, { type: 'jobs.deleted', id: `evt_del_${testNumber}`, data: { job: { id: 'job_7f3a', name: 'preprocess-imagenet' } } });
    await send(sqs, queues.queueUrl, { type: 'models.registered', id: `evt_reg_${testNumber}`, data: { model: { id: 'mdl_12', name: 'resnet50-v2' } } });
    await send(sqs, queues.queueUrl, { type: 'models.archived', id: `evt_arch_${testNumber}`, data: { model: { id: 'mdl_12' } } });

    // Act
    await pollUntil(running, () => receiver.requests(chat).length >= 2 && receiver.requests(jobs).length >= 1 && receiver.requests(deleted).length >= 1, 'the extra types delivered');
    const deadLetters = await drain(sqs, queues.dlqUrl, 5);

    // Assess
    expect(receiver.requests(jobs).map((request) => request.headers['webhook-event'])).toEqual(['jobs.deleted']);
    expect(receiver.requests(deleted).map((request) => JSON.parse(request.body).id)).toEqual([`evt_del_${testNumber}`]);
    expect(receiver.requests(done)).toEqual([]);
    expect(receiver.requests(chat).map((request) => JSON.parse(request.body).text).sort()).toEqual([':information_source: Job preprocess-imagenet deleted', ':information_source: Model resnet50-v2 registered']);
    expect(deadLetters.map((message) => JSON.parse(message.Body ?? '{}'))).toEqual([
      expect.objectContaining({ reason: 'invalid-event', error: 'event type "models.archived" is not in the catalogue' }),
    ]);
  });

  it('skips a stored subscription whose pattern the deployment\'s catalogue does not cover, naming the parameter', async () => {
    // Prepare: models.* was written while models.registered was accepted, which it no longer is
    const running = start();
    const kept = `/kept-${testNumber}`;
    await subscribe('kept', { url: receiver.url(kept), events: ['jobs.*'] });
    await subscribe('models', { url: receiver.url(`/models-${testNumber}`), events: ['models.*', 'jobs.*'] });
    await send(sqs, queues.queueUrl, jobFailed(`evt_${testNumber}`));

    // Act
    await pollUntil(running, () => receiver.requests(kept).length >= 1, 'the delivery to the valid subscription');

    // Assess
    expect(receiver.requests(`/models-${testNumber}`)).toEqual([]);
    const skipped = running.log.lines.find((line) => line.message === 'invalid subscription parameter skipped');
    expect(skipped?.fields).toEqual({ parameter: `${PATH}${testNumber}/models`, errors: [expect.stringContaining('subscription "models": events[0] "models.*" matches no event')] });
  });
});
