import { Duration } from 'aws-cdk-lib';
import { parseDuration } from '../lambda/core/delivery/retry-policy';

const UNITS = [
  { suffix: 'h', ms: 3_600_000 },
  { suffix: 'm', ms: 60_000 },
  { suffix: 's', ms: 1000 },
] as const;

/**
 * Parses a duration written as the function reads it (docs/design.md §4): a number with an optional
 * `ms`, `s`, `m` or `h` suffix; a bare number is seconds. Delegates to the Lambda's own parser so
 * that the CDK app and the function can never disagree on the grammar.
 * @throws {RangeError} when the text is not such a duration.
 */
export function parseDurationText(text: string): Duration {
  return Duration.millis(parseDuration(text));
}

/**
 * Writes a duration in the largest unit that expresses it exactly: `5m`, `90s`, `2500ms`.
 * The inverse of {@link parseDurationText} for whole milliseconds.
 */
export function formatDurationText(duration: Duration): string {
  const ms = duration.toMilliseconds();
  if (ms === 0) return '0s';
  const unit = UNITS.find((candidate) => ms % candidate.ms === 0);
  return unit === undefined ? `${ms}ms` : `${ms / unit.ms}${unit.suffix}`;
}
