import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createApp } from '../../infra/create-app';
import { testContext } from './synth-stack';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Every option that changes what the Control Tower controls see. */
const EVERY_OPTION = {
  staticEgressIp: 'true',
  tracing: 'true',
  sourceMaps: 'true',
  logLevel: 'debug',
  queueKmsKeyArn: KEY_ARN,
  logKmsKeyArn: KEY_ARN,
  logRetention: '365',
  snsTopicArns: 'arn:aws:sns:eu-west-1:123456789012:platform-events',
  eventBridgeRuleArns: 'arn:aws:events:eu-west-1:123456789012:rule/platform-webhooks',
  publisherAccountIds: '210987654321',
  alarmEmail: 'ops@example.com',
  receiverAlarmEmail: 'support@example.com',
};

interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly violations: { ruleName: string }[];
  readonly suppressedViolations?: { ruleName: string; reason?: string; violatingConstructs: { constructPath: string }[] }[];
}

/**
 * Synthesizes the app as `cdk synth -c …` does, with its validation plugins (cdk-nag AwsSolutions
 * and the Control Tower rules through cfn-guard, whose binary the package bundles): a finding
 * not acknowledged in code throws. Returns the plugin reports of the validation report.
 */
function synthesize(context: Record<string, string>): PluginReport[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'platform-webhooks-guard-'));
  try {
    createApp({ outdir, context: testContext(context) }).synth();
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: PluginReport[] };
    return report.pluginReports;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('the AWS Control Tower proactive controls (cfn-guard) at synthesis', () => {
  let defaults: PluginReport[];
  let everything: PluginReport[];
  let alone: PluginReport[][];

  beforeAll(() => {
    defaults = synthesize({});
    everything = synthesize(EVERY_OPTION);
    // Options that each add what a check looks at, one at a time.
    alone = ([{ logRetention: 'infinite' }, { tracing: 'true' }, { staticEgressIp: 'true' }] as Record<string, string>[]).map((context) => synthesize(context));
  }, 170_000);

  /** The Control Tower findings acknowledged in code, as `rule construct-path: reason`. */
  function acknowledged(reports: PluginReport[]): string[] {
    const guard = reports.find((report) => report.pluginName === 'cdk-validator-cfnguard');
    return (guard?.suppressedViolations ?? []).flatMap((finding) =>
      finding.violatingConstructs.map((construct) => `${finding.ruleName} ${construct.constructPath.replace(/^PlatformWebhooks\/Dispatcher\//, '')}: ${finding.reason}`),
    );
  }

  it('finds nothing unacknowledged with the defaults, with every option, nor with tracing, a VPC or logs kept forever alone', () => {
    // Assess
    for (const reports of [defaults, everything, ...alone]) {
      expect(reports.filter((report) => report.conclusion !== 'success')).toEqual([]);
      expect(reports.flatMap((report) => report.violations.map((violation) => `${report.pluginName}: ${violation.ruleName}`))).toEqual([]);
    }
  });

  it('acknowledges with the defaults only what an option meets: log retention, log key, VPC', () => {
    // Act
    const findings = acknowledged(defaults);
    // Assess
    expect(findings.map((finding) => finding.replace(/:.*$/, '')).sort()).toEqual([
      'cloudwatch_log_group_encrypted_check LogGroup/Resource',
      'cloudwatch_log_group_retention_period_check LogGroup/Resource',
      'lambda_inside_vpc_check Function/Resource',
    ]);
    for (const finding of findings) expect(finding).toMatch(/: [A-Z][^.]*(\.[^ .][^.]*)*\.$/);
  });

  it('acknowledges nothing once the options meet every control', () => {
    // Act
    const findings = acknowledged(everything);
    // Assess
    expect(findings).toEqual([]);
  });
});
