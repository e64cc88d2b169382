/**
 * The README's Guarantees, tried from outside as an adversary or a bad day would (docs/design.md §4):
 * the real handler over fauxqs, the Parameter Store stand-in and real receivers on loopback.
 */
import { createHash, randomUUID } from 'node:crypto';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { SSMClient as SSMClientType } from '@aws-sdk/client-ssm';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSClient as SQSClientType } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { loadConfig } from '../../lambda/config';
import { AWS_CALL_MAX_MS } from '../../lambda/core/delivery/call-budget';
import { deliveryId } from '../../lambda/core/delivery/signature';
import { MAX_EVENT_DEPTH, SQS_MAX_MESSAGE_BYTES } from '../../lambda/core/inbound/envelope';
import { DELIVERY_KIND } from '../../lambda/core/inbound/messages';
import type { DeadLetterRecord } from '../../lambda/core/inbound/messages';
import { AWS_CLIENT_OPTIONS, createDependencies, createHandler } from '../../lambda/handler';
import type { Harness } from '../support/handler-harness';
import { handlerHarness, startPeers } from '../support/handler-harness';
import type { Peers } from '../support/handler-harness';
import { capturingLog, sqsRecord } from '../support/factories';
import { lambdaContext } from '../../local/lambda-context';
import { toRecord } from '../../local/event-source-poller';
import { createQueues, drain, fauxqsEndpoint, send } from '../support/queues';
import type { TestQueues } from '../support/queues';
import { useSilentServer } from '../support/silent-server';

const PATH = '/platform-webhooks/guarantees';

let peers: Peers;
let ssm: SSMClientType;
let sqs: SQSClientType;
let queues: TestQueues;
let testNumber = 0;
const harnesses: Harness[] = [];

beforeAll(async () => {
  peers = await startPeers();
  ({ ssm, sqs } = peers);
});

afterAll(async () => {
  await peers.close();
});

beforeEach(async () => {
  testNumber++;
  queues = await createQueues(sqs, 'guarantees');
});

afterEach(() => {
  for (const harness of harnesses.splice(0)) harness.close();
});

const path = (): string => `${PATH}${testNumber}`;

function harness(env: Record<string, string> = {}): Harness {
  const created = handlerHarness({ sqs, ssm, ...queues, env: { SUBSCRIPTIONS_PATH: path(), ...env } });
  harnesses.push(created);
  return created;
}

async function subscribe(name: string, value: object): Promise<void> {
  await ssm.send(new PutParameterCommand({ Name: `${path()}/${name}`, Value: JSON.stringify(value), Type: 'String', Overwrite: true }));
}

async function deadLetters(waitSeconds = 0): Promise<DeadLetterRecord[]> {
  return (await drain(sqs, queues.dlqUrl, waitSeconds)).map((message) => JSON.parse(message.Body ?? '{}') as DeadLetterRecord);
}

const event = (id: string, type = 'jobs.failed') => ({ type, id, timestamp: '2026-11-27T10:00:00.000Z', data: { job: { id: 7 } } });

/** Waits out a retry's delay (the harness's schedule is `1s,1s`). */
const retryDelay = () => new Promise((resolve) => setTimeout(resolve, 1300));

