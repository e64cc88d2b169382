import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

import { EVENT_TYPES } from '../../lambda/core/inbound/events';
import { secret } from '../support/factories';
import { freePort, holdPort, portOf, release } from './held-port';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const START = join(ROOT, 'local/start.ts');

interface Run {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const runs: Run[] = [];
const dirs: string[] = [];

/**
 * Runs `tsx local/start.ts` as `npm start` does, in its own process group, so that a signal to the
 * group reaches tsx and the stack as a Ctrl-C in a terminal does (and so that cleanup reaches both).
 */
function runStart(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const child = spawn(TSX, [START, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, AWS_ENDPOINT_URL: '', ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => void (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => void (err += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  const run = { child, stdout: () => out, stderr: () => err, exit };
  runs.push(run);
  return run;
}

async function waitForOutput(run: Run, test: (stdout: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (!test(run.stdout())) {
    if (Date.now() > until || run.child.exitCode !== null) {
      throw new Error(`expected ${what}; stdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return run.stdout();
}

function exitWithin(run: Run, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit within ${ms} ms; stdout:\n${run.stdout()}`)), ms).unref());
  return Promise.race([run.exit, timeout]);
}

/** Event types of the receiver's "signature verified" lines for subscription `name`. */
function verifiedEvents(stdout: string, name: string): string[] {
  const pattern = new RegExp(`receiver\\s+${name}\\s+(\\S+)\\s.*signature verified$`, 'gm');
  return [...stdout.matchAll(pattern)].map((match) => match[1] ?? '');
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'start-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const { child } of runs.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }
});

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('npm start (local/start.ts)', () => {
  it('runs the demo: prints where things are, delivers one signed event of each type, and exits 0 on Ctrl-C', async () => {
    // Prepare
    const run = runStart(['--port', '0', '--receiver-port', '0', '--data-dir', await tempDir(), '--demo']);

    // Act
    const banner = await waitForOutput(run, (out) => /^ready$/m.test(out), 'a "ready" line');
    const delivered = await waitForOutput(run, (out) => verifiedEvents(out, 'demo').length >= EVENT_TYPES.length, 'a verified delivery of each demo event');
    process.kill(-(run.child.pid ?? 0), 'SIGINT');
    const exit = await exitWithin(run, 5000);

    // Assess
    expect(banner).toMatch(/^endpoint: http:\/\/127\.0\.0\.1:\d+$/m);
    expect(banner).toMatch(/^receiver: http:\/\/127\.0\.0\.1:\d+$/m);
    expect(banner).toContain('export AWS_ENDPOINT_URL=http://127.0.0.1:');
    expect(verifiedEvents(delivered, 'demo').sort()).toEqual([...EVENT_TYPES].sort());
    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toMatch(/^stopped$/m);
    expect(run.stderr()).toBe('');
  });

  it('applies webhooks.yaml from the working directory at start, and exits 0 on SIGTERM', async () => {
    // Prepare
    const cwd = await tempDir();
    const receiverPort = await freePort();
    const config = [
      '- name: from-config',
      `  url: http://127.0.0.1:${receiverPort}/from-config`,
      '  events: ["jobs.*"]',
      '  secretEnv: FROM_CONFIG_SECRET',
    ].join('\n');
    await writeFile(join(cwd, 'webhooks.yaml'), `${config}\n`);
    const run = runStart(['--port', '0', '--receiver-port', String(receiverPort), '--data-dir', join(cwd, 'data'), '--demo'], {
      cwd,
      env: { FROM_CONFIG_SECRET: secret() },
    });

    // Act
    const output = await waitForOutput(run, (out) => verifiedEvents(out, 'from-config').length >= 4, 'verified deliveries of the 4 jobs events to from-config');
    run.child.kill('SIGTERM');
    const exit = await exitWithin(run, 5000);

    // Assess
    expect(output).toMatch(/^config: applied webhooks\.yaml: 1 created, 0 updated, 0 unchanged$/m);
    expect(verifiedEvents(output, 'from-config').sort()).toEqual(['jobs.done', 'jobs.failed', 'jobs.stopped', 'jobs.succeeded']);
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('says on Ctrl-C how many dead letters it discards with the in-memory queues', async () => {
    // Prepare
    const run = runStart(['--port', '0', '--receiver-port', '0', '--data-dir', await tempDir()]);
    const banner = await waitForOutput(run, (out) => /^ready$/m.test(out), 'a "ready" line');
    const endpoint = /^endpoint: (\S+)$/m.exec(banner)?.[1] ?? '';
    const dlqUrl = /^dlq:\s+(\S+)$/m.exec(banner)?.[1] ?? '';
    const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    for (const id of ['a', 'b']) await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify({ reason: 'permanent', id }) }));
    sqs.destroy();

    // Act
    process.kill(-(run.child.pid ?? 0), 'SIGINT');
    const exit = await exitWithin(run, 10_000);

    // Assess
    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toMatch(/^stopped; the queues are kept in memory only, so 2 dead letters were discarded \("npx webhooks dlq list" shows dead letters while the stack runs\)$/m);
  });

  it('refuses an invalid --config file before printing anything else, one line per problem, naming the file once', async () => {
    // Prepare
    const cwd = await tempDir();
    await writeFile(join(cwd, 'bad.yaml'), '- name: ops\n  url: ftp://x\n  events: ["experiment.done"]\n');

    // Act
    const run = runStart(['--port', '0', '--receiver-port', '0', '--data-dir', join(cwd, 'data'), '--config', 'bad.yaml'], { cwd });
    const exit = await exitWithin(run, 15_000);

    // Assess
    expect(exit.code).toBe(1);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toBe([
      'error: bad.yaml:1: subscription "ops": url must be an absolute http: or https: URL, got a URL with scheme "ftp:"',
      'error: bad.yaml:1: subscription "ops": events[0] "experiment.done" matches no event; did you mean "experiments.done"?',
      '',
    ].join('\n'));
  });

  it('says in one line that a taken port is taken, and exits non-zero', async () => {
    // Prepare
    const held = await holdPort();
    try {
      // Act
      const run = runStart(['--port', String(portOf(held)), '--receiver-port', '0', '--data-dir', await tempDir()]);
      const exit = await exitWithin(run, 15_000);

      // Assess
      expect(exit.code).toBe(1);
      expect(run.stderr()).toBe(`error: port ${portOf(held)} is already in use; pass --port to choose another\n`);
      expect(run.stdout()).toBe('');
    } finally {
      await release(held);
    }
  });

  it('documents its options with examples in --help', async () => {
    // Act
    const run = runStart(['--help']);
    const exit = await exitWithin(run, 15_000);

    // Assess
    expect(exit.code).toBe(0);
    for (const option of ['--port', '--receiver-port', '--data-dir', '--config', '--demo', 'Examples:']) expect(run.stdout()).toContain(option);
  });
});
