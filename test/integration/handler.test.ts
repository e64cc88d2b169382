import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { Webhook } from 'standardwebhooks';
import { useHandlerTestStack } from '../support/handler-harness';
import { drain, send } from '../support/queues';

const PATH = '/platform-webhooks/subscriptions';
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

const stack = useHandlerTestStack({ name: 'handler', path: PATH });

async function subscribe(name: string, value: object, type: 'String' | 'SecureString' = 'String'): Promise<void> {
  await stack.ssm.send(new PutParameterCommand({ Name: `${PATH}${stack.testNumber}/${name}`, Value: JSON.stringify(value), Type: type, Overwrite: true }));
}

async function publish(event: object | string): Promise<string> {
  return send(stack.sqs, stack.queues.queueUrl, event);
}

function experimentSucceeded(id = `evt_${stack.testNumber}`) {
  return { type: 'experiments.succeeded', id, timestamp: '2026-11-27T10:00:00.000Z', data: { experiment: { id: 42, name: 'resnet-sweep-3' } } };
}

async function deadLetters(waitSeconds = 0): Promise<Record<string, unknown>[]> {
  return (await drain(stack.sqs, stack.queues.dlqUrl, waitSeconds)).map((message) => JSON.parse(message.Body ?? '{}'));
}

/** Waits for a retry's delay to pass, then lets the poller pick it up. */
async function pollAfterDelay(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1300));
  await stack.harness.poller.pollOnce();
}

