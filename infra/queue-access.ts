import { AccountPrincipal, AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { DispatcherOptions } from './webhook-dispatcher-props';

/**
 * The events queue's policy statements for the publishers the options name (docs/design.md §12):
 * SNS topics and EventBridge rules by `aws:SourceArn`, other accounts by principal. Publishers in
 * the queue's own account need only IAM (`WebhookDispatcher.grantPublish`). A customer managed queue
 * key's policy must let each of them use the key too (README, "Deploy" → "Options").
 * @see https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
 */
export function allowPublishers(queue: IQueue, options: Pick<DispatcherOptions, 'snsTopicArns' | 'eventBridgeRuleArns' | 'publisherAccountIds'>): void {
  const services = [
    ['AllowSnsTopics', 'sns.amazonaws.com', options.snsTopicArns],
    ['AllowEventBridgeRules', 'events.amazonaws.com', options.eventBridgeRuleArns],
  ] as const;
  for (const [sid, service, sourceArns] of services) {
    if (sourceArns.length === 0) continue;
    queue.addToResourcePolicy(
      new PolicyStatement({
        sid,
        principals: [new ServicePrincipal(service)],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': [...sourceArns] } },
      }),
    );
  }
  if (options.publisherAccountIds.length === 0) return;
  queue.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowPublisherAccounts',
      principals: options.publisherAccountIds.map((account) => new AccountPrincipal(account)),
      // What an SDK's send needs, as grantPublish gives it.
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resources: [queue.queueArn],
    }),
  );
}

/**
 * Denies `sqs:SendMessage` on `queue` to every principal but `role`, whatever their IAM allows: a
 * record from the retry queue is trusted as a delivery message (docs/design.md §4). An assumed
 * role's `aws:PrincipalArn` is the role's ARN.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function denySendingToAllBut(queue: IQueue, role: IRole): void {
  queue.addToResourcePolicy(
    new PolicyStatement({
      sid: 'OnlyTheFunctionSends',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } },
    }),
  );
}
