import type { Template } from 'aws-cdk-lib/assertions';
import type { PlatformWebhooksStack } from '../../infra/platform-webhooks-stack';
import { STACK_OUTPUTS } from '../../infra/stack-outputs';
import { logicalId, synthStack, text } from './synth-stack';

interface Widget {
  readonly type: string;
  readonly properties: { readonly title: string; readonly metrics?: unknown[][]; readonly alarms?: string[] };
}

/** A metric line of a graph widget: `[namespace, name, dimension, value, …, { options }]` or `[{ expression }]`. */
function describeLine(line: unknown[]): string {
  const parts = line.filter((part) => typeof part === 'string' || (typeof part === 'object' && part !== null && !('label' in part) && !('expression' in part)));
  const options = line.find((part) => typeof part === 'object' && part !== null && ('stat' in part || 'expression' in part)) as { stat?: string; expression?: string } | undefined;
  return options?.expression ?? `${parts.map(text).join(' ')}${options?.stat ? ` ${options.stat}` : ''}`;
}

describe('DispatcherDashboard', () => {
  let stack: PlatformWebhooksStack;
  let template: Template;
  let widgets: Widget[];

  beforeAll(() => {
    ({ stack, template } = synthStack());
    const body = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody;
    // The body is JSON joined with tokens: rendered as text, each token becomes `${LogicalId…}`.
    widgets = (JSON.parse(text(body).replaceAll('${AWS::Region}', 'eu-west-1')) as { widgets: Widget[] }).widgets;
  });

  /** Each line of the widget titled `title`, described as text. */
  function lines(title: string): string[] {
    const widget = widgets.find((candidate) => candidate.properties.title === title);
    expect(widget).toBeDefined();
    return (widget!.properties.metrics ?? []).map(describeLine);
  }

  it('is one dashboard whose URL is a stack output', () => {
    // Assess
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const url = text(template.toJSON().Outputs[STACK_OUTPUTS.dashboardUrl].Value);
    expect(url).toBe(`https://console.aws.amazon.com/cloudwatch/home?region=\${AWS::Region}#dashboards/dashboard/\${${logicalId(stack, stack.dispatcher.dashboard.dashboard)}}`);
  });

  it('shows the state of every alarm', () => {
    // Act
    const status = widgets.find((widget) => widget.type === 'alarm');
    // Assess
    expect(status?.properties.alarms).toHaveLength(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length);
  });

  it('graphs deliveries, and failures by kind: receivers\' dead letters apart from the system\'s', () => {
    // Assess
    expect(lines('Deliveries')).toEqual([
      'PlatformWebhooks Delivered service platform-webhooks Sum',
      'PlatformWebhooks Retried service platform-webhooks Sum',
      'PlatformWebhooks Deferred service platform-webhooks Sum',
      'PlatformWebhooks Dropped service platform-webhooks Sum',
    ]);
    expect(lines('Failures by kind')).toEqual([
      'PlatformWebhooks DeadLetteredPermanent service platform-webhooks Sum',
      'PlatformWebhooks DeadLetteredExhausted service platform-webhooks Sum',
      'PlatformWebhooks DeadLetteredInvalidEvent service platform-webhooks Sum',
      'FILL(m0, 0) + FILL(m1, 0)',
      expect.stringMatching(/^AWS\/Lambda FailedInvokeEventCount EventSourceMappingUUID \$\{\w+\} Sum$/),
      expect.stringMatching(/^AWS\/Lambda FailedInvokeEventCount EventSourceMappingUUID \$\{\w+\} Sum$/),
      'PlatformWebhooks Failed service platform-webhooks Sum',
    ]);
  });

  it('graphs the delivery latency at p50 and p99', () => {
    // Assess
    expect(lines('Delivery latency (ms)')).toEqual([
      'PlatformWebhooks DeliveryLatency service platform-webhooks p50',
      'PlatformWebhooks DeliveryLatency service platform-webhooks p99',
    ]);
  });

  it('graphs the depth and the oldest message of the events, retry and dead-letter queues', () => {
    // Prepare
    const { queue, retryQueue, deadLetterQueue } = stack.dispatcher;
    const names = [queue, retryQueue, deadLetterQueue].map((q) => `\${${logicalId(stack, q)}.QueueName}`);
    // Act
    const depth = lines('Queue depth');
    const age = lines('Oldest message age (s)');
    // Assess
    for (const name of names) {
      expect(depth).toContain(`AWS/SQS ApproximateNumberOfMessagesVisible QueueName ${name} Maximum`);
      expect(age).toContain(`AWS/SQS ApproximateAgeOfOldestMessage QueueName ${name} Maximum`);
    }
    expect(depth).toContain(`AWS/SQS ApproximateNumberOfMessagesDelayed QueueName ${names[1]} Maximum`);
  });

  it('graphs circuit breaker openings, and the function\'s duration and concurrency', () => {
    // Prepare
    const fn = `\${${logicalId(stack, stack.dispatcher.lambdaFunction)}}`;
    // Assess
    expect(lines('Circuit breaker openings')).toEqual(['PlatformWebhooks CircuitOpened service platform-webhooks Sum']);
    expect(lines('Function duration (ms)')).toEqual([`AWS/Lambda Duration FunctionName ${fn} p50`, `AWS/Lambda Duration FunctionName ${fn} p99`]);
    expect(lines('Function concurrency and throttles')).toContain(`AWS/Lambda ConcurrentExecutions FunctionName ${fn} Maximum`);
  });
});
