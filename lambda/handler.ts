import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createNodeHttpSender } from './adapters/http-sender';
import { createSqsDeliveryQueue } from './adapters/sqs-queue';
import { createSsmSubscriptionSource } from './adapters/ssm-subscriptions';
import { createTargetGuard } from './adapters/target-guard';
import { loadConfig } from './config';
import type { Config } from './config';
import { processRecord } from './core/delivery/dispatch';
import type { DispatcherDeps } from './core/delivery/dispatcher-deps';
import { createLimiter } from './core/delivery/limiter';
import type { Clock, DeliveryMetrics, HttpSender, Log } from './core/ports';
import { VERSION } from './version';

export type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface HandlerDeps extends DispatcherDeps {
  /** Concurrent deliveries per invocation. */
  readonly concurrency: number;
  /** Called at the end of each invocation, e.g. to publish metrics. */
  readonly flush?: () => void;
}

/**
 * The batch handler over given dependencies: each SQS record is settled by the core; only records
 * that could not be settled are reported in `batchItemFailures` (an unexpected error fails that
 * record alone, never the batch silently).
 */
export function createHandler(deps: HandlerDeps): BatchHandler {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event, context) => {
    const batch = {
      limit: createLimiter(deps.concurrency),
      deadline: deps.clock.now() + context.getRemainingTimeInMillis(),
    };
    const settle = async (record: SQSRecord): Promise<void> => {
      try {
        await processRecord({ messageId: record.messageId, body: record.body, sentAt: sentAt(record) }, batch, deps);
      } catch (error) {
        deps.log.error('record not settled; SQS will deliver it again', { messageId: record.messageId, error: describeError(error) });
        throw error;
      }
    };
    try {
      return await processPartialResponse(event, settle, processor, { context, throwOnFullBatchFailure: false });
    } finally {
      deps.flush?.();
    }
  };
}

/**
 * Bounds on every SQS and SSM request: without them a stalled call could outlive the invocation
 * (the SDK's own retries still apply), and SQS would redeliver records still being worked on.
 */
export const AWS_CLIENT_OPTIONS = { requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 } } as const;

/** Clients and seams the local stack and tests replace; everything else is built from the config. */
export interface DependencyOverrides {
  readonly ssm?: SSMClient;
  readonly sqs?: SQSClient;
  readonly http?: HttpSender;
  readonly log?: Log;
  readonly clock?: Clock;
  readonly random?: () => number;
}

/** Builds the production dependencies: SDK clients, pooled HTTP sender, Powertools logger and metrics. */
export function createDependencies(config: Config, overrides: DependencyOverrides = {}): HandlerDeps {
  const metrics = new Metrics({ serviceName: 'platform-webhooks', namespace: 'PlatformWebhooks' });
  const clock = overrides.clock ?? { now: () => Date.now() };
  const log = overrides.log ?? powertoolsLog(new Logger({ serviceName: 'platform-webhooks' }));
  return {
    subscriptions: createSsmSubscriptionSource({
      client: overrides.ssm ?? new SSMClient(AWS_CLIENT_OPTIONS),
      path: config.subscriptionsPath,
      cacheSeconds: config.subscriptionsCacheSeconds,
      clock,
      log,
    }),
    queue: createSqsDeliveryQueue({ client: overrides.sqs ?? new SQSClient(AWS_CLIENT_OPTIONS), queueUrl: config.queueUrl, deadLetterQueueUrl: config.deadLetterQueueUrl }),
    http:
      overrides.http ??
      createNodeHttpSender({
        maxSockets: config.deliveryConcurrency,
        guard: createTargetGuard({ allowPrivateTargets: config.allowPrivateTargets, allowPrivateNetworkTargets: config.allowPrivateNetworkTargets, allowedCidrs: config.allowedTargetCidrs }),
      }),
    clock,
    random: overrides.random ?? Math.random,
    log,
    metrics: powertoolsMetrics(metrics),
    config: {
      retrySchedule: config.retrySchedule,
      defaultTimeoutMs: config.deliveryTimeoutMs,
      userAgent: `platform-webhooks/${VERSION}`,
      ...(config.cloudEventsTypePrefix !== undefined && { cloudEventsTypePrefix: config.cloudEventsTypePrefix }),
    },
    concurrency: config.deliveryConcurrency,
    flush: () => metrics.publishStoredMetrics(),
  };
}

let instance: BatchHandler | undefined;

/** The Lambda entry (docs/design.md §5): configuration and clients are built once per container, on first use. */
export const handler: BatchHandler = (event, context) => {
  instance ??= createHandler(createDependencies(loadConfig(process.env)));
  return instance(event, context);
};

function sentAt(record: SQSRecord): number {
  const millis = Number(record.attributes?.SentTimestamp);
  return Number.isFinite(millis) && millis > 0 ? millis : Date.now();
}

function powertoolsLog(logger: Logger): Log {
  return {
    debug: (message, fields) => logger.debug(message, { ...fields }),
    info: (message, fields) => logger.info(message, { ...fields }),
    warn: (message, fields) => logger.warn(message, { ...fields }),
    error: (message, fields) => logger.error(message, { ...fields }),
  };
}

function powertoolsMetrics(metrics: Metrics): DeliveryMetrics {
  return {
    count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
    latency: (milliseconds) => metrics.addMetric('DeliveryLatency', MetricUnit.Milliseconds, milliseconds),
  };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined ? `${error.name}: ${error.message}` : `${error.name}: ${error.message} (cause: ${describeError(error.cause)})`;
}
