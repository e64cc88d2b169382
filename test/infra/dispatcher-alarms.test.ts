import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { OLDEST_MESSAGE_AGE_THRESHOLD } from '../../infra/dispatcher-alarms';
import { WebhookDispatcher } from '../../infra/webhook-dispatcher';
import { logicalId, synthStack, testApp } from './synth-stack';

describe('DispatcherAlarms', () => {
  const { stack, template } = synthStack({ alarmEmail: 'ops@example.com' });
  const { queue, deadLetterQueue, lambdaFunction, alarms } = stack.dispatcher;
  const topicId = logicalId(stack, alarms.topic);

  /** The alarm on `metricName` in `namespace`, asserted to notify the topic. */
  function alarmOn(namespace: string, metricName: string, dimension: Record<string, unknown>): Record<string, any> {
    const found = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: namespace, MetricName: metricName } }));
    expect(found).toHaveLength(1);
    const properties = (found[0] as { Properties: Record<string, any> }).Properties;
    expect(properties.Dimensions).toEqual([dimension]);
    expect(properties.AlarmActions).toEqual([{ Ref: topicId }]);
    expect(properties.ComparisonOperator).toBe('GreaterThanThreshold');
    return properties;
  }

  it('raises an alarm as soon as one message is visible in the DLQ', () => {
    // Act
    const alarm = alarmOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', {
      Name: 'QueueName',
      Value: { 'Fn::GetAtt': [logicalId(stack, deadLetterQueue), 'QueueName'] },
    });
    // Assess
    expect(alarm).toMatchObject({ Threshold: 0, Statistic: 'Maximum' });
  });

  it('raises an alarm when the oldest events-queue message is older than 30 minutes', () => {
    // Act
    const alarm = alarmOn('AWS/SQS', 'ApproximateAgeOfOldestMessage', {
      Name: 'QueueName',
      Value: { 'Fn::GetAtt': [logicalId(stack, queue), 'QueueName'] },
    });
    // Assess
    expect(alarm.Threshold).toBe(OLDEST_MESSAGE_AGE_THRESHOLD.toSeconds());
    expect(alarm.Threshold).toBe(1800);
  });

  it.each(['Errors', 'Throttles'])('raises an alarm on any function %s', (metricName) => {
    // Act
    const alarm = alarmOn('AWS/Lambda', metricName, { Name: 'FunctionName', Value: { Ref: logicalId(stack, lambdaFunction) } });
    // Assess
    expect(alarm).toMatchObject({ Threshold: 0, Statistic: 'Sum' });
  });

  it('subscribes the alarm e-mail to the topic', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } });
  });

  it('accepts only TLS publishes and lets this account\'s CloudWatch alarms publish', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
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
  });

  it('has no e-mail subscription without alarmEmail', () => {
    // Act
    const { template: withoutEmail } = synthStack();
    // Assess
    withoutEmail.resourceCountIs('AWS::SNS::Subscription', 0);
    withoutEmail.resourceCountIs('AWS::SNS::Topic', 1);
  });

  it('encrypts the topic with a given key and lets CloudWatch use that key', () => {
    // Prepare
    const keyStack = new Stack(testApp(), 'Keyed');
    const key = new Key(keyStack, 'AlarmKey', { enableKeyRotation: true });
    // Act
    const dispatcher = new WebhookDispatcher(keyStack, 'Dispatcher', { alarmTopicKey: key });
    // Assess
    const keyed = Template.fromStack(keyStack);
    keyed.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(keyStack, key), 'Arn'] } });
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
