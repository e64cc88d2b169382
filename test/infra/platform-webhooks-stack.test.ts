import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STACK_OUTPUTS } from '../../infra/stack-outputs';
import { logicalId, synthStack } from './synth-stack';

describe('PlatformWebhooksStack', () => {
  const { stack, template } = synthStack({ alarmEmail: 'ops@example.com' });
  const { dispatcher } = stack;

  it('outputs what the CLI and the platform look up, under fixed keys', () => {
    // Act
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    // Assess
    // EgressIps and ExtraEventTypes only with the options that give them a value.
    const always = Object.values(STACK_OUTPUTS).filter((key) => key !== STACK_OUTPUTS.egressIps && key !== STACK_OUTPUTS.extraEventTypes);
    expect(Object.keys(outputs).sort()).toEqual(always.sort());
    expect(outputs[STACK_OUTPUTS.queueUrl]!.Value).toEqual({ Ref: logicalId(stack, dispatcher.queue) });
    expect(outputs[STACK_OUTPUTS.retryQueueUrl]!.Value).toEqual({ Ref: logicalId(stack, dispatcher.retryQueue) });
    expect(outputs[STACK_OUTPUTS.alarmTopicArn]!.Value).toEqual({ Ref: logicalId(stack, dispatcher.alarms.topic) });
    expect(outputs[STACK_OUTPUTS.receiverAlarmTopicArn]!.Value).toEqual({ Ref: logicalId(stack, dispatcher.alarms.receiverTopic) });
    expect(outputs[STACK_OUTPUTS.queueArn]!.Value).toEqual({ 'Fn::GetAtt': [logicalId(stack, dispatcher.queue), 'Arn'] });
    expect(outputs[STACK_OUTPUTS.deadLetterQueueUrl]!.Value).toEqual({ Ref: logicalId(stack, dispatcher.deadLetterQueue) });
    expect(outputs[STACK_OUTPUTS.functionName]!.Value).toEqual({ Ref: logicalId(stack, dispatcher.lambdaFunction) });
    expect(outputs[STACK_OUTPUTS.subscriptionsPath]!.Value).toBe('/platform-webhooks/subscriptions');
    expect(outputs[STACK_OUTPUTS.logGroupName]!.Value).toEqual({ Ref: logicalId(stack, dispatcher.logGroup) });
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    // Act
    const report = new AwsSolutionsChecks(stack, { verbose: true }).validateScope(stack);
    // Assess
    expect(report.violations.map((violation) => `${violation.ruleName}: ${violation.description}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledged cdk-nag and Control Tower finding a one-sentence reason', () => {
    // Act
    const acknowledgements = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    // Assess
    expect(acknowledgements.map(([id]) => id.replace(/^Annotation::/, '').replace(/\[.*$/, '')).sort()).toEqual([
      'AwsSolutions-IAM5',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
      'cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
      'cdk-validator-cfnguard::lambda_inside_vpc_check',
    ]);
    for (const [, reason] of acknowledgements) {
      expect(reason).toMatch(/^[A-Z][^]*\.$/);
      expect(reason).not.toMatch(/[.!?]\s+[A-Z]/);
    }
  });
});
