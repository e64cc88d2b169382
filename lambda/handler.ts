import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { auditToLog } from './adapters/audit-to-log';
import { createAuditWriter } from './adapters/audit-writer';
import { metricsPerInvocation } from './adapters/invocation-metrics';
import { boundedRetryStrategy } from './adapters/bounded-retry-strategy';
import { createHttpSender } from './adapters/http-sender';
import { patientSubscriptionSource } from './adapters/patient-subscriptions';
import { createSqsDeliveryQueue } from './adapters/sqs-queue';
import { createSsmSubscriptionSource } from './adapters/ssm-subscriptions';
import { createTargetGuard } from './adapters/target-guard';
import { loadConfig } from './config';
import type { Config } from './config';
import { AWS_CALL_BUDGET } from './core/delivery/call-budget';
import { processRecord } from './core/delivery/dispatch';
import type { DispatcherDeps, QueueRecord } from './core/delivery/dispatcher-deps';
import { createLimiter } from './core/delivery/limiter';
import { createTrafficControl } from './core/delivery/traffic-control';
import { eventCatalogue } from './core/inbound/events';
import type { AuditLog, Clock, HttpSender, Log } from './core/ports';
import { VERSION } from './version';
import { describeError } from './core/errors';

/** The `service` of the function's log lines and metrics. */
const SERVICE_NAME = 'platform-webhooks';

export type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface HandlerDeps extends DispatcherDeps {
  /** Concurrent deliveries per invocation. */
  readonly concurrency: number;
  /**
   * The retry queue (docs/design.md §4): a delivery message is trusted only from the queue this URL
   * names (matched against each record's `eventSourceARN`); without it, none is.
   */
  readonly retryQueueUrl?: string;
  /** Called at the end of each invocation, e.g. to publish metrics. */
  readonly flush?: () => void;
}

/**
 * The batch handler over given dependencies: each SQS record is settled by the core; only records
 * that could not be settled are reported in `batchItemFailures` (an unexpected error fails that
 * record alone, never the batch silently).
 */
