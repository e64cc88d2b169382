import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ArnFormat, Aws, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { ApplicationLogLevel, Architecture, Code, Function as LambdaFunction, LoggingFormat, MetricType, RecursiveLoop, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption, RedrivePermission } from 'aws-cdk-lib/aws-sqs';
import type { QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { settingsEnvironment } from '../lambda/settings';
import { acknowledgeControlTowerFindings } from './control-tower-acknowledgements';
import { DispatcherAlarms } from './dispatcher-alarms';
import { DispatcherDashboard } from './dispatcher-dashboard';
import { addDispatcherOutputs } from './dispatcher-outputs';
import { FUNCTION_METRICS } from './dispatcher-metrics';
import { EgressNetwork } from './egress-network';
import { allowPublishers, denySendingToAllBut } from './queue-access';
import { InvalidPropsError, MissingHandlerCodeError } from './errors';
import { REMOVAL_POLICIES, resolveDispatcherProps } from './webhook-dispatcher-props';
import type { WebhookDispatcherProps } from './webhook-dispatcher-props';

/**
 * The package root: one level above this file in the repository (infra/) and above the bundle
 * that ships it in the package (dist/cdk.js).
 */
const PACKAGE_ROOT = path.resolve(__dirname, '..');

/**
 * The function's code, built by `npm run build` (scripts/build-handler.js, which names the same
 * directories) and shipped in the package: without source maps, or with them (docs/design.md §7).
 */
function handlerCodeDirectory(sourceMaps: boolean): string {
  const directory = path.join(PACKAGE_ROOT, 'dist', sourceMaps ? 'handler-source-maps' : 'handler');
  if (!existsSync(path.join(directory, 'index.js'))) {
    throw new MissingHandlerCodeError(`WebhookDispatcher: the function's code is missing (${path.join(directory, 'index.js')}); run "npm run build" in ${PACKAGE_ROOT}, or reinstall the package`);
  }
  return directory;
}

/**
 * Function timeout. A delivery takes at most 30 s (the largest `timeoutMs`) and the handler
 * re-enqueues what it has no time left to start, so 60 s lets one slow attempt finish with room for
 * settling the batch, while a stuck invocation is cut off within a minute.
 */
export const FUNCTION_TIMEOUT = Duration.seconds(60);

/**
 * Lambda's guidance: a visibility timeout of at least six times the function timeout, plus the
 * batching window, so that a message is not redelivered while a throttled batch is retried.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * Lambda's limit on a function's environment, all keys and values together, in bytes.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
 */
const MAX_ENVIRONMENT_BYTES = 4096;

/** What a queue URL, unknown until deploy, is counted as: `https://sqs.<region>.amazonaws.com/<account>/` and an 80-character name. */
const QUEUE_URL_BYTES = 140;

/**
 * The environment, refused at synth when it would not fit Lambda's 4 KB (deploying would fail):
 * the long settings are a subscriptions path, extra event types and allowed CIDRs.
 * @throws {InvalidPropsError} naming its size and what to shorten.
 */
function checkedEnvironment(environment: Record<string, string>): Record<string, string> {
  const bytes = Object.entries(environment).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + (Token.isUnresolved(value) ? QUEUE_URL_BYTES : Buffer.byteLength(value)),
    0,
  );
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw new InvalidPropsError(`WebhookDispatcher: the function's environment would be about ${bytes} bytes, and Lambda allows ${MAX_ENVIRONMENT_BYTES} for all its variables; shorten subscriptionsPath, extraEventTypes or allowedTargetCidrs`);
  }
  return environment;
}

/** Receives before the events queue moves a message that keeps failing to the DLQ (docs/design.md §4). */
export const MAX_RECEIVE_COUNT = 5;

