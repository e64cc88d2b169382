import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { DEAD_LETTER_EXPIRY_WARNING, OLDEST_MESSAGE_AGE_THRESHOLD } from '../../infra/dispatcher-alarms';
import type { PlatformWebhooksStack } from '../../infra/platform-webhooks-stack';
import { WebhookDispatcher } from '../../infra/webhook-dispatcher';
import { logicalId, synthStack, testApp } from './synth-stack';

type Properties = Record<string, any>;

describe('DispatcherAlarms', () => {
  let stack: PlatformWebhooksStack;
  let template: Template;
  let alarms: Properties[];
  let topics: { system: unknown; receiver: unknown };

  beforeAll(() => {
    ({ stack, template } = synthStack({ alarmEmail: 'ops@example.com', receiverAlarmEmail: 'support@example.com' }));
    alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties as Properties);
    const { topic, receiverTopic } = stack.dispatcher.alarms;
    topics = { system: { Ref: logicalId(stack, topic) }, receiver: { Ref: logicalId(stack, receiverTopic) } };
  });

  /** The one alarm whose name ends with `name`. */
  function alarm(name: string): Properties {
    const found = alarms.filter((properties) => String(properties.AlarmName).endsWith(` ${name}`));
    expect(found).toHaveLength(1);
    return found[0]!;
  }

  /** The metrics of a metric-math alarm, by id: namespace, name, dimensions and statistic. */
  function mathMetrics(properties: Properties): Record<string, { namespace: string; name: string; dimensions: unknown; stat: string }> {
    const queries = properties.Metrics as Properties[];
    return Object.fromEntries(
      queries
        .filter((query) => query.MetricStat !== undefined)
        .map((query) => [query.Id, { namespace: query.MetricStat.Metric.Namespace, name: query.MetricStat.Metric.MetricName, dimensions: query.MetricStat.Metric.Dimensions, stat: query.MetricStat.Stat }]),
    );
  }

  it('notifies one topic on ALARM and on OK, for every alarm, and fires on the first breaching period', () => {
    // Assess
    expect(alarms).toHaveLength(8);
    for (const properties of alarms) {
      expect(properties.OKActions).toEqual(properties.AlarmActions);
      expect(properties.AlarmActions).toHaveLength(1);
      expect(properties).toMatchObject({ EvaluationPeriods: 1, TreatMissingData: 'notBreaching', ComparisonOperator: 'GreaterThanThreshold' });
      expect(properties.AlarmName).toMatch(/^Test-Dispatcher [a-z]/);
      expect(properties.AlarmDescription).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("alarms receivers' owners on new permanent and exhausted dead letters, counted per period, not on the DLQ's depth", () => {
    // Act
    const properties = alarm('receivers refused deliveries');
    const metrics = mathMetrics(properties);
    // Assess
    expect(properties.AlarmActions).toEqual([topics.receiver]);
    expect(properties.Threshold).toBe(0);
    expect(Object.values(metrics)).toEqual([
      { namespace: 'PlatformWebhooks', name: 'DeadLetteredPermanent', dimensions: [{ Name: 'service', Value: 'platform-webhooks' }], stat: 'Sum' },
      { namespace: 'PlatformWebhooks', name: 'DeadLetteredExhausted', dimensions: [{ Name: 'service', Value: 'platform-webhooks' }], stat: 'Sum' },
    ]);
    const expression = (properties.Metrics as Properties[]).find((query) => query.Expression !== undefined);
    expect(expression?.Expression).toBe('FILL(m0, 0) + FILL(m1, 0)');
    expect(expression?.ReturnData).not.toBe(false);
    expect(properties.AlarmDescription).toContain('webhooks dlq list');
    expect(properties.AlarmDescription).toContain('webhooks dlq redrive');
  });

  it('alarms the platform team on new invalid events', () => {
    // Act
    const properties = alarm('publishers sent invalid events');
    // Assess
    expect(properties).toMatchObject({
      Namespace: 'PlatformWebhooks',
      MetricName: 'DeadLetteredInvalidEvent',
      Dimensions: [{ Name: 'service', Value: 'platform-webhooks' }],
      Statistic: 'Sum',
      Threshold: 0,
      AlarmActions: [topics.system],
    });
  });

  it('alarms the platform team on records either queue handed to the function that it could not process', () => {
    // Act
    const properties = alarm('records not processed');
    const metrics = Object.values(mathMetrics(properties));
    // Assess
    expect(properties.AlarmActions).toEqual([topics.system]);
    const mappings = Object.keys(template.findResources('AWS::Lambda::EventSourceMapping')).map((id) => [{ Name: 'EventSourceMappingUUID', Value: { Ref: id } }]);
    expect(metrics.map((metric) => metric.dimensions)).toEqual(mappings);
    expect(metrics.every((metric) => metric.namespace === 'AWS/Lambda' && metric.name === 'FailedInvokeEventCount' && metric.stat === 'Sum')).toBe(true);
  });

  it.each([
    ['events waiting too long', 'queue', OLDEST_MESSAGE_AGE_THRESHOLD.toSeconds()],
    ['retries waiting too long', 'retryQueue', OLDEST_MESSAGE_AGE_THRESHOLD.toSeconds()],
    ['dead letters about to expire', 'deadLetterQueue', DEAD_LETTER_EXPIRY_WARNING.toSeconds()],
  ] as const)('alarms the platform team on %s', (name, queue, threshold) => {
    // Act
    const properties = alarm(name);
    // Assess
    expect(properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, stack.dispatcher[queue]), 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: threshold,
      AlarmActions: [topics.system],
    });
    expect(OLDEST_MESSAGE_AGE_THRESHOLD.toMinutes()).toBe(30);
    expect(DEAD_LETTER_EXPIRY_WARNING.toDays()).toBeLessThan(14);
  });

  it.each([
    ['function errors', 'Errors'],
    ['function throttled', 'Throttles'],
  ])('alarms the platform team on any %s', (name, metricName) => {
    // Act
    const properties = alarm(name);
    // Assess
    expect(properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(stack, stack.dispatcher.lambdaFunction) } }],
      Statistic: 'Sum',
      Threshold: 0,
      AlarmActions: [topics.system],
    });
  });

  it('subscribes each alarm e-mail to its own topic', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: topics.system });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'support@example.com', TopicArn: topics.receiver });
  });

  it("makes both topics accept only TLS publishes and lets this account's CloudWatch alarms publish", () => {
    // Assess
    for (const topic of [topics.system, topics.receiver]) {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topic],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
            }),
          ]),
        },
      });
    }
  });
});

describe('DispatcherAlarms options', () => {
  it('has no e-mail subscription without alarmEmail and receiverAlarmEmail', () => {
    // Act
    const { template } = synthStack();
    // Assess
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.resourceCountIs('AWS::SNS::Topic', 2);
  });

  it('encrypts both topics with a given key and lets CloudWatch use that key', () => {
    // Prepare
    const keyStack = new Stack(testApp(), 'Keyed');
    const key = new Key(keyStack, 'AlarmKey', { enableKeyRotation: true });
    // Act
    const dispatcher = new WebhookDispatcher(keyStack, 'Dispatcher', { alarmTopicKey: key });
    // Assess
    const keyed = Template.fromStack(keyStack);
    expect(Object.values(keyed.findResources('AWS::SNS::Topic')).map((topic) => topic.Properties.KmsMasterKeyId)).toEqual([
      { 'Fn::GetAtt': [logicalId(keyStack, key), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(keyStack, key), 'Arn'] },
    ]);
    keyed.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: Match.arrayWith(['kms:Decrypt', 'kms:GenerateDataKey*']),
          }),
        ]),
      },
    });
    expect(dispatcher.alarms.topic.masterKey).toBe(key);
  });
});
