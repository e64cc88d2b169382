import { Webhook } from 'standardwebhooks';
import { buildRequest } from '../../lambda/core/delivery/delivery-request';
import { parseSubscription } from '../../lambda/core/subscriptions/subscriptions';
import { fixedSecret, useCliHarness } from '../support/cli-harness';

const OLD = fixedSecret(1);

const cli = useCliHarness();

async function put(value: object, type: 'String' | 'SecureString' = 'SecureString'): Promise<void> {
  await cli.putParameter('ops', value, type);
}

function stored(): { type: string; value: Record<string, unknown> } {
  const parameter = cli.ssmServer.store.get(`${cli.path}/ops`, true);
  return { type: parameter.type, value: JSON.parse(parameter.value) as Record<string, unknown> };
}

describe('webhooks rotate-secret', () => {
  it('generates a new secret, keeps the old one signing for 24 hours, and prints the new one once', async () => {
    // Prepare
    await put({ url: 'https://a.example.com', events: ['*'], secret: OLD });
    const before = Date.now();

    // Act
    const result = await cli.run(['rotate-secret', 'ops']);

    // Assess
    expect(result.code).toBe(0);
    const { type, value } = stored();
    expect(type).toBe('SecureString');
    expect(value.secret).not.toBe(OLD);
    expect(value.previousSecret).toBe(OLD);
    const expiresIn = Date.parse(String(value.previousSecretExpiresAt)) - before;
    expect(expiresIn).toBeGreaterThanOrEqual(24 * 3_600_000 - 1000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3_600_000 + 5000);
    expect(result.stdout.split(String(value.secret))).toHaveLength(2);
    expect(result.output).not.toContain(OLD);
    expect(result.stdout).toContain(`The previous secret (whsec_…${OLD.slice(-4)}) also signs until ${String(value.previousSecretExpiresAt)}`);
  });

  it('makes deliveries verifiable with either secret during the window', async () => {
    // Prepare
    await put({ url: 'https://a.example.com', events: ['*'], secret: OLD });
    await cli.run(['rotate-secret', 'ops', '--expires-in', '7d']);
    const parsed = parseSubscription('ops', cli.ssmServer.store.get(`${cli.path}/ops`, true).value);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const event = { id: 'evt_1', type: 'jobs.failed', timestamp: new Date().toISOString(), data: {} };
    const body = JSON.stringify(event);

    // Act
    const request = buildRequest(parsed.subscription, event, body, { deliveryId: 'msg_1', attempt: 1, now: Date.now(), userAgent: 'test', defaultTimeoutMs: 1000 });

    // Assess
    for (const secret of [OLD, parsed.subscription.secret ?? '']) {
      expect(() => new Webhook(secret).verify(body, request.headers as Record<string, string>)).not.toThrow();
    }
  });

  it('drops the old secret at once with --expires-in 0, and takes a given secret', async () => {
    // Prepare
    await put({ url: 'https://a.example.com', events: ['*'], secret: OLD });
    const next = fixedSecret(2);

    // Act
    const result = await cli.run(['rotate-secret', 'ops', '--secret', next, '--expires-in', '0', '--json']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({ name: 'ops' });
    expect(stored().value).toEqual({ url: 'https://a.example.com', events: ['*'], secret: next, format: 'standard', headers: {}, enabled: true });
  });

  it('gives a subscription without a secret its first one, as SecureString', async () => {
    // Prepare
    await put({ url: 'https://a.example.com', events: ['*'] }, 'String');

    // Act
    const result = await cli.run(['rotate-secret', 'ops', '--json']);

    // Assess
    const { type, value } = stored();
    expect(type).toBe('SecureString');
    expect(result.json()).toEqual({ name: 'ops', secret: value.secret });
    expect(value).not.toHaveProperty('previousSecret');
  });

  it('keeps the old secret signing until the next rotation with --expires-in never', async () => {
    // Prepare
    await put({ url: 'https://a.example.com', events: ['*'], secret: OLD, previousSecret: fixedSecret(2), previousSecretExpiresAt: '2030-01-01T00:00:00.000Z' });

    // Act
    const result = await cli.run(['rotate-secret', 'ops', '--expires-in', 'never']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`The previous secret (whsec_…${OLD.slice(-4)}) also signs until the next rotation: update the receiver before then.`);
    const { value } = stored();
    expect(value.previousSecret).toBe(OLD);
    expect(value).not.toHaveProperty('previousSecretExpiresAt');
  });

  it('shows the default window in its help as it is written on the command line', async () => {
    // Act
    const result = await cli.run(['rotate-secret', '--help']);

    // Assess
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('"never" keeps it until the next rotation (default: 24h)');
    expect(result.stdout).not.toContain('86400000');
  });

  it('rejects the current secret as the new one and a bad window', async () => {
    // Prepare
    await put({ url: 'https://a.example.com', events: ['*'], secret: OLD });

    // Act
    const same = await cli.run(['rotate-secret', 'ops', '--secret', OLD]);
    const window = await cli.run(['rotate-secret', 'ops', '--expires-in', 'soon']);
    const tooLong = await cli.run(['rotate-secret', 'ops', '--expires-in', '100000000d']);

    // Assess
    expect([same.code, window.code, tooLong.code]).toEqual([2, 2, 2]);
    expect(tooLong.stderr).toMatch(/^error: option '--expires-in <duration>' argument '100000000d' is invalid\. expected at most 365d; use "never" to keep the old secret signing until the next rotation; see "webhooks rotate-secret --help"\n$/);
    expect(same.stderr).toBe('error: --secret is the current secret; give a new one, or omit --secret to generate one\n');
    expect(same.output).not.toContain(OLD);
    expect(window.stderr).toMatch(/^error: option '--expires-in <duration>' argument 'soon' is invalid\. expected a duration/);
    expect(stored().value.secret).toBe(OLD);
  });
});
