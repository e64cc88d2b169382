/**
 * The package as another project gets it: `npm pack`, installed into a project outside the
 * repository with nothing beside it but aws-cdk-lib and constructs, then used there as the README
 * says: a CDK app puts WebhookDispatcher into its own stack and synthesizes with `app.synth()` (no
 * CDK CLI, no esbuild, no TypeScript), a script publishes with `publishEvent`, `npx webhooks` runs,
 * and the app type-checks against the package's declarations.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ensureLibrary } from '../../scripts/build-library.js';
import { createQueues, drain, fauxqsEndpoint, sqsClient } from '../support/queues';
import { installScratchProject, pack } from './scratch-project';
import type { PackedPackage } from './scratch-project';

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE = 'platform-webhooks';

/** A CDK app of a user's: an existing stack with its own role, the construct with custom props. */
const APP = `// @ts-check
import { App, Duration, Stack } from 'aws-cdk-lib';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { WebhookDispatcher } from 'platform-webhooks/cdk';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'ExistingStack');
const platformRole = new Role(stack, 'PlatformRole', { assumedBy: new AccountRootPrincipal() });
const webhooks = new WebhookDispatcher(stack, 'Webhooks', { subscriptionsPath: '/acme/webhooks', memorySize: 512, retrySchedule: [Duration.seconds(10), Duration.minutes(5)] });
webhooks.grantPublish(platformRole);
webhooks.addStackOutputs();
app.synth();
`;

/** A publisher's script, CommonJS; the queue URL and the endpoint (none: AWS) come from the environment. */
const PUBLISH = `const { SQSClient } = require('@aws-sdk/client-sqs');
const { publishEvent } = require('platform-webhooks');

publishEvent(new SQSClient({ endpoint: process.env.SQS_ENDPOINT }), process.env.QUEUE_URL, { type: 'experiments.succeeded', id: 'evt_scratch', data: { experiment: { id: 42 } } })
  .then((published) => process.stdout.write(JSON.stringify(published)));
`;

/** What the declarations must allow and refuse (checked by tsc below). */
const TYPES = `import { EVENT_TYPES, parseSubscription, publishEvent } from 'platform-webhooks';
import type { EventType, PlatformEvent, Subscription } from 'platform-webhooks';
import type { WebhookDispatcherProps } from 'platform-webhooks/cdk';

export const first: EventType = EVENT_TYPES[0]!;
// @ts-expect-error not an event type of the catalogue
export const mistyped: EventType = 'experiment.succeeded';
export const props: WebhookDispatcherProps = { batchSize: 20, sourceMaps: true };
// @ts-expect-error not a prop of the construct
export const unknownProp: WebhookDispatcherProps = { batchSise: 20 };
export const received = (body: string): PlatformEvent => JSON.parse(body);
export const stored = (value: unknown): Subscription | undefined => {
  const result = parseSubscription('ops', value);
  return result.ok ? result.subscription : undefined;
};
export const publish = (client: Parameters<typeof publishEvent>[0]) => publishEvent(client, 'url', { type: 'jobs.failed', data: {} });
`;

/** The same from an app compiled to CommonJS with the older resolution, which ignores `exports`. */
const TYPES_COMMONJS = `import { WebhookDispatcher } from 'platform-webhooks/cdk';
import type { EventType } from 'platform-webhooks';

export const construct = WebhookDispatcher;
// @ts-expect-error not an event type of the catalogue
export const mistyped: EventType = 'experiment.succeeded';
`;

/** The compiler options of `cdk init app --language typescript`, without Node.js's and jest's types. */
const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['es2022'], strict: true, skipLibCheck: true, noEmit: true, allowJs: true, checkJs: true, types: [] },
  files: ['app.mjs', 'types.mts'],
};

