import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { CONNECT_TIMEOUT_MS, MAX_DRAIN_BYTES, createHttpSender } from '../../lambda/adapters/http-sender';
import type { ClosableHttpSender } from '../../lambda/adapters/http-sender';
import { createTargetGuard } from '../../lambda/adapters/target-guard';
import { classify } from '../../lambda/core/delivery/outcome';
import type { DeliveryRequest } from '../../lambda/core/ports';
import { installLoopbackTripwire } from './support/loopback-tripwire';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

let tripwire: ReturnType<typeof installLoopbackTripwire>;
let sender: ClosableHttpSender;

beforeAll(() => {
  tripwire = installLoopbackTripwire();
});

afterAll(() => tripwire.uninstall());

beforeEach(() => {
  sender = createHttpSender({ maxSockets: 2, connectTimeoutMs: 200, guard: createTargetGuard({ allowedCidrs: ['127.0.0.1/32'] }) });
});

afterEach(() => {
  sender.close();
  expect(tripwire.violations).toEqual([]);
});

function post(url: string, timeoutMs = 5000): DeliveryRequest {
  return { url, headers: { 'content-type': 'application/json' }, body: '{"id":"evt_1"}', timeoutMs };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A receiver that answers 200 and then streams `bytesPerWrite` every `intervalMs` (0: as fast as the socket takes it) up to 1 GiB. */
async function streamingReceiver(options: { intervalMs: number; bytesPerWrite: number }) {
  const stats = { written: 0, closedAt: 0, complete: false };
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(options.bytesPerWrite, 0x78);
      let timer: NodeJS.Timeout | undefined;
      const pump = (): void => {
        while (!res.destroyed && stats.written < GiB) {
          stats.written += chunk.length;
          const more = res.write(chunk);
          if (options.intervalMs > 0) return void (timer = setTimeout(pump, options.intervalMs));
          if (!more) return void res.once('drain', pump);
        }
        stats.complete = stats.written >= GiB;
        res.end();
      };
      res.on('close', () => {
        clearTimeout(timer);
        stats.closedAt = Date.now();
      });
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`,
    stats,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('response bodies', () => {
  it('delivers at once against a receiver streaming a huge body, reading only the first bytes before dropping the connection', async () => {
    // Prepare
    const receiver = await streamingReceiver({ intervalMs: 0, bytesPerWrite: 64 * 1024 });
    const started = Date.now();

    // Act
    const result = await sender.send(post(receiver.url));
    const elapsed = Date.now() - started;
    await until(() => receiver.stats.closedAt > 0, 3000);
    await receiver.close();

    // Assess: what the receiver managed to write is bounded by socket buffers, not by the 1 GiB it offered.
    expect(result).toEqual({ kind: 'response', status: 200 });
    expect(elapsed).toBeLessThan(1000);
    expect(receiver.stats.complete).toBe(false);
    expect(receiver.stats.written).toBeLessThan(32 * MiB);
    expect(MAX_DRAIN_BYTES).toBe(64 * 1024);
  });

  it('drops a body still trickling in at the attempt deadline instead of holding the connection', async () => {
    // Prepare
    const receiver = await streamingReceiver({ intervalMs: 20, bytesPerWrite: 16 });
    const started = Date.now();

    // Act
    const result = await sender.send(post(receiver.url, 400));
    const answeredAfter = Date.now() - started;
    await until(() => receiver.stats.closedAt > 0, 3000);
    await receiver.close();

    // Assess
    expect(result).toEqual({ kind: 'response', status: 200 });
    expect(answeredAfter).toBeLessThan(300);
    expect(receiver.stats.closedAt - started).toBeGreaterThanOrEqual(350);
    expect(receiver.stats.closedAt - started).toBeLessThan(1500);
  });
});

describe('timeouts', () => {
  let stopped: ChildProcess;
  let port: number;
  const fillers: net.Socket[] = [];

  // A listener in a stopped process: the kernel completes handshakes only until its backlog is full,
  // then drops SYNs, so a further connect hangs on loopback exactly as it would to a black hole.
  beforeAll(async () => {
    stopped = spawn(process.execPath, ['-e', "const s = require('net').createServer(); s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log(s.address().port))"]);
    port = await new Promise<number>((resolve) => stopped.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim()))));
    stopped.kill('SIGSTOP');
    for (let i = 0; i < 8; i++) {
      const filler = net.connect(port, '127.0.0.1');
      fillers.push(filler);
      filler.on('error', () => undefined);
      const connected = await new Promise<boolean>((resolve) => {
        filler.once('connect', () => resolve(true));
        setTimeout(() => resolve(false), 200);
      });
      if (!connected) break;
    }
  });

  afterAll(() => {
    for (const filler of fillers) filler.destroy();
    stopped.kill('SIGKILL');
  });

  it('gives up connecting after the connect timeout, well before the attempt timeout', async () => {
    // Prepare
    const started = Date.now();

    // Act
    const result = await sender.send(post(`http://127.0.0.1:${port}/`, 5000));

    // Assess
    expect(result).toEqual({ kind: 'network-error', code: 'ETIMEDOUT', message: 'could not connect within 200 ms' });
    expect(classify(result).kind).toBe('retryable');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('bounds connecting by the attempt timeout when that is shorter', async () => {
    // Prepare
    const patient = createHttpSender({ maxSockets: 1, connectTimeoutMs: 5000, guard: createTargetGuard({ allowedCidrs: ['127.0.0.1/32'] }) });

    // Act
    const result = await patient.send(post(`http://127.0.0.1:${port}/`, 250));
    patient.close();

    // Assess
    expect(result).toEqual({ kind: 'network-error', code: 'ETIMEDOUT', message: 'no response within 250 ms' });
  });

  it('caps connecting at 5 s by default', () => {
    expect(CONNECT_TIMEOUT_MS).toBe(5000);
  });

  it('times out a receiver that accepts the request and never answers, retryably', async () => {
    // Prepare
    const server = http.createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hang`;

    // Act
    const result = await sender.send(post(url, 300));
    server.closeAllConnections();
    server.close();

    // Assess
    expect(result).toEqual({ kind: 'network-error', code: 'ETIMEDOUT', message: 'no response within 300 ms' });
    expect(classify(result).kind).toBe('retryable');
  });
});

describe('requests node:http refuses', () => {
  it('reports a header node:http will not send as a failed attempt instead of throwing', async () => {
    // Act
    const result = await sender.send({ ...post('http://127.0.0.1:9/'), headers: { 'bad header': 'x' } });

    // Assess
    expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_INVALID_HTTP_TOKEN' });
  });
});
