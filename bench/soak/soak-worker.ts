/**
 * A soak worker process: hosts `pollers` "Lambda containers", each the real handler built by
 * `createDependencies` over its own SDK clients (with the function's time budget) and caches,
 * invoked by a local event-source poller of each queue (events and retries), as the stack maps both
 * queues to the function; a container takes one batch at a time, from either queue in turn, as a
 * Lambda container runs one invocation at a time. Faults are injected by wrapping, never by changing the handler:
 * invocations crash at random mid-batch (`crashingHandler`) and re-enqueue sends fail at random
 * (`injectSendFaults`).
 * The orchestrator starts it with its configuration in SOAK_WORKER and kills it with SIGKILL.
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { loadConfig } from '../../lambda/config';
import { parseSchedule } from '../../lambda/core/delivery/retry-policy';
import type { Log, LogFields } from '../../lambda/core/ports';
import { AWS_CLIENT_OPTIONS, createDependencies } from '../../lambda/handler';
import type { BatchHandler } from '../../lambda/handler';
import { EventSourcePoller } from '../../local/event-source-poller';
import { crashingHandler } from './crash-injection';
import { seededRandom } from './seeded-random';
import { timePages } from './page-timer';
import type { PageTimes } from './page-timer';
import { injectSendFaults } from './send-faults';
import type { SoakWorkerConfig, WorkerMessage } from './worker-pool';

const config = JSON.parse(process.env.SOAK_WORKER ?? 'null') as SoakWorkerConfig | null;
if (config === null) throw new Error('SOAK_WORKER is not set: soak workers are started by bench/soak/run-soak.ts');

const report = (message: WorkerMessage): void => {
  if (process.connected) process.send?.(message);
};

/** Warnings, errors, drops and deferrals the handler logged, by message: the faults' visible effects. */
const effects: Record<string, number> = {};
const trace = config.traceDir === undefined ? undefined : createWriteStream(path.join(config.traceDir, `worker-${process.pid}.jsonl`), { flags: 'a' });
const count = (message: string, fields?: LogFields): void => {
  effects[message] = (effects[message] ?? 0) + 1;
  trace?.write(`${JSON.stringify({ at: Date.now(), message, ...fields })}\n`);
};
// Drops and deferrals are logged at INFO; they are outcomes the report should show too.
const log: Log = {
  debug: () => undefined,
  info: (message, fields) => (fields?.outcome === 'dropped' || fields?.outcome === 'deferred' ? count(message, fields) : undefined),
  warn: count,
  error: count,
};

// The soak compresses time: its retry schedule is below the 1 s a deployment accepts, so it bypasses that bound.
const lambdaConfig = {
  ...loadConfig({
    QUEUE_URL: config.queueUrl,
    RETRY_QUEUE_URL: config.retryQueueUrl,
    DLQ_URL: config.dlqUrl,
    SUBSCRIPTIONS_PATH: config.subscriptionsPath,
    SUBSCRIPTIONS_CACHE_SECONDS: String(config.cacheSeconds),
    DELIVERY_TIMEOUT_MS: '1000',
    ALLOW_PRIVATE_TARGETS: 'true',
    // The circuit breaker's cool-down compressed as far as it goes, like the retry schedule.
    BREAKER_COOLDOWN: '1s',
  }),
  retrySchedule: parseSchedule(config.retrySchedule),
};

/** Each container's answered GetParametersByPath calls, their time and its refresh starts. */
const pageTimes: PageTimes[] = [];

const containers = Array.from({ length: config.pollers }, (_, index) => {
  const random = seededRandom(config.seed * 97 + index);
  // The function's clients, with its time budget, as in Lambda.
  const sqs = new SQSClient({ ...AWS_CLIENT_OPTIONS, endpoint: config.endpoint, region: 'us-east-1' });
  injectSendFaults(sqs, { queueUrl: config.retryQueueUrl, rate: config.sendFailureRate, random, onFault: () => report({ kind: 'fault', fault: 'send-failure' }) });
  const ssm = new SSMClient({ ...AWS_CLIENT_OPTIONS, endpoint: config.endpoint, region: 'us-east-1' });
  pageTimes.push(timePages(ssm));
  const deps = createDependencies(lambdaConfig, { sqs, ssm, log, random });
  const handler = crashingHandler({ ...deps, flush: undefined }, { rate: config.crashRate, random, onCrash: () => report({ kind: 'fault', fault: 'crash' }) });
  const receiver = new SQSClient({ endpoint: config.endpoint, region: 'us-east-1' });
  return [config.queueUrl, config.retryQueueUrl].map(
    (queueUrl) =>
      new EventSourcePoller({
        client: receiver,
        queueUrl,
        handler: trace === undefined ? handler : timed(handler),
        waitTimeSeconds: 1,
        functionTimeoutMs: config.functionTimeoutMs,
        onError: (error) => count(`invocation or poll failed: ${(error as Error).name}`),
      }),
  );
});

let running = true;

/** One container's loop: a batch from the events queue, then one from the retry queue, and again. */
async function serve(pollers: readonly EventSourcePoller[]): Promise<void> {
  while (running) {
    for (const poller of pollers) {
      try {
        await poller.pollOnce();
      } catch (error) {
        count(`invocation or poll failed: ${(error as Error).name}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

/** In trace mode, the handler with each invocation's size and duration traced. */
function timed(handler: BatchHandler): BatchHandler {
  return async (event, context) => {
    const startedAt = Date.now();
    try {
      return await handler(event, context);
    } finally {
      trace?.write(`${JSON.stringify({ at: startedAt, message: 'invocation', records: event.Records.length, ms: Date.now() - startedAt })}\n`);
    }
  };
}

const loops = containers.map(serve);
const ticker = setInterval(() => report({ kind: 'effects', effects, pageTimes }), 500);

/** Stops polling, reports the last counts and exits; the orchestrator's SIGKILL skips all of this. */
async function shutdown(): Promise<void> {
  clearInterval(ticker);
  clearTimeout(lifetime);
  running = false;
  await Promise.race([Promise.all(loops), new Promise((resolve) => setTimeout(resolve, 3000))]);
  report({ kind: 'effects', effects, pageTimes });
  process.exit(0);
}

// Bounded: the worker ends with its orchestrator (the IPC channel closes) or after its lifetime.
const lifetime = setTimeout(() => void shutdown(), config.lifetimeMs);
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => void shutdown());
report({ kind: 'ready' });
