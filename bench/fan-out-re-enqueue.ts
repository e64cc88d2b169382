/**
 * What a failing fan-out sends back to SQS (docs/design.md §4): one event of about 256 KiB matching
 * 10,000 subscriptions, through the real handler (`createDependencies`, the production client
 * options) over fauxqs and the Parameter Store stand-in, in two cases: every receiver answers 500
 * (every delivery goes back to the retry queue), and the invocation runs out of time (what is left
 * is deferred). Counts the SendMessage bytes by queue and the process's peak RSS, and sets them
 * beside what one delivery message per subscription would have sent.
 *
 *   npx tsx bench/fan-out-re-enqueue.ts [--subscriptions 10000]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { loadConfig } from '../lambda/config';
import { DELIVERY_KIND } from '../lambda/core/inbound/messages';
import { MAX_EVENT_BYTES } from '../lambda/core/inbound/envelope';
import { bodyBytes, queueBody } from '../lambda/core/inbound/queue-body';
import { AWS_CLIENT_OPTIONS, createDependencies, createHandler } from '../lambda/handler';
import { toRecord } from '../local/event-source-poller';
import { lambdaContext } from '../local/lambda-context';
import { loadFauxqs } from '../local/load-fauxqs';
import { startParameterStoreServer } from '../local/parameter-store-server';
import { BENCH_AWS_ENV } from './stand-ins';

const PATH = '/bench/re-enqueue';

interface Case {
  readonly name: string;
  /** How the receiver answers, and after how long. */
  readonly status: number;
  readonly delayMs: number;
  readonly functionTimeoutMs: number;
}

const CASES: readonly Case[] = [
  { name: 'every receiver answers 500', status: 500, delayMs: 0, functionTimeoutMs: 60_000 },
  { name: 'the invocation runs out of time', status: 200, delayMs: 100, functionTimeoutMs: 8000 },
];

