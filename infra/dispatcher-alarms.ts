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
import { DEAD_LETTERED_BY_REASON } from '../lambda/core/ports';
import { METRIC_PERIOD, functionMetric, sumOf, unsettledRecordsMetric } from './dispatcher-metrics';

/** What {@link DispatcherAlarms} watches and where it reports. */
export interface DispatcherAlarmsProps {
  /** The events queue and the retry queue: their oldest message's age is watched. */
  readonly queue: IQueue;
  readonly retryQueue: IQueue;
  /** The dead-letter queue: a record about to expire raises an alarm. */
  readonly deadLetterQueue: IQueue;
  /** The delivery function: errors and throttles raise an alarm. */
  readonly lambdaFunction: IFunction;
  /** The ids of the function's event source mappings (events queue, retry queue). */
  readonly eventSourceMappingIds: readonly string[];
  /**
   * E-mail address subscribed to the system alarms' topic.
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * E-mail address subscribed to the receiver alarms' topic.
   * @default - no subscription
   */
  readonly receiverEmail?: string;
  /**
   * Customer managed key for the topics; see `WebhookDispatcherProps.alarmTopicKey`.
   * @default - not encrypted at rest
   */
  readonly topicKey?: IKey;
}

/**
 * Age of the oldest events-queue or retry-queue message that raises an alarm. A retry waits at
 * most 15 minutes on the queue (the SQS delay limit) and a failing message is received 5 times,
 * 6 minutes apart, before it is dead-lettered; older than this means deliveries are stuck.
 */
export const OLDEST_MESSAGE_AGE_THRESHOLD = Duration.minutes(30);

/** Age of the oldest dead letter that raises an alarm: SQS deletes it at 14 days (the DLQ's retention). */
export const DEAD_LETTER_EXPIRY_WARNING = Duration.days(10);

/**
 * The dispatcher's alarms, split by whose problem they are (docs/design.md §12):
 * - receivers' (topic {@link receiverTopic}): deliveries a receiver refused for good or never
 *   accepted; the subscription's owner has to act;
 * - the system's (topic {@link topic}): invalid events, records the function could not process,
 *   function errors and throttles, stuck queues, dead letters about to expire.
 *
 * Each alarm on dead letters counts the *new* ones per period, not the DLQ's depth: it returns to OK
 * after a period without one and so fires again for the next, however many wait in the DLQ. Every
 * alarm notifies its topic on ALARM and on OK.
 */
