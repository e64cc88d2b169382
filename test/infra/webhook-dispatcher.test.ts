import { Duration, Errors, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { InvalidPropsError } from '../../infra/errors';
import type { PlatformWebhooksStack } from '../../infra/platform-webhooks-stack';
import { STACK_OUTPUTS } from '../../infra/stack-outputs';
import { FUNCTION_TIMEOUT, MAX_MESSAGE_SIZE_BYTES, WebhookDispatcher } from '../../infra/webhook-dispatcher';
import { resolveDispatcherProps } from '../../infra/webhook-dispatcher-props';
import type { WebhookDispatcherProps } from '../../infra/webhook-dispatcher-props';
import { logicalId, roleStatements, synthStack, testApp, text } from './synth-stack';

const PATH_ARN = 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/platform-webhooks/subscriptions';

describe('WebhookDispatcher with default props', () => {
  // Prepare + Act once: every test below reads the same template.
  const { stack, template } = synthStack();
  const { dispatcher } = stack;
  const queueId = logicalId(stack, dispatcher.queue);
  const retryQueueId = logicalId(stack, dispatcher.retryQueue);
  const dlqId = logicalId(stack, dispatcher.deadLetterQueue);
  const functionId = logicalId(stack, dispatcher.lambdaFunction);
  const roleId = logicalId(stack, dispatcher.lambdaFunction.role!);

  it('redrives events-queue and retry-queue messages to the DLQ after 5 receives', () => {
    // Assess
    const resources = template.toJSON().Resources;
    for (const id of [queueId, retryQueueId]) {
      expect(resources[id].Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 });
    }
    template.resourceCountIs('AWS::SQS::Queue', 3);
  });

  it('declares the DLQ a dead-letter queue with a redrive allow policy (Control Tower CT.SQS.PR.1)', () => {
    // Assess
    expect(template.toJSON().Resources[dlqId].Properties.RedriveAllowPolicy).toEqual({ redrivePermission: 'allowAll' });
  });

  it('gives the retry queue every setting of the events queue', () => {
    // Act
    const { Resources } = template.toJSON();
    const { RedrivePolicy: _events, ...events } = Resources[queueId].Properties;
    const { RedrivePolicy: _retries, ...retries } = Resources[retryQueueId].Properties;
    // Assess
    expect(retries).toEqual(events);
    expect(Resources[retryQueueId].DeletionPolicy).toBe(Resources[queueId].DeletionPolicy);
  });

  it('encrypts the three queues with SSE-SQS, sets the 1 MiB maximum message size and keeps dead letters 14 days', () => {
    // Assess
    const resources = template.toJSON().Resources;
    for (const id of [queueId, retryQueueId, dlqId]) {
      expect(resources[id].Properties).toMatchObject({ SqsManagedSseEnabled: true, MaximumMessageSize: MAX_MESSAGE_SIZE_BYTES });
    }
    expect(MAX_MESSAGE_SIZE_BYTES).toBe(1_048_576);
    expect(resources[dlqId].Properties.MessageRetentionPeriod).toBe(Duration.days(14).toSeconds());
    expect(resources[queueId].Properties.MessageRetentionPeriod).toBeLessThan(resources[dlqId].Properties.MessageRetentionPeriod);
  });

  it('denies every request to any of the queues that does not use TLS', () => {
    // Assess
    for (const id of [queueId, retryQueueId, dlqId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('keeps a message invisible for at least six function timeouts', () => {
    // Assess
    const resources = template.toJSON().Resources;
    const timeout: number = resources[functionId].Properties.Timeout;
    expect(timeout).toBe(FUNCTION_TIMEOUT.toSeconds());
    expect(resources[queueId].Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    expect(resources[retryQueueId].Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('runs the handler on Node.js 22, arm64, with 256 MB, JSON logs at INFO and an explicit log group, outside any VPC, untraced', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 60,
      LoggingConfig: { LogGroup: { Ref: logicalId(stack, dispatcher.logGroup) }, LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
      VpcConfig: Match.absent(),
      TracingConfig: Match.absent(),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30, KmsKeyId: Match.absent() });
    template.resourceCountIs('AWS::EC2::VPC', 0);
  });

  it('configures the function per docs/design.md §5', () => {
    // Assess
    const variables = template.toJSON().Resources[functionId].Properties.Environment.Variables;
    expect(variables).toEqual({
      SUBSCRIPTIONS_PATH: '/platform-webhooks/subscriptions',
      QUEUE_URL: { Ref: queueId },
      RETRY_QUEUE_URL: { Ref: retryQueueId },
      DLQ_URL: { Ref: dlqId },
      RETRY_SCHEDULE: '5s,5m,30m,2h,5h,10h,10h',
      DELIVERY_TIMEOUT_MS: '10000',
      DELIVERY_CONCURRENCY: '50',
      SUBSCRIPTIONS_CACHE_SECONDS: '60',
      ALLOW_PRIVATE_TARGETS: 'false',
      ALLOW_PRIVATE_NETWORK_TARGETS: 'false',
      ALLOWED_TARGET_CIDRS: '',
      EXTRA_EVENT_TYPES: '',
      BREAKER_FAILURES: '5',
      BREAKER_COOLDOWN: '1m',
      // Two event sources of at most 10 instances each.
      FUNCTION_MAX_CONCURRENCY: '20',
      POWERTOOLS_SERVICE_NAME: 'platform-webhooks',
      POWERTOOLS_METRICS_NAMESPACE: 'PlatformWebhooks',
    });
  });

  it('lets the function re-enqueue on the retry queue it consumes without Lambda stopping the loop', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', { RecursiveLoop: 'Allow' });
  });

  it('consumes both queues with the same options: partial batch responses, bounded concurrency, event count metrics', () => {
    // Act
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map((mapping) => mapping.Properties);
    // Assess
    expect(mappings.map((mapping) => mapping.EventSourceArn)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }, { 'Fn::GetAtt': [retryQueueId, 'Arn'] }]);
    for (const { EventSourceArn: _queue, ...mapping } of mappings) {
      expect(mapping).toEqual({
        FunctionName: { Ref: functionId },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        ScalingConfig: { MaximumConcurrency: 10 },
        MetricsConfig: { Metrics: ['EventCount'] },
      });
    }
  });

  it('lets the function use SSM only under the subscriptions path, both the path and its parameters', () => {
    // Act
    const ssm = roleStatements(template, roleId).filter((s) => s.actions.some((a) => a.startsWith('ssm:')));
    // Assess
    expect(ssm).toHaveLength(1);
    expect(ssm[0]!.actions.sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameterHistory', 'ssm:GetParametersByPath', 'ssm:PutParameter']);
    expect(ssm[0]!.resources.sort()).toEqual([PATH_ARN, `${PATH_ARN}/*`]);
  });

  it('lets the function use KMS only through SSM, for parameters under the path', () => {
    // Act
    const kms = roleStatements(template, roleId).filter((s) => s.actions.some((a) => a.startsWith('kms:')));
    // Assess
    expect(kms).toHaveLength(1);
    expect(kms[0]!.actions.sort()).toEqual(['kms:Decrypt', 'kms:Encrypt']);
    expect(kms[0]!.resources).toEqual(['arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*']);
    expect(text(kms[0]!.condition?.StringEquals?.['kms:ViaService'])).toBe('ssm.${AWS::Region}.${AWS::URLSuffix}');
    expect(text(kms[0]!.condition?.StringLike?.['kms:EncryptionContext:PS_ARN'])).toBe(`${PATH_ARN}/*`);
  });

  it('lets the function send only to the retry queue and the DLQ, and receive from the events and retry queues', () => {
    // Act
    const sqs = roleStatements(template, roleId).filter((s) => s.actions.some((a) => a.startsWith('sqs:')));
    const send = sqs.filter((s) => s.actions.includes('sqs:SendMessage'));
    const others = sqs.filter((s) => !s.actions.includes('sqs:SendMessage'));
    // Assess
    expect(send).toHaveLength(1);
    expect(send[0]!.actions).toEqual(['sqs:SendMessage']);
    expect(send[0]!.resources.sort()).toEqual([`\${${dlqId}.Arn}`, `\${${retryQueueId}.Arn}`]);
    expect(others.flatMap((s) => s.resources).sort()).toEqual([`\${${queueId}.Arn}`, `\${${retryQueueId}.Arn}`]);
    expect(others.flatMap((s) => s.actions)).not.toContain('sqs:SendMessage');
  });

  it('grants the function nothing on "*" and no managed policy', () => {
    // Act
    const statements = roleStatements(template, roleId);
    // Assess
    expect(statements.every((s) => s.effect === 'Allow')).toBe(true);
    expect(statements.flatMap((s) => s.resources)).not.toContain('*');
    expect(statements.flatMap((s) => s.actions).filter((a) => a.endsWith('*'))).toEqual([]);
    expect(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('retains the queues and the log group when the stack is deleted', () => {
    // Assess
    const resources = template.toJSON().Resources;
    for (const id of [queueId, retryQueueId, dlqId, logicalId(stack, dispatcher.logGroup)]) {
      expect(resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });
});

describe('WebhookDispatcher props', () => {
  it('applies every option', () => {
    // Prepare
    const props: WebhookDispatcherProps = {
      subscriptionsPath: '/acme/hooks',
      retrySchedule: [Duration.seconds(1), Duration.minutes(1), Duration.millis(1500)],
      deliveryTimeout: Duration.seconds(5),
      deliveryConcurrency: 8,
      subscriptionsCacheTtl: Duration.minutes(5),
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(20),
      maxConcurrency: 50,
      memorySize: 1024,
      allowPrivateTargets: true,
      allowedTargetCidrs: ['10.0.0.0/8', 'fd00::/8'],
      logRetention: RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    };
    // Act
    const { stack, template } = synthStack(props);
    // Assess
    const resources = template.toJSON().Resources;
    const fn = resources[logicalId(stack, stack.dispatcher.lambdaFunction)].Properties;
    expect(fn.MemorySize).toBe(1024);
    expect(fn.Environment.Variables).toMatchObject({
      SUBSCRIPTIONS_PATH: '/acme/hooks',
      RETRY_SCHEDULE: '1s,1m,1500ms',
      DELIVERY_TIMEOUT_MS: '5000',
      DELIVERY_CONCURRENCY: '8',
      SUBSCRIPTIONS_CACHE_SECONDS: '300',
      ALLOW_PRIVATE_TARGETS: 'true',
      ALLOWED_TARGET_CIDRS: '10.0.0.0/8,fd00::/8',
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 20,
      ScalingConfig: { MaximumConcurrency: 50 },
    });
    const queue = resources[logicalId(stack, stack.dispatcher.queue)];
    expect(queue.Properties.VisibilityTimeout).toBe(6 * 60 + 20);
    expect(queue.DeletionPolicy).toBe('Delete');
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    const ssm = roleStatements(template, logicalId(stack, stack.dispatcher.lambdaFunction.role!)).find((s) => s.actions.includes('ssm:GetParameter'));
    expect(ssm?.resources.every((arn) => arn.includes(':parameter/acme/hooks'))).toBe(true);
  });

  it('accepts every log retention CDK knows, infinite included', () => {
    // Prepare
    const periods = Object.values(RetentionDays).filter((days): days is RetentionDays => typeof days === 'number');
    // Act
    const resolved = periods.map((logRetention) => resolveDispatcherProps({ logRetention }).logRetention);
    // Assess
    expect(resolved).toEqual(periods.map((days) => (days === RetentionDays.INFINITE ? 'infinite' : days)));
  });

  it('allows a platform role to publish to the events queue and nowhere else', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Grant');
    const dispatcher = new WebhookDispatcher(stack, 'Dispatcher');
    const platform = new Role(stack, 'Platform', { assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com') });
    // Act
    dispatcher.grantPublish(platform);
    // Assess
    const statements = roleStatements(Template.fromStack(stack), logicalId(stack, platform));
    expect(statements).toHaveLength(1);
    expect(statements[0]!.actions).toContain('sqs:SendMessage');
    expect(statements[0]!.actions.every((a) => a.startsWith('sqs:Send') || a.startsWith('sqs:Get'))).toBe(true);
    expect(statements[0]!.resources).toEqual([`\${${logicalId(stack, dispatcher.queue)}.Arn}`]);
  });

  it.each<[string, WebhookDispatcherProps, string]>([
    ['memorySize', { memorySize: 100 }, 'memorySize must be an integer from 128 to 10240, got 100'],
    ['deliveryTimeout', { deliveryTimeout: Duration.minutes(1) }, 'deliveryTimeout must be a duration from 1s to 30s such as "10s" or "2500ms", got "1m"'],
    ['maxBatchingWindow', { maxBatchingWindow: Duration.millis(1500) }, 'maxBatchingWindow must be a duration in whole seconds'],
    ['subscriptionsPath', { subscriptionsPath: 'hooks/' }, 'subscriptionsPath must be an SSM path'],
    ['reserved path', { subscriptionsPath: '/aws/hooks' }, 'may not begin with "/aws" or "/ssm"'],
    ['allowedTargetCidrs', { allowedTargetCidrs: ['10.0.0.0/33'] }, 'allowedTargetCidrs entry 1 "10.0.0.0/33" has an invalid prefix length'],
    ['retrySchedule', { retrySchedule: [] }, 'retrySchedule must list at least one delay'],
    ['long retry delay', { retrySchedule: [Duration.seconds(5), Duration.days(30)] }, 'retrySchedule entry 2 "720h" must be from 1s to 12h'],
    ['zero retry delay', { retrySchedule: [Duration.seconds(0)] }, 'retrySchedule entry 1 "0s" must be from 1s to 12h'],
    ['long retry schedule', { retrySchedule: Array.from({ length: 21 }, () => Duration.minutes(1)) }, 'retrySchedule must list at most 20 delays'],
    ['cloudEventsTypePrefix', { cloudEventsTypePrefix: 'a b' }, 'cloudEventsTypePrefix must be a CloudEvents type prefix'],
    ['alarmEmail', { alarmEmail: 'ops' }, 'alarmEmail must be an e-mail address'],
    ['removalPolicy', { removalPolicy: RemovalPolicy.SNAPSHOT }, 'removalPolicy must be "retain" or "destroy", got "snapshot"'],
    ['snsTopicArns', { snsTopicArns: ['arn:aws:sqs:eu-west-1:123456789012:events'] }, 'snsTopicArns entry 1 "arn:aws:sqs:eu-west-1:123456789012:events" is not an SNS topic ARN'],
    ['eventBridgeRuleArns', { eventBridgeRuleArns: ['platform-webhooks'] }, 'eventBridgeRuleArns entry 1 "platform-webhooks" is not an EventBridge rule ARN'],
    ['publisherAccountIds', { publisherAccountIds: ['12345'] }, 'publisherAccountIds entry 1 "12345" is not an AWS account id of 12 digits'],
    ['queueKmsKeyArn', { queueKmsKeyArn: 'alias/aws/sqs' }, 'queueKmsKeyArn must be a KMS key ARN'],
    ['logKmsKeyArn', { logKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/logs' }, 'logKmsKeyArn must be a KMS key ARN'],
    ['staticEgressIpCount', { staticEgressIpCount: 3 as 2 }, 'staticEgressIpCount must be "1" or "2", got 3'],
    ['logLevel', { logLevel: 'trace' as 'debug' }, 'logLevel must be "debug" or "info" or "warn" or "error", got "trace"'],
    ['extraEventTypes', { extraEventTypes: ['Jobs.Deleted'] }, 'extraEventTypes entry 1 "Jobs.Deleted" is not an event type "<entity>.<action>"'],
    ['built-in extra event type', { extraEventTypes: ['models.registered', 'jobs.failed'] }, 'extraEventTypes entry 2 "jobs.failed" is a built-in event type already'],
    ['breakerFailures', { breakerFailures: -1 }, 'breakerFailures must be an integer from 0 to 1000, got -1'],
    ['breakerCooldown', { breakerCooldown: Duration.minutes(20) }, 'breakerCooldown must be a duration from 1s to 15m in whole seconds'],
    ['receiverAlarmEmail', { receiverAlarmEmail: 'support' }, 'receiverAlarmEmail must be an e-mail address'],
  ])('rejects an invalid %s with a message naming it', (_name, props, message) => {
    // Prepare
    const build = (): WebhookDispatcher => new WebhookDispatcher(new Stack(testApp(), 'Invalid'), 'Dispatcher', props);
    // Act
    let error: unknown;
    try {
      build();
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(error).toBeInstanceOf(InvalidPropsError);
    expect((error as Error).message).toContain(message);
  });

  it('refuses at synth an environment that would not fit Lambda\'s 4 KB, each setting within its own bound', () => {
    // Prepare: a long path, 1,990 characters of extra types and 990 of CIDRs.
    const props: WebhookDispatcherProps = {
      subscriptionsPath: `/${Array.from({ length: 9 }, (_, index) => `segment-${index}-${'p'.repeat(80)}`).join('/')}`,
      extraEventTypes: Array.from({ length: 90 }, (_, index) => `models.registered-${String(index).padStart(2, '0')}`),
      allowedTargetCidrs: Array.from({ length: 75 }, (_, index) => `10.${index}.0.0/16`),
    };

    // Act
    const build = (): WebhookDispatcher => new WebhookDispatcher(new Stack(testApp(), 'Crowded'), 'Dispatcher', props);

    // Assess
    expect(build).toThrow(InvalidPropsError);
    expect(build).toThrow(/^WebhookDispatcher: the function's environment would be about \d{4} bytes, and Lambda allows 4096 for all its variables; shorten subscriptionsPath, extraEventTypes or allowedTargetCidrs$/);
  });

  it.each<[string, WebhookDispatcherProps, string]>([
    ['batchSize', { batchSize: 0 }, 'Maximum batch size must be between 1 and 10 inclusive (given 0)'],
    ['batchSize without window', { batchSize: 50 }, 'Maximum batch size must be between 1 and 10 inclusive (given 50) when batching window is not specified'],
    ['maxConcurrency', { maxConcurrency: 1 }, 'maxConcurrency must be between 2 and 1000'],
    ['maxBatchingWindow', { maxBatchingWindow: Duration.seconds(301) }, 'Maximum batching window must be 300 seconds or less'],
  ])('leaves an invalid %s to the limits CDK enforces itself', (_name, props, message) => {
    // Prepare
    const build = (): WebhookDispatcher => new WebhookDispatcher(new Stack(testApp(), 'Invalid'), 'Dispatcher', props);
    // Act
    let error: unknown;
    try {
      build();
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(Errors.isValidationError(error)).toBe(true);
    expect((error as Error).message).toContain(message);
  });
});

describe('WebhookDispatcher production options', () => {
  const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  let stack: PlatformWebhooksStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthStack({
      staticEgressIp: true,
      queueKmsKeyArn: keyArn,
      logKmsKeyArn: keyArn,
      tracing: true,
      logLevel: 'debug',
      sourceMaps: true,
      extraEventTypes: ['jobs.deleted', 'models.registered'],
      breakerFailures: 0,
      breakerCooldown: Duration.minutes(5),
      maxConcurrency: 50,
    }));
  });

  it('runs the function in the private subnets of a VPC of two zones whose traffic leaves through a NAT gateway and Elastic IP per zone', () => {
    // Act
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
    const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
    const eips = ofType('AWS::EC2::EIP').map(([id]) => id);
    const natGateways = ofType('AWS::EC2::NatGateway').map(([id, resource]) => ({ id, allocation: resource.Properties.AllocationId, subnet: resource.Properties.SubnetId }));
    const fn = resources[logicalId(stack, stack.dispatcher.lambdaFunction)]!.Properties;
    const privateRoutes = ofType('AWS::EC2::Route').filter(([, route]) => route.Properties.NatGatewayId !== undefined);
    // Assess
    expect(eips).toHaveLength(2);
    expect(natGateways.map((nat) => nat.allocation).sort()).toEqual(eips.map((id) => ({ 'Fn::GetAtt': [id, 'AllocationId'] })).sort());
    expect(fn.VpcConfig.SubnetIds).toHaveLength(2);
    // Each function subnet's default route goes to a NAT gateway in a public subnet.
    const functionSubnets = (fn.VpcConfig.SubnetIds as { Ref: string }[]).map((subnet) => subnet.Ref);
    const routeTables = ofType('AWS::EC2::SubnetRouteTableAssociation').filter(([, a]) => functionSubnets.includes(a.Properties.SubnetId.Ref)).map(([, a]) => a.Properties.RouteTableId.Ref);
    expect(privateRoutes.filter(([, route]) => routeTables.includes(route.Properties.RouteTableId.Ref)).map(([, route]) => route.Properties.DestinationCidrBlock)).toEqual(['0.0.0.0/0', '0.0.0.0/0']);
    for (const subnet of functionSubnets) expect(resources[subnet]!.Properties.MapPublicIpOnLaunch).toBe(false);
    expect(ofType('AWS::EC2::Subnet').every(([, subnet]) => subnet.Properties.MapPublicIpOnLaunch === false)).toBe(true);
    // The zones of an environment-agnostic stack: the first two of the region it is deployed to.
    expect(ofType('AWS::EC2::Subnet').map(([, subnet]) => subnet.Properties.AvailabilityZone)).toContainEqual({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] });
  });

  it('outputs the Elastic IPs as EgressIps', () => {
    // Act
    const eips = Object.keys(template.findResources('AWS::EC2::EIP'));
    // Assess
    template.hasOutput(STACK_OUTPUTS.egressIps, { Value: { 'Fn::Join': [',', eips.map((id) => ({ 'Fn::GetAtt': [id, 'PublicIp'] }))] } });
  });

  it('lets Lambda manage the function\'s network interfaces, without a managed policy', () => {
    // Act
    const statements = roleStatements(template, logicalId(stack, stack.dispatcher.lambdaFunction.role!));
    const wildcard = statements.filter((s) => s.resources.includes('*'));
    // Assess
    expect(wildcard).toHaveLength(2);
    expect(wildcard.flatMap((s) => s.actions).every((a) => a.startsWith('ec2:') || a.startsWith('xray:'))).toBe(true);
    expect(wildcard.flatMap((s) => s.actions)).toEqual(expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces']));
    expect(template.toJSON().Resources[logicalId(stack, stack.dispatcher.lambdaFunction.role!)].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('encrypts the three queues with the given key and lets the function use it to send and receive', () => {
    // Act
    const queues = Object.values(template.findResources('AWS::SQS::Queue')).map((queue) => queue.Properties);
    const kms = roleStatements(template, logicalId(stack, stack.dispatcher.lambdaFunction.role!)).filter((s) => s.resources.includes(keyArn));
    // Assess
    expect(queues.map((queue) => queue.KmsMasterKeyId)).toEqual([keyArn, keyArn, keyArn]);
    expect(queues.every((queue) => queue.SqsManagedSseEnabled === undefined)).toBe(true);
    expect(kms.flatMap((s) => s.actions)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']));
  });

  it('lets a publisher granted by grantPublish use the queue key', () => {
    // Prepare
    const grantStack = new Stack(testApp(), 'Grant');
    const dispatcher = new WebhookDispatcher(grantStack, 'Dispatcher', { queueKmsKeyArn: keyArn });
    const platform = new Role(grantStack, 'Platform', { assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com') });
    // Act
    dispatcher.grantPublish(platform);
    // Assess
    const statements = roleStatements(Template.fromStack(grantStack), logicalId(grantStack, platform));
    expect(statements.find((s) => s.resources.includes(keyArn))?.actions).toEqual(expect.arrayContaining(['kms:GenerateDataKey*']));
  });

  it('encrypts the log group with the given key', () => {
    // Assess
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn });
  });

  it('traces with X-Ray, keeps debug lines, ships source maps, and passes the extra event types, the breaker and the concurrency of both event sources', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG' }),
      Environment: {
        Variables: Match.objectLike({
          NODE_OPTIONS: '--enable-source-maps', EXTRA_EVENT_TYPES: 'jobs.deleted,models.registered', BREAKER_FAILURES: '0', BREAKER_COOLDOWN: '5m', FUNCTION_MAX_CONCURRENCY: '100',
        }),
      },
    });
  });

  it('outputs the extra event types as ExtraEventTypes, for the CLI', () => {
    // Assess
    template.hasOutput(STACK_OUTPUTS.extraEventTypes, { Value: 'jobs.deleted,models.registered' });
  });

  it('uses one zone, one NAT gateway and one Elastic IP with staticEgressIpCount 1', () => {
    // Act
    const { template: single } = synthStack({ staticEgressIp: true, staticEgressIpCount: 1 });
    // Assess
    single.resourceCountIs('AWS::EC2::EIP', 1);
    single.resourceCountIs('AWS::EC2::NatGateway', 1);
    single.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: Match.arrayEquals([Match.anyValue()]) } });
  });
});
