import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS } from '../lambda/core/ports';

/** Where the function publishes its metrics (Powertools Metrics, EMF): the namespace and the `service` dimension. */
export const FUNCTION_METRICS = { namespace: 'PlatformWebhooks', service: 'platform-webhooks' } as const;

/** Counted when a subscription's circuit breaker opens (docs/design.md §10). */
export const CIRCUIT_OPENED = METRICS.circuitOpened;

/** Each delivery's latency in milliseconds. */
export const DELIVERY_LATENCY = 'DeliveryLatency';

/** Period of every alarm and of the dashboard's graphs. */
export const METRIC_PERIOD = Duration.minutes(5);

/** A metric the function publishes, `name` from `METRICS`/`DEAD_LETTERED_BY_REASON` (lambda/core/ports.ts). */
export function functionMetric(name: string, statistic = 'Sum', label?: string): Metric {
  return new Metric({
    namespace: FUNCTION_METRICS.namespace,
    metricName: name,
    dimensionsMap: { service: FUNCTION_METRICS.service },
    statistic,
    period: METRIC_PERIOD,
    label,
  });
}

/**
 * The sum of `metrics` per period, a missing series counting as 0 (a count the function publishes
 * only when it happens has no data point otherwise).
 */
export function sumOf(label: string, metrics: readonly IMetric[]): MathExpression {
  const usingMetrics = Object.fromEntries(metrics.map((metric, index) => [`m${index}`, metric]));
  return new MathExpression({
    expression: Object.keys(usingMetrics).map((id) => `FILL(${id}, 0)`).join(' + '),
    usingMetrics,
    label,
    period: METRIC_PERIOD,
  });
}

/**
 * Records the event source mapping handed to the function that came back in `batchItemFailures`
 * (or with a failed invocation): records the function could not settle. SQS receives each again,
 * and after `maxReceiveCount` receives moves it to the DLQ without passing through the function.
 * Published only with the mapping's `EventCount` metrics turned on, at no charge.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
export function unsettledRecordsMetric(eventSourceMappingId: string, label: string): Metric {
  return new Metric({
    namespace: 'AWS/Lambda',
    metricName: 'FailedInvokeEventCount',
    dimensionsMap: { EventSourceMappingUUID: eventSourceMappingId },
    statistic: 'Sum',
    period: METRIC_PERIOD,
    label,
  });
}
