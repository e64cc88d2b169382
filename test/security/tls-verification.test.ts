import { execFile } from 'node:child_process';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHttpSender } from '../../lambda/adapters/http-sender';
import { createTargetGuard } from '../../lambda/adapters/target-guard';
import { classify } from '../../lambda/core/delivery/outcome';
import type { AttemptResult } from '../../lambda/core/delivery/outcome';
import { fakeResolver } from './support/fake-resolver';
import { installLoopbackTripwire } from './support/loopback-tripwire';
import { createTlsFixtures } from './support/tls-fixtures';
import type { TlsFixtures } from './support/tls-fixtures';

const ROOT = join(__dirname, '..', '..');
const SEND_ONCE = join(__dirname, 'support', 'send-once.ts');
const NAMES = { 'hooks.example.test': ['127.0.0.1'], 'other.example.test': ['127.0.0.1'] };

let fixtures: TlsFixtures;
let server: https.Server;
let port: number;
let received: string[];
let tripwire: ReturnType<typeof installLoopbackTripwire>;

beforeAll(async () => {
  tripwire = installLoopbackTripwire();
  fixtures = createTlsFixtures(['hooks.example.test']);
  received = [];
  server = https.createServer({ cert: fixtures.cert, key: fixtures.key }, (req, res) => {
    received.push(`${req.headers.host ?? ''}${req.url ?? ''}`);
    req.resume().on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fixtures.remove();
  tripwire.uninstall();
});

beforeEach(() => {
  received.length = 0;
});

/** Runs the real sender in a child process started with `env` (NODE_EXTRA_CA_CERTS is read at start only). */
async function sendInChild(urls: string[], env: Record<string, string>): Promise<AttemptResult[]> {
  const input = JSON.stringify({ urls, allowedCidrs: ['127.0.0.1/32'], names: NAMES });
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', SEND_ONCE, input], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    timeout: 20_000,
  });
  return JSON.parse(stdout) as AttemptResult[];
}

describe('TLS verification', () => {
  it('fails, retryably, against a certificate from a CA the process does not trust', async () => {
    // Prepare
    const sender = createHttpSender({ maxSockets: 1, guard: createTargetGuard({ allowedCidrs: ['127.0.0.1/32'], resolve: fakeResolver(NAMES) }) });

    // Act
    const results = [
      await sender.send({ url: `https://127.0.0.1:${port}/untrusted`, headers: {}, body: '{}', timeoutMs: 3000 }),
      await sender.send({ url: `https://hooks.example.test:${port}/untrusted`, headers: {}, body: '{}', timeoutMs: 3000 }),
    ];
    sender.close();

    // Assess
    for (const result of results) {
      expect(result).toMatchObject({ kind: 'network-error', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      expect(classify(result).kind).toBe('retryable');
    }
    expect(received).toEqual([]);
    expect(tripwire.violations).toEqual([]);
  });

  it('succeeds once the CA is trusted through NODE_EXTRA_CA_CERTS, still verifying the host name', async () => {
    // Act
    const [byAddress, byName, wrongName] = await sendInChild(
      [`https://127.0.0.1:${port}/by-address`, `https://hooks.example.test:${port}/by-name`, `https://other.example.test:${port}/wrong-name`],
      { NODE_EXTRA_CA_CERTS: fixtures.caPath },
    );

    // Assess
    expect(byAddress).toEqual({ kind: 'response', status: 200 });
    expect(byName).toEqual({ kind: 'response', status: 200 });
    expect(wrongName).toMatchObject({ kind: 'network-error', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(received).toEqual([`127.0.0.1:${port}/by-address`, `hooks.example.test:${port}/by-name`]);
  });
});
