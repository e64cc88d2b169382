import { auditToLog } from '../../../lambda/adapters/audit-to-log';
import type { SQSBatchResponse } from 'aws-lambda';
import { createHttpSender } from '../../../lambda/adapters/http-sender';
import { createTargetGuard } from '../../../lambda/adapters/target-guard';
import type { TargetGuardOptions } from '../../../lambda/adapters/target-guard';
import { createHandler } from '../../../lambda/handler';
import type { Subscription } from '../../../lambda/core/subscriptions/subscriptions';
import { lambdaContext } from '../../../local/lambda-context';
import { capturingLog, countingMetrics, dispatcherConfig, fakeQueue, fakeSubscriptionSource, publishedEvent, sqsRecord, trafficControl } from '../../support/factories';

/**
 * The real handler and the real HTTP sender behind the given target guard, over in-memory
 * subscriptions and a recording queue: the delivery path of production minus SQS and SSM.
 */
export function guardedHandler(options: { subscriptions: readonly Subscription[]; guard: TargetGuardOptions }) {
  const queue = fakeQueue();
  const log = capturingLog();
  const http = createHttpSender({ maxSockets: 4, guard: createTargetGuard(options.guard) });
  const handler = createHandler({
    subscriptions: fakeSubscriptionSource(options.subscriptions),
    queue,
    http,
    clock: { now: () => Date.now() },
    random: () => 0.5,
    log,
    audit: auditToLog(log),
    metrics: countingMetrics(),
    traffic: trafficControl(),
    config: dispatcherConfig({ defaultTimeoutMs: 2000 }),
    concurrency: 4,
  });
  return {
    queue,
    log,
    /** Publishes one `experiments.succeeded` event through the handler. */
    publish: (): Promise<SQSBatchResponse> => handler({ Records: [sqsRecord(publishedEvent())] }, lambdaContext(60_000)),
    close: () => http.close(),
  };
}
