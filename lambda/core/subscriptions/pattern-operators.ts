/**
 * The matcher objects in an event pattern's lists (docs/design.md §10), e.g. `{"numeric": [">", 0]}`,
 * each parsed into what it tests or a sentence saying what is wrong with it, and EventBridge's numbers.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */

/** The operators a matcher object may use (docs/design.md §10). */
const EVENT_PATTERN_OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists'] as const;

/**
 * EventBridge compares numbers within ±5e9, to six digits after the decimal point.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html#filtering-numeric-matching
 */
const NUMERIC_LIMIT = 5e9;

/**
 * A number as EventBridge compares it: within ±5e9, shifted and scaled to an integer of millionths,
 * in double arithmetic as Event Ruler's `ComparableNumber` does (https://github.com/aws/event-ruler),
 * so equal and ordered exactly as there; undefined outside the range, where nothing compares.
 */
export function comparableNumber(value: number): number | undefined {
  return value >= -NUMERIC_LIMIT && value <= NUMERIC_LIMIT ? Math.trunc(1e6 * (NUMERIC_LIMIT + value)) : undefined;
}

/** One comparison of a `numeric` matcher, its bound as a {@link comparableNumber}. */
export interface NumericBound {
  readonly operator: string;
  readonly at: number;
}

/** Whether a {@link comparableNumber} satisfies every bound. */
export function boundsHold(bounds: readonly NumericBound[], at: number): boolean {
  return bounds.every(({ operator, at: bound }) => {
    switch (operator) {
      case '<':
        return at < bound;
      case '<=':
        return at <= bound;
      case '=':
        return at === bound;
      case '>=':
        return at >= bound;
      default:
        return at > bound;
    }
  });
}

/** What one matcher object tests. */
export type PatternOperator =
  | { readonly kind: 'prefix' | 'suffix' | 'equals-ignore-case'; readonly text: string }
  | { readonly kind: 'exists'; readonly exists: boolean }
  | { readonly kind: 'numeric'; readonly bounds: readonly NumericBound[] }
  /** Whether one leaf value is not excluded. */
  | { readonly kind: 'anything-but'; readonly passes: (value: unknown) => boolean };

const OPERATOR_LIST = EVENT_PATTERN_OPERATORS.join(', ');
const NUMERIC_EXAMPLE = '{"numeric": [">", 0, "<=", 5]}';

/** Parses a matcher object, or says what is wrong with it (a sentence without the path). */
export function parseOperator(matcher: Readonly<Record<string, unknown>>): PatternOperator | string {
  const keys = Object.keys(matcher);
  const [name] = keys;
  if (name === undefined || keys.length > 1) return `a matcher object has exactly one operator, one of ${OPERATOR_LIST}; this one has ${keys.length}`;
  const argument = matcher[name];
  switch (name) {
    case 'prefix':
    case 'suffix':
      if (typeof argument === 'string') return { kind: name, text: argument };
      return `${name} needs a string, e.g. {"${name}": "${name === 'prefix' ? 'resnet-' : '-prod'}"}${isJsonObject(argument) ? ` (${name} with equals-ignore-case is an EventBridge form not supported here)` : ''}`;
    case 'equals-ignore-case':
      return typeof argument === 'string' ? { kind: name, text: argument } : 'equals-ignore-case needs a string, e.g. {"equals-ignore-case": "vision"}';
    case 'exists':
      return typeof argument === 'boolean' ? { kind: name, exists: argument } : 'exists needs true or false';
    case 'numeric': {
      const bounds = numericBounds(argument);
      return typeof bounds === 'string' ? bounds : { kind: name, bounds };
    }
    case 'anything-but': {
      const passes = anythingBut(argument);
      return typeof passes === 'string' ? passes : { kind: name, passes };
    }
    default:
      return name === 'wildcard' || name === 'cidr'
        ? `"${name}" is an EventBridge operator not supported here (supported: ${OPERATOR_LIST})`
        : `"${clip(name)}" is not an operator (supported: ${OPERATOR_LIST})`;
  }
}