/**
 * Largest SQS message, 1 MiB (the SQS maximum since 2025, accepted by aws-cdk-lib). The platform's
 * events are at most 256 KiB, but a retry wraps one in a delivery message, which must still fit.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
export const MAX_MESSAGE_SIZE_BYTES = 1_048_576;

/** The function's event sources: the events queue and the retry queue. */
const EVENT_SOURCES = 2;

/** Lambda's application log level for each `logLevel` (Powertools Logger reads it as AWS_LAMBDA_LOG_LEVEL). */
const LOG_LEVELS = { debug: ApplicationLogLevel.DEBUG, info: ApplicationLogLevel.INFO, warn: ApplicationLogLevel.WARN, error: ApplicationLogLevel.ERROR } as const;

/**
 * The webhook pipeline: the events queue the platform publishes to, the internal retry queue, a
 * dead-letter queue, the delivery function fed by both queues with partial batch responses,
 * least-privilege IAM (subscriptions path only, KMS only through SSM, send only to the retry queue
 * and the DLQ), log retention, alarms and a dashboard.
 */
export class WebhookDispatcher extends Construct {
  /** Events queue: the platform publishes here. */
  public readonly queue: Queue;
  /** Retry queue: only the function sends here, delivery messages waiting for their next attempt (docs/design.md §4). */
  public readonly retryQueue: Queue;
  /** Dead-letter queue: dead-letter records from the function and messages redriven by SQS. */
  public readonly deadLetterQueue: Queue;
  /** The delivery function. */
  public readonly lambdaFunction: LambdaFunction;
  /** The function's log group, with the configured retention. */
  public readonly logGroup: LogGroup;
  /** The alarms and their SNS topics. */
  public readonly alarms: DispatcherAlarms;
  /** The CloudWatch dashboard. */
  public readonly dashboard: DispatcherDashboard;
  /** The VPC with fixed egress addresses, with `staticEgressIp` only. */
  public readonly egressNetwork?: EgressNetwork;
  /** The SSM path under which subscriptions are stored. */
  public readonly subscriptionsPath: string;
  /** ARN of the subscriptions path itself (what `GetParametersByPath` is authorised against). */
  public readonly subscriptionsPathArn: string;
  /** The event types the function accepts beside the built-in ones (docs/design.md §10). */
  public readonly extraEventTypes: readonly string[];

