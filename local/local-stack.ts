import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';

import { LOCAL_LOG_GROUP_NAME } from '../cli/aws-context';
import { createSubscriptionStore } from '../lambda/adapters/subscription-store';
import { eventCatalogue } from '../lambda/core/inbound/events';
import { loadConfig } from '../lambda/config';
import type { Config } from '../lambda/config';
import type { Log } from '../lambda/core/ports';
import { AWS_CLIENT_OPTIONS, createDependencies, createHandler } from '../lambda/handler';
import { createAwsRouter } from './aws-router';
import { startDemoReceiver } from './demo-receiver';
import type { ReceivedDelivery } from './demo-receiver';
import { EventSourcePoller } from './event-source-poller';
import { logLevelOf } from './console-log';
import { createFauxqsHandler } from './fauxqs-handler';
import { createFunctionLog } from './function-log';
import { closeServer, listenOnLoopback, LOOPBACK } from './listen-on-loopback';
import { loadFauxqs } from './load-fauxqs';
import type { FauxqsModule } from './load-fauxqs';
import { createLocalQueues, LOCAL_QUEUE_SETTINGS } from './local-queues';
import { localFunctionEnv } from './local-function-env';
import { LocalStackError } from './local-stack-errors';
import { DEFAULT_LOG_STORE_BYTES, LogStore } from './log-store';
import { createLogsRequestHandler } from './logs-protocol';
import { ParameterStore } from './parameter-store';
import { createSsmRequestHandler } from './ssm-protocol';
import { subscriptionSecret } from './subscription-secret';
import { describeError } from '../lambda/core/errors';

export const LOCAL_STACK_DEFAULTS = { port: 4566, receiverPort: 4567, dataDir: '.platform-webhooks', logsMaxBytes: DEFAULT_LOG_STORE_BYTES } as const;

/** Long-polling wait of the event source, seconds: short, so that stopping waits at most this long for a poll. */
const POLL_WAIT_SECONDS = 1;
const SILENT: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface LocalStackOptions {
  /** Port of the AWS endpoint on 127.0.0.1; default 4566, 0 picks a free one. */
  readonly port?: number;
  /** Port of the demo receiver on 127.0.0.1; default 4567, 0 picks a free one. */
  readonly receiverPort?: number;
  /** Where the Parameter Store and CloudWatch Logs stand-ins keep their data files (created if missing); default `.platform-webhooks`. */
  readonly dataDir?: string;
  /** The most bytes of the function's log kept (the oldest lines go first); default 64 MiB. */
  readonly logsMaxBytes?: number;
  /**
   * The environment the function's configuration is read from, as the deployed function's
   * (see `localFunctionEnv`). Default `process.env`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the handler's log is shown (it is kept in the CloudWatch Logs stand-in as well); default nowhere. */
  readonly log?: Log;
  /** Called for each delivery the demo receiver gets. */
  readonly onDelivery?: (delivery: ReceivedDelivery) => void;
  /** Loads `fauxqs`; default a dynamic `import()` (tests under jest pass their own). */
  readonly loadFauxqs?: () => Promise<FauxqsModule>;
}

/** What the in-memory queues still held when the stack stopped, and so discarded (fauxqs keeps nothing). */
export interface DiscardedMessages {
  readonly deadLetters: number;
  /** Events waiting in the events queue and deliveries waiting in the retry queue. */
  readonly pending: number;
}

/** A running local stack. */
export interface LocalStack {
  /** The one endpoint for SQS, SSM and CloudWatch Logs, `http://127.0.0.1:<port>`: set it as `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  /** The events queue, `<endpoint>/000000000000/platform-webhooks-events`. */
  readonly queueUrl: string;
  /** The internal retry queue, `<endpoint>/000000000000/platform-webhooks-retries` (docs/design.md §4). */
  readonly retryQueueUrl: string;
  /** The dead-letter queue, `<endpoint>/000000000000/platform-webhooks-dlq`. */
  readonly dlqUrl: string;
  /** The demo receiver, `http://127.0.0.1:<port>`; subscriptions target `<receiverUrl>/<name>`. */
  readonly receiverUrl: string;
  /** The Parameter Store's state (subscriptions live here). */
  readonly store: ParameterStore;
  /** The Parameter Store's data file. */
  readonly dataFile: string;
  /** The CloudWatch Logs stand-in's state: the function's log lines, in {@link LOCAL_LOG_GROUP_NAME}. */
  readonly logs: LogStore;
  /** The log group of the local function (docs/design.md §11). */
  readonly logGroup: string;
  /** The function's configuration, as the handler runs with it. */
  readonly config: Config;
  /** SDK clients pointed at the endpoint. */
  readonly clients: { readonly sqs: SQSClient; readonly ssm: SSMClient };
  /**
   * Stops polling after the batch in progress, then closes everything and flushes the data file.
   * Resolves with what the queues held then (zero counts when they could not be read). Idempotent.
   */
  stop(): Promise<DiscardedMessages>;
}