async function main(args: readonly string[]): Promise<void> {
  Object.assign(process.env, BENCH_AWS_ENV, { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' });
  const countIndex = args.indexOf('--subscriptions');
  const count = countIndex >= 0 ? Number(args[countIndex + 1]) : 10_000;
  const { startFauxqs } = await loadFauxqs();
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const ssmServer = await startParameterStoreServer({ port: 0 });
  let answer = { status: 500, delayMs: 0 };
  const receiver = createServer((req, res) => {
    req.resume().on('end', () => setTimeout(() => res.writeHead(answer.status).end(), answer.delayMs));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  try {
    for (let i = 0; i < count; i++) {
      await ssmServer.store.put({ name: `${PATH}/s${String(i).padStart(5, '0')}`, value: JSON.stringify({ url: `${receiverUrl}/${i}`, events: ['experiments.*'] }), type: 'String', overwrite: true });
    }
    const event = largeEvent();
    const eventBytes = Buffer.byteLength(JSON.stringify(event));
    process.stdout.write(`fan-out re-enqueue: 1 event of ${eventBytes} bytes × ${count} subscriptions, node ${process.version}\n`);
    process.stdout.write('  case                              | delivered  retried  deferred | retry msgs  retry bytes | one message per delivery | peak RSS\n');
    for (const testCase of CASES) {
      answer = { status: testCase.status, delayMs: testCase.delayMs };
      const row = await runCase(testCase, `http://127.0.0.1:${fauxqs.port}`, ssmServer.endpoint, event);
      const perDelivery = (row.retried + row.deferred) * oneDeliveryBytes(event);
      process.stdout.write(
        `  ${testCase.name.padEnd(33)} | ${String(row.delivered).padStart(9)} ${String(row.retried).padStart(8)} ${String(row.deferred).padStart(9)} | ` +
          `${String(row.messages).padStart(10)} ${megabytes(row.bytes).padStart(12)} | ${megabytes(perDelivery).padStart(24)} | ${String(row.peakRssMb).padStart(5)} MB\n`,
      );
    }
  } finally {
    receiver.closeAllConnections();
    receiver.close();
    await ssmServer.close();
    await fauxqs.stop();
  }
}

interface Row {
  readonly delivered: number;
  readonly retried: number;
  readonly deferred: number;
  readonly messages: number;
  readonly bytes: number;
  readonly peakRssMb: number;
}

async function runCase(testCase: Case, sqsEndpoint: string, ssmEndpoint: string, event: Record<string, unknown>): Promise<Row> {
  const credentials = { accessKeyId: BENCH_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: BENCH_AWS_ENV.AWS_SECRET_ACCESS_KEY };
  const sqs = new SQSClient({ ...AWS_CLIENT_OPTIONS, endpoint: sqsEndpoint, region: 'us-east-1', credentials });
  const ssm = new SSMClient({ ...AWS_CLIENT_OPTIONS, endpoint: ssmEndpoint, region: 'us-east-1', credentials });
  const unique = `bench-re-enqueue-${Date.now()}`;
  const url = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: `${unique}-${name}` }))).QueueUrl ?? '';
  const [queueUrl, retryQueueUrl, dlqUrl] = [await url('events'), await url('retries'), await url('dlq')];
  const sent = { messages: 0, bytes: 0 };
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { QueueUrl?: string; MessageBody?: string };
      if (context.commandName === 'SendMessageCommand' && input.QueueUrl === retryQueueUrl) {
        sent.messages++;
        sent.bytes += bodyBytes(input.MessageBody ?? '');
      }
      return next(args);
    },
    { step: 'initialize', name: 'countRetryBytes' },
  );
  const config = loadConfig({ QUEUE_URL: queueUrl, RETRY_QUEUE_URL: retryQueueUrl, DLQ_URL: dlqUrl, SUBSCRIPTIONS_PATH: PATH, ALLOW_PRIVATE_TARGETS: 'true', DELIVERY_TIMEOUT_MS: '1000' });
  const outcomes = { delivered: 0, retried: 0, deferred: 0 };
  const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const deps = createDependencies(config, { sqs, ssm, log: silent });
  const counting = { ...deps.metrics, count: (name: string, value = 1) => void (name === 'Delivered' ? (outcomes.delivered += value) : name === 'Retried' ? (outcomes.retried += value) : name === 'Deferred' ? (outcomes.deferred += value) : undefined) };
  const handler = createHandler({ ...deps, metrics: counting, flush: undefined });
  await deps.subscriptions.load();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    const record = toRecord({ MessageId: 'bench', ReceiptHandle: 'bench', Body: JSON.stringify(event) }, queueUrl);
    const response = await handler({ Records: [record] }, lambdaContext(testCase.functionTimeoutMs));
    if (response.batchItemFailures.length > 0) throw new Error(`${testCase.name}: the record was not settled`);
  } finally {
    clearInterval(sampler);
    (deps.http as { close?: () => void }).close?.();
    sqs.destroy();
    ssm.destroy();
  }
  return { ...outcomes, ...sent, peakRssMb: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20) };
}

/** An `experiments.succeeded` event just under the 256 KiB limit. */
function largeEvent(): Record<string, unknown> {
  const base = { type: 'experiments.succeeded', id: 'evt_bench_large', timestamp: '2026-11-27T10:00:00.000Z', data: { experiment: { id: 42, name: 'resnet-sweep-3' }, notes: '' } };
  const room = MAX_EVENT_BYTES - Buffer.byteLength(JSON.stringify(base)) - 16;
  return { ...base, data: { ...base.data, notes: 'x'.repeat(room) } };
}

/** The bytes of a delivery message carrying one subscription of the event, as the retry queue would receive it. */
function oneDeliveryBytes(event: Record<string, unknown>): number {
  return bodyBytes(queueBody({ kind: DELIVERY_KIND, event, attempt: 2, dueAt: '2026-11-27T10:00:05.000Z', deliveries: [{ subscription: 's00000', firstAttemptAt: '2026-11-27T10:00:00.000Z', lastError: 'HTTP 500' }] }));
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`fan-out re-enqueue failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