export class DispatcherAlarms extends Construct {
  /** Receives the system alarms; subscribe the platform team's e-mail, chat or paging endpoint. */
  public readonly topic: Topic;
  /** Receives the receiver alarms; subscribe whoever talks to the receivers' owners. */
  public readonly receiverTopic: Topic;
  /** Deliveries dead-lettered as `permanent` or `exhausted` in a period. */
  public readonly receiverDeadLettersAlarm: Alarm;
  /** Events dead-lettered as `invalid-event` in a period. */
  public readonly invalidEventsAlarm: Alarm;
  /** Records the function could not settle in a period; SQS moves them to the DLQ after 5 receives. */
  public readonly unprocessedRecordsAlarm: Alarm;
  /** Events-queue messages older than {@link OLDEST_MESSAGE_AGE_THRESHOLD}. */
  public readonly oldestMessageAgeAlarm: Alarm;
  /** Retry-queue messages older than {@link OLDEST_MESSAGE_AGE_THRESHOLD}. */
  public readonly oldestRetryAgeAlarm: Alarm;
  /** Dead letters older than {@link DEAD_LETTER_EXPIRY_WARNING}. */
  public readonly deadLettersExpiringAlarm: Alarm;
  /** Any failed invocation (uncaught error or timeout; per-record failures are not counted). */
  public readonly functionErrorsAlarm: Alarm;
  /** Any throttled invocation (the account or function ran out of concurrency). */
  public readonly functionThrottlesAlarm: Alarm;

  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: DispatcherAlarmsProps) {
    super(scope, id);
    this.namePrefix = `${Stack.of(this).stackName}-${scope.node.id}`;
    this.topic = this.newTopic('Topic', 'platform-webhooks: system alarms', props.topicKey, props.email);
    this.receiverTopic = this.newTopic('ReceiverTopic', 'platform-webhooks: receiver alarms', props.topicKey, props.receiverEmail);
    const { queue, retryQueue, deadLetterQueue, lambdaFunction } = props;
    const inspect = 'Inspect with `webhooks dlq list` (each record names the subscription, the reason and the error)';

    this.receiverDeadLettersAlarm = this.alarm('ReceiverDeadLetters', this.receiverTopic, {
      name: 'receivers refused deliveries',
      metric: sumOf('Deliveries dead-lettered (permanent, exhausted)', [
        functionMetric(DEAD_LETTERED_BY_REASON.permanent),
        functionMetric(DEAD_LETTERED_BY_REASON.exhausted),
      ]),
      threshold: 0,
      description: `A receiver refused deliveries for good (a 3xx, 410 or other 4xx: permanent) or failed every retry (exhausted). ${inspect}, tell the subscription's owner, and once the endpoint works run \`webhooks dlq redrive\`. Fires again for the next one after ${METRIC_PERIOD.toHumanString()} without.`,
    });
    this.invalidEventsAlarm = this.alarm('InvalidEvents', this.topic, {
      name: 'publishers sent invalid events',
      metric: functionMetric(DEAD_LETTERED_BY_REASON['invalid-event']),
      threshold: 0,
      description: `A publisher sent events that are not valid (not JSON, no type or data, a type outside the catalogue); they went to the dead-letter queue at once. ${inspect}, fix the publisher, then \`webhooks dlq redrive\` if the events still matter.`,
    });
    this.unprocessedRecordsAlarm = this.alarm('UnprocessedRecords', this.topic, {
      name: 'records not processed',
      metric: sumOf('Records not processed', props.eventSourceMappingIds.map((mappingId, index) => unsettledRecordsMetric(mappingId, `queue ${index + 1}`))),
      threshold: 0,
      description: 'The function could not process records (Parameter Store or SQS unreachable, a bug): SQS delivers each again, and after 5 receives moves it to the dead-letter queue as it was, without a dead-letter reason. Search the log group for "record not settled".',
    });
    this.oldestMessageAgeAlarm = this.alarm('OldestMessageTooOld', this.topic, {
      name: 'events waiting too long',
      metric: queue.metricApproximateAgeOfOldestMessage({ period: METRIC_PERIOD, statistic: 'Maximum' }),
      threshold: OLDEST_MESSAGE_AGE_THRESHOLD.toSeconds(),
      description: `An event has waited on the events queue for more than ${OLDEST_MESSAGE_AGE_THRESHOLD.toHumanString()}: the function is failing, throttled or too slow for the load. Check its errors, throttles and concurrency on the dashboard.`,
    });
    this.oldestRetryAgeAlarm = this.alarm('OldestRetryTooOld', this.topic, {
      name: 'retries waiting too long',
      metric: retryQueue.metricApproximateAgeOfOldestMessage({ period: METRIC_PERIOD, statistic: 'Maximum' }),
      threshold: OLDEST_MESSAGE_AGE_THRESHOLD.toSeconds(),
      description: `A retry has waited on the retry queue for more than ${OLDEST_MESSAGE_AGE_THRESHOLD.toHumanString()} past its delay: the function is failing, throttled or too slow for the load. Check its errors, throttles and concurrency on the dashboard.`,
    });
    this.deadLettersExpiringAlarm = this.alarm('DeadLettersExpiring', this.topic, {
      name: 'dead letters about to expire',
      metric: deadLetterQueue.metricApproximateAgeOfOldestMessage({ period: METRIC_PERIOD, statistic: 'Maximum' }),
      threshold: DEAD_LETTER_EXPIRY_WARNING.toSeconds(),
      description: `A dead letter is older than ${DEAD_LETTER_EXPIRY_WARNING.toDays()} days; SQS deletes it at 14. ${inspect}, then redrive it with \`webhooks dlq redrive\` or save it elsewhere.`,
    });
    this.functionErrorsAlarm = this.alarm('FunctionErrors', this.topic, {
      name: 'function errors',
      metric: lambdaFunction.metricErrors({ period: METRIC_PERIOD, statistic: 'Sum' }),
      threshold: 0,
      description: 'The delivery function failed whole invocations (uncaught error, timeout, out of memory): their records are received again. See its log group for the error.',
    });
    this.functionThrottlesAlarm = this.alarm('FunctionThrottles', this.topic, {
      name: 'function throttled',
      metric: lambdaFunction.metricThrottles({ period: METRIC_PERIOD, statistic: 'Sum' }),
      threshold: 0,
      description: 'The delivery function was throttled: the account\'s or the function\'s concurrency limit is reached. Raise the account limit or lower maxConcurrency.',
    });
  }

  /** Every alarm, for the dashboard. */
  public get all(): Alarm[] {
    return [
      this.receiverDeadLettersAlarm,
      this.invalidEventsAlarm,
      this.unprocessedRecordsAlarm,
      this.oldestMessageAgeAlarm,
      this.oldestRetryAgeAlarm,
      this.deadLettersExpiringAlarm,
      this.functionErrorsAlarm,
      this.functionThrottlesAlarm,
    ];
  }

  private newTopic(id: string, displayName: string, key: IKey | undefined, email: string | undefined): Topic {
    const topic = new Topic(this, id, { displayName, enforceSSL: true, masterKey: key });
    this.allowCloudWatchToPublish(topic, key);
    if (email !== undefined) topic.addSubscription(new EmailSubscription(email));
    return topic;
  }

  /**
   * A topic policy replaces SNS's default one (enforceSSL adds one), so CloudWatch needs an explicit
   * grant, limited to this account's alarms; an encrypted topic also needs the key.
   * @see https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
   */
  private allowCloudWatchToPublish(topic: Topic, topicKey: IKey | undefined): void {
    const stack = Stack.of(this);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
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

  private alarm(id: string, topic: Topic, options: { readonly name: string; readonly metric: IMetric; readonly threshold: number; readonly description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.namePrefix} ${options.name}`,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new SnsAction(topic));
    alarm.addOkAction(new SnsAction(topic));
    return alarm;
  }
}
