import { Option } from 'commander';
import type { Command } from 'commander';
import type { AwsContext } from './aws-context';
import type { CliIo } from './cli-io';
import type { Output } from './output';

/** What a command's action works with. */
export interface CommandContext {
  readonly out: Output;
  readonly aws: AwsContext;
  readonly env: NodeJS.ProcessEnv;
  /** Directory relative file paths resolve against. */
  readonly cwd: string;
}

/** Shared by the commands of one run: builds each action's context and closes what it opened. */
export interface CommandRuntime {
  readonly io: CliIo;
  contextFor(command: Command): CommandContext;
  close(): void;
}

/** The `--json` option of commands that print something. */
export function jsonOption(): Option {
  return new Option('--json', 'print JSON for scripts instead of text');
}

/** Help text listing examples, added after a command's options. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}
