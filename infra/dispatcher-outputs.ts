import { CfnOutput } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { DispatcherAlarms } from './dispatcher-alarms';
import type { DispatcherDashboard } from './dispatcher-dashboard';
import type { EgressNetwork } from './egress-network';
import { InvalidPropsError } from './errors';
import { STACK_OUTPUTS } from './stack-outputs';

/** The parts of a dispatcher its outputs name. */
export interface DispatcherOutputParts {
  readonly queue: Queue;
  readonly retryQueue: Queue;
  readonly deadLetterQueue: Queue;
  readonly lambdaFunction: LambdaFunction;
  readonly logGroup: LogGroup;
  readonly alarms: DispatcherAlarms;
  readonly dashboard: DispatcherDashboard;
  readonly egressNetwork?: EgressNetwork;
  readonly subscriptionsPath: string;
  readonly extraEventTypes: readonly string[];
}

/**
 * The outputs the CLI (`webhooks --stack`) and the platform look up, in `stack` itself so that their
 * keys are exactly those of {@link STACK_OUTPUTS} (an output's key is its logical id, which a nested
 * scope would prefix). One dispatcher's outputs per stack: a second set would repeat the ids.
 */
export function addDispatcherOutputs(stack: Stack, parts: DispatcherOutputParts): void {
  if (stack.node.tryFindChild(STACK_OUTPUTS.queueUrl) !== undefined) {
    throw new InvalidPropsError(`WebhookDispatcher.addStackOutputs: stack "${stack.stackName}" has the outputs of a dispatcher already; the CLI reads one dispatcher's outputs per stack, so put a second dispatcher in a stack of its own`);
  }
  const { queue, retryQueue, deadLetterQueue, lambdaFunction, logGroup, alarms, dashboard, egressNetwork, subscriptionsPath, extraEventTypes } = parts;
  new CfnOutput(stack, STACK_OUTPUTS.queueUrl, { value: queue.queueUrl, description: 'Events queue: the platform publishes events here' });
  new CfnOutput(stack, STACK_OUTPUTS.queueArn, { value: queue.queueArn, description: 'Events queue ARN, for IAM policies of publishers' });
  new CfnOutput(stack, STACK_OUTPUTS.retryQueueUrl, { value: retryQueue.queueUrl, description: 'Retry queue: internal, only the function sends to it' });
  new CfnOutput(stack, STACK_OUTPUTS.deadLetterQueueUrl, { value: deadLetterQueue.queueUrl, description: 'Dead-letter queue: deliveries that failed for good' });
  new CfnOutput(stack, STACK_OUTPUTS.functionName, { value: lambdaFunction.functionName, description: 'The delivery function' });
  new CfnOutput(stack, STACK_OUTPUTS.logGroupName, { value: logGroup.logGroupName, description: 'The function\'s log group: its audit lines are the delivery history (webhooks deliveries)' });
  new CfnOutput(stack, STACK_OUTPUTS.subscriptionsPath, { value: subscriptionsPath, description: 'SSM path of the subscription parameters' });
  new CfnOutput(stack, STACK_OUTPUTS.alarmTopicArn, { value: alarms.topic.topicArn, description: 'SNS topic the system alarms notify' });
  new CfnOutput(stack, STACK_OUTPUTS.receiverAlarmTopicArn, { value: alarms.receiverTopic.topicArn, description: 'SNS topic the receiver alarms notify' });
  new CfnOutput(stack, STACK_OUTPUTS.dashboardUrl, { value: dashboard.url, description: 'The CloudWatch dashboard' });
  if (egressNetwork !== undefined) {
    new CfnOutput(stack, STACK_OUTPUTS.egressIps, { value: egressNetwork.elasticIps, description: 'Public addresses deliveries leave from, for receivers to allow-list' });
  }
  if (extraEventTypes.length > 0) {
    new CfnOutput(stack, STACK_OUTPUTS.extraEventTypes, { value: extraEventTypes.join(','), description: 'Event types accepted beside the built-in ones; the CLI checks subscriptions against them' });
  }
}
