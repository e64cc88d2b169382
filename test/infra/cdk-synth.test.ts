import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const STACK = 'PlatformWebhooks';

/**
 * The environment of a user with no AWS credentials and no network: the jest setup's dummy
 * credentials and region are removed, and the SDK may not probe the instance-metadata endpoint.
 */
function offlineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', AWS_EC2_METADATA_DISABLED: 'true', ...extra };
  for (const name of Object.keys(env)) {
    if (/^(AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|REGION|DEFAULT_REGION|ENDPOINT_URL)|CDK_DEFAULT_)/.test(name)) delete env[name];
  }
  return env;
}

describe('npx cdk synth (the real CLI, app entry and the pre-built function code)', () => {
  let outdir: string;
  let synth: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    // Prepare
    outdir = mkdtempSync(path.join(tmpdir(), 'platform-webhooks-synth-'));
    // Act
    synth = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', outdir], { cwd: ROOT, env: offlineEnv(), encoding: 'utf8', timeout: 170_000 });
  }, 180_000);

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  /** The synthesized template. */
  function template(): { Resources: Record<string, { Type: string; Properties: Record<string, any> }>; Outputs: Record<string, unknown> } {
    return JSON.parse(readFileSync(path.join(outdir, `${STACK}.template.json`), 'utf8'));
  }

  /** The directory of the function's bundled asset, found through the assets manifest. */
  function assetDirectory(): string {
    const fn = Object.values(template().Resources).find((resource) => resource.Type === 'AWS::Lambda::Function')!;
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    const assets = JSON.parse(readFileSync(path.join(outdir, `${STACK}.assets.json`), 'utf8'));
    return path.join(outdir, assets.files[hash].source.path);
  }

  it('succeeds offline, without credentials, and with no cdk-nag violation', () => {
    // Assess
    expect({ status: synth.status, stderr: synth.stderr }).toMatchObject({ status: 0 });
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.filter((plugin: { conclusion: string }) => plugin.conclusion !== 'success')).toEqual([]);
  });

  it('writes the stack with the Node.js 22 arm64 function and the outputs', () => {
    // Act
    const { Resources, Outputs } = template();
    const functions = Object.values(Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
    // Assess
    expect(functions).toHaveLength(1);
    expect(functions[0]!.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
    expect(Object.keys(Outputs)).toEqual(expect.arrayContaining(['QueueUrl', 'QueueArn', 'RetryQueueUrl', 'DeadLetterQueueUrl', 'FunctionName', 'SubscriptionsPath', 'DashboardUrl']));
  });

  it('bundles the handler minified, without a source map unless sourceMaps is set', () => {
    // Prepare
    const directory = assetDirectory();
    // Act
    const code = readFileSync(path.join(directory, 'index.js'), 'utf8');
    // Assess
    expect(statSync(path.join(directory, 'index.js')).size).toBeGreaterThan(10_000);
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000); // minified: long lines
    expect(code).not.toContain('sourceMappingURL');
    expect(readdirSync(directory)).toEqual(['index.js']);
  });

  it('ran the cdk-nag and the Control Tower checks, and lists what the defaults acknowledge with its reason', () => {
    // Act
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const guard = report.pluginReports.find((plugin: { pluginName: string }) => plugin.pluginName === 'cdk-validator-cfnguard');
    // Assess
    expect(guard?.conclusion).toBe('success');
    expect(guard.suppressedViolations.map((finding: { ruleName: string }) => finding.ruleName).sort()).toEqual([
      'cloudwatch_log_group_encrypted_check',
      'cloudwatch_log_group_retention_period_check',
      'lambda_inside_vpc_check',
    ]);
  });

  it('deploys the code npm run build wrote to dist/handler, byte for byte', () => {
    // Act
    const staged = readFileSync(path.join(assetDirectory(), 'index.js'));
    // Assess
    expect(staged.equals(readFileSync(path.join(ROOT, 'dist', 'handler', 'index.js')))).toBe(true);
  });

  it('bundles a module that loads on Node.js and exports the handler function', () => {
    // Prepare
    const entry = path.join(assetDirectory(), 'index.js');
    const env = offlineEnv({
      AWS_REGION: 'us-east-1',
      SUBSCRIPTIONS_PATH: '/platform-webhooks/subscriptions',
      QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/events',
      RETRY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/retries',
      DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
    });
    // Act
    const load = spawnSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(entry)}).handler)`], { env, encoding: 'utf8', timeout: 30_000 });
    // Assess
    expect({ stdout: load.stdout, stderr: load.stderr }).toMatchObject({ stdout: 'function' });
  });
});

describe('npx cdk synth -c sourceMaps=true', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'platform-webhooks-synth-maps-'));
    spawnSync('npx', ['cdk', 'synth', '--quiet', '-c', 'sourceMaps=true', '--output', outdir], { cwd: ROOT, env: offlineEnv(), encoding: 'utf8', timeout: 170_000 });
  }, 180_000);

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('ships a linked source map of the TypeScript sources, without their content', () => {
    // Prepare
    const template = JSON.parse(readFileSync(path.join(outdir, `${STACK}.template.json`), 'utf8'));
    const fn = Object.values(template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>).find((resource) => resource.Type === 'AWS::Lambda::Function')!;
    const assets = JSON.parse(readFileSync(path.join(outdir, `${STACK}.assets.json`), 'utf8'));
    const directory = path.join(outdir, assets.files[String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')].source.path);
    // Act
    const code = readFileSync(path.join(directory, 'index.js'), 'utf8');
    const map = JSON.parse(readFileSync(path.join(directory, 'index.js.map'), 'utf8'));
    // Assess
    expect(code.trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
    expect(map.sources.some((source: string) => source.endsWith('lambda/handler.ts'))).toBe(true);
    expect(map.sourcesContent).toBeUndefined();
    expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
  });
});

describe('the app entry with an invalid context value', () => {
  it.each<[string, Record<string, string>, string]>([
    ['an invalid value', { batchSize: 'abc' }, 'context "batchSize" must be a whole number, got "abc"'],
    [
      'mistyped keys',
      { memroySize: '64', batchsize: '100' },
      'context "memroySize" is not an option of this app; did you mean "memorySize"?; context "batchsize" is not an option of this app; did you mean "batchSize"?',
    ],
    ['a value outside a limit CDK checks', { maxConcurrency: '1' }, 'maxConcurrency must be between 2 and 1000 concurrent instances'],
  ])('exits 1 on %s with a sentence naming the key, not a stack trace', (_case, context, message) => {
    // Act
    const run = spawnSync('npx', ['tsx', 'infra/app.ts'], {
      cwd: ROOT,
      env: offlineEnv({ CDK_CONTEXT_JSON: JSON.stringify(context) }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`platform-webhooks: ${message}`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
