import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { Webhook } from 'standardwebhooks';
import { startReceiver } from '../support/receiver';
import type { Receiver } from '../support/receiver';
import { fixedSecret, startCliHarness } from './cli-harness';
import type { CliHarness } from './cli-harness';

const SECRET = fixedSecret(5);

let cli: CliHarness;
let receiver: Receiver;
let path: string;

beforeAll(async () => {
  cli = await startCliHarness();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await cli.close();
});
beforeEach(async () => {
  ({ path } = await cli.isolate());
});

async function subscribe(name: string, value: object): Promise<void> {
  await cli.ssm.send(new PutParameterCommand({ Name: `${path}/${name}`, Value: JSON.stringify(value), Type: 'SecureString' }));
}

describe('webhooks test', () => {
  it('delivers one signed sample event of a type the subscription receives and prints status and latency', async () => {
    // Prepare
    await subscribe('ops', { url: receiver.url(`${path}/ok`), events: ['jobs.*'], secret: SECRET, headers: { 'X-Team': 'ml' } });

    // Act
    const result = await cli.run(['test', 'ops']);

    // Assess
    expect(result.code).toBe(0);
    const [request] = receiver.requests(`${path}/ok`);
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
    await subscribe('ops', { url: receiver.url(`${path}/json`), events: ['*.failed'] });

    // Act
    const result = await cli.run(['test', 'ops', '--type', 'builds.failed', '--json']);

    // Assess
    expect(result.json()).toEqual({
      subscription: 'ops', url: receiver.url(`${path}/json`), type: 'builds.failed', eventId: expect.stringMatching(/^evt_test_/),
      webhookId: receiver.requests(`${path}/json`)[0]?.headers['webhook-id'], signed: false, ok: true, status: 200, latencyMs: expect.any(Number),
    });
  });

  it('exits 1 when the target does not answer 2xx, saying what the delivery function would do', async () => {
    // Prepare
    receiver.script(`${path}/gone`, { status: 404 });
    await subscribe('ops', { url: receiver.url(`${path}/gone`), events: ['*'] });

    // Act
    const result = await cli.run(['test', 'ops']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ops: HTTP 404 in \d+ ms/);
    expect(result.stderr).toBe('error: the test delivery to "ops" failed: the delivery function would dead-letter it (HTTP 404)\n');
  });

  it('refuses a --type the subscription does not receive', async () => {
    // Prepare
    await subscribe('ops', { url: receiver.url(`${path}/never`), events: ['jobs.*'] });

    // Act
    const result = await cli.run(['test', 'ops', '--type', 'builds.failed']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: subscription "ops" does not receive builds.failed (its events: jobs.*); pick a --type it matches\n');
    expect(receiver.requests(`${path}/never`)).toEqual([]);
  });
});
