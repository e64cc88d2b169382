import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import { buildRequest, signingSecrets, standardBody } from '../../lambda/core/delivery/delivery-request';
import type { AttemptFacts } from '../../lambda/core/delivery/delivery-request';
import { parseSubscription } from '../../lambda/core/subscriptions/subscriptions';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import { platformEvent, secret, subscription } from '../support/factories';
import { handlerHarness, ssmClient } from '../support/handler-harness';
import { createQueues, send, sqsClient } from '../support/queues';
import { startReceiver } from '../support/receiver';

const CURRENT = secret();
const PREVIOUS = secret();
const UNRELATED = secret();

function facts(now = Date.now()): AttemptFacts {
  return { deliveryId: 'msg_rotation', attempt: 1, now, userAgent: 'platform-webhooks/0.0.0-test', defaultTimeoutMs: 10_000 };
}

/** What a receiver holding `key` concludes about a request: the standardwebhooks library's verdict. */
function verifiesWith(key: string, request: { body: string; headers: Readonly<Record<string, string>> }): boolean {
  try {
    new Webhook(key).verify(request.body, { ...request.headers });
    return true;
  } catch {
    return false;
  }
}

describe('signing during a secret rotation', () => {
  it('signs with both secrets, current first, so that a receiver holding either one verifies', () => {
    // Prepare
    const event = platformEvent();

    // Act
    const request = buildRequest(subscription({ secret: CURRENT, previousSecret: PREVIOUS }), event, standardBody(event), facts());

    // Assess
    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=* v1,[A-Za-z0-9+/]+=*$/);
    expect(verifiesWith(CURRENT, request)).toBe(true);
    expect(verifiesWith(PREVIOUS, request)).toBe(true);
    expect(verifiesWith(UNRELATED, request)).toBe(false);
  });

  it('stops signing with the previous secret at previousSecretExpiresAt', () => {
    // Prepare
    const expiresAt = new Date(Date.now() - 1000).toISOString();
    const event = platformEvent();

    // Act
    const request = buildRequest(subscription({ secret: CURRENT, previousSecret: PREVIOUS, previousSecretExpiresAt: expiresAt }), event, standardBody(event), facts());

    // Assess
    expect(request.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(verifiesWith(CURRENT, request)).toBe(true);
    expect(verifiesWith(PREVIOUS, request)).toBe(false);
  });

  it.each([
    ['1 ms before the expiry', 'both secrets', -1, [CURRENT, PREVIOUS]],
    ['at the expiry', 'the current secret alone', 0, [CURRENT]],
    ['1 ms after the expiry', 'the current secret alone', 1, [CURRENT]],
  ] as const)('signs %s with %s', (_when, _what, offsetMs, expected) => {
    // Prepare
    const expiresAt = Date.parse('2026-12-01T00:00:00.000Z');
    const rotating = subscription({ secret: CURRENT, previousSecret: PREVIOUS, previousSecretExpiresAt: '2026-12-01T00:00:00Z' });

    // Act
    const secrets = signingSecrets(rotating, expiresAt + offsetMs);

    // Assess
    expect(secrets).toEqual(expected);
  });

  it('signs nothing without a secret', () => {
    // Act
    const secrets = signingSecrets(subscription(), Date.now());

    // Assess
    expect(secrets).toEqual([]);
  });
});

describe('the rotation fields of a subscription', () => {
  const value = { url: 'https://hooks.example.com/platform', events: ['*'] };

  it('accepts a previous secret with an expiry and keeps both', () => {
    // Act
    const result = parseSubscription('ops', { ...value, secret: CURRENT, previousSecret: PREVIOUS, previousSecretExpiresAt: '2026-12-01T00:00:00+01:00' });

    // Assess
    expect(result).toMatchObject({ ok: true, subscription: { secret: CURRENT, previousSecret: PREVIOUS, previousSecretExpiresAt: '2026-12-01T00:00:00+01:00' } });
  });

  it.each([
    ['a previous secret without a secret', { previousSecret: PREVIOUS }, 'previousSecret is only allowed together with "secret" (it is the secret being rotated out)'],
    ['a previous secret equal to the secret', { secret: CURRENT, previousSecret: CURRENT }, 'previousSecret must differ from "secret"'],
    ['a previous secret that is not a secret', { secret: CURRENT, previousSecret: 'whsec_c2hvcnQ=' }, 'previousSecret must be "whsec_" followed by base64 of 24 to 64 random bytes'],
    ['an expiry without a previous secret', { secret: CURRENT, previousSecretExpiresAt: '2026-12-01T00:00:00Z' }, 'previousSecretExpiresAt is only allowed together with "previousSecret"'],
    ['an expiry without a zone', { secret: CURRENT, previousSecret: PREVIOUS, previousSecretExpiresAt: '2026-12-01T00:00:00' }, 'previousSecretExpiresAt must be an ISO-8601 date-time with a zone, e.g. "2026-12-01T00:00:00Z"'],
    ['an expiry that is not a date', { secret: CURRENT, previousSecret: PREVIOUS, previousSecretExpiresAt: 'next week' }, 'previousSecretExpiresAt must be an ISO-8601 date-time with a zone, e.g. "2026-12-01T00:00:00Z"'],
  ])('rejects %s', (_what, fields, message) => {
    // Act
    const result = parseSubscription('ops', { ...value, ...fields });

    // Assess
    expect(result).toEqual({ ok: false, errors: [`subscription "ops": ${message}`] });
  });
});

describe('a rotation through the real delivery path', () => {
  let ssmServer: Awaited<ReturnType<typeof startParameterStoreServer>>;
  let ssm: SSMClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    ssmServer = await startParameterStoreServer({ port: 0 });
    ssm = ssmClient(ssmServer.endpoint);
    sqs = sqsClient();
  });

  afterAll(async () => {
    await ssmServer.close();
    sqs.destroy();
    ssm.destroy();
  });

  it('delivers a request that receivers holding the new or the old secret both verify', async () => {
    // Prepare
    const receiver = await startReceiver();
    const path = '/platform-webhooks/rotation';
    const value = { url: receiver.url('/rotating'), events: ['*'], secret: CURRENT, previousSecret: PREVIOUS, previousSecretExpiresAt: new Date(Date.now() + 86_400_000).toISOString() };
    await ssm.send(new PutParameterCommand({ Name: `${path}/rotating`, Value: JSON.stringify(value), Type: 'SecureString' }));
    const queues = await createQueues(sqs, 'rotation');
    const harness = handlerHarness({ sqs, ssm, ...queues, env: { SUBSCRIPTIONS_PATH: path } });
    await send(sqs, queues.queueUrl, { type: 'builds.succeeded', id: 'evt_rotation', data: { build: { id: 7 } } });

    // Act
    await harness.poller.pollOnce();
    harness.close();
    const [request] = await receiver.waitFor(1, '/rotating');
    await receiver.close();

    // Assess
    const delivered = { body: request!.body, headers: request!.headers as Record<string, string> };
    expect(delivered.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifiesWith(CURRENT, delivered)).toBe(true);
    expect(verifiesWith(PREVIOUS, delivered)).toBe(true);
    expect(verifiesWith(UNRELATED, delivered)).toBe(false);
  });
});
