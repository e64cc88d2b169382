/**
 * A `whsec_` secret never leaves SSM except as a signature: not in logs, errors, dead-letter
 * records, retry messages or anything the process prints. The real handler runs over fauxqs and
 * the Parameter Store stand-in through every path that writes something (delivered, retried,
 * dead-lettered, refused, timed out, disabled, invalid subscriptions of many kinds), and all it
 * produced is searched for the secrets.
 */
import { randomBytes } from 'node:crypto';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ParameterStoreServer } from '../../local/parameter-store-server';
import { handlerHarness, startPeers } from '../support/handler-harness';
import type { Peers } from '../support/handler-harness';
import { createQueues, drain, send } from '../support/queues';
import type { Receiver } from '../support/receiver';
import { installLoopbackTripwire } from './support/loopback-tripwire';

const PATH = '/platform-webhooks/secrets-test';

function newSecret(bytes = 32): string {
  return `whsec_${randomBytes(bytes).toString('base64')}`;
}

let peers: Peers;
let receiver: Receiver;
let ssmServer: ParameterStoreServer;
let ssm: SSMClient;
let sqs: SQSClient;
let tripwire: ReturnType<typeof installLoopbackTripwire>;

beforeAll(async () => {
  tripwire = installLoopbackTripwire();
  peers = await startPeers();
  ({ receiver, ssmServer, ssm, sqs } = peers);
});

afterAll(async () => {
  await peers.close();
  tripwire.uninstall();
});

async function put(name: string, value: string): Promise<void> {
  await ssm.send(new PutParameterCommand({ Name: `${PATH}/${name}`, Value: value, Type: 'SecureString', Overwrite: true }));
}

/** Captures everything written to stdout and stderr while `act` runs, still passing it through. */
async function capturingOutput(act: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write.bind(stream);
    return jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      chunks.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write);
  });
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks.join('');
}

describe('secrets', () => {
  it('never appear in logs, errors, dead-letter records, retry messages or process output, whatever happens to a delivery', async () => {
    // Prepare
    const secrets = Object.fromEntries(
      ['ok', 'previous', 'flaky', 'notFound', 'refused', 'hang', 'gone', 'brokenJson', 'inUrl', 'inEvents', 'unknownKey', 'badHeader', 'orphanPrevious'].map(
        (key) => [key, newSecret()],
      ),
    ) as Record<string, string>;
    const tooShort = newSecret(16);
    const url = (path: string) => receiver.url(`/secrets${path}`);
    receiver.script('/secrets/flaky', { status: 500 });
    receiver.script('/secrets/not-found', { status: 404 });
    receiver.script('/secrets/hang', 'hang');
    receiver.script('/secrets/gone', { status: 410 });
    const valid = (path: string, secret: string, extra: object = {}) => JSON.stringify({ url: url(path), events: ['*'], secret, timeoutMs: 1000, ...extra });
    await put('ok', valid('/ok', secrets.ok!, { previousSecret: secrets.previous }));
    await put('flaky', valid('/flaky', secrets.flaky!));
    await put('not-found', valid('/not-found', secrets.notFound!));
    await put('refused', JSON.stringify({ url: 'http://169.254.169.254/latest/meta-data/', events: ['*'], secret: secrets.refused }));
    await put('hang', valid('/hang', secrets.hang!));
    await put('gone', valid('/gone', secrets.gone!));
    // V8's JSON.parse message quotes the text around the error: here, the start of the secret.
    await put('broken-json', `{"url":"${url('/broken')}","events":["*"],"secret":${secrets.brokenJson}}`);
    await put('too-short', valid('/short', tooShort));
    await put('in-url', JSON.stringify({ url: secrets.inUrl, events: ['*'] }));
    await put('in-events', JSON.stringify({ url: url('/in-events'), events: [secrets.inEvents] }));
    await put('unknown-key', JSON.stringify({ url: url('/unknown'), events: ['*'], sekret: secrets.unknownKey }));
    await put('bad-header', JSON.stringify({ url: url('/header'), events: ['*'], headers: { 'X Bad': secrets.badHeader } }));
    await put('orphan-previous', JSON.stringify({ url: url('/orphan'), events: ['*'], previousSecret: secrets.orphanPrevious }));
    const queues = await createQueues(sqs, 'secrets');
    const harness = handlerHarness({ sqs, ssm, ...queues, env: { SUBSCRIPTIONS_PATH: PATH } });
    await send(sqs, queues.queueUrl, { type: 'experiments.failed', id: 'evt_secrets', data: { experiment: { id: 1 } } });

    // Act
    let response = '';
    const printed = await capturingOutput(async () => {
      response = JSON.stringify(await harness.poller.pollOnce());
    });
    harness.close();
    const deadLetters = (await drain(sqs, queues.dlqUrl, 1)).map((message) => message.Body ?? '');
    const retries: string[] = [];
    const retried = () => retries.flatMap((body) => (JSON.parse(body) as { deliveries: Array<{ subscription: string }> }).deliveries.map((delivery) => delivery.subscription));
    for (let tries = 0; retried().length < 2 && tries < 4; tries++) retries.push(...(await drain(sqs, queues.retryQueueUrl, 1)).map((message) => message.Body ?? ''));

    // Assess: every path ran...
    expect(receiver.requests('/secrets/ok')).toHaveLength(1);
    expect(deadLetters.map((body) => JSON.parse(body).subscription).sort()).toEqual(['gone', 'not-found', 'refused']);
    expect(retried().sort()).toEqual(['flaky', 'hang']);
    const skipped = harness.log.lines.filter((line) => line.message === 'invalid subscription parameter skipped');
    expect(skipped.map((line) => String(line.fields?.parameter).split('/').pop()).sort()).toEqual(
      ['bad-header', 'broken-json', 'in-events', 'in-url', 'orphan-previous', 'too-short', 'unknown-key'],
    );
    // ...and wrote no secret anywhere.
    const everything = [harness.log.text(), ...deadLetters, ...retries, response, printed].join('\n');
    for (const secret of [...Object.values(secrets), tooShort]) {
      const encoded = secret.slice('whsec_'.length);
      expect(everything).not.toContain(encoded.slice(0, 12));
      expect(everything).not.toContain(encoded.slice(-12, -2));
    }
    expect(everything).not.toMatch(/whsec_[A-Za-z0-9+/]/);
    expect(tripwire.violations).toEqual([]);
  });

  it('rejects a secret under 24 bytes, naming the rule and not the secret', async () => {
    // Prepare
    const short = newSecret(23);
    await put('short-secret', JSON.stringify({ url: receiver.url('/short'), events: ['*'], secret: short }));
    const queues = await createQueues(sqs, 'short');
    const harness = handlerHarness({ sqs, ssm, ...queues, env: { SUBSCRIPTIONS_PATH: PATH } });
    await send(sqs, queues.queueUrl, { type: 'jobs.failed', id: 'evt_short', data: {} });

    // Act
    await harness.poller.pollOnce();
    harness.close();

    // Assess
    const skipped = harness.log.lines.find((line) => line.message === 'invalid subscription parameter skipped' && String(line.fields?.parameter).endsWith('/short-secret'));
    expect(skipped?.fields?.errors).toEqual(['subscription "short-secret": secret must be "whsec_" followed by base64 of 24 to 64 random bytes']);
    expect(receiver.requests('/short')).toEqual([]);
    expect(harness.log.text()).not.toContain(short.slice(6, 18));
  });
});
