import { createRuntime } from '../../cli/command-runtime';
import { COMMANDS, createProgram, run, selectedCommand } from '../../cli/program';
import { startReceiver } from '../support/receiver';
import { cleanEnv } from '../support/cli-harness';

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

const COMMAND_PATHS = [
  ['subscribe'], ['list'], ['show'], ['remove'], ['enable'], ['disable'], ['apply'], ['publish'], ['test'],
  ['dlq', 'list'], ['dlq', 'redrive'], ['rotate-secret'],
];

describe('the webhooks program', () => {
  it.each(COMMAND_PATHS)('prints help with examples and the global options for %s', async (...command) => {
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

  it('prints a command\'s help for "help <command>" and exits 0', async () => {
    // Act
    const result = await cli(['help', 'rotate-secret']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: webhooks rotate-secret \[options\] <name>\n/);
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

  it('ends a commander error with one sentence and where the help is', async () => {
    // Act
    const result = await cli(['subscribe', 'ops', '--url', 'https://a.example.com', '--events', '*', '--format', 'foo']);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: option \'--format <format>\' argument \'foo\' is invalid. Allowed choices are standard, slack, discord, mattermost, teams, pagerduty; see "webhooks subscribe --help"\n');
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

describe('what the webhooks program says about the endpoint', () => {
  it('says that an endpoint which is not AWS answered, and what to check', async () => {
    // Prepare: a web server that answers every request with a plain "ok".
    const server = await startReceiver();
    server.script('/', { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });

    // Act
    const result = await cli(['list', '--endpoint-url', server.url('')]).finally(() => server.close());

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: ${server.url('')} answered HTTP 200 with something that is not an AWS response (Unexpected token 'o', "ok" is not valid JSON); ` +
        'check --endpoint-url / AWS_ENDPOINT_URL: the local stack\'s endpoint is the one "npm start" prints, and AWS needs none\n',
    );
  });

  it.each([
    [['--endpoint-url', 'localhost:4566'], {}, '--endpoint-url must be an absolute http: or https: URL such as http://127.0.0.1:4566, got "localhost:4566"'],
    [['--endpoint-url', 'foo'], {}, '--endpoint-url must be an absolute http: or https: URL such as http://127.0.0.1:4566, got "foo"'],
    [[], { AWS_ENDPOINT_URL: '127.0.0.1:4566' }, 'AWS_ENDPOINT_URL must be an absolute http: or https: URL such as http://127.0.0.1:4566, got "127.0.0.1:4566"'],
  ])('refuses a malformed endpoint %j %j as a usage error, before asking for a region', async (args, env, message) => {
    // Act
    const result = await cli([...args, 'list'], { ...cleanEnv(), AWS_REGION: '', AWS_DEFAULT_REGION: '', ...env });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${message}\n`);
  });
});

describe('the command a command line runs', () => {
  it('is loaded with the name and aliases the program lists it under', async () => {
    // Prepare
    const runtime = createRuntime({ stdout: () => undefined, stderr: () => undefined });

    // Act
    const loaded = await Promise.all(COMMANDS.map(async (entry) => (await entry.load())(runtime)));

    // Assess
    expect(loaded.map((command) => [command.name(), command.aliases()])).toEqual(COMMANDS.map((entry) => [entry.name, entry.aliases ?? []]));
  });

  it.each([
    [['list'], 'list'],
    [['ls', '--json'], 'list'],
    [['--endpoint-url', 'http://127.0.0.1:4566', 'dlq', 'list'], 'dlq'],
    [['--region=eu-west-1', 'show', 'ops'], 'show'],
    [['--path', 'subscribe', 'list'], 'list'],
    [['help', 'rotate-secret'], 'rotate-secret'],
    [['--', 'remove', 'ops'], 'remove'],
    [['--version'], undefined],
    [['--help'], undefined],
    [['subscribes', 'ops'], undefined],
    [[], undefined],
  ])('is found in %j as commander finds it: %s', (argv, expected) => {
    // Prepare
    const program = createProgram({ stdout: () => undefined, stderr: () => undefined });

    // Act
    const entry = selectedCommand(argv, program);

    // Assess
    expect(entry?.name).toBe(expected);
  });
});
