import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { DeliveryMetrics, MetricName } from '../core/ports';

/** The function's metrics, published at the end of each invocation. */
export interface InvocationMetrics extends DeliveryMetrics {
  /** Adds the invocation's counts and publishes everything stored as EMF (one line). */
  publish(): void;
}

/**
 * The function's metrics over Powertools Metrics (CloudWatch EMF, published once per invocation):
 * counts are summed in the invocation and added once each when it publishes, rather than one value
 * per delivery; latencies stay one value each, for the percentiles of the dashboard
 * (docs/design.md §12).
 */
export function metricsPerInvocation(metrics: Metrics): InvocationMetrics {
  let counts = new Map<MetricName, number>();
  return {
    count(name, value = 1) {
      counts.set(name, (counts.get(name) ?? 0) + value);
    },
    latency: (milliseconds) => metrics.addMetric('DeliveryLatency', MetricUnit.Milliseconds, milliseconds),
    publish() {
      const summed = counts;
      counts = new Map();
      for (const [name, value] of summed) metrics.addMetric(name, MetricUnit.Count, value);
      metrics.publishStoredMetrics();
    },
  };
}
