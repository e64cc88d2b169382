import type { Command } from 'commander';
import { createAwsContext } from './aws-context';
import type { AwsContext } from './aws-context';
import type { CliIo } from './cli-io';
import type { CommandRuntime } from './command-context';
import type { GlobalOptions } from './global-options';
import { createOutput } from './output';

/**
 * The runtime of one CLI run over `io`; `close()` destroys the clients its commands built. Kept
 * apart from command-context.ts, which every command imports for its types and help helpers, so
 * that `webhooks --help` and `--version` do not load the AWS SDK (see cli/program.ts).
 */
export function createRuntime(io: CliIo): CommandRuntime {
  const opened: AwsContext[] = [];
  return {
    io,
    contextFor(command: Command) {
      const options = command.optsWithGlobals<GlobalOptions & { json?: boolean }>();
      const aws = createAwsContext(options, io);
      opened.push(aws);
      return { out: createOutput(io, options.json === true), aws, env: io.env ?? process.env, cwd: io.cwd ?? process.cwd() };
    },
    close() {
      for (const aws of opened.splice(0)) aws.close();
    },
  };
}