describe('a retry and the subscription cache', () => {
  it('is delivered by a container whose cache was loaded before the subscription existed', async () => {
    // Prepare: container B loads its 60 s cache first; then the subscription is created
    const a = harness({ SUBSCRIPTIONS_CACHE_SECONDS: '60' });
    const b = harness({ SUBSCRIPTIONS_CACHE_SECONDS: '60' });
    await send(sqs, queues.queueUrl, event('evt_warm_b'));
    await b.pollers.events.pollOnce();
    const url = `/new-${testNumber}`;
    peers.receiver.script(url, { status: 500 }, { status: 200 });
    await subscribe('new', { url: peers.receiver.url(url), events: ['jobs.*'] });

    // Act: container A (fresh cache) makes attempt 1; the stale container B takes the retry
    await send(sqs, queues.queueUrl, event('evt_new'));
    await a.pollers.events.pollOnce();
    await retryDelay();
    const retried = await b.pollers.retries.pollOnce();

    // Assess
    expect(retried).toEqual({ received: 1, failed: 0 });
    const requests = peers.receiver.requests(url);
    expect(requests.map((request) => request.headers['webhook-attempt'])).toEqual(['1', '2']);
    expect(requests[1]?.headers['webhook-id']).toBe(deliveryId('evt_new', 'new'));
    expect(b.log.lines.filter((line) => line.fields?.outcome === 'dropped')).toEqual([]);
    expect(await deadLetters()).toEqual([]);
  });

  it('is dropped only when a fresh read of the store says the subscription is gone, saying so', async () => {
    // Prepare: the retry's subscription is deleted after attempt 1
    const a = harness({ SUBSCRIPTIONS_CACHE_SECONDS: '0' });
    const url = `/removed-${testNumber}`;
    peers.receiver.script(url, { status: 500 });
    await subscribe('removed', { url: peers.receiver.url(url), events: ['jobs.*'] });
    await send(sqs, queues.queueUrl, event('evt_removed'));
    await a.pollers.events.pollOnce();
    await peers.ssmServer.store.delete(`${path()}/removed`);

    // Act
    await retryDelay();
    await a.pollers.retries.pollOnce();

    // Assess
    expect(peers.receiver.requests(url)).toHaveLength(1);
    expect(a.log.lines).toContainEqual(
      expect.objectContaining({ message: 'delivery dropped', fields: expect.objectContaining({ outcome: 'dropped', reason: expect.stringMatching(/^deleted, as the store said at \d{4}-/) }) }),
    );
    expect(await deadLetters()).toEqual([]);
  });
});

describe('an event nested 5,000 levels deep', () => {
  it('is dead-lettered as invalid, naming the depth limit, while the subscriptions beside it get at most one request, and no work runs on after the handler returns', async () => {
    // Prepare: about 30 KB that parses, but that no renderer could serialize
    const handler = harness();
    for (const name of ['first', 'second']) await subscribe(name, { url: peers.receiver.url(`/deep-${testNumber}/${name}`), events: ['jobs.*'] });
    const deep = `{"type":"jobs.failed","id":"evt_deep","data":${'{"a":'.repeat(5000)}{}${'}'.repeat(5000)}}`;
    await send(sqs, queues.queueUrl, deep);
    await send(sqs, queues.queueUrl, event('evt_shallow'));

    // Act
    let received = 0;
    let failed = 0;
    while (received < 2) {
      const polled = await handler.pollers.events.pollOnce();
      received += polled.received;
      failed += polled.failed;
    }
    const afterReturn = peers.receiver.requests().length;
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Assess
    expect(failed).toBe(0);
    for (const name of ['first', 'second']) {
      const requests = peers.receiver.requests(`/deep-${testNumber}/${name}`);
      expect(requests.length).toBeLessThanOrEqual(1);
      expect(requests.map((request) => JSON.parse(request.body).id)).toEqual(['evt_shallow']);
    }
    expect(peers.receiver.requests()).toHaveLength(afterReturn);
    const [record, ...others] = await deadLetters(1);
    expect(others).toEqual([]);
    expect(record).toMatchObject({ reason: 'invalid-event', event: deep, attempts: 0 });
    expect(record?.error).toContain(`an event's data may nest ${MAX_EVENT_DEPTH} at most`);
    expect(await drain(sqs, queues.queueUrl)).toEqual([]);
    expect(await drain(sqs, queues.retryQueueUrl)).toEqual([]);
  });
});

