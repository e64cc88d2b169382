import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { Webhook } from 'standardwebhooks';

import { sign } from '../../lambda/core/delivery/signature';
import { fixedSecret, useCliHarness } from '../support/cli-harness';

const SECRET = fixedSecret(9);

/** How a receiver judges a delivery: 2xx when it takes it. */
type Judge = (body: string, headers: IncomingHttpHeaders) => number;

const JUDGES = {
  /** The `standardwebhooks` library: signature and timestamp. */
  verifies: (body, headers) => {
    try {
      new Webhook(SECRET).verify(body, headers as Record<string, string>);
      return 200;
    } catch {
      return 401;
    }
  },
  /** Checks the signature, never the timestamp's age. */
  ignoresTime: (body, headers) => {
    const expected = sign([SECRET], String(headers['webhook-id']), Number(headers['webhook-timestamp']), body);
    return String(headers['webhook-signature']).split(' ').includes(expected) ? 204 : 400;
  },
  /** Takes anything. */
  acceptsAll: () => 200,
} satisfies Record<string, Judge>;

interface Received {
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

const cli = useCliHarness();
let server: Server;
let judge: Judge;
let received: Received[];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ body, headers: req.headers });
      res.writeHead(judge(body, req.headers)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(async () => {
  received = [];
});

async function subscribe(value: object = { secret: SECRET }): Promise<void> {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  await cli.ssm.send(new PutParameterCommand({ Name: `${cli.path}/ops`, Value: JSON.stringify({ url, events: ['jobs.*'], ...value }), Type: 'SecureString' }));
}

describe('webhooks test --verify', () => {
  it('reports a receiver that refuses a wrong signature and a stale timestamp as verifying signatures', async () => {
    // Prepare
    judge = JUDGES.verifies;
    await subscribe();

    // Act
    const result = await cli.run(['test', 'ops', '--verify', '--allow-private']);

    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ops: HTTP 200 in \d+ ms/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ops: a wrong signature: refused, HTTP 401 in \d+ ms$/),
      expect.stringMatching(/^ops: a correct signature over a timestamp 10 minutes old: refused, HTTP 401 in \d+ ms$/),
      'ops: receiver verifies signatures',
    ]);
    expect(result.stderr).toBe('');
    expect(received.map((request) => request.body)).toEqual(Array(3).fill(received[0]?.body));
    expect(new Set(received.map((request) => request.headers['webhook-id'])).size).toBe(3);
    expect(Number(received[2]?.headers['webhook-timestamp'])).toBeLessThanOrEqual(Number(received[0]?.headers['webhook-timestamp']) - 600);
    expect(result.output).not.toContain(SECRET);
  });

  it('warns and exits 3 when the receiver accepts a wrong signature', async () => {
    // Prepare
    judge = JUDGES.acceptsAll;
    await subscribe();

    // Act
    const result = await cli.run(['test', 'ops', '--verify', '--allow-private']);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^ops: a wrong signature: ACCEPTED, HTTP 200 in \d+ ms$/m);
    expect(result.stdout).not.toContain('receiver verifies signatures');
    expect(result.stderr.split('\n')).toEqual([
      'warning: the receiver of "ops" accepted a delivery with a wrong signature (HTTP 200): it does not verify webhook-signature, so anyone who knows its URL can send it events',
      'warning: the receiver of "ops" accepted a delivery with a correct signature over a timestamp 10 minutes old (HTTP 200): it does not check webhook-timestamp, so a captured delivery can be sent to it again (a replay); refuse timestamps more than 5 minutes away',
      '',
    ]);
  });

  it('warns and exits 3 when the receiver checks signatures but not their age', async () => {
    // Prepare
    judge = JUDGES.ignoresTime;
    await subscribe();

    // Act
    const result = await cli.run(['test', 'ops', '--verify', '--json', '--allow-private']);

    // Assess
    expect(result.code).toBe(3);
    expect(result.json()).toMatchObject({
      ok: true,
      status: 204,
      verify: [
        { probe: 'wrong-signature', refused: true, status: 400, latencyMs: expect.any(Number) },
        { probe: 'stale-timestamp', refused: false, status: 204, latencyMs: expect.any(Number) },
      ],
    });
    expect(result.stderr).toMatch(/^warning: the receiver of "ops" accepted a delivery with a correct signature over a timestamp 10 minutes old \(HTTP 204\)/);
  });

  it('refuses to verify a subscription without a secret, sending nothing', async () => {
    // Prepare
    judge = JUDGES.acceptsAll;
    await subscribe({});

    // Act
    const result = await cli.run(['test', 'ops', '--verify', '--allow-private']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: subscription "ops" has no secret, so its deliveries carry no signature for the receiver to verify; give it one with "webhooks rotate-secret ops" and run this again\n');
    expect(received).toEqual([]);
  });

  it('sends no probe when the signed test delivery itself fails', async () => {
    // Prepare
    judge = () => 500;
    await subscribe();

    // Act
    const result = await cli.run(['test', 'ops', '--verify', '--allow-private']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: the test delivery to "ops" failed: the delivery function would retry it (HTTP 500)\n');
    expect(received).toHaveLength(1);
  });
});
