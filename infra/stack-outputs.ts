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
  subscriptionsPath: 'SubscriptionsPath',
  alarmTopicArn: 'AlarmTopicArn',
  receiverAlarmTopicArn: 'ReceiverAlarmTopicArn',
  dashboardUrl: 'DashboardUrl',
  /** Only with `staticEgressIp`: the addresses deliveries leave from, comma-separated. */
  egressIps: 'EgressIps',
} as const;
