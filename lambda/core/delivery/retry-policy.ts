/**
 * Retry policy (docs/design.md §4): the schedule, jitter, Retry-After, and the classification of one
 * attempt's outcome. Pure functions of their arguments.
 */

/**
 * SQS caps a message delay at 15 minutes.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
export const MAX_SQS_DELAY_SECONDS = 900;

/** The SQS `DelaySeconds` for a wait: whole seconds, rounded up, at most 900 (a longer wait hops again). */
export function sqsDelaySeconds(waitMs: number): number {
  return Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, Math.ceil(waitMs / 1000)));
}

/** Default delays between attempts: 8 attempts over about 27.5 hours. */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

/** Each delay is jittered by ±20% so that retries of one outage do not arrive together. */
export const JITTER = 0.2;

/** Retry-After may raise a delay by at most this much above the scheduled delay. */
export const RETRY_AFTER_CAP_MS = 60 * 60 * 1000;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Parses a duration: a number with an optional `ms`, `s`, `m` or `h` suffix; a bare number is seconds.
 * The one grammar of every duration the function, the CDK app and the CLI read (docs/design.md §4).
 * @throws {RangeError} when the text is not such a duration.
 */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a duration; expected e.g. 500ms, 5s, 5m or 2h (a bare number is seconds)`);
  const unit = (match[2] ?? 's') as keyof typeof UNIT_MS;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}

/** Writes milliseconds in the largest unit that expresses them exactly: `5m`, `90s`, `2500ms`; the inverse of {@link parseDuration}. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const unit = (['h', 'm', 's'] as const).find((candidate) => ms % UNIT_MS[candidate] === 0);
  return unit === undefined ? `${ms}ms` : `${ms / UNIT_MS[unit]}${unit}`;
}

/**
 * Parses a comma-separated retry schedule such as `5s,5m,30m` into delays in milliseconds.
 * An empty schedule means a single attempt. The bounds a deployment accepts are the
 * `retrySchedule` setting's (lambda/settings.ts).
 * @throws {RangeError} naming the entry that is not a duration.
 */
export function parseSchedule(text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((entry, index) => {
    try {
      return parseDuration(entry.trim());
    } catch (error) {
      throw new RangeError(`entry ${index + 1} ${(error as Error).message}`, { cause: error });
    }
  });
}

/**
 * The delay before the next attempt after `attempt` attempts (1-based) have failed, jittered by
 * ±20% using `random` in [0, 1); `undefined` when the schedule is exhausted.
 */
export function nextDelay(attempt: number, schedule: readonly number[], random: number): number | undefined {
  const base = schedule[attempt - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random));
}

/**
 * Parses a `Retry-After` header (delay-seconds or an HTTP date) into milliseconds from `now`;
 * `undefined` when absent or unparseable.
 */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The longest wait between two attempts that the schedule and Retry-After allow: the longest
 * delay, jittered up, plus the Retry-After cap. A delivery message due later than this was not
 * made by this schedule (docs/design.md §4).
 */
export function longestWait(schedule: readonly number[]): number {
  return Math.round(Math.max(0, ...schedule) * (1 + JITTER)) + RETRY_AFTER_CAP_MS;
}

/** Raises a delay to at least Retry-After, capped at {@link RETRY_AFTER_CAP_MS} above the scheduled delay. */
export function applyRetryAfter(delayMs: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs === undefined) return delayMs;
  return Math.max(delayMs, Math.min(retryAfterMs, delayMs + RETRY_AFTER_CAP_MS));
}
