import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { createTargetGuard } from '../lambda/adapters/target-guard';
import { loadConfig } from '../lambda/config';
import { buildRequest, standardBody } from '../lambda/core/delivery/delivery-request';
import type { PlatformEvent } from '../lambda/core/inbound/events';
import type { DeliveryRequest, HttpSender } from '../lambda/core/ports';
import { deliveryId } from '../lambda/core/delivery/signature';
import { parseSubscription } from '../lambda/core/subscriptions/subscriptions';
import type { Subscription } from '../lambda/core/subscriptions/subscriptions';
import { createDependencies, createHandler } from '../lambda/handler';
import type { BatchHandler, HandlerDeps } from '../lambda/handler';
import { FUNCTION_CLIENT, HTTP_CLIENTS } from './http-clients';
import type { HttpClientName } from './http-clients';
import { createNaiveHandler } from './naive-dispatch';
import { BENCH_AWS_ENV } from './stand-ins';
import { RECORDS_PER_BATCH, benchContext, benchEvent, sqsBatch, subscriptionName, subscriptionValue } from './workload';

/** Where the handler finds its stand-ins and subscriptions. */
export interface HandlerSetup {
  readonly ssmEndpoint: string;
  readonly sqsEndpoint: string;
  readonly queueUrl: string;
  readonly retryQueueUrl: string;
  readonly dlqUrl: string;
  readonly subscriptionsPath: string;
}

/** Latency samples (ms) and delivered count, shared by every client so they pay the same bookkeeping. */
export class Samples {
  readonly latencies: number[] = [];
  delivered = 0;
  failed = 0;
  record(latencyMs: number, status: number): void {
    this.latencies.push(latencyMs);
    if (status >= 200 && status < 300) this.delivered++;
    else this.failed++;
  }
}

const credentials = { accessKeyId: BENCH_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: BENCH_AWS_ENV.AWS_SECRET_ACCESS_KEY };

/**
 * The real handler, as `createDependencies` builds it for production (audit writer, Powertools
 * metrics, the HTTP sender with the target guard), with only the SDK clients pointed at the
 * stand-ins and its HTTP sender timed by {@link timed}; `env` adds variables of the function
 * (e.g. `BREAKER_FAILURES`). With `http` another of the compared clients replaces the function's
 * own, behind the same guard. The subscription cache is warmed first.
 */
export async function realHandler(
  setup: HandlerSetup,
  samples: Samples,
  tune: (deps: HandlerDeps) => HandlerDeps = (d) => d,
  { env = {}, http = FUNCTION_CLIENT }: { readonly env?: Readonly<Record<string, string>>; readonly http?: HttpClientName } = {},
): Promise<BatchHandler> {
  const config = loadConfig({
    QUEUE_URL: setup.queueUrl,
    RETRY_QUEUE_URL: setup.retryQueueUrl,
    DLQ_URL: setup.dlqUrl,
    SUBSCRIPTIONS_PATH: setup.subscriptionsPath,
    SUBSCRIPTIONS_CACHE_SECONDS: '3600',
    // The receiver listens on 127.0.0.1, which the target guard refuses by default.
    ALLOW_PRIVATE_TARGETS: 'true',
    ...env,
  });
  const ssm = new SSMClient({ endpoint: setup.ssmEndpoint, region: 'us-east-1', credentials });
  const sqs = new SQSClient({ endpoint: setup.sqsEndpoint, region: 'us-east-1', credentials });
  const sender = http === FUNCTION_CLIENT ? undefined : HTTP_CLIENTS[http].create({ maxSockets: config.deliveryConcurrency, guard: createTargetGuard({ allowPrivateTargets: config.allowPrivateTargets }) });
  const deps = tune(createDependencies(config, { ssm, sqs, ...(sender !== undefined && { http: sender }) }));
  await deps.subscriptions.load();
  return createHandler({ ...deps, http: timed(deps.http, samples) });
}

/** Wraps a sender to record each attempt's latency and status. */
export function timed(sender: HttpSender, samples: Samples): HttpSender {
  return {
    async send(request) {
      const startedAt = performance.now();
      const result = await sender.send(request);
      samples.record(performance.now() - startedAt, result.kind === 'response' ? result.status : 0);
      return result;
    },
  };
}

