import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import type { ParameterStoreServer } from '../../local/parameter-store-server';
import { handlerHarness, startPeers } from '../support/handler-harness';
import type { Harness, Peers } from '../support/handler-harness';
import { createQueues, drain, send } from '../support/queues';
import type { TestQueues } from '../support/queues';
import type { Receiver } from '../support/receiver';

const PATH = '/platform-webhooks/subscriptions';
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

let peers: Peers;
let receiver: Receiver;
let ssmServer: ParameterStoreServer;
let ssm: SSMClient;
let sqs: SQSClient;
let queues: TestQueues;
let harness: Harness;

beforeAll(async () => {
  peers = await startPeers();
  ({ receiver, ssmServer, ssm, sqs } = peers);
});

afterAll(async () => {
  await peers.close();
});

let testNumber = 0;
beforeEach(async () => {
  testNumber++;
  queues = await createQueues(sqs, 'handler');
  harness = handlerHarness({ sqs, ssm, ...queues, env: { SUBSCRIPTIONS_PATH: `${PATH}${testNumber}` } });
});

afterEach(() => harness.close());

async function subscribe(name: string, value: object, type: 'String' | 'SecureString' = 'String'): Promise<void> {
  await ssm.send(new PutParameterCommand({ Name: `${PATH}${testNumber}/${name}`, Value: JSON.stringify(value), Type: type, Overwrite: true }));
}

async function publish(event: object | string): Promise<string> {
  return send(sqs, queues.queueUrl, event);
}

function experimentSucceeded(id = `evt_${testNumber}`) {
  return { type: 'experiments.succeeded', id, timestamp: '2026-11-27T10:00:00.000Z', data: { experiment: { id: 42, name: 'resnet-sweep-3' } } };
}

async function deadLetters(waitSeconds = 0): Promise<Record<string, unknown>[]> {
  return (await drain(sqs, queues.dlqUrl, waitSeconds)).map((message) => JSON.parse(message.Body ?? '{}'));
}

/** Waits for a retry's delay to pass, then lets the poller pick it up. */
async function pollAfterDelay(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1300));
  await harness.poller.pollOnce();
}