export function createHandler(deps: HandlerDeps): BatchHandler {
  return async (event, context) => {
    // One processor per invocation: it holds the batch's records and results, so a shared one would
    // mix up the answers of invocations that overlap (the local stack feeds one handler from two queues).
    const processor = new BatchProcessor(EventType.SQS);
    const batch = {
      limit: createLimiter(deps.concurrency),
      deadline: deps.clock.now() + context.getRemainingTimeInMillis(),
    };
    const settle = async (record: SQSRecord): Promise<void> => {
      try {
        await processRecord(queueRecord(record, deps.retryQueueUrl), batch, deps);
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
 * Every SQS and SSM client of the function is built with these (docs/design.md §5): timeouts that
 * throw (without `throwOnRequestTimeout` the SDK only logs a warning and waits on), and a retry
 * budget, so that one call takes at most `AWS_CALL_MAX_MS`, which the settle margin is made of.
 */
export const AWS_CLIENT_OPTIONS = {
  maxAttempts: AWS_CALL_BUDGET.maxAttempts,
  retryStrategy: boundedRetryStrategy(AWS_CALL_BUDGET.maxAttempts, AWS_CALL_BUDGET.retryDelayMs),
  requestHandler: {
    connectionTimeout: AWS_CALL_BUDGET.connectionTimeoutMs,
    requestTimeout: AWS_CALL_BUDGET.requestTimeoutMs,
    // An answer that stalls after its headers is cut off as well.
    socketTimeout: AWS_CALL_BUDGET.requestTimeoutMs,
    throwOnRequestTimeout: true,
  },
} as const;

/** Clients and seams the local stack and tests replace; everything else is built from the config. */
export interface DependencyOverrides {
  readonly ssm?: SSMClient;
  readonly sqs?: SQSClient;
  readonly http?: HttpSender;
  readonly log?: Log;
  /** The audit trail (docs/design.md §11); default: lines of `log` when `log` is given, else the deployed writer (`createAuditWriter`). */
  readonly audit?: AuditLog;
  readonly clock?: Clock;
  readonly random?: () => number;
}

/** Builds the production dependencies: SDK clients, pooled HTTP sender, Powertools logger and metrics. */
export function createDependencies(config: Config, overrides: DependencyOverrides = {}): HandlerDeps {
  const metrics = new Metrics({ serviceName: SERVICE_NAME, namespace: 'PlatformWebhooks' });
  const invocationMetrics = metricsPerInvocation(metrics);
  const clock = overrides.clock ?? { now: () => Date.now() };
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const log = overrides.log ?? powertoolsLog(logger);
  // The audit trail follows `log` when one is given (the local stack, tests); deployed, it is written as Powertools' lines without its formatting path.
  const writer = overrides.audit === undefined && overrides.log === undefined ? createAuditWriter({ logger, serviceName: SERVICE_NAME }) : undefined;
  const audit = overrides.audit ?? writer ?? auditToLog(log);
  // loadConfig has checked every extra type by the same rule (lambda/settings.ts).
  const catalogue = eventCatalogue(config.extraEventTypes);
  return {
    subscriptions: patientSubscriptionSource(
      createSsmSubscriptionSource({
        client: overrides.ssm ?? new SSMClient(AWS_CLIENT_OPTIONS),
        path: config.subscriptionsPath,
        cacheSeconds: config.subscriptionsCacheSeconds,
        clock,
        log,
        catalogue,
      }),
      { clock },
    ),
    queue: createSqsDeliveryQueue({ client: overrides.sqs ?? new SQSClient(AWS_CLIENT_OPTIONS), retryQueueUrl: config.retryQueueUrl, deadLetterQueueUrl: config.deadLetterQueueUrl }),
    http:
      overrides.http ??
      createHttpSender({
        maxSockets: config.deliveryConcurrency,
        guard: createTargetGuard({ allowPrivateTargets: config.allowPrivateTargets, allowPrivateNetworkTargets: config.allowPrivateNetworkTargets, allowedCidrs: config.allowedTargetCidrs }),
      }),
    clock,
    random: overrides.random ?? Math.random,
    log,
    audit,
    metrics: invocationMetrics,
    traffic: createTrafficControl({
      breaker: { failures: config.breakerFailures, cooldownMs: config.breakerCooldown * 1000 },
      containers: config.functionMaxConcurrency,
    }),
    config: {
      retrySchedule: config.retrySchedule,
      defaultTimeoutMs: config.deliveryTimeoutMs,
      userAgent: `platform-webhooks/${VERSION}`,
      catalogue,
      ...(config.cloudEventsTypePrefix !== undefined && { cloudEventsTypePrefix: config.cloudEventsTypePrefix }),
    },
    concurrency: config.deliveryConcurrency,
    retryQueueUrl: config.retryQueueUrl,
    flush: () => {
      writer?.flush();
      invocationMetrics.publish();
    },
  };
}

let instance: BatchHandler | undefined;

/** The Lambda entry (docs/design.md §5): configuration and clients are built once per container, on first use. */
export const handler: BatchHandler = (event, context) => {
  instance ??= createHandler(createDependencies(loadConfig(process.env)));
  return instance(event, context);
};

/** The record as the core takes it, with the queue it came from. */
function queueRecord(record: SQSRecord, retryQueueUrl: string | undefined): QueueRecord {
  const queue = queueOfArn(record.eventSourceARN);
  const retryQueue = retryQueueUrl === undefined ? undefined : queueOfUrl(retryQueueUrl);
  const fromRetryQueue = queue !== undefined && retryQueue !== undefined && queue.name === retryQueue.name && queue.account === retryQueue.account;
  return { messageId: record.messageId, body: record.body, sentAt: sentAt(record), fromRetryQueue, ...(queue !== undefined && { queueName: queue.name }) };
}

/**
 * The account and name of a queue, from its ARN (`arn:aws:sqs:<region>:<account>:<name>`) or its
 * URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html
 */
function queueOfArn(arn: string | undefined): { account: string; name: string } | undefined {
  const parts = (arn ?? '').split(':');
  return parts.length === 6 && parts[0] === 'arn' && parts[2] === 'sqs' ? { account: parts[4] ?? '', name: parts[5] ?? '' } : undefined;
}

function queueOfUrl(url: string): { account: string; name: string } | undefined {
  const [account, name] = url.replace(/\/+$/, '').split('/').slice(-2);
  return account !== undefined && name !== undefined ? { account, name } : undefined;
}

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


