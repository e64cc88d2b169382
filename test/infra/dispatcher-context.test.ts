import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { createApp } from '../../infra/create-app';
import { InvalidContextError, InvalidPropsError } from '../../infra/errors';
import { WebhookDispatcher } from '../../infra/webhook-dispatcher';
import type { WebhookDispatcherProps } from '../../infra/webhook-dispatcher-props';
import { roleStatements, synthFromContext, testApp, testContext } from './synth-stack';

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
    ['batchSize', 'abc', 'context "batchSize" must be a whole number, got "abc"'],
    ['maxConcurrency', '-1', 'context "maxConcurrency" must be a whole number, got "-1"'],
    ['memorySize', '64', 'context "memorySize" must be an integer from 128 to 10240, got "64"'],
    ['deliveryTimeout', '45s', 'context "deliveryTimeout" must be a duration from 1s to 30s such as "10s" or "2500ms", got "45s"'],
    ['maxBatchingWindow', '1500ms', 'context "maxBatchingWindow" must be a duration in whole seconds, such as "60s" or "5m", got "1500ms"'],
    ['retrySchedule', '5s,later', 'context "retrySchedule" entry 2 "later" is not a duration'],
    ['allowPrivateTargets', 'maybe', 'context "allowPrivateTargets" must be true or false, got "maybe"'],
    ['allowedTargetCidrs', '10.0.0.0/8,10.1.2.3/16', 'context "allowedTargetCidrs" entry 2 "10.1.2.3/16" has host bits set after the /16 prefix; did you mean 10.1.0.0/16?'],
    ['retrySchedule', '', 'context "retrySchedule" must list at least one delay'],
    ['retrySchedule', '5s,30h', 'context "retrySchedule" entry 2 "30h" must be from 1s to 12h, got "5s,30h"'],
    ['retrySchedule', '0s', 'context "retrySchedule" entry 1 "0s" must be from 1s to 12h'],
    ['retrySchedule', Array.from({ length: 21 }, () => '1m'), 'context "retrySchedule" must list at most 20 delays'],
    ['cloudEventsTypePrefix', 'a b', 'context "cloudEventsTypePrefix" must be a CloudEvents type prefix such as "com.example.platform" (1 to 256 characters, no spaces), got "a b"'],
    ['alarmEmail', 'ops', 'context "alarmEmail" must be an e-mail address such as "ops@example.com", got "ops"'],
    ['logRetention', '10', 'context "logRetention" must be a number of days CloudWatch Logs accepts (1, 3, 5, 7, 14, 30,'],
    ['removalPolicy', 'snapshot', 'context "removalPolicy" must be "retain" or "destroy", got "snapshot"'],
    ['subscriptionsPath', '/ssm/hooks', 'context "subscriptionsPath" may not begin with "/aws" or "/ssm"'],
    ['stackName', ' ', 'context "stackName" must be a CloudFormation stack name'],
    ['snsTopicArns', 'platform-events', 'context "snsTopicArns" entry 1 "platform-events" is not an SNS topic ARN such as'],
    ['eventBridgeRuleArns', 'arn:aws:events:eu-west-1:123456789012:event-bus/default', 'context "eventBridgeRuleArns" entry 1 "arn:aws:events:eu-west-1:123456789012:event-bus/default" is not an EventBridge rule ARN'],
    ['publisherAccountIds', '210987654321,abc', 'context "publisherAccountIds" entry 2 "abc" is not an AWS account id of 12 digits'],
    ['staticEgressIp', 'on', 'context "staticEgressIp" must be true or false, got "on"'],
    ['staticEgressIpCount', '3', 'context "staticEgressIpCount" must be "1" or "2", got "3"'],
    ['queueKmsKeyArn', 'alias/webhooks', 'context "queueKmsKeyArn" must be a KMS key ARN such as'],
    ['tracing', 'xray', 'context "tracing" must be true or false, got "xray"'],
    ['logLevel', 'verbose', 'context "logLevel" must be "debug" or "info" or "warn" or "error", got "verbose"'],
    ['extraEventTypes', 'jobs', 'context "extraEventTypes" entry 1 "jobs" is not an event type "<entity>.<action>"'],
    ['extraEventTypes', 'jobs.deleted,builds.done', 'context "extraEventTypes" entry 2 "builds.done" is a built-in event type already; list only types beyond the catalogue, got "jobs.deleted,builds.done"'],
    ['extraEventTypes', Array.from({ length: 300 }, (_, index) => `models.registered-${index}`), 'context "extraEventTypes" is 6489 characters as a comma list; at most 2000 fit beside the function\'s other settings in Lambda\'s 4 KB of environment variables'],
    ['breakerFailures', 'five', 'context "breakerFailures" must be an integer from 0 to 1000, got "five"'],
    ['breakerCooldown', '0s', 'context "breakerCooldown" must be a duration from 1s to 15m in whole seconds, such as "60s" or "5m", got "0s"'],
  ])('rejects an invalid %s with a message that names the key and the value', (key, value, message) => {
    // Act
    const error = contextError({ [key]: value });
    // Assess
    expect(error.message).toContain(message);
  });

  it('lists every invalid value at once', () => {
    // Act
    const error = contextError({ deliveryConcurrency: '0', memorySize: 'big' });
    // Assess
    expect(error.message).toBe(
      'context "deliveryConcurrency" must be an integer from 1 to 1000, got "0"; context "memorySize" must be an integer from 128 to 10240, got "big"',
    );
  });

  it('opens private networks to the function with allowPrivateNetworkTargets', () => {
    // Act
    const { template } = synthFromContext({ allowPrivateNetworkTargets: 'true' });
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALLOW_PRIVATE_NETWORK_TARGETS: 'true', ALLOW_PRIVATE_TARGETS: 'false' }) },
    });
  });

  it('reads the production options given as strings', () => {
    // Prepare
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const context = {
      snsTopicArns: 'arn:aws:sns:eu-west-1:123456789012:a, arn:aws:sns:eu-west-1:123456789012:b',
      eventBridgeRuleArns: 'arn:aws:events:eu-west-1:123456789012:rule/custom-bus/platform',
      publisherAccountIds: '210987654321',
      staticEgressIp: 'yes',
      staticEgressIpCount: '1',
      queueKmsKeyArn: keyArn,
      logKmsKeyArn: keyArn,
      tracing: 'true',
      logLevel: 'WARN',
      sourceMaps: 'true',
      extraEventTypes: 'models.registered',
      breakerFailures: '3',
      breakerCooldown: '2m',
      receiverAlarmEmail: 'support@example.com',
    };
    // Act
    const { template } = synthFromContext(context);
    // Assess
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'sns.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': ['arn:aws:sns:eu-west-1:123456789012:a', 'arn:aws:sns:eu-west-1:123456789012:b'] } } }),
          Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': ['arn:aws:events:eu-west-1:123456789012:rule/custom-bus/platform'] } } }),
        ]),
      },
    });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn });
    template.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'WARN' }),
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps', EXTRA_EVENT_TYPES: 'models.registered', BREAKER_FAILURES: '3', BREAKER_COOLDOWN: '2m' }) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: 'support@example.com' });
    template.hasOutput('EgressIps', {});
  });

  it('keeps the logs forever with logRetention "infinite"', () => {
    // Act
    const { template } = synthFromContext({ logRetention: 'infinite' });
    // Assess
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.absent() });
  });

  it('refuses unknown keys, naming each and the nearest known key', () => {
    // Act
    const error = contextError({ memroySize: '64', batchsize: '100' });
    // Assess
    expect(error.message).toContain('context "memroySize" is not an option of this app; did you mean "memorySize"?');
    expect(error.message).toContain('context "batchsize" is not an option of this app; did you mean "batchSize"?');
  });

  it("accepts CDK's own keys: feature flags, the CLI's keys and cached lookups", () => {
    // Prepare
    const context = {
      '@aws-cdk/core:newStyleStackSynthesis': true,
      '@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver': true,
      'aws-cdk:enableDiffNoFail': 'true',
      'aws:cdk:enable-path-metadata': true,
      'cli-telemetry': false,
      'acknowledged-issue-numbers': [32775],
      'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a', 'eu-west-1b'],
    };
    // Act
    const { template } = synthFromContext(context);
    // Assess
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  it.each<[string, unknown, string]>([
    ['maxConcurrency', '1', 'maxConcurrency must be between 2 and 1000'],
    ['batchSize', '20', 'Maximum batch size must be between 1 and 10 inclusive (given 20) when batching window is not specified'],
    ['stackName', '1-stack', 'Stack name must match the regular expression'],
  ])('leaves an invalid %s to the limits CDK enforces itself', (key, value, message) => {
    // Act
    const build = (): unknown => createApp({ context: testContext({ [key]: value }) });
    // Assess
    expect(build).toThrow(message);
  });

  it('checks a value given as context exactly as the same value given as a prop', () => {
    // Prepare
    const cases: [string, string, WebhookDispatcherProps][] = [
      ['cloudEventsTypePrefix', 'a b', { cloudEventsTypePrefix: 'a b' }],
      ['retrySchedule', '5s,720h', { retrySchedule: [Duration.seconds(5), Duration.days(30)] }],
      ['deliveryTimeout', '100ms', { deliveryTimeout: Duration.millis(100) }],
      ['allowedTargetCidrs', '10.0.0.1/8', { allowedTargetCidrs: ['10.0.0.1/8'] }],
    ];
    for (const [key, text, props] of cases) {
      // Act
      const fromContext = contextError({ [key]: text }).message.replace(`context "${key}" `, '');
      const fromProps = propsError(props).replace(`WebhookDispatcher: ${key} `, '');
      // Assess
      expect(fromContext.replace(/, got .*$/, '')).toBe(fromProps.replace(/, got .*$/, ''));
    }
  });
});

/** The message of the error the construct throws for `props`, or a failed test. */
function propsError(props: WebhookDispatcherProps): string {
  try {
    new WebhookDispatcher(new Stack(testApp(), 'Invalid'), 'Dispatcher', props);
  } catch (error) {
    if (error instanceof InvalidPropsError) return error.message;
    throw error;
  }
  throw new Error('expected an InvalidPropsError');
}