describe('a delivery message from a publisher', () => {
  it('is dead-lettered as an invalid event from the events queue, delivering nothing', async () => {
    // Prepare: a forged retry naming a subscription, a webhook-id and a far due time of the publisher's choosing
    const handler = harness();
    const url = `/target-${testNumber}`;
    await subscribe('target', { url: peers.receiver.url(url), events: ['builds.*'], secret: `whsec_${Buffer.alloc(32, 3).toString('base64')}` });
    const forged = { kind: DELIVERY_KIND, event: event('evt_forged'), attempt: 1, dueAt: '9999-12-31T00:00:00.000Z', deliveryId: 'msg_chosen', deliveries: [{ subscription: 'target' }] };
    await send(sqs, queues.queueUrl, forged);

    // Act
    const polled = await handler.poller.pollOnce();

    // Assess
    expect(polled).toEqual({ received: 1, failed: 0 });
    expect(peers.receiver.requests(url)).toEqual([]);
    const [record] = await deadLetters(1);
    expect(record).toMatchObject({ reason: 'invalid-event', event: forged, attempts: 0 });
    expect(record?.error).toMatch(/^a delivery message \(kind "platform-webhooks\.delivery"\) arrived on queue "guarantees-[\w-]+"; only the function's own retry queue carries them/);
    expect(await drain(sqs, queues.retryQueueUrl)).toEqual([]);
  });

  it('due later than the schedule allows is dead-lettered from the retry queue, not left to hop forever', async () => {
    // Prepare
    const handler = harness();
    const url = `/far-${testNumber}`;
    await subscribe('far', { url: peers.receiver.url(url), events: ['jobs.*'] });
    const far = { kind: DELIVERY_KIND, event: event('evt_far'), attempt: 2, dueAt: '9999-12-31T00:00:00.000Z', deliveries: [{ subscription: 'far' }] };
    await send(sqs, queues.retryQueueUrl, far);

    // Act
    const polled = await handler.pollers.retries.pollOnce();

    // Assess
    expect(polled).toEqual({ received: 1, failed: 0 });
    expect(peers.receiver.requests(url)).toEqual([]);
    const [record] = await deadLetters(1);
    expect(record).toMatchObject({ reason: 'invalid-event', event: far });
    expect(record?.error).toContain('later than the longest wait the retry schedule and Retry-After allow');
    expect(await drain(sqs, queues.retryQueueUrl)).toEqual([]);
  });
});

describe('a 410 racing a secret rotation', () => {
  it('keeps the rotated secret and the subscription enabled: the disable sees the version moved and writes nothing', async () => {
    // Prepare: the receiver answers 410, but only after the subscription's secret was rotated (version 2).
    const handler = harness({ DELIVERY_TIMEOUT_MS: '10000' });
    const rotated = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const name = `${path()}/rotating`;
    const value = { url: peers.receiver.url(`/rotating-${testNumber}`), events: ['*'], secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}` };
    await subscribe('rotating', value);
    peers.receiver.script(`/rotating-${testNumber}`, {
      status: 410,
      beforeAnswer: () => ssm.send(new PutParameterCommand({ Name: name, Value: JSON.stringify({ ...value, secret: rotated }), Type: 'String', Overwrite: true })),
    });
    await send(sqs, queues.queueUrl, event('evt_rotation'));

    // Act
    const polled = await handler.pollers.events.pollOnce();

    // Assess
    expect(polled).toEqual({ received: 1, failed: 0 });
    const { Parameter: stored } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    expect(stored?.Version).toBe(2);
    expect(JSON.parse(stored?.Value ?? '{}')).toMatchObject({ secret: rotated });
    expect(JSON.parse(stored?.Value ?? '{}')).not.toHaveProperty('enabled', false);
    expect(peers.receiver.requests(`/rotating-${testNumber}`)).toHaveLength(1);
  });
});

describe('a 700 KiB hostile body', () => {
  it('is dead-lettered as a bounded excerpt with the size and SHA-256 of the whole', async () => {
    // Prepare: quotes double when escaped: the whole body in a record would be 1.4 MB, past SQS's 1 MiB
    const handler = harness();
    const body = '"'.repeat(700 * 1024);
    await send(sqs, queues.queueUrl, body);

    // Act
    const polled = await handler.pollers.events.pollOnce();

    // Assess
    expect(polled).toEqual({ received: 1, failed: 0 });
    const [message] = await drain(sqs, queues.dlqUrl, 1);
    expect(Buffer.byteLength(message?.Body ?? '')).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
    const record = JSON.parse(message?.Body ?? '{}') as DeadLetterRecord;
    expect(record).toMatchObject({ reason: 'invalid-event', eventBytes: 700 * 1024, eventSha256: createHash('sha256').update(body).digest('hex') });
    expect(record.error).toBe('event body is 716800 bytes; the limit is 262144 bytes (256 KiB)');
    expect(body.startsWith(String(record.event))).toBe(true);
  });
});

describe('an AWS endpoint that accepts connections and never answers', () => {
  const silent = useSilentServer();

  /** The production handler, with the production client options, over the given endpoints. */
  function productionHandler(endpoints: { ssm: string; sqs: string }) {
    const config = loadConfig({
      QUEUE_URL: queues.queueUrl,
      RETRY_QUEUE_URL: queues.retryQueueUrl,
      DLQ_URL: queues.dlqUrl,
      SUBSCRIPTIONS_PATH: path(),
      RETRY_SCHEDULE: '1s',
      DELIVERY_TIMEOUT_MS: '1000',
      ALLOW_PRIVATE_TARGETS: 'true',
    });
    const clientConfig = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const clients = {
      ssm: new SSMClient({ ...AWS_CLIENT_OPTIONS, ...clientConfig, endpoint: endpoints.ssm }),
      sqs: new SQSClient({ ...AWS_CLIENT_OPTIONS, ...clientConfig, endpoint: endpoints.sqs }),
    };
    const log = capturingLog();
    const deps = createDependencies(config, { ...clients, log });
    return {
      log,
      handler: createHandler({ ...deps, flush: undefined }),
      close() {
        clients.ssm.destroy();
        clients.sqs.destroy();
        (deps.http as { close?: () => void }).close?.();
      },
    };
  }

  const FUNCTION_TIMEOUT_MS = 4 * AWS_CALL_MAX_MS;
  const records = (...bodies: Array<string | object>): SQSRecord[] => bodies.map((body) => toRecord({ MessageId: randomUUID(), ReceiptHandle: 'r', Body: typeof body === 'string' ? body : JSON.stringify(body) }, queues.queueUrl));

  it('for SSM: the handler returns before its deadline with the records it could not settle in batchItemFailures', async () => {
    // Prepare
    const { handler, close } = productionHandler({ ssm: silent.url(), sqs: fauxqsEndpoint() });
    const batch = records(event('evt_ssm_1'), event('evt_ssm_2'));

    // Act
    const startedAt = Date.now();
    const response = await handler({ Records: batch }, lambdaContext(FUNCTION_TIMEOUT_MS));
    const tookMs = Date.now() - startedAt;
    close();

    // Assess
    expect(tookMs).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(batch.map((record) => record.messageId).sort());
  });

  it('for SQS: the handler returns before its deadline with the records whose retry or dead letter could not be sent', async () => {
    // Prepare: one delivery fails retryably, one permanently, one body is invalid; every send to SQS hangs
    const { handler, log, close } = productionHandler({ ssm: peers.ssmServer.endpoint, sqs: silent.url() });
    peers.receiver.script(`/flaky-${testNumber}`, { status: 500 });
    peers.receiver.script(`/missing-${testNumber}`, { status: 404 });
    await subscribe('flaky', { url: peers.receiver.url(`/flaky-${testNumber}`), events: ['jobs.*'] });
    await subscribe('missing', { url: peers.receiver.url(`/missing-${testNumber}`), events: ['builds.*'] });
    const batch = records(event('evt_sqs_1', 'jobs.failed'), event('evt_sqs_2', 'builds.failed'), 'not json', event('evt_sqs_3', 'groups.done'));

    // Act
    const startedAt = Date.now();
    const response = await handler({ Records: batch }, lambdaContext(FUNCTION_TIMEOUT_MS));
    const tookMs = Date.now() - startedAt;
    close();

    // Assess: the event no subscription matches needed no send and is settled
    expect(tookMs).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(batch.slice(0, 3).map((record) => record.messageId).sort());
    expect(peers.receiver.requests(`/flaky-${testNumber}`)).toHaveLength(1);
    expect(peers.receiver.requests(`/missing-${testNumber}`)).toHaveLength(1);
    expect(log.lines.filter((line) => line.message.startsWith('record not settled'))).toHaveLength(3);
  });
});

describe('one handler invoked twice at once', () => {
  it('answers each invocation with its own failures', async () => {
    // Prepare: the events queue's invocation has a record whose dead letter cannot be sent (no such DLQ); the retry queue's is fine
    const config = loadConfig({ QUEUE_URL: queues.queueUrl, RETRY_QUEUE_URL: queues.retryQueueUrl, DLQ_URL: `${fauxqsEndpoint()}/000000000000/no-such-dlq-${testNumber}`, SUBSCRIPTIONS_PATH: path(), ALLOW_PRIVATE_TARGETS: 'true' });
    const deps = createDependencies(config, { ssm, sqs, log: capturingLog() });
    const handler = createHandler({ ...deps, flush: undefined });
    await subscribe('slow', { url: peers.receiver.url(`/slow-${testNumber}`), events: ['*'] });
    peers.receiver.script(`/slow-${testNumber}`, { status: 200 });
    const bad = sqsRecord('not json', { eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:events' });
    const good = sqsRecord(event('evt_parallel'), { eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:events' });

    // Act
    const [first, second] = await Promise.all([handler({ Records: [bad] }, lambdaContext(30_000)), handler({ Records: [good] }, lambdaContext(30_000))]);
    (deps.http as { close?: () => void }).close?.();

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
    expect(second.batchItemFailures).toEqual([]);
  });
});
