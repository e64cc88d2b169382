import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { DispatcherOptions } from './webhook-dispatcher-props';

/** The resources the acknowledged controls are about. */
export interface ControlTowerSubjects {
  readonly logGroup: IConstruct;
  readonly lambdaFunction: IConstruct;
  /** The function runs in a VPC (`staticEgressIp`). */
  readonly inVpc: boolean;
}

/**
 * Acknowledges the AWS Control Tower proactive controls (cfn-guard) that these options do not meet,
 * each with why and the option that meets it; an option that meets one leaves it checked. Every other
 * control is met by the resources themselves.
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/proactive-controls.html
 */
export function acknowledgeControlTowerFindings(subjects: ControlTowerSubjects, options: Pick<DispatcherOptions, 'logRetention' | 'logKmsKeyArn'>): void {
  const logGroup = Validations.of(subjects.logGroup);
  const retention = 'cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check';
  if (options.logRetention !== 'infinite' && options.logRetention < 365) {
    logGroup.acknowledge({ id: retention, reason: `The delivery log is kept ${options.logRetention} days by the logRetention option, a year or more only where a policy asks for it.` });
  } else if (options.logRetention === 'infinite' && options.logKmsKeyArn === undefined) {
    // cfn-guard fails a resource that has no properties at all, before it reads RetentionInDays.
    logGroup.acknowledge({ id: retention, reason: 'The log group keeps its lines forever, and the rule fails it only because such a log group has no property left to read.' });
  }
  if (options.logKmsKeyArn === undefined) {
    logGroup.acknowledge({
      id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
      reason: 'CloudWatch Logs encrypts every log group with keys of its own, and the logKmsKeyArn option names a customer managed key instead.',
    });
  }
  if (!subjects.inVpc) {
    Validations.of(subjects.lambdaFunction).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason: 'The function reaches only public endpoints and AWS APIs, and the staticEgressIp option runs it in a VPC of its own.',
    });
  }
}
