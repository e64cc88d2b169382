import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SETTINGS } from '../lambda/settings';
import { STACK_OUTPUTS } from './stack-outputs';
import { WebhookDispatcher } from './webhook-dispatcher';
import type { WebhookDispatcherProps } from './webhook-dispatcher-props';

/** The stack's name unless `-c stackName=…` gives another. */
export const DEFAULT_STACK_NAME = SETTINGS.stackName.default;

/** Props of {@link PlatformWebhooksStack}. */
export interface PlatformWebhooksStackProps extends StackProps {
  /**
   * Options of the webhook dispatcher.
   * @default - the WebhookDispatcher defaults
   */
  readonly dispatcher?: WebhookDispatcherProps;
}

/** The deployable system: one {@link WebhookDispatcher} and the outputs the CLI and the platform need. */
export class PlatformWebhooksStack extends Stack {
  /** The dispatcher; call `dispatcher.grantPublish(role)` to let a platform role in this app publish. */
  public readonly dispatcher: WebhookDispatcher;

  constructor(scope: Construct, id: string, props: PlatformWebhooksStackProps = {}) {
    super(scope, id, {
      description: 'platform-webhooks: signed webhook delivery for ML-platform events (SQS, Lambda, SSM Parameter Store)',
      ...props,
    });
    this.dispatcher = new WebhookDispatcher(this, 'Dispatcher', props.dispatcher);
    const { queue, retryQueue, deadLetterQueue, lambdaFunction, logGroup, alarms, dashboard, egressNetwork, subscriptionsPath, extraEventTypes } = this.dispatcher;

    new CfnOutput(this, STACK_OUTPUTS.queueUrl, { value: queue.queueUrl, description: 'Events queue: the platform publishes events here' });
    new CfnOutput(this, STACK_OUTPUTS.queueArn, { value: queue.queueArn, description: 'Events queue ARN, for IAM policies of publishers' });
    new CfnOutput(this, STACK_OUTPUTS.retryQueueUrl, { value: retryQueue.queueUrl, description: 'Retry queue: internal, only the function sends to it' });
    new CfnOutput(this, STACK_OUTPUTS.deadLetterQueueUrl, { value: deadLetterQueue.queueUrl, description: 'Dead-letter queue: deliveries that failed for good' });
    new CfnOutput(this, STACK_OUTPUTS.functionName, { value: lambdaFunction.functionName, description: 'The delivery function' });
    new CfnOutput(this, STACK_OUTPUTS.logGroupName, { value: logGroup.logGroupName, description: 'The function\'s log group: its audit lines are the delivery history (webhooks deliveries)' });
    new CfnOutput(this, STACK_OUTPUTS.subscriptionsPath, { value: subscriptionsPath, description: 'SSM path of the subscription parameters' });
    new CfnOutput(this, STACK_OUTPUTS.alarmTopicArn, { value: alarms.topic.topicArn, description: 'SNS topic the system alarms notify' });
    new CfnOutput(this, STACK_OUTPUTS.receiverAlarmTopicArn, { value: alarms.receiverTopic.topicArn, description: 'SNS topic the receiver alarms notify' });
    new CfnOutput(this, STACK_OUTPUTS.dashboardUrl, { value: dashboard.url, description: 'The CloudWatch dashboard' });
    if (egressNetwork !== undefined) {
      new CfnOutput(this, STACK_OUTPUTS.egressIps, { value: egressNetwork.elasticIps, description: 'Public addresses deliveries leave from, for receivers to allow-list' });
    }
    if (extraEventTypes.length > 0) {
      new CfnOutput(this, STACK_OUTPUTS.extraEventTypes, { value: extraEventTypes.join(','), description: 'Event types accepted beside the built-in ones; the CLI checks subscriptions against them' });
    }
  }
}
