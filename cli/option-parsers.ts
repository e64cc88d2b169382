import { InvalidArgumentError } from 'commander';
import { isKmsKeyId, KMS_KEY_ID_HINT } from './subscription-store';

/** `--events a,b --events c` → `['a', 'b', 'c']`. */
export function collectEvents(text: string, previous: string[] = []): string[] {
  const events = text.split(',').map((event) => event.trim()).filter((event) => event !== '');
  if (events.length === 0) throw new InvalidArgumentError('expected a comma-separated list of event patterns, e.g. "experiments.*,jobs.failed"');
  return [...previous, ...events];
}

/** `--header 'Authorization: Bearer abc'`, repeatable, into a record; a header given twice is an error. */
export function collectHeader(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const colon = text.indexOf(':');
  const name = colon < 0 ? '' : text.slice(0, colon).trim();
  if (name === '') throw new InvalidArgumentError('expected "Name: value", e.g. "Authorization: Bearer abc"');
  if (Object.keys(previous).some((other) => other.toLowerCase() === name.toLowerCase())) {
    throw new InvalidArgumentError(`header "${name}" is given twice; give each header once`);
  }
  return { ...previous, [name]: text.slice(colon + 1).trim() };
}

/** A whole number, e.g. `--timeout-ms 5000` or `--max 20`. */
export function integer(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError('expected a whole number');
  return Number(text);
}

/** A whole number of at least 1. */
export function positiveInteger(text: string): number {
  const value = integer(text);
  if (value < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}

/** `--kms-key-id alias/webhooks`: a key as SSM's PutParameter takes it. */
export function kmsKeyId(text: string): string {
  if (!isKmsKeyId(text.trim())) throw new InvalidArgumentError(`expected ${KMS_KEY_ID_HINT}`);
  return text.trim();
}
