/**
 * End to end: the local stack (`npm start`) as a child process, the `webhooks` CLI as a user runs
 * it, and real receivers on loopback. Spawned CLI runs show what a user sees; in-process runs
 * (`run()`, same code, no process start-up) keep the suite fast where the spawn adds nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { run } from '../../cli/program';
import { EVENT_TYPES } from '../../lambda/core/inbound/events';
import { deliveryId } from '../../lambda/core/delivery/signature';
import { cleanEnv } from '../support/cli-harness';
import { startReceiver } from '../support/receiver';
import type { ReceivedRequest, Receiver } from '../support/receiver';
import { startLocalStackProcess, webhooksBin } from './local-stack-process';
import type { LocalStackProcess } from './local-stack-process';

jest.setTimeout(60_000);

let scratch: string;
let dataDir: string;
let receiver: Receiver;
let stack: LocalStackProcess | undefined;

/** The environment of a user with no AWS configuration at all, pointed at the local stack. */
function userEnv(): NodeJS.ProcessEnv {
  const env = cleanEnv();
  for (const key of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']) delete env[key];
  return { ...env, AWS_ENDPOINT_URL: stack?.endpoint ?? '', AWS_CONFIG_FILE: join(scratch, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-aws-credentials') };
}

/** The CLI as a user runs it. */
function bin(...args: string[]) {
  return webhooksBin(args, { env: userEnv(), cwd: scratch });
}

/** The CLI in process, against the stack's endpoint. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['--endpoint-url', stack?.endpoint ?? '', ...args], {
    stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env: cleanEnv(), cwd: scratch,
  });
  return { code, stdout, stderr };
}

async function startStack(): Promise<LocalStackProcess> {
  const env = { ...cleanEnv(), RETRY_SCHEDULE: '1s', SUBSCRIPTIONS_CACHE_SECONDS: '0', POWERTOOLS_LOG_LEVEL: 'warn' };
  stack = await startLocalStackProcess({ dataDir, cwd: scratch, env });
  return stack;
}

function typesOf(requests: readonly ReceivedRequest[]): string[] {
  return requests.map((request) => String(request.headers['webhook-event'])).sort();
}

/** Waits a little longer than it takes the stack to deliver, so that extra deliveries would show. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 700));

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'webhooks-e2e-'));
  dataDir = join(scratch, 'data');
  receiver = await startReceiver();
  await startStack();
});

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('the local stack driven by the webhooks CLI', () => {
  it('delivers each catalogue event exactly to the subscriptions that match it, signed', async () => {
    // Prepare
    const subscribed = await bin('subscribe', 'ops', '--url', receiver.url('/ops'), '--events', 'experiments.*,*.failed', '--secret', '--json');
    expect(subscribed.code).toBe(0);
    const { secret } = JSON.parse(subscribed.stdout) as { secret: string };
    expect((await bin('subscribe', 'jobs', '--url', receiver.url('/jobs'), '--events', 'jobs.done')).code).toBe(0);

    // Act
    for (const type of EVENT_TYPES) expect((await cli('publish', type, '--id', `evt_all_${type}`, '--data', '{"n":1}')).code).toBe(0);

    // Assess
    const ops = await receiver.waitFor(7, '/ops');
    const jobs = await receiver.waitFor(4, '/jobs');
    await settle();
    expect(typesOf(receiver.requests('/ops'))).toEqual(['builds.failed', 'experiments.done', 'experiments.failed', 'experiments.stopped', 'experiments.succeeded', 'groups.failed', 'jobs.failed']);
    expect(typesOf(receiver.requests('/jobs'))).toEqual(['jobs.done', 'jobs.failed', 'jobs.stopped', 'jobs.succeeded']);
    for (const request of ops) {
      const body = new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as { id: string; type: string };
      expect(request.headers['webhook-id']).toBe(deliveryId(body.id, 'ops'));
      expect(body.id).toBe(`evt_all_${body.type}`);
    }
    expect(jobs.every((request) => request.headers['webhook-signature'] === undefined)).toBe(true);
    expect(subscribed.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK/);

    await cli('remove', 'ops');
    await cli('remove', 'jobs');
  });

  it('retries a failed delivery (500, then 200) with the same webhook-id', async () => {
    // Prepare
    receiver.script('/flaky', { status: 500 }, { status: 200 });
    await cli('subscribe', 'flaky', '--url', receiver.url('/flaky'), '--events', 'builds.succeeded');

    // Act
    await cli('publish', 'builds.succeeded', '--data', '{"build":{"id":3}}');

    // Assess
    const [first, second] = await receiver.waitFor(2, '/flaky', 15_000);
    expect([first?.headers['webhook-attempt'], second?.headers['webhook-attempt']]).toEqual(['1', '2']);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(700);
    await settle();
    expect(receiver.requests('/flaky')).toHaveLength(2);
    expect((await cli('dlq', 'list', '--json')).stdout).toBe('[]\n');

    await cli('remove', 'flaky');
  });

  it('dead-letters a permanent failure (404), lists it, and redrives it once the receiver answers 200', async () => {
    // Prepare
    receiver.script('/gone', { status: 404 });
    await cli('subscribe', 'gone', '--url', receiver.url('/gone'), '--events', 'groups.stopped');
    await cli('publish', 'groups.stopped', '--id', 'evt_gone', '--data', '{"group":{"id":9}}');
    const [failed] = await receiver.waitFor(1, '/gone');

    // Act
    let listed = await bin('dlq', 'list');
    for (let tries = 0; !listed.stdout.includes('evt_gone') && tries < 20; tries++) listed = await bin('dlq', 'list');
    receiver.script('/gone', { status: 200 });
    const redriven = await bin('dlq', 'redrive', '--all');

    // Assess
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/permanent\s+gone\s+groups\.stopped\s+evt_gone\s+1\s+HTTP 404/);
    expect(redriven.code).toBe(0);
    expect(redriven.stdout).toContain(`Redrove 1 message to the events queue:\n  permanent gone groups.stopped evt_gone (webhook-id ${failed?.headers['webhook-id']})`);
    const [, delivered] = await receiver.waitFor(2, '/gone');
    expect(delivered?.headers['webhook-id']).toBe(failed?.headers['webhook-id']);
    expect(delivered?.headers['webhook-attempt']).toBe('1');
    await settle();
    expect((await cli('dlq', 'list', '--json')).stdout).toBe('[]\n');

    await cli('remove', 'gone');
  });

  it('applies a deployment config file: a dry run changes nothing, --prune removes what it no longer names', async () => {
    // Prepare
    await cli('subscribe', 'legacy', '--url', receiver.url('/legacy'), '--events', '*');
    const file = join(scratch, 'deploy.yaml'); // not webhooks.yaml, which the restarted stack would apply
    await writeFile(file, [
      '- name: ops',
      `  url: ${receiver.url('/apply-ops')}`,
      '  events: ["experiments.*"]',
      '  secretEnv: OPS_WEBHOOK_SECRET',
      '- name: audit',
      `  url: ${receiver.url('/apply-audit')}`,
      '  events: ["*"]',
      '  enabled: false',
      '',
    ].join('\n'));
    const env = { ...userEnv(), OPS_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 8).toString('base64')}` };

    // Act
    const dryRun = await webhooksBin(['apply', '-f', 'deploy.yaml', '--dry-run', '--prune'], { env, cwd: scratch });
    const afterDryRun = await cli('list', '--json');
    const applied = await webhooksBin(['apply', '-f', 'deploy.yaml', '--prune'], { env, cwd: scratch });
    const afterApply = await cli('list', '--json');

    // Assess
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('+ create ops\n');
    expect(dryRun.stdout).toContain('- remove legacy\n');
    expect(dryRun.stdout).toContain('Dry run: 2 to create, 0 to update, 1 to remove, 0 unchanged. Nothing was written');
    expect(dryRun.stdout + dryRun.stderr).not.toContain(env.OPS_WEBHOOK_SECRET);
    expect((JSON.parse(afterDryRun.stdout) as Array<{ name: string }>).map((s) => s.name)).toEqual(['legacy']);
    expect(applied.code).toBe(0);
    expect(JSON.parse(afterApply.stdout)).toEqual([
      expect.objectContaining({ name: 'audit', enabled: false, type: 'SecureString' }),
      expect.objectContaining({ name: 'ops', enabled: true, type: 'SecureString', secret: `whsec_…${env.OPS_WEBHOOK_SECRET.slice(-4)}` }),
    ]);
  });

  it('keeps the subscriptions across a restart with the same data directory', async () => {
    // Prepare
    const before = (await cli('list', '--json')).stdout;
    await stack?.stop();

    // Act
    await startStack();
    const after = await bin('list', '--json');

    // Assess
    expect(after.code).toBe(0);
    expect(after.stdout).toBe(before);
    expect((JSON.parse(after.stdout) as unknown[]).length).toBe(2);
  });
});
