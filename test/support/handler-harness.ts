import { SSMClient } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig } from '../../lambda/config';
import { createDependencies, createHandler } from '../../lambda/handler';
import type { BatchHandler, DependencyOverrides, HandlerDeps } from '../../lambda/handler';
import { EventSourcePoller } from '../../local/event-source-poller';
import type { PollResult } from '../../local/event-source-poller';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import type { ParameterStoreServer } from '../../local/parameter-store-server';
import { capturingLog } from './factories';
import { createQueues, sqsClient } from './queues';
import type { TestQueues } from './queues';
import { startReceiver } from './receiver';
import type { Receiver } from './receiver';

export function ssmClient(endpoint: string): SSMClient {
  return new SSMClient({ endpoint, region: 'us-east-1', maxAttempts: 1 });
}

export interface HarnessOptions extends TestQueues {
  readonly sqs: SQSClient;
  readonly ssm: SSMClient;
  /** Extra environment, e.g. RETRY_SCHEDULE. */
  readonly env?: Record<string, string>;
  readonly functionTimeoutMs?: number;
  /** Jitter source; default 0.5, which makes every delay exactly the scheduled one. */
  readonly random?: () => number;
  /** Other seams of the handler, e.g. a clock. */
  readonly overrides?: Omit<DependencyOverrides, 'ssm' | 'sqs' | 'log' | 'random'>;
}

export interface Harness {
  readonly handler: BatchHandler;
  readonly deps: HandlerDeps;
  readonly log: ReturnType<typeof capturingLog>;
  /** Polls the events queue and the retry queue, one batch each, as Lambda's two event sources would. */
  readonly poller: { pollOnce(): Promise<PollResult> };
  /** The event source of each queue alone. */
  readonly pollers: { readonly events: EventSourcePoller; readonly retries: EventSourcePoller };
  close(): void;
}

/** The real handler over real clients, invoked by the local event-source pollers (one per queue) like Lambda would. */
export function handlerHarness(options: HarnessOptions): Harness {
  const log = capturingLog();
  const config = loadConfig({
    QUEUE_URL: options.queueUrl,
    RETRY_QUEUE_URL: options.retryQueueUrl,
    DLQ_URL: options.dlqUrl,
    SUBSCRIPTIONS_PATH: '/platform-webhooks/subscriptions',
    SUBSCRIPTIONS_CACHE_SECONDS: '0',
    RETRY_SCHEDULE: '1s,1s',
    DELIVERY_TIMEOUT_MS: '1000',
    // The receivers listen on loopback, which the target guard refuses by default (docs/design.md §6).
    ALLOW_PRIVATE_TARGETS: 'true',
    ...options.env,
  });
  const deps = createDependencies(config, { ...options.overrides, ssm: options.ssm, sqs: options.sqs, log, random: options.random ?? (() => 0.5) });
  const handler = createHandler({ ...deps, flush: undefined });
  const poller = (queueUrl: string): EventSourcePoller =>
    new EventSourcePoller({ client: options.sqs, queueUrl, handler, waitTimeSeconds: 0, functionTimeoutMs: options.functionTimeoutMs ?? 60_000 });
  const pollers = { events: poller(options.queueUrl), retries: poller(options.retryQueueUrl) };
  return {
    handler,
    deps,
    log,
    poller: {
      async pollOnce() {
        const events = await pollers.events.pollOnce();
        const retries = await pollers.retries.pollOnce();
        return { received: events.received + retries.received, failed: events.failed + retries.failed };
      },
    },
    pollers,
    close: () => (deps.http as { close?: () => void }).close?.(),
  };
}

/** The real peers the handler talks to in integration tests, all on loopback. */
export interface Peers {
  readonly receiver: Receiver;
  readonly ssmServer: ParameterStoreServer;
  readonly ssm: SSMClient;
  readonly sqs: SQSClient;
  close(): Promise<void>;
}

/** Starts a receiver and the Parameter Store stand-in, with clients for it and for fauxqs. */
export async function startPeers(): Promise<Peers> {
  const receiver = await startReceiver();
  const ssmServer = await startParameterStoreServer({ port: 0 });
  const ssm = ssmClient(ssmServer.endpoint);
  const sqs = sqsClient();
  return {
    receiver,
    ssmServer,
    ssm,
    sqs,
    async close() {
      await receiver.close();
      await ssmServer.close();
      sqs.destroy();
      ssm.destroy();
    },
  };
}

/** The peers of a test file and, per test, fresh queues, a fresh subscriptions path and a harness. */
export interface HandlerTestStack extends Peers {
  readonly queues: TestQueues;
  readonly harness: Harness;
  /** 1 for the first test, then 2, …: the current subscriptions path is the prefix followed by it. */
  readonly testNumber: number;
}

/**
 * Starts the peers before a file's tests and stops them after; before each test, makes fresh queues
 * (named after `name`) and a harness reading `<path><testNumber>`, closed after the test (jest's
 * hooks, registered where this is called).
 */
export function useHandlerTestStack(options: { readonly name: string; readonly path: string; readonly env?: Record<string, string> }): HandlerTestStack {
  let peers: Peers | undefined;
  let queues: TestQueues | undefined;
  let harness: Harness | undefined;
  let testNumber = 0;
  beforeAll(async () => {
    peers = await startPeers();
  });
  afterAll(() => peers?.close());
  beforeEach(async () => {
    testNumber++;
    queues = await createQueues(started(peers).sqs, options.name);
    harness = handlerHarness({ sqs: started(peers).sqs, ssm: started(peers).ssm, ...queues, env: { SUBSCRIPTIONS_PATH: `${options.path}${testNumber}`, ...options.env } });
  });
  afterEach(() => harness?.close());
  return {
    get receiver() { return started(peers).receiver; },
    get ssmServer() { return started(peers).ssmServer; },
    get ssm() { return started(peers).ssm; },
    get sqs() { return started(peers).sqs; },
    get queues() { return started(queues); },
    get harness() { return started(harness); },
    get testNumber() { return testNumber; },
    close: () => started(peers).close(),
  };
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the handler test stack is used outside a test');
  return value;
}

