import { Webhook } from 'standardwebhooks';
import { startReceiver } from '../support/receiver';
import type { Receiver } from '../support/receiver';
import { fixedSecret, useCliHarness } from '../support/cli-harness';

const SECRET = fixedSecret(5);

const cli = useCliHarness();
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

async function subscribe(name: string, value: object): Promise<void> {
  await cli.putParameter(name, value, 'SecureString');
}

describe('webhooks test', () => {
  it('delivers one signed sample event of a type the subscription receives and prints status and latency', async () => {
    // Prepare
    await subscribe('ops', { url: receiver.url(`${cli.path}/ok`), events: ['jobs.*'], secret: SECRET, headers: { 'X-Team': 'ml' } });

    // Act
    const result = await cli.run(['test', 'ops', '--allow-private']);

    // Assess
    expect(result.code).toBe(0);
    const [request] = receiver.requests(`${cli.path}/ok`);
    expect(request).toBeDefined();
    const body = new Webhook(SECRET).verify(request?.body ?? '', request?.headers as Record<string, string>) as { type: string; id: string; data: Record<string, unknown> };
    expect(body.type).toBe('jobs.succeeded');
    expect(body.data).toMatchObject({ test: true, job: { status: 'succeeded' } });
    expect(request?.headers).toMatchObject({ 'webhook-event': 'jobs.succeeded', 'webhook-attempt': '1', 'x-team': 'ml', 'user-agent': expect.stringMatching(/^platform-webhooks\//) });
    expect(result.stdout).toMatch(new RegExp(`^ops: HTTP 200 in \\d+ ms \\(jobs\\.succeeded, webhook-id ${request?.headers['webhook-id']}\\)\\n$`));
    expect(result.output).not.toContain(SECRET);
  });

  it('sends the --type asked for and prints JSON', async () => {
    // Prepare
    await subscribe('ops', { url: receiver.url(`${cli.path}/json`), events: ['*.failed'] });

    // Act
    const result = await cli.run(['test', 'ops', '--type', 'builds.failed', '--json'], { env: { ALLOW_PRIVATE_TARGETS: 'true' } });

    // Assess
    expect(result.json()).toEqual({
      subscription: 'ops', url: receiver.url(`${cli.path}/json`), type: 'builds.failed', eventId: expect.stringMatching(/^evt_test_/),
      webhookId: receiver.requests(`${cli.path}/json`)[0]?.headers['webhook-id'], signed: false, ok: true, status: 200, latencyMs: expect.any(Number),
    });
  });

  it('exits 1 when the target does not answer 2xx, saying what the delivery function would do', async () => {
    // Prepare
    receiver.script(`${cli.path}/gone`, { status: 404 });
    await subscribe('ops', { url: receiver.url(`${cli.path}/gone`), events: ['*'] });

    // Act
    const result = await cli.run(['test', 'ops', '--allow-private']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ops: HTTP 404 in \d+ ms/);
    expect(result.stderr).toBe('error: the test delivery to "ops" failed: the delivery function would dead-letter it (HTTP 404)\n');
  });

  it('refuses a --type the subscription does not receive', async () => {
    // Prepare
    await subscribe('ops', { url: receiver.url(`${cli.path}/never`), events: ['jobs.*'] });

    // Act
    const result = await cli.run(['test', 'ops', '--type', 'builds.failed']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: subscription "ops" does not receive builds.failed (its events: jobs.*); pick a --type it matches\n');
    expect(receiver.requests(`${cli.path}/never`)).toEqual([]);
  });
});

describe('webhooks test: the delivery function\'s target guard (README "Security model", What is refused)', () => {
  it('refuses a loopback target by default, naming the rule and what opens it, and never connects', async () => {
    // Prepare
    await subscribe('admin', { url: receiver.url(`${cli.path}/admin`), events: ['*'] });

    // Act
    const result = await cli.run(['test', 'admin']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^admin: refused \(127\.0\.0\.1 is loopback \(rule: loopback 127\.0\.0\.0\/8\)\) in \d+ ms/);
    expect(result.stderr).toBe([
      'error: the test delivery to "admin" was refused before connecting: 127.0.0.1 is loopback (rule: loopback 127.0.0.0/8); the delivery function refuses it too, and would dead-letter the delivery',
      'error: ALLOW_PRIVATE_TARGETS=true or ALLOWED_TARGET_CIDRS opens it for the function; to test with the same setting, set the variable for this command too, or pass --allow-private',
      '',
    ].join('\n'));
    expect(receiver.requests(`${cli.path}/admin`)).toEqual([]);
  });

  it.each([
    ['ALLOWED_TARGET_CIDRS', ['test', 'ops'], { ALLOWED_TARGET_CIDRS: '10.0.0.0/8,127.0.0.1' }],
    ['--allowed-target-cidrs', ['test', 'ops', '--allowed-target-cidrs', '127.0.0.0/8'], {}],
    ['ALLOW_PRIVATE_TARGETS', ['test', 'ops'], { ALLOW_PRIVATE_TARGETS: 'true' }],
    ['--allow-private', ['test', 'ops', '--allow-private'], {}],
  ])('delivers to a loopback target that %s opens', async (_setting, args, env) => {
    // Prepare
    await subscribe('ops', { url: receiver.url(`${cli.path}/opened`), events: ['*'] });

    // Act
    const result = await cli.run(args, { env });

    // Assess
    expect(result.code).toBe(0);
    expect(receiver.requests(`${cli.path}/opened`)).toHaveLength(1);
  });

  it('keeps loopback refused with private-network targets allowed, as the function does', async () => {
    // Prepare
    await subscribe('ops', { url: receiver.url(`${cli.path}/network`), events: ['*'] });

    // Act
    const byFlag = await cli.run(['test', 'ops', '--allow-private-network']);
    const byVariable = await cli.run(['test', 'ops'], { env: { ALLOW_PRIVATE_NETWORK_TARGETS: 'true' } });

    // Assess
    for (const result of [byFlag, byVariable]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('(rule: loopback 127.0.0.0/8)');
    }
    expect(receiver.requests(`${cli.path}/network`)).toEqual([]);
  });

  it('refuses the instance metadata service whatever is allowed, saying no setting opens it', async () => {
    // Prepare
    await subscribe('metadata', { url: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/', events: ['*'] });

    // Act
    const result = await cli.run(['test', 'metadata', '--allow-private', '--allowed-target-cidrs', '169.254.0.0/16']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe([
      'error: the test delivery to "metadata" was refused before connecting: 169.254.169.254 is the instance metadata service (rule: instance-metadata 169.254.169.254/32); the delivery function refuses it too, and would dead-letter the delivery',
      'error: no setting of the function opens this target: fix the URL',
      '',
    ].join('\n'));
  });

  it('says what the local stack does when the CLI talks to it', async () => {
    // Prepare
    await subscribe('demo', { url: receiver.url(`${cli.path}/demo`), events: ['*'] });

    // Act
    const result = await cli.run(['--endpoint-url', 'http://127.0.0.1:4566', 'test', 'demo']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      'error: the local stack (npm start) runs its function with ALLOW_PRIVATE_TARGETS=true and delivers there; "webhooks test" judges as a deployed stack does unless told: pass --allow-private to test as the local stack delivers',
    );
  });

  it.each([
    [{ ALLOW_PRIVATE_TARGETS: 'maybe' }, [], 'error: ALLOW_PRIVATE_TARGETS (in this command\'s environment): must be true or false, got "maybe"'],
    [{}, ['--allowed-target-cidrs', '10.0.0.5/8'], 'error: --allowed-target-cidrs:'],
  ])('exits 2 naming an invalid setting (%j %j)', async (env, args, start) => {
    // Prepare
    await subscribe('ops', { url: receiver.url(`${cli.path}/invalid`), events: ['*'] });

    // Act
    const result = await cli.run(['test', 'ops', ...args], { env });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(start)).toBe(true);
    expect(receiver.requests(`${cli.path}/invalid`)).toEqual([]);
  });
});
