import type { CliIo } from './cli-io';

/** How a command prints: lines for people, or one JSON document for scripts (`--json`). */
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
    line: (text = '') => io.stdout(`${text}\n`),
    data: (value) => io.stdout(`${JSON.stringify(value, null, 2)}\n`),
    warn: (text) => io.stderr(`warning: ${text}\n`),
    note: (text) => {
      if (!json) io.stderr(`${text}\n`);
    },
  };
}
