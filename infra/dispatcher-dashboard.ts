import { Aws } from 'aws-cdk-lib';
import { AlarmStatusWidget, Dashboard, GraphWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IAlarm, IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEAD_LETTERED_BY_REASON, METRICS } from '../lambda/core/ports';
import { CIRCUIT_OPENED, DELIVERY_LATENCY, METRIC_PERIOD, functionMetric, sumOf, unsettledRecordsMetric } from './dispatcher-metrics';

/** What {@link DispatcherDashboard} shows. */
export interface DispatcherDashboardProps {
  readonly queue: IQueue;
  readonly retryQueue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly lambdaFunction: IFunction;
  readonly eventSourceMappingIds: readonly string[];
  readonly alarms: readonly IAlarm[];
}

/**
 * One CloudWatch dashboard with the whole pipeline (docs/design.md §12): the alarms' states,
 * deliveries, failures by kind, latency, queue depth and age, breaker openings, and the function's
 * duration and concurrency.
 */
export class DispatcherDashboard extends Construct {
  public readonly dashboard: Dashboard;
  /** The dashboard in the CloudWatch console. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: DispatcherDashboardProps) {
    super(scope, id);
    const { queue, retryQueue, deadLetterQueue, lambdaFunction } = props;
    const queues: [string, IQueue][] = [['events', queue], ['retries', retryQueue], ['dead letters', deadLetterQueue]];
    const maximum = { period: METRIC_PERIOD, statistic: 'Maximum' };
    this.dashboard = new Dashboard(this, 'Resource');
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 3 }));
    this.dashboard.addWidgets(
      graph('Deliveries', [
        functionMetric(METRICS.delivered, 'Sum', 'delivered'),
        functionMetric(METRICS.retried, 'Sum', 'retry scheduled'),
        functionMetric(METRICS.deferred, 'Sum', 'deferred (no time left)'),
        functionMetric(METRICS.dropped, 'Sum', 'dropped (subscription gone or disabled)'),
      ]),
      graph('Failures by kind', [
        functionMetric(DEAD_LETTERED_BY_REASON.permanent, 'Sum', 'receiver: permanent'),
        functionMetric(DEAD_LETTERED_BY_REASON.exhausted, 'Sum', 'receiver: exhausted'),
        functionMetric(DEAD_LETTERED_BY_REASON['invalid-event'], 'Sum', 'system: invalid event'),
        sumOf('system: records not processed', props.eventSourceMappingIds.map((mappingId, index) => unsettledRecordsMetric(mappingId, `queue ${index + 1}`))),
        functionMetric(METRICS.failed, 'Sum', 'failed attempts (retried or not)'),
      ]),
      graph('Delivery latency (ms)', [functionMetric(DELIVERY_LATENCY, 'p50', 'p50'), functionMetric(DELIVERY_LATENCY, 'p99', 'p99')]),
    );
    this.dashboard.addWidgets(
      graph(
        'Queue depth',
        queues.flatMap(([name, q]): IMetric[] => [
          q.metricApproximateNumberOfMessagesVisible({ ...maximum, label: `${name}: visible` }),
          q.metricApproximateNumberOfMessagesNotVisible({ ...maximum, label: `${name}: in flight` }),
        ]).concat(retryQueue.metric('ApproximateNumberOfMessagesDelayed', { ...maximum, label: 'retries: delayed' })),
      ),
      graph('Oldest message age (s)', queues.map(([name, q]) => q.metricApproximateAgeOfOldestMessage({ ...maximum, label: name }))),
      graph('Circuit breaker openings', [functionMetric(CIRCUIT_OPENED, 'Sum', 'opened')]),
    );
    this.dashboard.addWidgets(
      graph('Function duration (ms)', [
        lambdaFunction.metricDuration({ period: METRIC_PERIOD, statistic: 'p50', label: 'p50' }),
        lambdaFunction.metricDuration({ period: METRIC_PERIOD, statistic: 'p99', label: 'p99' }),
      ]),
      graph('Function concurrency and throttles', [
        lambdaFunction.metric('ConcurrentExecutions', { ...maximum, label: 'concurrent executions' }),
        lambdaFunction.metricThrottles({ period: METRIC_PERIOD, statistic: 'Sum', label: 'throttles' }),
        lambdaFunction.metricErrors({ period: METRIC_PERIOD, statistic: 'Sum', label: 'errors' }),
      ]),
    );
    // The commercial partition's console; in China or GovCloud, open the dashboard from that partition's console.
    this.url = `https://console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${this.dashboard.dashboardName}`;
  }
}

function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: 8, height: 6 });
}
