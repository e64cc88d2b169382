import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** What {@link DispatcherAlarms} watches and where it reports. */
export interface DispatcherAlarmsProps {
  /** The events queue: its oldest message's age is watched. */
  readonly queue: IQueue;
  /** The dead-letter queue: any visible message raises an alarm. */
  readonly deadLetterQueue: IQueue;
  /** The delivery function: errors and throttles raise an alarm. */
  readonly lambdaFunction: IFunction;
  /**
   * E-mail address subscribed to the topic.
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * Customer managed key for the topic; see `WebhookDispatcherProps.alarmTopicKey`.
   * @default - not encrypted at rest
   */
  readonly topicKey?: IKey;
}

/**
 * Age of the oldest events-queue message that raises an alarm. Retries wait at most 15 minutes on
 * the queue (the SQS delay limit) and a failing message is received 5 times, 6 minutes apart, before
 * it is dead-lettered; older than this means deliveries are stuck.
 */
export const OLDEST_MESSAGE_AGE_THRESHOLD = Duration.minutes(30);

/** Period over which every alarm evaluates its metric. */
export const ALARM_PERIOD = Duration.minutes(5);

/**
 * The dispatcher's alarms (DLQ not empty, oldest message age, function errors and throttles),
 * each notifying one SNS topic that accepts TLS only and may have an e-mail subscription.
 */
export class DispatcherAlarms extends Construct {
  /** Receives every alarm; subscribe e-mail, chat or paging endpoints to it. */
  public readonly topic: Topic;
  /** Any message visible in the dead-letter queue. */
  public readonly deadLetterQueueAlarm: Alarm;
  /** Events-queue messages older than {@link OLDEST_MESSAGE_AGE_THRESHOLD}. */
  public readonly oldestMessageAgeAlarm: Alarm;
  /** Any failed invocation (uncaught error or timeout; per-record failures are not counted). */
  public readonly functionErrorsAlarm: Alarm;
  /** Any throttled invocation (the account or function ran out of concurrency). */
  public readonly functionThrottlesAlarm: Alarm;

  constructor(scope: Construct, id: string, props: DispatcherAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'platform-webhooks alarms',
      enforceSSL: true,
      masterKey: props.topicKey,
    });
    this.allowCloudWatchToPublish(props.topicKey);
    if (props.email !== undefined) this.topic.addSubscription(new EmailSubscription(props.email));

    this.deadLetterQueueAlarm = this.alarm('DeadLetterQueueNotEmpty', {
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      threshold: 0,
      description: 'Deliveries reached the dead-letter queue (permanent failure, retries exhausted or invalid event). Inspect with `webhooks dlq list`, fix, then `webhooks dlq redrive`.',
    });
    this.oldestMessageAgeAlarm = this.alarm('OldestMessageTooOld', {
      metric: props.queue.metricApproximateAgeOfOldestMessage({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      threshold: OLDEST_MESSAGE_AGE_THRESHOLD.toSeconds(),
      description: `An event has waited on the queue for more than ${OLDEST_MESSAGE_AGE_THRESHOLD.toHumanString()}: the function is failing, throttled or too slow for the load.`,
    });
    this.functionErrorsAlarm = this.alarm('FunctionErrors', {
      metric: props.lambdaFunction.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 0,
      description: 'The delivery function failed whole invocations (uncaught error or timeout). See its log group.',
    });
    this.functionThrottlesAlarm = this.alarm('FunctionThrottles', {
      metric: props.lambdaFunction.metricThrottles({ period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 0,
      description: 'The delivery function was throttled: the account or function concurrency limit is reached.',
    });
  }

  /**
   * A topic policy replaces SNS's default one (enforceSSL adds one), so CloudWatch needs an explicit
   * grant, limited to this account's alarms; an encrypted topic also needs the key.
   * @see https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
   */
  private allowCloudWatchToPublish(topicKey: IKey | undefined): void {
    const stack = Stack.of(this);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    // Not encrypted by default: CloudWatch cannot use the AWS managed aws/sns key, a key of our own
    // would cost $1 a month, and alarm notifications carry no secrets.
    topicKey?.grant(cloudWatch, 'kms:Decrypt', 'kms:GenerateDataKey*');
  }

  private alarm(id: string, options: { readonly metric: IMetric; readonly threshold: number; readonly description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
