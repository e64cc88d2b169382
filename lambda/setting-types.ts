import { formatDuration, parseDuration, parseSchedule } from './core/delivery/retry-policy';
import { formatCidr, parseCidr } from './core/targets/ip-address';

/**
 * Where a setting is read: the function's environment, where every value is text, or the CDK app,
 * where `-c key=value` gives text and `cdk.json` or a construct prop may give a number, a boolean
 * or an array (props are first spelled as context would spell them, durations as `1500ms`).
 */
export type SettingForm = 'env' | 'cdk';

/** How one setting's value is read, checked and written (README, "The Lambda" and "Deploy" → "Options"). */
export interface SettingType<T> {
  /** What a valid value looks like, e.g. `an integer from 1 to 1000`: the README's "accepts" column and the heart of each message. */
  expects(form: SettingForm): string;
  /**
   * Reads a value given in `form` (text is already trimmed and not empty).
   * @throws {RangeError} whose message completes "<setting> …", e.g. `must be true or false`.
   */
  read(input: unknown, form: SettingForm): T;
  /** The value as `form` spells it: what the construct writes into the environment, what the README shows. */
  write(value: T, form: SettingForm): string;
  /** Set when the value is a duration (or a list of them): how many milliseconds one unit of it is. */
  readonly unitMs?: number;
}

/**
 * An integer within bounds. Without bounds it is any whole number: the limits Lambda and SQS place
 * on CDK-only options (batch size, maximum concurrency) are checked by CDK itself.
 */
export function integer(min = 0, max = Number.POSITIVE_INFINITY): SettingType<number> {
  const expects = max === Number.POSITIVE_INFINITY ? 'a whole number' : `an integer from ${min} to ${max}`;
  return fromText(expects, (text) => (/^\d+$/.test(text) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined));
}

/**
 * A duration held as a whole number of `unit`s from `min` to `max` (default 0, unbounded), written
 * `500ms`, `5s`, `5m` or `2h` (a bare number is seconds; docs/design.md §4), or in the environment
 * as the number of units when `envCount` (`DELIVERY_TIMEOUT_MS=2500`).
 */
export function duration(options: { unit?: 'ms' | 's'; min?: number; max?: number; envCount?: boolean } = {}): SettingType<number> {
  const { unit = 'ms', min = 0, max = Number.POSITIVE_INFINITY, envCount = false } = options;
  const unitMs = unit === 'ms' ? 1 : 1000;
  const count = integer(min, max);
  const bounds = max === Number.POSITIVE_INFINITY ? '' : ` from ${formatDuration(min * unitMs)} to ${formatDuration(max * unitMs)}`;
  const expects = unit === 'ms' ? `a duration${bounds} such as "10s" or "2500ms"` : `a duration${bounds} in whole seconds, such as "60s" or "5m"`;
  return {
    expects: (form) => (form === 'env' && envCount ? count.expects(form) : expects),
    read(input, form) {
      if (form === 'env' && envCount) return count.read(input, form);
      const value = (msOf(scalar(input, expects)) ?? Number.NaN) / unitMs;
      return Number.isInteger(value) && value >= min && value <= max ? value : invalid(expects);
    },
    write: (value, form) => (form === 'env' && envCount ? String(value) : formatDuration(value * unitMs)),
    unitMs,
  };
}

/** Delays between attempts in milliseconds, written `5s,5m,30m` (docs/design.md §4); an array in cdk.json or a prop. */
export function schedule(limits: { minDelayMs: number; maxDelayMs: number; maxDelays: number }): SettingType<readonly number[]> {
  const bounds = `from ${formatDuration(limits.minDelayMs)} to ${formatDuration(limits.maxDelayMs)}`;
  const expects = `1 to ${limits.maxDelays} comma-separated delays ${bounds}, such as "5s,5m,30m,2h"`;
  return {
    expects: () => expects,
    read(input) {
      const text = Array.isArray(input) ? input.join(',') : scalar(input, expects);
      if (text.trim() === '') fail('must list at least one delay, such as "5s,5m,30m,2h"');
      const delays = parseSchedule(text);
      if (delays.length > limits.maxDelays) fail(`must list at most ${limits.maxDelays} delays`);
      delays.forEach((ms, index) => {
        if (ms < limits.minDelayMs || ms > limits.maxDelayMs) fail(`entry ${index + 1} "${formatDuration(ms)}" must be ${bounds}`);
      });
      return delays;
    },
    write: (delays) => delays.map(formatDuration).join(','),
    unitMs: 1,
  };
}