/**
 * Starts the whole pipeline on loopback: one endpoint serving SQS (fauxqs) and the Parameter Store
 * stand-in, the events queue, retry queue and DLQ with the deployed stack's redrive settings, the
 * real handler run by an event source per queue that behaves like Lambda's, and a receiver that
 * prints what it gets.
 * @throws PortInUseError when a port is taken; LocalStackError when the data directory cannot be
 *   made; ConfigurationError on a bad environment; ParameterDataFileError on an unreadable data
 *   file. What was started is stopped first.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const cleanup: Array<() => unknown> = [];
  let discarded: DiscardedMessages = { deadLetters: 0, pending: 0 };
  const stopAll = async (): Promise<DiscardedMessages> => {
    for (const step of cleanup.splice(0).reverse()) await step();
    return discarded;
  };
  try {
    const dataDir = options.dataDir ?? LOCAL_STACK_DEFAULTS.dataDir;
    await mkdir(dataDir, { recursive: true }).catch((error: Error) => {
      throw new LocalStackError(`cannot use ${dataDir} as the data directory (${error.message}); pass --data-dir to choose another`, { cause: error });
    });
    const dataFile = join(dataDir, 'parameters.json');
    const store = await ParameterStore.open({ dataFile });
    cleanup.push(() => store.flush());
    const logs = await LogStore.open({ dataFile: join(dataDir, 'logs.jsonl'), maxBytes: options.logsMaxBytes ?? LOCAL_STACK_DEFAULTS.logsMaxBytes });
    cleanup.push(() => logs.close());

    const server = createServer();
    const port = await listenOnLoopback(server, options.port ?? LOCAL_STACK_DEFAULTS.port, 'endpoint');
    cleanup.push(() => closeServer(server));
    const endpoint = `http://${LOOPBACK}:${port}`;
    const fauxqs = await createFauxqsHandler(await (options.loadFauxqs ?? loadFauxqs)(), endpoint);
    cleanup.push(() => fauxqs.close());
    server.on('request', createAwsRouter({ ssm: createSsmRequestHandler(store), logs: createLogsRequestHandler(logs), other: fauxqs.handle }));

    const clientConfig = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const clients = { sqs: new SQSClient(clientConfig), ssm: new SSMClient(clientConfig) };
    cleanup.push(() => clients.sqs.destroy(), () => clients.ssm.destroy());
    const { queueUrl, retryQueueUrl, dlqUrl } = await createLocalQueues(clients.sqs);
    const config = loadConfig(localFunctionEnv(options.env ?? process.env, { queueUrl, retryQueueUrl, dlqUrl }));
    const subscriptions = createSubscriptionStore({ client: clients.ssm, path: config.subscriptionsPath, catalogue: eventCatalogue(config.extraEventTypes) });

    const receiver = await startDemoReceiver({
      port: options.receiverPort ?? LOCAL_STACK_DEFAULTS.receiverPort,
      lookup: (name) => subscriptionSecret(subscriptions, name),
      onDelivery: options.onDelivery ?? (() => undefined),
    });
    cleanup.push(() => receiver.close());

    const functionEnv = options.env ?? process.env;
    const level = logLevelOf(functionEnv.POWERTOOLS_LOG_LEVEL);
    const { log, audit } = createFunctionLog({ store: logs, group: LOCAL_LOG_GROUP_NAME, console: options.log ?? SILENT, level: level === 'silent' ? 'info' : level });
    // The function's own clients, with its time budget (AWS_CLIENT_OPTIONS), as deployed.
    const functionClients = { sqs: new SQSClient({ ...AWS_CLIENT_OPTIONS, ...clientConfig }), ssm: new SSMClient({ ...AWS_CLIENT_OPTIONS, ...clientConfig }) };
    cleanup.push(() => functionClients.sqs.destroy(), () => functionClients.ssm.destroy());
    const deps = createDependencies(config, { ...functionClients, log, audit });
    cleanup.push(() => (deps.http as { close?: () => void }).close?.());
    const handler = createHandler(deps);
    const pollers = [queueUrl, retryQueueUrl].map(
      (url) =>
        new EventSourcePoller({
          client: clients.sqs,
          queueUrl: url,
          handler,
          batchSize: 10,
          waitTimeSeconds: POLL_WAIT_SECONDS,
          functionTimeoutMs: LOCAL_QUEUE_SETTINGS.functionTimeoutSeconds * 1000,
          onError: (error) => log.error('event source: invocation or poll failed; SQS will deliver the batch again', { queue: url, error: describeError(error) }),
        }),
    );
    // Registered before the pollers' stop, so it runs after it: no batch changes the counts any more.
    cleanup.push(async () => {
      discarded = { deadLetters: await countMessages(clients.sqs, dlqUrl), pending: (await countMessages(clients.sqs, queueUrl)) + (await countMessages(clients.sqs, retryQueueUrl)) };
    });
    // One event source per queue, as the stack maps both queues to the function.
    for (const poller of pollers) {
      poller.start();
      cleanup.push(() => poller.stop());
    }

    let stopping: Promise<DiscardedMessages> | undefined;
    return {
      endpoint,
      queueUrl,
      retryQueueUrl,
      dlqUrl,
      receiverUrl: receiver.url,
      store,
      dataFile,
      logs,
      logGroup: LOCAL_LOG_GROUP_NAME,
      config,
      clients,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Visible, in-flight and delayed messages of a queue; 0 when it cannot be read (stopping goes on). */
async function countMessages(sqs: SQSClient, queueUrl: string): Promise<number> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
  try {
    const { Attributes: attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
    return names.reduce((sum, name) => sum + Number(attributes[name] ?? 0), 0);
  } catch {
    return 0;
  }
}