describe('handler over fauxqs, the Parameter Store stand-in and real receivers', () => {
  it('delivers one signed request per matching subscription with the body and headers of docs/design.md §3', async () => {
    // Prepare
    const path = `/all-${testNumber}`;
    await subscribe('ops', { url: receiver.url(path), events: ['experiments.succeeded', 'experiments.*', '*.succeeded'], secret: SECRET, headers: { Authorization: 'Bearer abc' } }, 'SecureString');
    await subscribe('done', { url: receiver.url(`${path}-done`), events: ['experiments.done'] });
    await subscribe('jobs', { url: receiver.url(`${path}-jobs`), events: ['jobs.*'] });
    const event = experimentSucceeded();

    // Act
    await publish(event);
    const result = await harness.poller.pollOnce();

    // Assess
    expect(result).toEqual({ received: 1, failed: 0 });
    const [ops] = receiver.requests(path);
    expect(receiver.requests(path)).toHaveLength(1);
    expect(receiver.requests(`${path}-done`)).toHaveLength(1);
    expect(receiver.requests(`${path}-jobs`)).toHaveLength(0);
    expect(JSON.parse(ops!.body)).toEqual({ id: event.id, type: event.type, timestamp: event.timestamp, data: event.data });
    expect(ops!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/^platform-webhooks\/\d+\.\d+\.\d+$/),
      'webhook-event': 'experiments.succeeded',
      'webhook-attempt': '1',
      authorization: 'Bearer abc',
    });
    expect(Math.abs(Number(ops!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    expect(() => new Webhook(SECRET).verify(ops!.body, ops!.headers as Record<string, string>)).not.toThrow();
    expect(receiver.requests(`${path}-done`)[0]!.headers['webhook-signature']).toBeUndefined();
    expect(await drain(sqs, queues.queueUrl)).toHaveLength(0);
  });

  it('retries a 500 with the same webhook-id once the delivery message reappears after its delay', async () => {
    // Prepare
    const path = `/flaky-${testNumber}`;
    receiver.script(path, { status: 500 }, { status: 200 });
    await subscribe('flaky', { url: receiver.url(path), events: ['*'], secret: SECRET }, 'SecureString');
    await publish(experimentSucceeded());

    // Act
    await harness.poller.pollOnce();
    const immediately = await harness.poller.pollOnce();
    await pollAfterDelay();

    // Assess
    expect(immediately.received).toBe(0);
    const [first, second] = receiver.requests(path);
    expect(receiver.requests(path)).toHaveLength(2);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.headers['webhook-attempt']).toBe('2');
    expect(second!.body).toBe(first!.body);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(800);
    expect(() => new Webhook(SECRET).verify(second!.body, second!.headers as Record<string, string>)).not.toThrow();
    expect(await deadLetters()).toEqual([]);
  });

  it('dead-letters an exhausted delivery with the record of docs/design.md §4', async () => {
    // Prepare
    const path = `/down-${testNumber}`;
    receiver.script(path, { status: 503 });
    await subscribe('down', { url: receiver.url(path), events: ['experiments.*'] });
    const event = experimentSucceeded();
    await publish(event);

    // Act: the schedule "1s,1s" allows three attempts
    await harness.poller.pollOnce();
    await pollAfterDelay();
    await pollAfterDelay();

    // Assess
    const requests = receiver.requests(path);
    expect(requests.map((r) => r.headers['webhook-attempt'])).toEqual(['1', '2', '3']);
    const [record] = await deadLetters(1);
    expect(record).toEqual({
      reason: 'exhausted',
      error: 'HTTP 503',
      event,
      subscription: 'down',
      deliveryId: requests[0]!.headers['webhook-id'],
      attempts: 3,
      firstAttemptAt: expect.any(String),
      lastAttemptAt: expect.any(String),
    });
    expect(Date.parse(String(record!.lastAttemptAt))).toBeGreaterThan(Date.parse(String(record!.firstAttemptAt)));
  });

  it.each([
    ['404', { status: 404 }, 'HTTP 404'],
    ['301', { status: 301, headers: { location: 'https://new.example.com/hook' } }, 'HTTP 301 redirect to https://new.example.com/hook'],
  ] as const)('dead-letters a %s at once as permanent, without following redirects', async (_name, reply, error) => {
    // Prepare
    const path = `/permanent-${testNumber}`;
    receiver.script(path, reply);
    await subscribe('perm', { url: receiver.url(path), events: ['*'] });

    // Act
    await publish(experimentSucceeded());
    await harness.poller.pollOnce();

    // Assess
    expect(receiver.requests(path)).toHaveLength(1);
    const [record] = await deadLetters(1);
    expect(record).toMatchObject({ reason: 'permanent', subscription: 'perm', attempts: 1 });
    expect(String(record!.error)).toContain(error);
    expect(await drain(sqs, queues.queueUrl, 1)).toHaveLength(0);
  });

  it.each([
    ['a response that hangs past the timeout', 'hang' as const, 'ETIMEDOUT'],
    ['a reset connection', 'reset' as const, 'ECONNRESET'],
  ])('retries %s', async (_name, reply, code) => {
    // Prepare
    const path = `/broken-${testNumber}`;
    receiver.script(path, reply, { status: 200 });
    await subscribe('broken', { url: receiver.url(path), events: ['*'] });

    // Act
    await publish(experimentSucceeded());
    await harness.poller.pollOnce();
    await pollAfterDelay();

    // Assess
    expect(receiver.requests(path)).toHaveLength(2);
    const retried = harness.log.lines.find((line) => line.message.startsWith('delivery failed'));
    expect(String(retried?.fields?.error)).toContain(code);
    expect(await deadLetters()).toEqual([]);
  });

  it('disables a subscription in SSM when its receiver answers 410 Gone', async () => {
    // Prepare
    const path = `/gone-${testNumber}`;
    receiver.script(path, { status: 410 });
    await subscribe('gone', { url: receiver.url(path), events: ['*'], secret: SECRET, description: 'old' }, 'SecureString');

    // Act
    await publish(experimentSucceeded('evt_a'));
    await harness.poller.pollOnce();
    await publish(experimentSucceeded('evt_b'));
    await harness.poller.pollOnce();

    // Assess
    const { Parameter: parameter } = await ssm.send(new GetParameterCommand({ Name: `${PATH}${testNumber}/gone`, WithDecryption: true }));
    expect(parameter?.Type).toBe('SecureString');
    expect(JSON.parse(parameter?.Value ?? '{}')).toMatchObject({ enabled: false, secret: SECRET, description: 'old' });
    expect(receiver.requests(path)).toHaveLength(1);
    const [record] = await deadLetters(1);
    expect(record).toMatchObject({ reason: 'permanent', subscription: 'gone', error: expect.stringContaining('410') });
  });

  it('sends invalid events to the DLQ at once while the rest of the batch is delivered', async () => {
    // Prepare
    const path = `/valid-${testNumber}`;
    await subscribe('valid', { url: receiver.url(path), events: ['*'] });
    await publish('{not json');
    await publish({ type: 'experiment.succeeded', data: {} });
    await publish(experimentSucceeded());

    // Act
    let received = 0;
    while (received < 3) received += (await harness.poller.pollOnce()).received;

    // Assess
    expect(receiver.requests(path)).toHaveLength(1);
    const records = await deadLetters(1);
    expect(records).toHaveLength(2);
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'invalid-event', event: '{not json', error: expect.stringContaining('not valid JSON'), attempts: 0 }),
        expect.objectContaining({ reason: 'invalid-event', error: expect.stringContaining('did you mean "experiments.succeeded"') }),
      ]),
    );
    for (const record of records) expect(record).not.toHaveProperty('subscription');
    expect(await drain(sqs, queues.queueUrl)).toHaveLength(0);
  });

  it('skips an invalid subscription parameter with an error naming it and delivers to the others', async () => {
    // Prepare
    const path = `/good-${testNumber}`;
    await subscribe('good', { url: receiver.url(path), events: ['*'] });
    await subscribe('bad', { url: 'ftp://example.com', events: ['experiment.failed'] });

    // Act
    await publish(experimentSucceeded());
    await harness.poller.pollOnce();

    // Assess
    expect(receiver.requests(path)).toHaveLength(1);
    const skipped = harness.log.lines.find((line) => line.message === 'invalid subscription parameter skipped');
    expect(skipped?.fields?.parameter).toBe(`${PATH}${testNumber}/bad`);
    expect(JSON.stringify(skipped?.fields?.errors)).toContain('did you mean \\"experiments.failed\\"');
  });
});