/** `true`, `1` or `yes`; `false`, `0` or `no` (any case). */
export const boolean = fromText('true or false', (text) => (/^(true|1|yes)$/i.test(text) ? true : /^(false|0|no)$/i.test(text) ? false : undefined));

/** A comma list (an array in cdk.json or a prop) of items that `readItem` checks and may rewrite; empty items are skipped. */
export function list(items: string, readItem: (text: string) => string, maxChars?: number): SettingType<readonly string[]> {
  const expects = `a comma-separated list of ${items}${maxChars === undefined ? '' : `, at most ${maxChars} characters`}`;
  return {
    expects: () => expects,
    read(input) {
      const entries = Array.isArray(input) ? input.map(String) : scalar(input, expects).split(',');
      const read = entries
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '')
        .map((entry, index) => {
          try {
            return readItem(entry);
          } catch (error) {
            throw new RangeError(`entry ${index + 1} ${(error as Error).message}`, { cause: error });
          }
        });
      const length = read.join(',').length;
      // Lambda holds at most 4 KB of environment for all of a function's variables together.
      // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
      if (maxChars !== undefined && length > maxChars) fail(`is ${length} characters as a comma list; at most ${maxChars} fit beside the function's other settings in Lambda's 4 KB of environment variables`);
      return read;
    },
    write: (values) => values.join(','),
  };
}

/** A comma list of entries that each match `pattern`, `one` saying what an entry is (`an AWS account id such as "123456789012"`). */
export function patternList(items: string, pattern: RegExp, one: string): SettingType<readonly string[]> {
  return list(items, (entry) => (pattern.test(entry) ? entry : fail(`"${entry}" is not ${one}`)));
}

/** CIDR blocks in canonical form (`FD00:0::/8` → `fd00::/8`); a bare address is one host (docs/design.md §6). */
export const cidrList = list('CIDR blocks such as "10.20.0.0/16" or "fd00::/8"', (text) => formatCidr(parseCidr(text)), 1000);

/** Text that matches `pattern`. */
export function text(pattern: RegExp, expects: string): SettingType<string> {
  return fromText(expects, (value) => (pattern.test(value) ? value : undefined), (value) => value);
}

/** One of `values` (text compared without case); `expects` names them when a list would be too long. */
export function oneOf<const T extends string | number>(values: readonly T[], expects = values.map((value) => `"${value}"`).join(' or ')): SettingType<T> {
  return fromText(expects, (text) => values.find((value) => String(value) === text.toLowerCase()));
}

/**
 * The subscriptions path rule, for the function, the construct and the CLI alike: an absolute
 * Parameter Store path (a trailing slash is dropped), not under the reserved `/aws` and `/ssm`
 * prefixes, at most 14 levels so that `<path>/<name>` stays within Parameter Store's 15.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html
 * @throws {RangeError} saying what is wrong, to complete "<where> …".
 */
export function parseSubscriptionsPath(text: string): string {
  const path = text.replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(path)) invalid('an SSM path of [A-Za-z0-9_.-] segments, such as "/team/webhooks"');
  if (/^\/(aws|ssm)/i.test(path)) fail('may not begin with "/aws" or "/ssm" (reserved by AWS)');
  if (path.split('/').length - 1 > 14) fail('may have at most 14 levels (Parameter Store allows 15 including the name)');
  return path;
}

/** {@link parseSubscriptionsPath} as a setting. */
export const subscriptionsPath: SettingType<string> = {
  expects: () => 'an absolute SSM path of at most 14 levels, not under "/aws" or "/ssm"',
  read: (input) => parseSubscriptionsPath(scalar(input, 'an SSM path')),
  write: (value) => value,
};

/** A setting given as one piece of text (or a number or boolean in cdk.json); `parse` gives undefined for what `expects` does not describe. */
function fromText<T>(expects: string, parse: (text: string) => T | undefined, write: (value: T) => string = String): SettingType<T> {
  return { expects: () => expects, read: (input) => parse(scalar(input, expects)) ?? invalid(expects), write };
}

/** Text as given; a number or a boolean as cdk.json holds it. */
function scalar(input: unknown, expects: string): string {
  if (typeof input === 'string') return input;
  return typeof input === 'number' || typeof input === 'boolean' ? String(input) : invalid(expects);
}

function msOf(text: string): number | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

/** Refuses a value: `message` completes "<where> …". */
function fail(message: string): never {
  throw new RangeError(message);
}

function invalid(expects: string): never {
  return fail(`must be ${expects}`);
}
