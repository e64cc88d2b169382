import { InvalidNextTokenError, SsmValidationError } from './errors';

/** One page of a listing; `nextToken` is set only when more items follow. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

/**
 * Checks an optional `MaxResults` against SSM's range and applies the default,
 * with AWS's own wording so the message matches what callers will meet in production.
 * @throws SsmValidationError when `value` is not an integer in `1..max`.
 */
export function resolveMaxResults(value: number | undefined, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value)) throw maxResultsError(value, 'be an integer');
  if (value < 1) throw maxResultsError(value, 'have value greater than or equal to 1');
  if (value > max) throw maxResultsError(value, `have value less than or equal to ${max}`);
  return value;
}

function maxResultsError(value: number, constraint: string): SsmValidationError {
  return new SsmValidationError(
    `1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: ` +
      `Member must ${constraint}`,
  );
}

/**
 * Cuts one page out of `sorted` (ascending by `keyOf`). The token carries the last key returned rather
 * than an offset, so a page boundary stays right when items are added or deleted between calls.
 * @throws InvalidNextTokenError when `nextToken` was not issued by this function.
 */
export function paginate<T>(
  sorted: readonly T[],
  keyOf: (item: T) => string,
  maxResults: number,
  nextToken?: string,
): Page<T> {
  const after = nextToken === undefined ? undefined : decodeToken(nextToken);
  const start = after === undefined ? 0 : sorted.findIndex((item) => keyOf(item) > after);
  const from = start === -1 ? sorted.length : start;
  const items = sorted.slice(from, from + maxResults);
  const last = items.at(-1);
  const more = from + maxResults < sorted.length;
  return more && last !== undefined ? { items, nextToken: encodeToken(keyOf(last)) } : { items };
}

function encodeToken(after: string): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof decoded === 'object' && decoded !== null && 'after' in decoded && typeof decoded.after === 'string') {
      return decoded.after;
    }
  } catch {
    // Falls through: any undecodable token is reported the same way.
  }
  throw new InvalidNextTokenError();
}
