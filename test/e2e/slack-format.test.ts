/**
 * End to end: `webhooks subscribe --format slack` against the local stack (`npm start`, run as a
 * child process as a user runs it), then `webhooks publish`; a receiver on loopback that checks the
 * Slack incoming-webhook shape, as Slack would, gets the message signed and with the webhook-* headers.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';

const ROOT = join(__dirname, '..', '..');
const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
const STARTUP_TIMEOUT_MS = 25_000;

/** One request the Slack stand-in got, and what Slack would have refused in it. */
interface SlackRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly problems: readonly string[];
}

let slack: { readonly url: string; readonly requests: SlackRequest[]; readonly server: Server };
let stack: ChildProcess;
let endpoint: string;
let dataDir: string;

/**
 * What Slack would refuse in an incoming-webhook payload (`invalid_blocks`, `no_text`): the block
 * types and limits of Block Kit that the `slack` format uses.
 */
function slackShapeProblems(body: string): string[] {
  const problems: string[] = [];
  const message = JSON.parse(body) as { text?: unknown; blocks?: Array<Record<string, any>> };
  if (typeof message.text !== 'string' || message.text === '' || message.text.length > 40_000) problems.push('text must be 1 to 40,000 characters');
  if (!Array.isArray(message.blocks) || message.blocks.length === 0 || message.blocks.length > 50) return [...problems, 'blocks must be 1 to 50 blocks'];
  for (const [index, block] of message.blocks.entries()) {
    const where = `blocks[${index}] (${String(block.type)})`;
    switch (block.type) {
      case 'header':
        if (block.text?.type !== 'plain_text' || !(block.text.text?.length <= 150)) problems.push(`${where}: text must be plain_text of at most 150 characters`);
        break;
      case 'section':
        if (!Array.isArray(block.fields) || block.fields.length > 10) problems.push(`${where}: at most 10 fields`);
        for (const field of block.fields ?? []) if (!['mrkdwn', 'plain_text'].includes(field.type) || !(field.text?.length <= 2000)) problems.push(`${where}: a field must be a text of at most 2,000 characters`);
        break;
      case 'actions':
        for (const element of block.elements ?? []) {
          if (element.type !== 'button' || !(element.text?.text?.length <= 75) || !/^https?:\/\//.test(element.url ?? '')) problems.push(`${where}: a button needs text of at most 75 characters and a URL`);
        }
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) problems.push(`${where}: 1 to 10 elements`);
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  }
  return problems;
}

/** A Slack incoming-webhook stand-in on loopback: 200 "ok" for a valid payload, 400 "invalid_blocks" otherwise. */
async function startSlackStandIn(): Promise<typeof slack> {
  const requests: SlackRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let problems: string[];
      try {
        problems = slackShapeProblems(body);
      } catch (error) {
        problems = [`not JSON: ${String(error)}`];
      }
      requests.push({ headers: req.headers, body, problems });
      res.writeHead(problems.length === 0 ? 200 : 400, { 'content-type': 'text/plain' }).end(problems.length === 0 ? 'ok' : 'invalid_blocks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/XXXX`, requests, server };
}

async function firstRequest(timeoutMs: number): Promise<SlackRequest> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const [request] = slack.requests;
    if (request !== undefined) return request;
  }
  throw new Error(`the Slack stand-in got no request within ${timeoutMs} ms`);
}

/** Runs the real `webhooks` bin against the local stack. */
async function webhooks(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin', 'webhooks.js'), '--endpoint-url', endpoint, ...args], { cwd: ROOT, timeout: 20_000 });
  return stdout;
}

/** Starts `npm start` on free ports and resolves with its endpoint once it prints "ready". */
function startStack(): Promise<string> {
  stack = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'local/start.ts', '--port', '0', '--receiver-port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so that stopping it also stops tsx's child
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the local stack did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)), STARTUP_TIMEOUT_MS);
    stack.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    stack.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /^endpoint: (\S+)$/m.exec(output);
      if (found && /^ready$/m.test(output)) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    stack.on('exit', (code) => reject(new Error(`the local stack exited (${code}) before it was ready:\n${output}`)));
  });
}

async function stopStack(): Promise<void> {
  if (stack?.pid === undefined || stack.exitCode !== null) return;
  const exited = new Promise((resolve) => stack.once('exit', resolve));
  process.kill(-stack.pid, 'SIGTERM');
  const timer = setTimeout(() => stack.pid !== undefined && process.kill(-stack.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  slack = await startSlackStandIn();
  dataDir = await mkdtemp(join(tmpdir(), 'platform-webhooks-e2e-'));
  endpoint = await startStack();
}, STARTUP_TIMEOUT_MS + 5000);

afterAll(async () => {
  await stopStack();
  slack.server.closeAllConnections();
  await new Promise((resolve) => slack.server.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
}, 20_000);

describe('webhooks subscribe --format slack, end to end on the local stack', () => {
  it('delivers a published event to the subscription as a signed Slack message', async () => {
    // Prepare
    const subscribed = await webhooks('subscribe', 'chat', '--url', slack.url, '--events', 'experiments.*,*.failed', '--format', 'slack', '--secret', SECRET);
    const data = { experiment: { id: 42, name: 'resnet-sweep-3', project: 'vision', status: 'failed', html_url: 'https://platform.example.com/vision/experiments/42' } };

    // Act
    await webhooks('publish', 'experiments.failed', '--id', 'evt_e2e_slack', '--data', JSON.stringify(data));
    const request = await firstRequest(20_000);

    // Assess
    expect(subscribed).toContain('Created subscription "chat"');
    expect(request.problems).toEqual([]);
    expect(JSON.parse(request.body)).toMatchObject({
      text: ':x: Experiment resnet-sweep-3 failed',
      blocks: expect.arrayContaining([expect.objectContaining({ type: 'actions', elements: [expect.objectContaining({ url: data.experiment.html_url })] })]),
    });
    expect(request.headers).toMatchObject({ 'content-type': 'application/json', 'webhook-event': 'experiments.failed', 'webhook-attempt': '1' });
    expect(() => new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    const show = await webhooks('show', 'chat');
    expect(show).toContain('"format": "slack"');
    expect(show).not.toContain(SECRET);
  });

  it('checks the shape as Slack does (the stand-in refuses a bad payload)', () => {
    // Act
    const problems = slackShapeProblems(JSON.stringify({ text: '', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }, { type: 'attachment' }] }));

    // Assess
    expect(problems).toEqual([
      'text must be 1 to 40,000 characters',
      'blocks[0] (header): text must be plain_text of at most 150 characters',
      'blocks[1] (attachment): unexpected block type',
    ]);
  });
});
