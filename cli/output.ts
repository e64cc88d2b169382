import type { CliIo } from './cli-io';
import { terminalJson, terminalText } from './terminal-text';

/**
 * How a command prints: lines for people, or one JSON document for scripts (`--json`). Either way
 * nothing printed can drive the terminal or start a line of its own (README "Output, secrets and
 * exit codes"): each text line shows its control characters and line breaks as escapes (`\x1b`,
 * `\r\n`); JSON writes them as `\u` escapes and parses to exactly the value given.
 */
export interface Output {
  /** Whether `--json` was given: print with {@link Output.json} only. */
  readonly json: boolean;
  /** One line on standard output; a line break inside it is shown as `\n` (print a block line by line). */
  line(text?: string): void;
  /** A JSON document on standard output, pretty-printed. */
  data(value: unknown): void;
  /** A warning on standard error: `warning: …`. */
  warn(text: string): void;
  /** A notice on standard error (progress, hints), shown only without `--json`. */
  note(text: string): void;
}

/** Output over `io`: text or, with `json`, one JSON document on standard output. */
export function createOutput(io: CliIo, json: boolean): Output {
  return {
    json,
    line: (text = '') => io.stdout(`${terminalText(text)}\n`),
    data: (value) => io.stdout(`${terminalJson(value)}\n`),
    warn: (text) => io.stderr(`warning: ${terminalText(text)}\n`),
    note: (text) => {
      if (!json) io.stderr(`${terminalText(text)}\n`);
    },
  };
}
