import { Command, CommanderError } from 'commander';
import { VERSION } from '../lambda/version';
import type { CliIo } from './cli-io';
import type { CommandRuntime } from './command-context';
import { examples } from './command-context';
import { describeError } from './describe-error';
import { CliError, EXIT_CODES } from './errors';
import { addGlobalOptions } from './global-options';
import { scrubSecrets } from './mask-secrets';
import { terminalText } from './terminal-text';

/**
 * A command of the program. Its module is loaded only when the command runs (or its help is asked
 * for): the modules bring the AWS SDK and yaml, which take most of a run's start-up time, so
 * `webhooks --version` and `webhooks --help` load none of them (BENCHMARKS.md, CLI start time).
 */
export interface CommandEntry {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** Its line in `webhooks --help`; the command's own `--help` has its full description. */
  readonly summary: string;
  load(): Promise<(runtime: CommandRuntime) => Command>;
}

/** Every command, in the order `webhooks --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'subscribe', summary: 'create a subscription (or replace one with --overwrite)', load: async () => (await import('./commands/subscribe.js')).subscribeCommand },
  { name: 'list', aliases: ['ls'], summary: 'list the subscriptions, secrets and URLs masked', load: async () => (await import('./commands/list.js')).listCommand },
  { name: 'show', summary: 'show one subscription, masked unless --reveal', load: async () => (await import('./commands/show.js')).showCommand },
  { name: 'remove', aliases: ['rm'], summary: 'delete a subscription', load: async () => (await import('./commands/remove.js')).removeCommand },
  { name: 'enable', summary: 'switch a subscription\'s deliveries on (also after a 410 Gone)', load: async () => enabling(true) },
  { name: 'disable', summary: 'switch a subscription\'s deliveries off', load: async () => enabling(false) },
  { name: 'apply', summary: 'sync a deployment config file (webhooks.yaml) into SSM, showing the diff', load: async () => (await import('./commands/apply.js')).applyCommand },
  { name: 'publish', summary: 'send an event to the events queue, as the platform does', load: async () => (await import('./commands/publish.js')).publishCommand },
  { name: 'test', summary: 'make one live, signed delivery of a sample event', load: async () => (await import('./commands/test-delivery.js')).testCommand },
  { name: 'deliveries', summary: 'list delivery attempts from the function\'s log, newest first', load: async () => (await import('./commands/deliveries.js')).deliveriesCommand },
  { name: 'dlq', summary: 'inspect and redrive the dead-letter queue', load: async () => (await import('./commands/dlq.js')).dlqCommand },
  { name: 'rotate-secret', summary: 'replace a subscription\'s secret; the old one keeps signing for a while', load: async () => (await import('./commands/rotate-secret.js')).rotateSecretCommand },
];

async function enabling(enabled: boolean): Promise<(runtime: CommandRuntime) => Command> {
  const { setEnabledCommand } = await import('./commands/set-enabled.js');
  return (runtime) => setEnabledCommand(runtime, enabled);
}

/**
 * Runs the `webhooks` CLI in process: parses `argv` (the arguments after the program name), runs
 * the command, writes through `io` and returns the exit code (0 done, 1 error, 2 usage error).
 * Never throws and never exits the process.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let runtime: CommandRuntime | undefined;
  try {
    const entry = selectedCommand(argv, createProgram(io));
    let loaded: Command | undefined;
    if (entry !== undefined) {
      const [define, { createRuntime }] = await Promise.all([entry.load(), import('./command-runtime.js')]);
      runtime = createRuntime(io);
      loaded = define(runtime);
    }
    await createProgram(io, loaded).parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    for (const line of describeError(error)) io.stderr(`error: ${terminalText(line)}\n`);
    if ((io.env ?? process.env).WEBHOOKS_DEBUG && error instanceof Error) io.stderr(`${error.stack ?? ''}\n`);
    return error instanceof CliError ? error.exitCode : EXIT_CODES.error;
  } finally {
    runtime?.close();
  }
}

/**
 * The command tree; a fresh one per parse, since commander keeps parsed state on it. `loaded` is
 * the command that runs; the others are stand-ins with a name and a summary, enough for the
 * top-level help and commander's "did you mean …?".
 */
export function createProgram(io: CliIo, loaded?: Command): Command {
  const program = addGlobalOptions(new Command('webhooks'))
    .description('Manage platform-webhooks: subscriptions in SSM Parameter Store, events on SQS, the dead-letter queue.')
    .version(VERSION, '-V, --version', 'print the version')
    .addHelpText('after', examples(
      'webhooks subscribe ops --url https://hooks.example.com/platform --events "experiments.*" --secret',
      'webhooks list',
      'webhooks publish experiments.succeeded --data \'{"experiment":{"id":42}}\'',
      'webhooks --endpoint-url http://127.0.0.1:4566 dlq list',
    ) + '\nRun "webhooks <command> --help" for a command\'s options and examples.\n');
  for (const entry of COMMANDS) program.addCommand(loaded?.name() === entry.name ? loaded : standIn(entry));
  configureTree(program, io, 'webhooks');
  return program;
}

/**
 * The entry of the command `argv` runs, found as commander finds it: the first operand, skipping
 * the program's options and their values; after `help`, the command asked about. Undefined when
 * `argv` names none (`webhooks --help`, `webhooks --version`, a typo).
 */
export function selectedCommand(argv: readonly string[], program: Command): CommandEntry | undefined {
  const operands: string[] = [];
  for (let index = 0; index < argv.length && operands.length < 2; index++) {
    const arg = argv[index] ?? '';
    if (arg === '--') {
      operands.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    const flag = arg.split('=')[0];
    const option = program.options.find((candidate) => candidate.long === flag || candidate.short === flag);
    const next = argv[index + 1];
    const takesNext = option !== undefined && !arg.includes('=') && (option.required || (option.optional && next !== undefined && !next.startsWith('-')));
    if (takesNext) index++;
  }
  const name = operands[0] === 'help' ? operands[1] : operands[0];
  return COMMANDS.find((entry) => entry.name === name || (name !== undefined && entry.aliases?.includes(name) === true));
}

/** A command that is listed but not loaded; {@link run} loads the one that runs, so this never runs. */
function standIn(entry: CommandEntry): Command {
  return new Command(entry.name)
    .aliases([...(entry.aliases ?? [])])
    .summary(entry.summary)
    .action(() => {
      throw new Error(`the command "${entry.name}" was not loaded; this is a bug in cli/program.ts`);
    });
}

/** Output, errors and help settings for every command (`addCommand` does not pass them on). */
function configureTree(command: Command, io: CliIo, path: string): void {
  command
    .exitOverride()
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // One line: commander puts its "(Did you mean …?)" on a line of its own, and may end with a period.
      // It quotes the argument it refused, which may be a credential (README "Security model", What is masked).
      outputError: (text, write) => write(`${terminalText(scrubSecrets(text.trim().replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')))}; see "${path} --help"\n`),
    });
  for (const sub of command.commands) configureTree(sub, io, `${path} ${sub.name()}`);
}

/** Help and version exit 0 (commander says so with exit code 0); every other commander error is a usage error. */
function commanderExitCode(error: CommanderError): number {
  return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
}
