/**
 * What a run of the CLI loads: the AWS SDK clients and yaml take most of its start-up time
 * (BENCHMARKS.md, CLI start time), so only the command that runs may load them. Each heavy module
 * is replaced by itself, wrapped to record that it was loaded.
 */
import type { run as runCli } from '../../cli/program';
import { cleanEnv } from '../support/cli-harness';

const HEAVY = ['@aws-sdk/client-ssm', '@aws-sdk/client-sqs', '@aws-sdk/client-cloudformation', 'yaml'] as const;

/** Runs the CLI from a fresh module registry; resolves with the heavy modules it loaded and its exit code. */
async function loadedBy(args: readonly string[]): Promise<{ code: number; loaded: string[] }> {
  const loaded: string[] = [];
  let code = -1;
  await jest.isolateModulesAsync(async () => {
    for (const name of HEAVY) {
      jest.doMock(name, () => {
        loaded.push(name);
        return jest.requireActual(name);
      });
    }
    const { run } = require('../../cli/program') as { run: typeof runCli };
    code = await run(args, { stdout: () => undefined, stderr: () => undefined, env: cleanEnv() });
  });
  return { code, loaded: loaded.sort() };
}

afterEach(() => {
  for (const name of HEAVY) jest.dontMock(name);
});

describe('what a run of the webhooks CLI loads', () => {
  it.each([[['--version']], [['--help']], [['help']], [['nope']]])('loads no AWS SDK client and no yaml for %j', async (args) => {
    // Act
    const { loaded } = await loadedBy(args);

    // Assess
    expect(loaded).toEqual([]);
  });

  it.each([
    [['list', '--help'], ['@aws-sdk/client-sqs', '@aws-sdk/client-ssm']],
    [['help', 'dlq'], ['@aws-sdk/client-sqs', '@aws-sdk/client-ssm']],
    [['--region', 'eu-west-1', 'apply', '--help'], ['@aws-sdk/client-sqs', '@aws-sdk/client-ssm', 'yaml']],
  ])('loads for %j only what that command uses', async (args, expected) => {
    // Act
    const { code, loaded } = await loadedBy(args);

    // Assess
    expect(code).toBe(0);
    expect(loaded).toEqual(expected);
  });

  it('loads the CloudFormation client only to read a stack\'s outputs', async () => {
    // Act
    const { loaded } = await loadedBy(['--stack', 'PlatformWebhooks', '--region', 'eu-west-1', '--endpoint-url', 'http://127.0.0.1:9', 'list']);

    // Assess
    expect(loaded).toContain('@aws-sdk/client-cloudformation');
  });
});
