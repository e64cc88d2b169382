import * as path from 'node:path';
import { ArnFormat, Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Architecture, RecursiveLoop, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { settingsEnvironment } from '../lambda/settings';
import { DispatcherAlarms } from './dispatcher-alarms';
import { REMOVAL_POLICIES, resolveDispatcherProps } from './webhook-dispatcher-props';
import type { WebhookDispatcherProps } from './webhook-dispatcher-props';

/** The repository root: the bundle's project root and the home of `lambda/handler.ts`. */
const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The function's entry file and exported handler (docs/design.md §5). */
export const HANDLER_ENTRY = path.join(PROJECT_ROOT, 'lambda', 'handler.ts');

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

/** Receives before the events queue moves a message that keeps failing to the DLQ (docs/design.md §4). */
export const MAX_RECEIVE_COUNT = 5;

/**
 * Largest SQS message, 1 MiB (the SQS maximum since 2025, accepted by aws-cdk-lib). The platform's
 * events are at most 256 KiB, but a retry wraps one in a delivery message, which must still fit.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
export const MAX_MESSAGE_SIZE_BYTES = 1_048_576;

/**
 * The webhook pipeline: the events queue the platform publishes to, a dead-letter queue, the delivery
 * function fed by the queue with partial batch responses, least-privilege IAM (subscriptions path
 * only, KMS only through SSM, send only to its own queues), log retention and alarms.
 */
export class WebhookDispatcher extends Construct {
  /** Events queue: the platform publishes here, and the function re-enqueues retries here. */
  public readonly queue: Queue;
  /** Dead-letter queue: dead-letter records from the function and messages redriven by SQS. */
  public readonly deadLetterQueue: Queue;
  /** The delivery function. */
  public readonly lambdaFunction: NodejsFunction;
  /** The function's log group, with the configured retention. */
  public readonly logGroup: LogGroup;
  /** The alarms and their SNS topic. */
  public readonly alarms: DispatcherAlarms;
  /** The SSM path under which subscriptions are stored. */
  public readonly subscriptionsPath: string;
  /** ARN of the subscriptions path itself (what `GetParametersByPath` is authorised against). */
  public readonly subscriptionsPathArn: string;

  constructor(scope: Construct, id: string, props: WebhookDispatcherProps = {}) {
    super(scope, id);
    const options = resolveDispatcherProps(props);
    const removalPolicy = REMOVAL_POLICIES[options.removalPolicy];
    const maxBatchingWindow = Duration.seconds(options.maxBatchingWindow);
    const stack = Stack.of(this);
    this.subscriptionsPath = options.subscriptionsPath;
    this.subscriptionsPathArn = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: options.subscriptionsPath.slice(1),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      removalPolicy,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Shorter than the DLQ's 14 days: a dead-lettered message keeps its original enqueue time.
      retentionPeriod: Duration.days(4),
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * FUNCTION_TIMEOUT.toSeconds() + maxBatchingWindow.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      removalPolicy,
    });

    const retention = options.logRetention === 'infinite' ? RetentionDays.INFINITE : options.logRetention;
    this.logGroup = new LogGroup(this, 'LogGroup', { retention, removalPolicy });
    // An explicit role, so that no managed policy grants logs:* on every log group.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'platform-webhooks delivery function',
    });
    this.logGroup.grantWrite(role);

    this.lambdaFunction = new NodejsFunction(this, 'Function', {
      description: 'platform-webhooks: delivers ML-platform events to subscribed webhooks',
      entry: HANDLER_ENTRY,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: options.memorySize,
      timeout: FUNCTION_TIMEOUT,
      role,
      logGroup: this.logGroup,
      // Retries are re-enqueued on the queue the function consumes: by design a loop, one that can
      // run past Lambda's 16-hop recursion limit (a 10 h wait is 40 hops of 15 minutes).
      recursiveLoop: RecursiveLoop.ALLOW,
      environment: {
        ...settingsEnvironment(options),
        QUEUE_URL: this.queue.queueUrl,
        DLQ_URL: this.deadLetterQueue.queueUrl,
        POWERTOOLS_SERVICE_NAME: 'platform-webhooks',
        POWERTOOLS_METRICS_NAMESPACE: 'PlatformWebhooks',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        // Local esbuild (a devDependency): no Docker needed.
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node22',
        format: OutputFormat.CJS,
        // Pin the SDK the function was tested with instead of the runtime's copy; its ES module
        // builds tree-shake to about two thirds of the size of its CommonJS ones.
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        logLevel: LogLevel.WARNING,
      },
    });
    this.lambdaFunction.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: options.batchSize,
        maxBatchingWindow: options.maxBatchingWindow > 0 ? maxBatchingWindow : undefined,
        maxConcurrency: options.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    this.grantFunctionAccess(role);
    Validations.of(this.lambdaFunction).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The design pins the function to the Node.js 22 runtime, which AWS supports and the code is tested on.',
    });

    this.alarms = new DispatcherAlarms(this, 'Alarms', {
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      lambdaFunction: this.lambdaFunction,
      email: options.alarmEmail,
      topicKey: options.alarmTopicKey,
    });
  }

  /**
   * Lets `grantee` (the platform's role) publish events: `sqs:SendMessage` and the attribute and
   * URL look-ups SDKs make, on the events queue only.
   */
  public grantPublish(grantee: IGrantable): Grant {
    return this.queue.grantSendMessages(grantee);
  }

  /** The function's own permissions besides logging and the event source's receive/delete. */
  private grantFunctionAccess(role: Role): void {
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
        resources: [this.queue.queueArn, this.deadLetterQueue.queueArn],
      }),
    );
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
    }
  }
}
