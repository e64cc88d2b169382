import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { deliveryId, sign } from '../../lambda/core/delivery/signature';
import { secret } from '../support/factories';

const body = JSON.stringify({ id: 'evt_1', type: 'experiments.succeeded', timestamp: '2026-11-27T10:00:00.000Z', data: { experiment: { id: 42 } } });

/** Standard Webhooks allows 5 minutes of clock skew, so signatures are made at the real current time. */
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function headers(msgId: string, timestamp: number, signature: string): Record<string, string> {
  return { 'webhook-id': msgId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

describe('sign', () => {
  it.each([24, 32, 64])('is verified by the standardwebhooks library (secret of %i bytes)', (bytes) => {
    // Prepare
    const key = secret(bytes);
    const timestamp = nowSeconds();

    // Act
    const signature = sign([key], 'msg_abc', timestamp, body);

    // Assess
    expect(new Webhook(key).verify(body, headers('msg_abc', timestamp, signature))).toEqual(JSON.parse(body));
  });

  it('is v1 HMAC-SHA256 of "<id>.<timestamp>.<body>" keyed by the decoded secret', () => {
    // Prepare
    const key = secret();
    const expected = createHmac('sha256', Buffer.from(key.slice('whsec_'.length), 'base64')).update(`msg_abc.1764237600.${body}`).digest('base64');

    // Act
    const signature = sign([key], 'msg_abc', 1_764_237_600, body);

    // Assess
    expect(signature).toBe(`v1,${expected}`);
  });

  it('signs with each of two secrets, and each secret alone verifies', () => {
    // Prepare
    const [oldKey, newKey] = [secret(), secret()];
    const timestamp = nowSeconds();

    // Act
    const signature = sign([oldKey, newKey], 'msg_abc', timestamp, body);

    // Assess
    expect(signature.split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldKey).verify(body, headers('msg_abc', timestamp, signature))).not.toThrow();
    expect(() => new Webhook(newKey).verify(body, headers('msg_abc', timestamp, signature))).not.toThrow();
  });

  it.each([
    ['another secret', { key: secret() }],
    ['a changed body', { body: body.replace('42', '43') }],
    ['another message id', { msgId: 'msg_other' }],
    ['another timestamp', { timestamp: nowSeconds() - 1 }],
  ])('fails verification with %s', (_what, change: { key?: string; body?: string; msgId?: string; timestamp?: number }) => {
    // Prepare
    const key = secret();
    const timestamp = nowSeconds();
    const signature = sign([key], 'msg_abc', timestamp, body);

    // Act
    const verify = (): unknown =>
      new Webhook(change.key ?? key).verify(change.body ?? body, headers(change.msgId ?? 'msg_abc', change.timestamp ?? timestamp, signature));

    // Assess
    expect(verify).toThrow(WebhookVerificationError);
  });
});

describe('deliveryId', () => {
  it('is the same for the same event and subscription', () => {
    // Act
    const first = deliveryId('evt_1', 'ops');
    const again = deliveryId('evt_1', 'ops');

    // Assess
    expect(again).toBe(first);
  });

  it('differs between subscriptions and between events', () => {
    // Act
    const ids = new Set([deliveryId('evt_1', 'ops'), deliveryId('evt_1', 'audit'), deliveryId('evt_2', 'ops'), deliveryId('evt_1o', 'ps')]);

    // Assess
    expect(ids.size).toBe(4);
  });

  it('is a short msg_ id usable as webhook-id', () => {
    // Act
    const id = deliveryId('evt_1', 'ops');

    // Assess
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
  });
});
