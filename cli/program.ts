import { Command, CommanderError } from 'commander';
import { VERSION } from '../lambda/version';
import type { CliIo } from './cli-io';
import type { CommandRuntime } from './command-context';
import { createRuntime, examples } from './command-context';
import { applyCommand } from './commands/apply';
import { dlqCommand } from './commands/dlq';
import { listCommand } from './commands/list';
import { publishCommand } from './commands/publish';
import { removeCommand } from './commands/remove';
import { rotateSecretCommand } from './commands/rotate-secret';
import { setEnabledCommand } from './commands/set-enabled';
import { showCommand } from './commands/show';
import { subscribeCommand } from './commands/subscribe';
import { testCommand } from './commands/test-delivery';
import { describeError } from './describe-error';
import { CliError, EXIT_CODES } from './errors';
import { addGlobalOptions } from './global-options';

/**
 * Runs the `webhooks` CLI in process: parses `argv` (the arguments after the program name), runs
 * the command, writes through `io` and returns the exit code (0 done, 1 error, 2 usage error).
 * Never throws and never exits the process.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const runtime = createRuntime(io);
  const program = createProgram(runtime);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    for (const line of describeError(error)) io.stderr(`error: ${line}\n`);
    if ((io.env ?? process.env).WEBHOOKS_DEBUG && error instanceof Error) io.stderr(`${error.stack ?? ''}\n`);
    return error instanceof CliError ? error.exitCode : EXIT_CODES.error;
  } finally {
    runtime.close();
  }
}

/** The command tree; a fresh one per run, since commander keeps parsed state on it. */
export function createProgram(runtime: CommandRuntime): Command {
  const program = addGlobalOptions(new Command('webhooks'))
    .description('Manage platform-webhooks: subscriptions in SSM Parameter Store, events on SQS, the dead-letter queue.')
    .version(VERSION, '-V, --version', 'print the version')
    .addCommand(subscribeCommand(runtime))
    .addCommand(listCommand(runtime))
    .addCommand(showCommand(runtime))
    .addCommand(removeCommand(runtime))
    .addCommand(setEnabledCommand(runtime, true))
    .addCommand(setEnabledCommand(runtime, false))
    .addCommand(applyCommand(runtime))
    .addCommand(publishCommand(runtime))
    .addCommand(testCommand(runtime))
    .addCommand(dlqCommand(runtime))
    .addCommand(rotateSecretCommand(runtime))
    .addHelpText('after', examples(
      'webhooks subscribe ops --url https://hooks.example.com/platform --events "experiments.*" --secret',
      'webhooks list',
      'webhooks publish experiments.succeeded --data \'{"experiment":{"id":42}}\'',
      'webhooks --endpoint-url http://127.0.0.1:4566 dlq list',
    ) + '\nRun "webhooks <command> --help" for a command\'s options and examples.\n');
  configureTree(program, runtime.io, 'webhooks');
  return program;
}

/** Output, errors and help settings for every command (`addCommand` does not pass them on). */
function configureTree(command: Command, io: CliIo, path: string): void {
  command
    .exitOverride()
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // One line: commander puts its "(Did you mean …?)" on a line of its own.
      outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, ' ')}; see "${path} --help"\n`),
    });
  for (const sub of command.commands) configureTree(sub, io, `${path} ${sub.name()}`);
}

/** Help and version exit 0; every other commander error is a usage error. */
function commanderExitCode(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_CODES.ok;
  return EXIT_CODES.usage;
}
