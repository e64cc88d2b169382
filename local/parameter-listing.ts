import { invalid, SsmError } from './errors';
import { isUnderPath, normalizePath } from './parameter-names';
import type { StoredParameter } from './stored-parameter';

/** A DescribeParameters filter: Name (Equals, BeginsWith, Contains), Path (OneLevel, Recursive) or Type. */
export interface ParameterFilter {
  readonly key: string;
  readonly option?: string;
  readonly values: readonly string[];
}

/** Paging members of a listing; `maxResults` within SSM's range for that listing. */
export interface PageQuery {
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** One page of a listing; `nextToken` is set only when more items follow. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

// The subset of SSM's filters worth having locally; the first option of each is AWS's default.
const FILTERS = {
  Name: ['Equals', 'BeginsWith', 'Contains'],
  Path: ['OneLevel', 'Recursive'],
  Type: ['Equals'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Turns one filter into a predicate: it passes when any of its values matches. Keys other than Name,
 * Path and Type are refused rather than ignored, so a test never passes on a listing AWS would have filtered.
 */
export function compileFilter(filter: ParameterFilter): (parameter: StoredParameter) => boolean {
  if (!Object.hasOwn(FILTERS, filter.key)) {
    throw invalid(`ParameterFilters key "${filter.key}" is not supported by the local Parameter Store; use ${Object.keys(FILTERS).join(', ')}.`);
  }
  const options: readonly string[] = FILTERS[filter.key as keyof typeof FILTERS];
  const option = filter.option ?? options[0];
  if (option === undefined || !options.includes(option)) {
    throw invalid(`ParameterFilters option "${String(filter.option)}" is not valid for key ${filter.key}; use ${options.join(', ')}.`);
  }
  if (filter.values.length === 0) throw invalid(`ParameterFilters key ${filter.key} needs at least one value.`);
  const values = filter.key === 'Path' ? filter.values.map(normalizePath) : filter.values;
  const matches = (parameter: StoredParameter, value: string): boolean => {
    if (filter.key === 'Path') return isUnderPath(parameter.name, value, option === 'Recursive');
    if (filter.key === 'Type') return parameter.type === value;
    if (option === 'BeginsWith') return parameter.name.startsWith(value);
    return option === 'Contains' ? parameter.name.includes(value) : parameter.name === value;
  };
  return (parameter) => values.some((value) => matches(parameter, value));
}

/**
 * Cuts one page out of `sorted` (ascending by `keyOf`). The token carries the last key returned rather
 * than an offset, so a page boundary stays right when items are added or deleted between calls.
 * `maxResults` is checked with AWS's own wording, as callers will meet it in production.
 * @param sizes the largest `maxResults` of this listing, and its default
 * @throws SsmError ValidationException when `maxResults` is not an integer from 1 to the largest;
 *   InvalidNextToken when `nextToken` was not issued here.
 */
export function paginate<T>(
  sorted: readonly T[],
  keyOf: (item: T) => string,
  query: PageQuery,
  [max, fallback]: readonly [number, number],
): Page<T> {
  const maxResults = query.maxResults ?? fallback;
  const constraint = !Number.isInteger(maxResults)
    ? 'be an integer'
    : maxResults < 1
      ? 'have value greater than or equal to 1'
      : maxResults > max
        ? `have value less than or equal to ${max}`
        : undefined;
  if (constraint !== undefined) {
    throw invalid(`1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must ${constraint}`);
  }
  const after = query.nextToken === undefined ? undefined : decodeToken(query.nextToken);
  const start = after === undefined ? 0 : sorted.findIndex((item) => keyOf(item) > after);
  const from = start === -1 ? sorted.length : start;
  const items = sorted.slice(from, from + maxResults);
  const last = items.at(-1);
  if (from + maxResults >= sorted.length || last === undefined) return { items };
  return { items, nextToken: Buffer.from(JSON.stringify({ after: keyOf(last) }), 'utf8').toString('base64url') };
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
  throw new SsmError('InvalidNextToken', 'The NextToken is not valid; pass the NextToken of the previous page unchanged.');
}
