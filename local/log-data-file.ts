import { appendFile, readFile } from 'node:fs/promises';

import { LogDataFileError } from './errors';
import { writeFileAtomically } from './write-file-atomically';

/** One line of the log data file: a group, a stream, or an event. */
export type SavedLogLine =
  | { readonly kind: 'group'; readonly group: string; readonly creationTime: number }
  | { readonly kind: 'stream'; readonly group: string; readonly stream: string }
  | { readonly kind: 'event'; readonly group: string; readonly stream: string; readonly timestamp: number; readonly ingestionTime: number; readonly message: string };

/** Marks the file's layout, so a future change can be detected instead of misread. */
export const LOG_DATA_FILE_FORMAT = 'platform-webhooks/local-logs@1';

/** How long appended lines wait before they are written together. */
const WRITE_DELAY_MS = 500;

export interface LogDataFileOptions {
  /** Everything the store keeps now, as lines: what a compaction writes. */
  readonly snapshot: () => readonly SavedLogLine[];
  /** The store's size cap: the file is compacted once it grows past twice this. */
  readonly maxBytes: number;
}

/**
 * The CloudWatch Logs stand-in's data file: JSON Lines after a format line, appended in batches
 * (so the function's log costs one write every half second, not one per line), and rewritten
 * atomically from the store's snapshot once it holds twice the store's cap, so it stays bounded.
 * A line cut short by a crash is skipped when loading.
 */
export class LogDataFile {
  readonly path: string;
  readonly #options: LogDataFileOptions;
  #pending: string[] = [];
  #fileBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #lastWrite: Promise<void> = Promise.resolve();

  constructor(path: string, options: LogDataFileOptions) {
    this.path = path;
    this.#options = options;
  }

  /**
   * The saved lines; a missing file holds none.
   * @throws LogDataFileError when the file cannot be read or is not a log data file.
   */
  async load(): Promise<SavedLogLine[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new LogDataFileError(`Cannot read the log data file ${this.path}.`, { cause: error });
    }
    this.#fileBytes = Buffer.byteLength(text);
    const [header = '', ...lines] = text.split('\n');
    if (header.trim() !== '' && parse(header)?.format !== LOG_DATA_FILE_FORMAT) {
      throw new LogDataFileError(`The log data file ${this.path} is not in the "${LOG_DATA_FILE_FORMAT}" format; delete it to start with no logs.`);
    }
    return lines.flatMap((line) => {
      const saved = parse(line);
      return saved !== undefined && isSavedLine(saved) ? [saved] : [];
    });
  }

  /** Queues a line; it is written within half a second, or by {@link LogDataFile.flush}. */
  append(line: SavedLogLine): void {
    this.#pending.push(JSON.stringify(line));
    this.#timer ??= setTimeout(() => void this.flush().catch(() => undefined), WRITE_DELAY_MS).unref();
  }

  /**
   * Writes what is queued (or compacts the file). Writes land in call order.
   * @throws LogDataFileError when the file cannot be written.
   */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const write = this.#lastWrite.catch(() => undefined).then(() => this.#write());
    this.#lastWrite = write;
    return write;
  }

  /** Stops the pending timer (the store flushes first). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #write(): Promise<void> {
    const lines = this.#pending.splice(0);
    if (lines.length === 0) return;
    try {
      const text = `${lines.join('\n')}\n`;
      if (this.#fileBytes === 0 || this.#fileBytes + Buffer.byteLength(text) > 2 * this.#options.maxBytes) {
        const all = [JSON.stringify({ format: LOG_DATA_FILE_FORMAT }), ...this.#options.snapshot().map((line) => JSON.stringify(line))].join('\n');
        await writeFileAtomically(this.path, `${all}\n`);
        this.#fileBytes = Buffer.byteLength(all) + 1;
      } else {
        await appendFile(this.path, text, { mode: 0o600 });
        this.#fileBytes += Buffer.byteLength(text);
      }
    } catch (error) {
      throw new LogDataFileError(`Cannot write the log data file ${this.path}.`, { cause: error });
    }
  }
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isSavedLine(line: Record<string, unknown>): line is SavedLogLine {
  const strings = (...keys: string[]): boolean => keys.every((key) => typeof line[key] === 'string');
  const numbers = (...keys: string[]): boolean => keys.every((key) => typeof line[key] === 'number');
  switch (line.kind) {
    case 'group':
      return strings('group') && numbers('creationTime');
    case 'stream':
      return strings('group', 'stream');
    case 'event':
      return strings('group', 'stream', 'message') && numbers('timestamp', 'ingestionTime');
    default:
      return false;
  }
}