  constructor(scope: Construct, id: string, props: WebhookDispatcherProps = {}) {
    super(scope, id);
    const options = resolveDispatcherProps(props);
    const removalPolicy = REMOVAL_POLICIES[options.removalPolicy];
    const maxBatchingWindow = Duration.seconds(options.maxBatchingWindow);
    const stack = Stack.of(this);
    this.subscriptionsPath = options.subscriptionsPath;
    this.extraEventTypes = options.extraEventTypes;
    this.subscriptionsPathArn = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: options.subscriptionsPath.slice(1),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    const queueKey = options.queueKmsKeyArn === undefined ? undefined : Key.fromKeyArn(this, 'QueueKey', options.queueKmsKeyArn);
    const encryption: QueueProps = queueKey === undefined ? { encryption: QueueEncryption.SQS_MANAGED } : { encryption: QueueEncryption.KMS, encryptionMasterKey: queueKey };
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      ...encryption,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      // "byQueue" would name the two source queues, whose redrive policies name this queue: a
      // reference cycle CloudFormation refuses. allowAll is SQS's own default, made explicit.
      redriveAllowPolicy: { redrivePermission: RedrivePermission.ALLOW_ALL },
      removalPolicy,
    });
    // The events queue and the retry queue share every setting (docs/design.md §7).
    const workQueue = (queueId: string): Queue =>
      new Queue(this, queueId, {
        ...encryption,
        enforceSSL: true,
        // Shorter than the DLQ's 14 days: a dead-lettered message keeps its original enqueue time.
        retentionPeriod: Duration.days(4),
        maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
        visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * FUNCTION_TIMEOUT.toSeconds() + maxBatchingWindow.toSeconds()),
        deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
        removalPolicy,
      });
    this.queue = workQueue('Queue');
    this.retryQueue = workQueue('RetryQueue');
    allowPublishers(this.queue, options);

    const retention = options.logRetention === 'infinite' ? RetentionDays.INFINITE : options.logRetention;
    const logKey = options.logKmsKeyArn === undefined ? undefined : Key.fromKeyArn(this, 'LogKey', options.logKmsKeyArn);
    this.logGroup = new LogGroup(this, 'LogGroup', { retention, removalPolicy, encryptionKey: logKey });
    // An explicit role, so that no managed policy grants logs:* on every log group.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'platform-webhooks delivery function',
    });
    this.logGroup.grantWrite(role);
    if (options.staticEgressIp) this.egressNetwork = new EgressNetwork(this, 'EgressNetwork', { zones: options.staticEgressIpCount });

    const environment = checkedEnvironment({
      ...settingsEnvironment({ ...options, functionMaxConcurrency: EVENT_SOURCES * options.maxConcurrency }),
      QUEUE_URL: this.queue.queueUrl,
      RETRY_QUEUE_URL: this.retryQueue.queueUrl,
      DLQ_URL: this.deadLetterQueue.queueUrl,
      POWERTOOLS_SERVICE_NAME: FUNCTION_METRICS.service,
      POWERTOOLS_METRICS_NAMESPACE: FUNCTION_METRICS.namespace,
      ...(options.sourceMaps && { NODE_OPTIONS: '--enable-source-maps' }),
    });
    this.lambdaFunction = new LambdaFunction(this, 'Function', {
      description: 'platform-webhooks: delivers ML-platform events to subscribed webhooks',
      // Pre-built, so synthesis needs no bundler and no Docker (docs/design.md §7). The map is most
      // of the code and slows every cold start; stack traces then name minified lines, so it ships
      // only when asked for (README, "Deploy" → "Options").
      code: Code.fromAsset(handlerCodeDirectory(options.sourceMaps)),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: options.memorySize,
      timeout: FUNCTION_TIMEOUT,
      role,
      logGroup: this.logGroup,
      // Lambda drops lines below the level before they are stored, and Powertools Logger, which
      // reads the level Lambda sets (AWS_LAMBDA_LOG_LEVEL) before its own, does not format them.
      // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: LOG_LEVELS[options.logLevel],
      tracing: options.tracing ? Tracing.ACTIVE : undefined,
      vpc: this.egressNetwork?.vpc,
      vpcSubnets: this.egressNetwork?.functionSubnets,
      // Retries are re-enqueued on the retry queue the function consumes: by design a loop, one that
      // can run past Lambda's 16-hop recursion limit (a 10 h wait is 40 hops of 15 minutes).
      recursiveLoop: RecursiveLoop.ALLOW,
      environment,
    });
    // Both queues with the same options; FUNCTION_MAX_CONCURRENCY above is their sum.
    const eventSources = [this.queue, this.retryQueue].map(
      (queue) =>
        new SqsEventSource(queue, {
          batchSize: options.batchSize,
          maxBatchingWindow: options.maxBatchingWindow > 0 ? maxBatchingWindow : undefined,
          maxConcurrency: options.maxConcurrency,
          reportBatchItemFailures: true,
          // FailedInvokeEventCount: the records the function could not settle (an alarm and the dashboard).
          metricsConfig: { metrics: [MetricType.EVENT_COUNT] },
        }),
    );
    for (const eventSource of eventSources) this.lambdaFunction.addEventSource(eventSource);
    this.grantFunctionAccess(role, queueKey, options.tracing);
    Validations.of(this.lambdaFunction).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The design pins the function to the Node.js 22 runtime, which AWS supports and the code is tested on.',
    });

    const eventSourceMappingIds = eventSources.map((eventSource) => eventSource.eventSourceMappingId);
    const watched = { queue: this.queue, retryQueue: this.retryQueue, deadLetterQueue: this.deadLetterQueue, lambdaFunction: this.lambdaFunction, eventSourceMappingIds };
    this.alarms = new DispatcherAlarms(this, 'Alarms', { ...watched, email: options.alarmEmail, receiverEmail: options.receiverAlarmEmail, topicKey: options.alarmTopicKey });
    this.dashboard = new DispatcherDashboard(this, 'Dashboard', { ...watched, alarms: this.alarms.all });
    acknowledgeControlTowerFindings({ logGroup: this.logGroup, lambdaFunction: this.lambdaFunction, inVpc: this.egressNetwork !== undefined }, options);
  }

  /**
   * Adds the stack outputs the `webhooks` CLI (`--stack`) and the platform look up, under the keys
   * of README "Outputs" (`QueueUrl`, `DeadLetterQueueUrl`, `SubscriptionsPath`, `LogGroupName`,
   * `ExtraEventTypes`, …), to the stack this dispatcher is in. Call it for one dispatcher per stack.
   */
  public addStackOutputs(): void {
    addDispatcherOutputs(Stack.of(this), this);
  }

  /**
   * Lets `grantee` (the platform's role) publish events: `sqs:SendMessage` and the attribute and
   * URL look-ups SDKs make, on the events queue only (never the retry queue), with the queue key's
   * use when it has one.
   */
  public grantPublish(grantee: IGrantable): Grant {
    return this.queue.grantSendMessages(grantee);
  }

  /** The function's own permissions besides logging and the event sources' receive/delete. */
  private grantFunctionAccess(role: Role, queueKey: IKey | undefined, tracing: boolean): void {
    const parametersArn = `${this.subscriptionsPathArn}/*`;
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadAndDisableSubscriptions',
        // GetParametersByPath is authorised against the path itself, the others against each parameter.
        actions: ['ssm:GetParametersByPath', 'ssm:GetParameter', 'ssm:GetParameterHistory', 'ssm:PutParameter'],
        resources: [this.subscriptionsPathArn, parametersArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'UseSubscriptionKeysThroughSsm',
        // Encrypt because a 410 rewrites a SecureString subscription with enabled: false.
        actions: ['kms:Decrypt', 'kms:Encrypt'],
        resources: [Stack.of(this).formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
        conditions: {
          StringEquals: { 'kms:ViaService': `ssm.${Aws.REGION}.${Aws.URL_SUFFIX}` },
          // Parameter Store passes the parameter's ARN as encryption context.
          StringLike: { 'kms:EncryptionContext:PS_ARN': parametersArn },
        },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'EnqueueRetriesAndDeadLetters',
        actions: ['sqs:SendMessage'],
        resources: [this.retryQueue.queueArn, this.deadLetterQueue.queueArn],
      }),
    );
    denySendingToAllBut(this.retryQueue, role);
    // Sending to a queue under a customer managed key needs a data key; receiving is granted by the event sources.
    queueKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    if (this.egressNetwork !== undefined) {
      // What AWSLambdaVPCAccessExecutionRole grants, without its logs:* on every log group.
      role.addToPolicy(
        new PolicyStatement({
          sid: 'ManageNetworkInterfaces',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy !== undefined) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter${this.subscriptionsPath}/*]`,
        reason: 'Subscriptions are created at run time as parameters under the subscriptions path, so the function is scoped to that path rather than to named parameters.',
      });
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]',
        reason: 'SecureString subscriptions may use any key of the account, so KMS use is instead limited to calls made by SSM for parameters under the subscriptions path.',
      });
      const onAnyResource = [
        ...(this.egressNetwork === undefined ? [] : ['the network interfaces Lambda manages in the VPC']),
        ...(tracing ? ['the X-Ray trace segments the function sends'] : []),
      ];
      if (onAnyResource.length > 0) {
        Validations.of(policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: `AWS authorises the actions behind ${onAnyResource.join(' and ')} on all resources only.`,
        });
      }
    }
  }
}
