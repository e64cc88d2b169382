import { Match } from 'aws-cdk-lib/assertions';
import { createApp } from '../../infra/create-app';
import { InvalidContextError } from '../../infra/errors';
import { roleStatements, synthFromContext, testContext } from './synth-stack';

/** The error createApp throws for `context`, or a failed test. */
function contextError(context: Record<string, unknown>): InvalidContextError {
  try {
    createApp({ context: testContext(context) });
  } catch (error) {
    if (error instanceof InvalidContextError) return error;
    throw error;
  }
  throw new Error('expected an InvalidContextError');
}

describe('context options (-c key=value)', () => {
  it('applies every option given as a string, as `cdk synth -c` passes them', () => {
    // Prepare
    const context = {
      stackName: 'AcmeWebhooks',
      subscriptionsPath: '/acme/hooks',
      retrySchedule: '10s,1m,1h',
      deliveryTimeout: '2500ms',
      deliveryConcurrency: '5',
      subscriptionsCacheTtl: '5m',
      cloudEventsTypePrefix: 'com.acme.platform',
      batchSize: '25',
      maxBatchingWindow: '5s',
      maxConcurrency: '20',
      memorySize: '512',
      allowPrivateTargets: 'true',
      allowedTargetCidrs: '10.0.0.0/8, 192.168.0.0/16',
      alarmEmail: 'ops@example.com',
      logRetention: '7',
      removalPolicy: 'destroy',
    };
    // Act
    const { stack, template } = synthFromContext(context);
    // Assess
    expect(stack.stackName).toBe('AcmeWebhooks');
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Environment: {
        Variables: Match.objectLike({
          SUBSCRIPTIONS_PATH: '/acme/hooks',
          RETRY_SCHEDULE: '10s,1m,1h',
          DELIVERY_TIMEOUT_MS: '2500',
          DELIVERY_CONCURRENCY: '5',
          SUBSCRIPTIONS_CACHE_SECONDS: '300',
          ALLOW_PRIVATE_TARGETS: 'true',
          ALLOWED_TARGET_CIDRS: '10.0.0.0/8,192.168.0.0/16',
          CLOUDEVENTS_TYPE_PREFIX: 'com.acme.platform',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 25,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 6 * 60 + 5 });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.allResources('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
    template.hasOutput('SubscriptionsPath', { Value: '/acme/hooks' });
    const ssmResources = roleStatements(template, 'Dispatcher')
      .filter((s) => s.actions.includes('ssm:GetParameter'))
      .flatMap((s) => s.resources);
    expect(ssmResources.sort()).toEqual([
      'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/acme/hooks',
      'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/acme/hooks/*',
    ]);
  });

  it('accepts the typed values cdk.json holds', () => {
    // Prepare
    const context = { batchSize: 5, allowPrivateTargets: true, allowedTargetCidrs: ['10.1.0.0/16', 'fd00::/8'], logRetention: 14 };
    // Act
    const { template } = synthFromContext(context);
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 5 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALLOW_PRIVATE_TARGETS: 'true', ALLOWED_TARGET_CIDRS: '10.1.0.0/16,fd00::/8' }) },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
  });

  it.each<[string, unknown, string]>([
    ['batchSize', 'abc', 'context "batchSize" must be an integer from 1 to 10000, got "abc"'],
    ['maxConcurrency', '1', 'context "maxConcurrency" must be an integer from 2 to 1000, got "1"'],
    ['memorySize', '64', 'context "memorySize" must be an integer from 128 to 10240, got "64"'],
    ['deliveryTimeout', '45s', 'context "deliveryTimeout" must be a duration from 1s to 30s such as "10s" or "2500ms", got "45s"'],
    ['maxBatchingWindow', '1500ms', 'context "maxBatchingWindow" must be a duration in whole seconds from 0 to 300, such as "60s", "5m" or "60", got "1500ms"'],
    ['retrySchedule', '5s,later', 'context "retrySchedule" entry 2 "later" is not a duration'],
    ['allowPrivateTargets', 'maybe', 'context "allowPrivateTargets" must be true or false, got "maybe"'],
    ['allowedTargetCidrs', '10.0.0.0/8,10.1.2.3/16', 'context "allowedTargetCidrs" entry 2: "10.1.2.3/16" has host bits set after the /16 prefix; did you mean 10.1.0.0/16?'],
    ['retrySchedule', '', 'context "retrySchedule" must list at least one delay'],
    ['alarmEmail', 'ops', 'context "alarmEmail" must be an e-mail address such as "ops@example.com", got "ops"'],
    ['logRetention', '10', 'context "logRetention" must be a number of days CloudWatch Logs accepts (1, 3, 5, 7, 14, 30,'],
    ['removalPolicy', 'snapshot', 'context "removalPolicy" must be "retain" or "destroy", got "snapshot"'],
    ['subscriptionsPath', '/ssm/hooks', 'context "subscriptionsPath" may not begin with "/aws" or "/ssm"'],
    ['stackName', '1-stack', 'context "stackName" must be a CloudFormation stack name'],
  ])('rejects an invalid %s with a message that names the key and the value', (key, value, message) => {
    // Act
    const error = contextError({ [key]: value });
    // Assess
    expect(error.message).toContain(message);
  });

  it('lists every invalid value at once', () => {
    // Act
    const error = contextError({ batchSize: '0', memorySize: 'big' });
    // Assess
    expect(error.message).toBe(
      'context "batchSize" must be an integer from 1 to 10000, got "0"; context "memorySize" must be an integer from 128 to 10240, got "big"',
    );
  });
});
