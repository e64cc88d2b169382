import { run } from '../../cli/program';
import { cleanEnv } from './cli-harness';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env });
  return { code, stdout, stderr };
}

const COMMANDS = [
  ['subscribe'], ['list'], ['show'], ['remove'], ['enable'], ['disable'], ['apply'], ['publish'], ['test'],
  ['dlq', 'list'], ['dlq', 'redrive'], ['rotate-secret'],
];

describe('the webhooks program', () => {
  it.each(COMMANDS)('prints help with examples and the global options for %s', async (...command) => {
    // Act
    const result = await cli([...command, '--help']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: webhooks ${command.join(' ')}[ |]`));
    expect(result.stdout).toContain('\nExamples:\n  $ webhooks ');
    expect(result.stdout).toContain('--endpoint-url <url>');
    expect(result.stderr).toBe('');
  });

  it('lists every command in its own help', async () => {
    // Act
    const result = await cli(['--help']);

    // Assess
    for (const command of ['subscribe', 'list', 'show', 'remove', 'enable', 'disable', 'apply', 'publish', 'test', 'dlq', 'rotate-secret']) {
      expect(result.stdout).toMatch(new RegExp(`\\n  ${command}[ |]`));
    }
  });

  it('prints the version', async () => {
    // Act
    const result = await cli(['--version']);

    // Assess
    expect(result).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it.each([
    [['subscribes'], "error: unknown command 'subscribes'"],
    [['list', '--colour'], "error: unknown option '--colour'"],
    [['show'], "error: missing required argument 'name'"],
    [['show', 'a', 'b'], 'error: too many arguments'],
  ])('exits 2 with one error line for %j', async (args, message) => {
    // Act
    const result = await cli(args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.startsWith(message)).toBe(true);
  });

  it('shows the help on stderr and exits 2 without a command', async () => {
    // Act
    const result = await cli([]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: webhooks');
  });

  it('reports an unreachable endpoint in one line, without a stack trace', async () => {
    // Act
    const result = await cli(['list', '--endpoint-url', 'http://127.0.0.1:9']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: could not reach the AWS endpoint \(connect ECONNREFUSED 127\.0\.0\.1:9\); check --endpoint-url \/ AWS_ENDPOINT_URL \(is the local stack running\? start it with "npm start"\) and your network\n$/);
  });
});