describe('handler over fauxqs, the Parameter Store stand-in and real receivers', () => {
  it('delivers one signed request per matching subscription with the body and headers of docs/design.md §3', async () => {
    // Prepare
    const path = `/all-${stack.testNumber}`;
    await subscribe('ops', { url: stack.receiver.url(path), events: ['experiments.succeeded', 'experiments.*', '*.succeeded'], secret: SECRET, headers: { Authorization: 'Bearer abc' } }, 'SecureString');
    await subscribe('done', { url: stack.receiver.url(`${path}-done`), events: ['experiments.done'] });
    await subscribe('jobs', { url: stack.receiver.url(`${path}-jobs`), events: ['jobs.*'] });
    const event = experimentSucceeded();

    // Act
    await publish(event);
    const result = await stack.harness.poller.pollOnce();

    // Assess
    expect(result).toEqual({ received: 1, failed: 0 });
    const [ops] = stack.receiver.requests(path);
    expect(stack.receiver.requests(path)).toHaveLength(1);
    expect(stack.receiver.requests(`${path}-done`)).toHaveLength(1);
    expect(stack.receiver.requests(`${path}-jobs`)).toHaveLength(0);
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
    expect(stack.receiver.requests(`${path}-done`)[0]!.headers['webhook-signature']).toBeUndefined();
    expect(await drain(stack.sqs, stack.queues.queueUrl)).toHaveLength(0);
  });

  it('retries a 500 with the same webhook-id once the delivery message reappears after its delay', async () => {
    // Prepare
    const path = `/flaky-${stack.testNumber}`;
    stack.receiver.script(path, { status: 500 }, { status: 200 });
    await subscribe('flaky', { url: stack.receiver.url(path), events: ['*'], secret: SECRET }, 'SecureString');
    await publish(experimentSucceeded());

    // Act
    await stack.harness.poller.pollOnce();
    const immediately = await stack.harness.poller.pollOnce();
    await pollAfterDelay();

    // Assess
    expect(immediately.received).toBe(0);
    const [first, second] = stack.receiver.requests(path);
    expect(stack.receiver.requests(path)).toHaveLength(2);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.headers['webhook-attempt']).toBe('2');
    expect(second!.body).toBe(first!.body);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(800);
    expect(() => new Webhook(SECRET).verify(second!.body, second!.headers as Record<string, string>)).not.toThrow();
    expect(await deadLetters()).toEqual([]);
  });

  it('dead-letters an exhausted delivery with the record of docs/design.md §4', async () => {
    // Prepare
    const path = `/down-${stack.testNumber}`;
    stack.receiver.script(path, { status: 503 });
    await subscribe('down', { url: stack.receiver.url(path), events: ['experiments.*'] });
    const event = experimentSucceeded();
    await publish(event);

    // Act: the schedule "1s,1s" allows three attempts
    await stack.harness.poller.pollOnce();
    await pollAfterDelay();
    await pollAfterDelay();

    // Assess
    const requests = stack.receiver.requests(path);
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
    const path = `/permanent-${stack.testNumber}`;
    stack.receiver.script(path, reply);
    await subscribe('perm', { url: stack.receiver.url(path), events: ['*'] });

    // Act
    await publish(experimentSucceeded());
    await stack.harness.poller.pollOnce();

    // Assess
    expect(stack.receiver.requests(path)).toHaveLength(1);
    const [record] = await deadLetters(1);
    expect(record).toMatchObject({ reason: 'permanent', subscription: 'perm', attempts: 1 });
    expect(String(record!.error)).toContain(error);
    expect(await drain(stack.sqs, stack.queues.queueUrl, 1)).toHaveLength(0);
  });

  it.each([
    ['a response that hangs past the timeout', 'hang' as const, 'ETIMEDOUT'],
    ['a reset connection', 'reset' as const, 'ECONNRESET'],
  ])('retries %s', async (_name, reply, code) => {
    // Prepare
    const path = `/broken-${stack.testNumber}`;
    stack.receiver.script(path, reply, { status: 200 });
    await subscribe('broken', { url: stack.receiver.url(path), events: ['*'] });

    // Act
    await publish(experimentSucceeded());
    await stack.harness.poller.pollOnce();
    await pollAfterDelay();

    // Assess
    expect(stack.receiver.requests(path)).toHaveLength(2);
    const retried = stack.harness.log.lines.find((line) => line.message.startsWith('delivery failed'));
    expect(String(retried?.fields?.error)).toContain(code);
    expect(await deadLetters()).toEqual([]);
  });

  it('disables a subscription in SSM when its receiver answers 410 Gone', async () => {
    // Prepare
    const path = `/gone-${stack.testNumber}`;
    stack.receiver.script(path, { status: 410 });
    await subscribe('gone', { url: stack.receiver.url(path), events: ['*'], secret: SECRET, description: 'old' }, 'SecureString');

    // Act
    await publish(experimentSucceeded('evt_a'));
    await stack.harness.poller.pollOnce();
    await publish(experimentSucceeded('evt_b'));
    await stack.harness.poller.pollOnce();

    // Assess
    const { Parameter: parameter } = await stack.ssm.send(new GetParameterCommand({ Name: `${PATH}${stack.testNumber}/gone`, WithDecryption: true }));
    expect(parameter?.Type).toBe('SecureString');
    expect(JSON.parse(parameter?.Value ?? '{}')).toMatchObject({ enabled: false, secret: SECRET, description: 'old' });
    expect(stack.receiver.requests(path)).toHaveLength(1);
    const [record] = await deadLetters(1);
    expect(record).toMatchObject({ reason: 'permanent', subscription: 'gone', error: expect.stringContaining('410') });
  });

  it('sends invalid events to the DLQ at once while the rest of the batch is delivered', async () => {
    // Prepare
    const path = `/valid-${stack.testNumber}`;
    await subscribe('valid', { url: stack.receiver.url(path), events: ['*'] });
    await publish('{not json');
    await publish({ type: 'experiment.succeeded', data: {} });
    await publish(experimentSucceeded());

    // Act
    let received = 0;
    while (received < 3) received += (await stack.harness.poller.pollOnce()).received;

    // Assess
    expect(stack.receiver.requests(path)).toHaveLength(1);
    const records = await deadLetters(1);
    expect(records).toHaveLength(2);
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'invalid-event', event: '{not json', error: expect.stringContaining('not valid JSON'), attempts: 0 }),
        expect.objectContaining({ reason: 'invalid-event', error: expect.stringContaining('did you mean "experiments.succeeded"') }),
      ]),
    );
    for (const record of records) expect(record).not.toHaveProperty('subscription');
    expect(await drain(stack.sqs, stack.queues.queueUrl)).toHaveLength(0);
  });

  it('skips an invalid subscription parameter with an error naming it and delivers to the others', async () => {
    // Prepare
    const path = `/good-${stack.testNumber}`;
    await subscribe('good', { url: stack.receiver.url(path), events: ['*'] });
    await subscribe('bad', { url: 'ftp://example.com', events: ['experiment.failed'] });

    // Act
    await publish(experimentSucceeded());
    await stack.harness.poller.pollOnce();

    // Assess
    expect(stack.receiver.requests(path)).toHaveLength(1);
    const skipped = stack.harness.log.lines.find((line) => line.message === 'invalid subscription parameter skipped');
    expect(skipped?.fields?.parameter).toBe(`${PATH}${stack.testNumber}/bad`);
    expect(JSON.stringify(skipped?.fields?.errors)).toContain('did you mean \\"experiments.failed\\"');
  });
});