/** The benchmark's subscriptions as the core parses them. */
export function benchSubscriptions(receiverUrl: string, count: number): Subscription[] {
  return Array.from({ length: count }, (_, i) => {
    const result = parseSubscription(subscriptionName(i), subscriptionValue(receiverUrl, i));
    if (!result.ok) throw new Error(result.errors.join('; '));
    return result.subscription;
  });
}

/** The signed requests of one event to every subscription, exactly as the handler builds them. */
export function benchRequests(subscriptions: readonly Subscription[]): DeliveryRequest[] {
  const event = benchEvent('evt_client') as PlatformEvent;
  const body = standardBody(event);
  return subscriptions.map((subscription) =>
    buildRequest(subscription, event, body, {
      deliveryId: deliveryId(event.id, subscription.name),
      attempt: 1,
      now: Date.now(),
      userAgent: 'platform-webhooks/bench',
      defaultTimeoutMs: 10_000,
    }),
  );
}

/** One batch's worth of POSTs (RECORDS_PER_BATCH × subscriptions), at most `concurrency` in flight. */
export async function sendBatch(requests: readonly DeliveryRequest[], concurrency: number, send: (request: DeliveryRequest) => Promise<void>): Promise<void> {
  const total = RECORDS_PER_BATCH * requests.length;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const request = requests[next++ % requests.length] as DeliveryRequest;
      await send(request);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}

/** An HTTP client of the comparison doing nothing but POST; the function's own is comparison (a). */
export function senderClient(maxSockets: number, samples: Samples, http: HttpClientName = FUNCTION_CLIENT): { send: (request: DeliveryRequest) => Promise<void>; close(): void } {
  const sender = HTTP_CLIENTS[http].create({ maxSockets, guard: createTargetGuard({ allowPrivateTargets: true }) });
  const timedSender = timed(sender, samples);
  return { send: async (request) => void (await timedSender.send(request)), close: () => sender.close() };
}

/** A bare undici Pool and its `request` API, no guard, no timers (comparison (b)). */
export function poolClient(origin: string, connections: number, samples: Samples): { send: (request: DeliveryRequest) => Promise<void>; close(): void } {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  return {
    async send(request) {
      const startedAt = performance.now();
      const { statusCode, body } = await pool.request({ path: new URL(request.url).pathname, method: 'POST', headers: request.headers, body: request.body });
      await body.dump();
      samples.record(performance.now() - startedAt, statusCode);
    },
    close: () => void pool.close(),
  };
}

/** autocannon against one receiver path with the same body and headers (comparison (c): the receiver's ceiling). */
export async function autocannonRun(request: DeliveryRequest, connections: number, seconds: number): Promise<{ rate: number; p50: number; p99: number; errors: number; cpuMicros: number }> {
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({ url: request.url, method: 'POST', headers: { ...request.headers }, body: request.body, connections, duration: seconds });
  const cpu = process.cpuUsage(cpuBefore);
  return { rate: result.requests.total / (result.duration || seconds), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx, cpuMicros: cpu.user + cpu.system };
}

/** The naive baseline over the benchmark subscriptions. */
export function naiveClient(receiverUrl: string, count: number, samples: Samples, maxDeliveries?: number): (batch: number) => Promise<number> {
  const subscriptions = benchSubscriptions(receiverUrl, count);
  const naive = createNaiveHandler(subscriptions, { onDelivery: (ms, status) => samples.record(ms, status), ...(maxDeliveries !== undefined && { maxDeliveries }) });
  return async (batch) => (await naive(sqsBatch(batch))).deliveries;
}

/** Invokes the handler with batch number `batch` and fails loudly if any record was not settled. */
export async function invoke(handler: BatchHandler, batch: number): Promise<void> {
  const response = await handler(sqsBatch(batch), benchContext());
  if (response.batchItemFailures.length > 0) throw new Error(`${response.batchItemFailures.length} records not settled in batch ${batch}`);
}