const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);
const NUMERIC_OPERATORS = ['<', '<=', '=', '>=', '>'];

/** `[op, n]` or `[">"|">=", low, "<"|"<=", high]` as bounds, or what is wrong with it (EventBridge's rules). */
function numericBounds(argument: unknown): NumericBound[] | string {
  if (!Array.isArray(argument) || (argument.length !== 2 && argument.length !== 4)) return `numeric needs an operator and a number, e.g. ${NUMERIC_EXAMPLE}`;
  const bounds: NumericBound[] = [];
  for (let index = 0; index < argument.length; index += 2) {
    const operator: unknown = argument[index];
    const bound: unknown = argument[index + 1];
    if (typeof operator !== 'string' || !NUMERIC_OPERATORS.includes(operator)) {
      return `numeric needs an operator and a number: ${typeof operator === 'string' ? `"${clip(operator)}"` : jsonKind(operator)} is not one of ${NUMERIC_OPERATORS.join(', ')}`;
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound)) return `numeric needs a number after "${operator}", got ${jsonKind(bound)}`;
    const at = comparableNumber(bound);
    if (at === undefined) return `numeric compares numbers from -5e9 to 5e9 only (EventBridge's range); ${bound} is outside it`;
    bounds.push({ operator, at });
  }
  const [first, second] = bounds as [NumericBound, NumericBound | undefined];
  if (second !== undefined) {
    if (!LOWER_BOUNDS.has(first.operator) || !UPPER_BOUNDS.has(second.operator)) {
      return `a numeric range gives the lower bound (> or >=) first, then the upper (< or <=), e.g. ${NUMERIC_EXAMPLE}`;
    }
    if (first.at >= second.at) return 'a numeric range must have its lower bound below its upper bound';
  }
  return bounds;
}

const ANYTHING_BUT_FORMS = 'a string, a number, a list of only strings or only numbers, or {"prefix": "…"}';

/**
 * `anything-but` as a test of one leaf value, or what is wrong with it. It lets through any value but
 * the excluded ones, whatever its type (as Event Ruler does: `anything-but` strings pass a number).
 */
function anythingBut(argument: unknown): ((value: unknown) => boolean) | string {
  if (isJsonObject(argument)) {
    const keys = Object.keys(argument);
    if (keys.length !== 1 || keys[0] !== 'prefix') {
      return `anything-but takes ${ANYTHING_BUT_FORMS}; ${keys.length === 1 ? `"${clip(keys[0] ?? '')}" inside anything-but is not supported here` : 'this object is not one of them'}`;
    }
    const prefix = argument.prefix;
    if (typeof prefix !== 'string' || prefix === '') return 'anything-but prefix needs a non-empty string, e.g. {"anything-but": {"prefix": "test-"}}';
    return (value) => !(typeof value === 'string' && value.startsWith(prefix));
  }
  const values = Array.isArray(argument) ? argument : [argument];
  const allStrings = values.length > 0 && values.every((value) => typeof value === 'string');
  const allNumbers = values.length > 0 && values.every((value) => typeof value === 'number' && Number.isFinite(value));
  if (!allStrings && !allNumbers) return `anything-but takes ${ANYTHING_BUT_FORMS}`;
  if (allStrings) {
    const excluded = new Set<unknown>(values);
    return (value) => !excluded.has(value);
  }
  const comparables = values.map((value) => comparableNumber(value as number));
  if (comparables.includes(undefined)) return 'anything-but compares numbers from -5e9 to 5e9 only (EventBridge\'s range)';
  const excluded = new Set(comparables as number[]);
  return (value) => typeof value !== 'number' || !excluded.has(comparableNumber(value) as number);
}

/** A pattern object: a plain object, as `JSON.parse` and YAML make them (not a Map, a Date, …). */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** What kind of JSON value this is, for messages (never the value itself, which may be long or secret). */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : 'a non-finite number';
  if (typeof value === 'boolean') return 'true or false';
  return `a ${typeof value}`;
}

/** A name short enough to quote in a message. */
export function clip(text: string): string {
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}
