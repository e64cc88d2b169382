import type { CliIo } from './cli-io';
import { terminalJson, terminalText } from './terminal-text';

/**
 * How a command prints: lines for people, or one JSON document for scripts (`--json`). Either way
 * nothing printed can drive the terminal (README "Output, secrets and exit codes"): text keeps its
 * line breaks and shows every other control character as an escape; JSON writes them as `\u`
 * escapes and parses to exactly the value given.
 */
export interface Output {
  /** Whether `--json` was given: print with {@link Output.json} only. */
  readonly json: boolean;
  /** One line on standard output. */
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
    line: (text = '') => io.stdout(`${shown(text)}\n`),
    data: (value) => io.stdout(`${terminalJson(value)}\n`),
    warn: (text) => io.stderr(`warning: ${shown(text)}\n`),
    note: (text) => {
      if (!json) io.stderr(`${shown(text)}\n`);
    },
  };
}

/** Text with its line breaks kept (the caller's layout) and every other control character escaped. */
function shown(text: string): string {
  return text.split('\n').map(terminalText).join('\n');
}
