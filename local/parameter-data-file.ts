import { readFile } from 'node:fs/promises';

import { ParameterDataFileError } from './errors';
import { isParameterType } from './stored-parameter';
import type { ParameterVersion, StoredParameter } from './stored-parameter';
import { writeFileAtomically } from './write-file-atomically';

/**
 * Marks the file's layout, so a future change can be detected instead of misread. @2 added tiers, KMS
 * keys, allowed patterns, tags and history, all optional: an @1 file loads as it is.
 */
export const DATA_FILE_FORMAT = 'platform-webhooks/local-parameter-store@2';
const READABLE_FORMATS: readonly unknown[] = ['platform-webhooks/local-parameter-store@1', DATA_FILE_FORMAT];

/**
 * The Parameter Store's data file: JSON, loaded once, rewritten atomically after each change.
 * It holds SecureString values in plaintext, so it is created with mode 0600.
 */
export class ParameterDataFile {
  readonly path: string;
  #lastWrite: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Loads the saved parameters; a missing file is an empty store.
   * @throws ParameterDataFileError when the file cannot be read, is not JSON, or holds a malformed entry.
   */
  async load(): Promise<StoredParameter[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new ParameterDataFileError(`Cannot read the Parameter Store data file ${this.path}.`, { cause: error });
    }
    let content: unknown;
    try {
      content = JSON.parse(text);
    } catch (error) {
      throw new ParameterDataFileError(
        `The Parameter Store data file ${this.path} is not valid JSON; fix it or delete it to start empty.`,
        { cause: error },
      );
    }
    const entries = readEntries(content, this.path);
    return entries.map((entry, index) => toStoredParameter(entry, `${this.path}: parameters[${index}]`));
  }

  /**
   * Saves `parameters` (sorted by name, so the file diffs cleanly). Saves land in call order, each
   * writing its own snapshot; a failed save rejects its caller and does not block the next one.
   * @throws ParameterDataFileError when the file cannot be written.
   */
  save(parameters: readonly StoredParameter[]): Promise<void> {
    const text = serialize(parameters);
    const write = this.#lastWrite.catch(() => undefined).then(() => this.#write(text));
    this.#lastWrite = write;
    return write;
  }

  /** Resolves when every save so far has finished (or failed). */
  async flush(): Promise<void> {
    await this.#lastWrite.catch(() => undefined);
  }

  async #write(text: string): Promise<void> {
    try {
      await writeFileAtomically(this.path, text);
    } catch (error) {
      throw new ParameterDataFileError(`Cannot write the Parameter Store data file ${this.path}.`, { cause: error });
    }
  }
}

function serialize(parameters: readonly StoredParameter[]): string {
  const entries = [...parameters]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(({ history, ...current }) => ({ ...toEntry(current), history: history?.map(toEntry) }));
  return `${JSON.stringify({ format: DATA_FILE_FORMAT, parameters: entries }, null, 2)}\n`;
}

function toEntry<T extends ParameterVersion>({ lastModified, ...rest }: T): Omit<T, 'lastModified'> & { lastModified: string } {
  return { ...rest, lastModified: new Date(lastModified).toISOString() };
}

function readEntries(content: unknown, file: string): unknown[] {
  const { format, parameters } = (typeof content === 'object' && content !== null ? content : {}) as Record<string, unknown>;
  if (READABLE_FORMATS.includes(format) && Array.isArray(parameters)) return parameters;
  throw new ParameterDataFileError(
    `The Parameter Store data file ${file} is not in the "${DATA_FILE_FORMAT}" format; ` +
      'point dataFile at a file this stand-in wrote, or at a path that does not exist yet.',
  );
}

function toStoredParameter(entry: unknown, where: string): StoredParameter {
  const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as Partial<Record<string, unknown>>;
  const { name, type, value, version, description, tier, keyId, allowedPattern, tags, history } = fields;
  const lastModified = typeof fields.lastModified === 'string' ? Date.parse(fields.lastModified) : Number.NaN;
  const strings = (...members: unknown[]): boolean => members.every((member) => member === undefined || typeof member === 'string');
  if (
    typeof name !== 'string' ||
    !isParameterType(type) ||
    typeof value !== 'string' ||
    typeof version !== 'number' ||
    !Number.isInteger(version) ||
    version < 1 ||
    Number.isNaN(lastModified) ||
    !strings(description, keyId, allowedPattern) ||
    (tier !== undefined && tier !== 'Advanced') ||
    (tags !== undefined && (typeof tags !== 'object' || tags === null || !strings(...Object.values(tags)))) ||
    (history !== undefined && !Array.isArray(history))
  ) {
    throw new ParameterDataFileError(
      `${where} is malformed: expected { name, type (String|StringList|SecureString), value, version ≥ 1, lastModified ` +
        '(ISO date), description?, tier? (Advanced), keyId?, allowedPattern?, tags? (strings), history? (a list of the same) }.',
    );
  }
  // Their types were checked above.
  const checked = { description, keyId, allowedPattern, tags } as Pick<StoredParameter, 'description' | 'keyId' | 'allowedPattern' | 'tags'>;
  const versions = history?.map((old, index) => toStoredParameter(old, `${where}.history[${index}]`));
  return { name, type, value, version, lastModified, tier, ...checked, history: versions };
}