/** Those of apps that `cdk init` made before it chose NodeNext: CommonJS, Node.js 10's resolution. */
const TSCONFIG_COMMONJS = {
  compilerOptions: { target: 'ES2020', module: 'commonjs', lib: ['es2020'], strict: true, skipLibCheck: true, noEmit: true, types: [] },
  files: ['types-commonjs.ts'],
};

const run = promisify(execFile);

describe('the packed package, installed in a project of its own', () => {
  let scratch: string;
  let packed: PackedPackage;

  /** Runs `command` in the scratch project with the test's AWS settings, fauxqs's endpoint in SQS_ENDPOINT. */
  function inScratch(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
    return run(command, args, { cwd: scratch, env: { ...process.env, SQS_ENDPOINT: fauxqsEndpoint(), npm_config_offline: 'true', ...env }, timeout: 120_000 });
  }

  beforeAll(async () => {
    // Prepare: the package built from the tree (entries and declarations; globalSetup built the rest), packed and installed.
    await ensureLibrary((reason) => process.stderr.write(`building the package entries (${reason})\n`));
    scratch = mkdtempSync(path.join(tmpdir(), 'platform-webhooks-package-'));
    packed = await pack(scratch);
    await installScratchProject(scratch, packed, ['aws-cdk-lib', 'constructs']);
    writeFileSync(path.join(scratch, 'app.mjs'), APP);
    writeFileSync(path.join(scratch, 'publish.cjs'), PUBLISH);
    writeFileSync(path.join(scratch, 'types.mts'), TYPES);
    writeFileSync(path.join(scratch, 'types-commonjs.ts'), TYPES_COMMONJS);
    writeFileSync(path.join(scratch, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    writeFileSync(path.join(scratch, 'tsconfig.commonjs.json'), JSON.stringify(TSCONFIG_COMMONJS, null, 2));
  }, 240_000);

  afterAll(() => {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it('holds the built code, the declarations and the bin, and no sources, tests, benches or stand-ins', () => {
    // Act
    const files = packed.files.map((file) => file.path);
    // Assess
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/webhooks.js', 'dist/cli.mjs', 'dist/index.js', 'dist/cdk.js', 'dist/handler/index.js', 'dist/handler-source-maps/index.js', 'dist/handler-source-maps/index.js.map', 'dist/types/lib/index.d.ts', 'dist/types/lib/cdk.d.ts']));
    const unexpected = files.filter((file) => !/^(package\.json|README\.md|bin\/webhooks\.js|scripts\/(build-cli|bundle-sources)\.js|dist\/(cli\.mjs|chunks\/[\w-]+\.mjs|index\.js|cdk\.js|handler\/index\.js|handler-source-maps\/index\.js(\.map)?|types\/[\w/-]+\.d\.ts))$/.test(file));
    expect(unexpected).toEqual([]);
  });

  it('declares types that import only the package\'s dependencies and peers', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(path.join(scratch, 'node_modules', PACKAGE, 'package.json'), 'utf8')) as { dependencies: object; peerDependencies: object };
    const allowed = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const declarations = packed.files.map((file) => file.path).filter((file) => file.endsWith('.d.ts'));
    // Act
    const imported = declarations.flatMap((file) =>
      [...readFileSync(path.join(scratch, 'node_modules', PACKAGE, file), 'utf8').matchAll(/from '([^'.][^']*)'|import\("([^".][^"]*)"\)/g)].map((match) => (match[1] ?? match[2])!),
    );
    // Assess
    expect(imported.length).toBeGreaterThan(0);
    expect([...new Set(imported.map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')))].filter((name) => !allowed.has(name))).toEqual([]);
  });

  describe('a CDK app of the user\'s, run with node', () => {
    let synth: { stdout: string; stderr: string };
    let template: { Resources: Record<string, { Type: string; Properties: Record<string, any> }>; Outputs?: Record<string, { Value: unknown }> };

    beforeAll(async () => {
      // Act
      synth = await inScratch(process.execPath, ['app.mjs']);
      template = JSON.parse(readFileSync(path.join(scratch, 'cdk.out', 'ExistingStack.template.json'), 'utf8'));
    }, 120_000);

    it('synthesizes the dispatcher into the existing stack with the app\'s props', () => {
      // Act
      const resources = Object.values(template.Resources);
      const fn = resources.find((resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.Handler === 'index.handler')!;
      // Assess
      expect(synth.stderr).toBe('');
      expect(resources.filter((resource) => resource.Type === 'AWS::SQS::Queue')).toHaveLength(3);
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 512 });
      expect(fn.Properties.Environment.Variables).toMatchObject({ SUBSCRIPTIONS_PATH: '/acme/webhooks', RETRY_SCHEDULE: '10s,5m' });
      expect(template.Outputs).toMatchObject({ QueueUrl: expect.anything(), DeadLetterQueueUrl: expect.anything(), LogGroupName: expect.anything(), SubscriptionsPath: { Value: '/acme/webhooks' } });
    });

    it('lets the app\'s role publish to the events queue', () => {
      // Act
      const policies = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.Roles).includes('PlatformRole'));
      const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
      // Assess
      expect(statements.flatMap((statement) => [statement.Action].flat())).toContain('sqs:SendMessage');
      expect(JSON.stringify(statements.map((statement) => statement.Resource))).toMatch(/"Fn::GetAtt":\["Webhooks\w*Queue\w*","Arn"\]/);
    });

    it('stages the pre-built function code from the package, which loads and exports the handler', async () => {
      // Prepare
      const fn = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.Handler === 'index.handler')!;
      const assets = JSON.parse(readFileSync(path.join(scratch, 'cdk.out', 'ExistingStack.assets.json'), 'utf8'));
      const directory = path.join(scratch, 'cdk.out', assets.files[String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')].source.path);
      const env = { QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/q', RETRY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/r', DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/1/d' };
      // Act
      const load = await inScratch(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(path.join(directory, 'index.js'))}).handler)`], env);
      // Assess
      expect(readdirSync(directory)).toEqual(['index.js']);
      expect(readFileSync(path.join(directory, 'index.js')).equals(readFileSync(path.join(scratch, 'node_modules', PACKAGE, 'dist', 'handler', 'index.js')))).toBe(true);
      expect(load.stdout).toBe('function');
    });
  });

  it('publishes an event with publishEvent from a CommonJS script', async () => {
    // Prepare
    const client = sqsClient();
    const { queueUrl } = await createQueues(client, 'installed-package');
    // Act
    const { stdout } = await inScratch(process.execPath, ['publish.cjs'], { QUEUE_URL: queueUrl });
    // Assess
    const [message] = await drain(client, queueUrl, 5);
    client.destroy();
    expect(JSON.parse(stdout)).toEqual({ eventId: 'evt_scratch', messageId: message!.MessageId });
    expect(JSON.parse(message!.Body!)).toEqual({ type: 'experiments.succeeded', id: 'evt_scratch', data: { experiment: { id: 42 } } });
  });

  it('runs the webhooks bin with npx, commands included', async () => {
    // Act
    const version = await inScratch('npx', ['webhooks', '--version']);
    const help = await inScratch('npx', ['webhooks', 'publish', '--help']);
    // Assess
    expect(version).toEqual({ stdout: `${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: webhooks publish \[options\] <type>/);
  });

  it('type-checks the app against the package\'s declarations, as cdk init\'s tsconfig does, old and new', async () => {
    // Act
    const tsc = (project: string) =>
      run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(scratch, project)], { cwd: scratch, timeout: 120_000 }).catch((error: { stdout: string }) => error);
    const checks = await Promise.all([tsc('tsconfig.json'), tsc('tsconfig.commonjs.json')]);
    // Assess
    expect(checks.map((check) => check.stdout)).toEqual(['', '']);
  }, 120_000);
});
