/**
 * Output ids of the stack (contract: the CLI looks the values up by these keys). A module of its
 * own, free of the CDK, so the CLI can import it without loading aws-cdk-lib.
 */
export const STACK_OUTPUTS = {
  queueUrl: 'QueueUrl',
  queueArn: 'QueueArn',
  retryQueueUrl: 'RetryQueueUrl',
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  functionName: 'FunctionName',
  /** The function's log group, where `webhooks deliveries` reads the delivery history (docs/design.md §11). */
  logGroupName: 'LogGroupName',
  subscriptionsPath: 'SubscriptionsPath',
  alarmTopicArn: 'AlarmTopicArn',
  receiverAlarmTopicArn: 'ReceiverAlarmTopicArn',
  dashboardUrl: 'DashboardUrl',
  /** Only with `staticEgressIp`: the addresses deliveries leave from, comma-separated. */
  egressIps: 'EgressIps',
  /** Only with `extraEventTypes`: the event types accepted beside the built-in ones, comma-separated (the CLI checks subscriptions against them). */
  extraEventTypes: 'ExtraEventTypes',
} as const;
