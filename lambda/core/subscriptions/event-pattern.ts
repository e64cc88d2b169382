/**
 * EventBridge event patterns (docs/design.md §10), compiled once into a matcher: pure, no dependency.
 *
 * Semantics, as EventBridge documents them
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html), and where
 * they are silent as Event Ruler, the engine EventBridge runs, does (https://github.com/aws/event-ruler):
 * - Every field a pattern names must match (keys AND). A field holds either a nested pattern object or
 *   a list of matchers, any one of which may match (values OR).
 * - A list matches the leaf values at its path: strings, numbers, booleans and `null`. An array in the
 *   event offers each of its elements (nested arrays flattened); objects are not leaves.
 * - `{"exists": false}` matches where there is no leaf value (the key is missing, holds an object or an
 *   empty array); `{"exists": true}` where there is one.
 * - Under an array of objects, one element must match every field of the nested pattern (EventBridge's
 *   array-consistent matching); a field that element lacks is missing.
 * - `prefix`, `suffix`, `equals-ignore-case` match strings only; `numeric` JSON numbers only;
 *   `anything-but` any leaf value that is not excluded, of whatever type, but never a missing field.
 * - Numbers compare as EventBridge does: within ±5e9, at six digits after the decimal point.
 *   Exact numbers compare by value, as the delivered body renders them (`JSON.stringify`), so 300,
 *   300.0 and 3.0e2 published are all 300 there: EventBridge, which sees the publisher's text, tells them apart.
 */

export const EVENT_PATTERN_LIMITS = {
  /** Bytes of the pattern's JSON (docs/design.md §10: at most 4 KiB). */
  maxBytes: 4096,
  /** Levels of nested objects and lists; the walk that checks it is iterative, so no input overflows the stack. */
  maxDepth: 16,
  /**
   * EventBridge compares numbers within ±5e9 only.
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html#filtering-numeric-matching
   */
  maxNumber: 5e9,
} as const;

/** The operators a matcher object may use (docs/design.md §10). */
export const EVENT_PATTERN_OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists'] as const;

/** A compiled pattern. */
export interface EventPattern {
  /** Whether a JSON value matches. Never throws, whatever the value. */
  matches(value: unknown): boolean;
}

export interface EventPatternIssue {
  /** Where in the pattern: `''` for the whole, else e.g. `.data.experiment.id[0]`. */
  readonly path: string;
  /** What is wrong, as a sentence; never quotes more than a short operator name. */
  readonly message: string;
}

export type EventPatternResult =
  | { readonly ok: true; readonly pattern: EventPattern }
  | { readonly ok: false; readonly issues: readonly EventPatternIssue[] };

/**
 * Validates and compiles an event pattern (any parsed JSON value). Never throws: every problem is an
 * issue naming its path. Size and depth are checked first, so a hostile pattern costs one bounded walk.
 */
export function compileEventPattern(source: unknown): EventPatternResult {
  const sizeProblem = sizeProblemOf(source);
  if (sizeProblem !== undefined) return { ok: false, issues: [{ path: '', message: sizeProblem }] };
  if (!isJsonObject(source)) {
    return { ok: false, issues: [{ path: '', message: `must be a JSON object of fields to match, e.g. {"data": {"experiment": {"project": ["vision"]}}}; got ${kindOf(source)}` }] };
  }
  const issues: EventPatternIssue[] = [];
  const test = compileObject(source, '', issues);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, pattern: { matches: (value) => test(value) } };
}

/** Six decimal digits within ±5e9 as an integer, computed as Event Ruler's `ComparableNumber` does; undefined outside the range. */
export function comparableNumber(value: number): number | undefined {
  const { maxNumber } = EVENT_PATTERN_LIMITS;
  return value >= -maxNumber && value <= maxNumber ? Math.trunc(1e6 * (maxNumber + value)) : undefined;
}

/** Whether the value at a field (`present` false when the key is missing) matches. */
type FieldTest = (value: unknown, present: boolean) => boolean;
/** Whether a node of the event matches a pattern object. */
type ObjectTest = (node: unknown) => boolean;

const OPERATOR_LIST = EVENT_PATTERN_OPERATORS.join(', ');
const NUMERIC_EXAMPLE = '{"numeric": [">", 0, "<=", 5]}';

function compileObject(pattern: Readonly<Record<string, unknown>>, path: string, issues: EventPatternIssue[]): ObjectTest {
  const entries = Object.entries(pattern);
  if (entries.length === 0) issues.push({ path, message: 'must name at least one field to match' });
  const fields = entries.map(([key, value]) => {
    const at = `${path}${patternPathKey(key)}`;
    if (key === '$or') issues.push({ path: at, message: '"$or" is an EventBridge form not supported here; use one subscription per alternative' });
    let test: FieldTest = never;
    if (Array.isArray(value)) test = compileList(value, at, issues);
    else if (isJsonObject(value)) test = nested(compileObject(value, at, issues));
    else issues.push({ path: at, message: `must be a list of values to match, e.g. ["vision"], or an object of fields; got ${kindOf(value)}` });
    return { key, test };
  });
  const fieldsHold = (object: Readonly<Record<string, unknown>>): boolean =>
    fields.every(({ key, test }) => (Object.hasOwn(object, key) ? test(object[key], true) : test(undefined, false)));
  // Where the event has no object (a missing key, a string, an array of strings) every field is missing.
  const whenNoObject = fieldsHold({});
  return (node) => {
    if (isObjectNode(node)) return fieldsHold(node);
    if (Array.isArray(node)) return someObjectElement(node, fieldsHold) ?? whenNoObject;
    return whenNoObject;
  };
}

function nested(test: ObjectTest): FieldTest {
  return (value, present) => test(present ? value : undefined);
}

/** Whether some object in the array (nested arrays flattened) passes; undefined when it holds no object. */
function someObjectElement(array: readonly unknown[], test: (object: Readonly<Record<string, unknown>>) => boolean): boolean | undefined {
  let sawObject = false;
  const pending: (readonly unknown[])[] = [array];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const item of next) {
      if (Array.isArray(item)) pending.push(item);
      else if (isObjectNode(item)) {
        if (test(item)) return true;
        sawObject = true;
      }
    }
  }
  return sawObject ? false : undefined;
}

/** The matchers of one list, gathered so that a value is tested with set lookups where it can be. */
interface ListMatchers {
  readonly exact: Set<unknown>;
  /** {@link comparableNumber} of the exact numbers within range: EventBridge compares numbers at that precision. */
  readonly exactNumbers: Set<number>;
  readonly ignoreCase: Set<string>;
  readonly predicates: ((value: unknown) => boolean)[];
  exists: boolean;
  absent: boolean;
}

function compileList(list: readonly unknown[], path: string, issues: EventPatternIssue[]): FieldTest {
  if (list.length === 0) issues.push({ path, message: 'must list at least one value (an empty list would match nothing)' });
  const m: ListMatchers = { exact: new Set(), exactNumbers: new Set(), ignoreCase: new Set(), predicates: [], exists: false, absent: false };
  list.forEach((item, index) => {
    const at = `${path}[${index}]`;
    if (item === null || typeof item === 'string' || typeof item === 'boolean') m.exact.add(item);
    else if (typeof item === 'number' && Number.isFinite(item)) {
      m.exact.add(item);
      const comparable = comparableNumber(item);
      if (comparable !== undefined) m.exactNumbers.add(comparable);
    } else if (Array.isArray(item)) issues.push({ path: at, message: 'a list inside a list is not allowed; list the values directly' });
    else if (isJsonObject(item)) addOperator(item, at, m, issues);
    else issues.push({ path: at, message: `is not a JSON value (${kindOf(item)})` });
  });
  const matchesLeaf = (value: unknown): boolean =>
    m.exists ||
    m.exact.has(value) ||
    (typeof value === 'number' && m.exactNumbers.size > 0 && m.exactNumbers.has(comparableNumber(value) as number)) ||
    (typeof value === 'string' && m.ignoreCase.size > 0 && m.ignoreCase.has(value.toLowerCase())) ||
    m.predicates.some((predicate) => predicate(value));
  return (value, present) => {
    if (!present || isObjectNode(value)) return m.absent;
    if (!Array.isArray(value)) return matchesLeaf(value);
    let sawLeaf = false;
    const pending: (readonly unknown[])[] = [value];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      for (const item of next) {
        if (Array.isArray(item)) pending.push(item);
        else if (!isObjectNode(item)) {
          if (matchesLeaf(item)) return true;
          sawLeaf = true;
        }
      }
    }
    return !sawLeaf && m.absent;
  };
}

function addOperator(matcher: Readonly<Record<string, unknown>>, path: string, m: ListMatchers, issues: EventPatternIssue[]): void {
  const keys = Object.keys(matcher);
  const [name] = keys;
  if (name === undefined || keys.length > 1) {
    issues.push({ path, message: `a matcher object has exactly one operator, one of ${OPERATOR_LIST}; this one has ${keys.length}` });
    return;
  }
  const argument = matcher[name];
  const problem = (message: string): void => void issues.push({ path, message });
  switch (name) {
    case 'prefix':
    case 'suffix':
      if (typeof argument !== 'string') return problem(`${name} needs a string, e.g. {"${name}": "${name === 'prefix' ? 'resnet-' : '-prod'}"}${isJsonObject(argument) ? ` (${name} with equals-ignore-case is an EventBridge form not supported here)` : ''}`);
      m.predicates.push(name === 'prefix' ? (value) => typeof value === 'string' && value.startsWith(argument) : (value) => typeof value === 'string' && value.endsWith(argument));
      return;
    case 'equals-ignore-case':
      if (typeof argument !== 'string') return problem('equals-ignore-case needs a string, e.g. {"equals-ignore-case": "vision"}');
      m.ignoreCase.add(argument.toLowerCase());
      return;
    case 'exists':
      if (typeof argument !== 'boolean') return problem('exists needs true or false');
      if (argument) m.exists = true;
      else m.absent = true;
      return;
    case 'numeric': {
      const range = numericRange(argument);
      if (typeof range === 'string') return problem(range);
      m.predicates.push(range);
      return;
    }
    case 'anything-but': {
      const predicate = anythingBut(argument);
      if (typeof predicate === 'string') return problem(predicate);
      m.predicates.push(predicate);
      return;
    }
    default:
      return problem(
        name === 'wildcard' || name === 'cidr'
          ? `"${name}" is an EventBridge operator not supported here (supported: ${OPERATOR_LIST})`
          : `"${clip(name)}" is not an operator (supported: ${OPERATOR_LIST})`,
      );
  }
}

const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);
const NUMERIC_OPERATORS = ['<', '<=', '=', '>=', '>'];

/** `[op, n]` or `[">"|">=", low, "<"|"<=", high]` as a predicate on JSON numbers, or what is wrong with it. */
function numericRange(argument: unknown): ((value: unknown) => boolean) | string {
  if (!Array.isArray(argument) || (argument.length !== 2 && argument.length !== 4)) return `numeric needs an operator and a number, e.g. ${NUMERIC_EXAMPLE}`;
  const bounds: { operator: string; at: number }[] = [];
  for (let index = 0; index < argument.length; index += 2) {
    const operator: unknown = argument[index];
    const bound: unknown = argument[index + 1];
    if (typeof operator !== 'string' || !NUMERIC_OPERATORS.includes(operator)) {
      return `numeric needs an operator and a number: ${typeof operator === 'string' ? `"${clip(operator)}"` : kindOf(operator)} is not one of ${NUMERIC_OPERATORS.join(', ')}`;
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound)) return `numeric needs a number after "${operator}", got ${kindOf(bound)}`;
    const at = comparableNumber(bound);
    if (at === undefined) return `numeric compares numbers from -5e9 to 5e9 only (EventBridge's range); ${bound} is outside it`;
    bounds.push({ operator, at });
  }
  const [first, second] = bounds as [{ operator: string; at: number }, { operator: string; at: number } | undefined];
  if (second !== undefined) {
    if (!LOWER_BOUNDS.has(first.operator) || !UPPER_BOUNDS.has(second.operator)) {
      return `a numeric range gives the lower bound (> or >=) first, then the upper (< or <=), e.g. ${NUMERIC_EXAMPLE}`;
    }
    if (first.at >= second.at) return 'a numeric range must have its lower bound below its upper bound';
  }
  const holds = (at: number): boolean => bounds.every(({ operator, at: bound }) => compare(operator, at, bound));
  return (value) => {
    if (typeof value !== 'number') return false;
    const at = comparableNumber(value);
    return at !== undefined && holds(at);
  };
}

function compare(operator: string, value: number, bound: number): boolean {
  switch (operator) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '=':
      return value === bound;
    case '>=':
      return value >= bound;
    default:
      return value > bound;
  }
}

const ANYTHING_BUT_FORMS = 'a string, a number, a list of only strings or only numbers, or {"prefix": "…"}';

/** `anything-but` as a predicate on one leaf value, or what is wrong with it. */
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

/** Too large or too deep, found by one iterative walk that stops at the limits (so even a cyclic value ends). */
function sizeProblemOf(source: unknown): string | undefined {
  const { maxBytes, maxDepth } = EVENT_PATTERN_LIMITS;
  const pending: [unknown, number][] = [[source, 0]];
  let nodes = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next;
    // Every node is at least one byte of JSON, so more nodes than bytes is over the byte limit.
    if (++nodes > maxBytes) return `is larger than ${maxBytes} bytes (4 KiB) of JSON; keep a filter to the fields that decide`;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return `nests more than ${maxDepth} levels deep`;
    for (const child of Array.isArray(value) ? value : Object.values(value)) pending.push([child, depth + 1]);
  }
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify(source) ?? '', 'utf8');
  } catch {
    return 'is not JSON';
  }
  return bytes > maxBytes ? `is ${bytes} bytes of JSON; at most ${maxBytes} (4 KiB) are allowed` : undefined;
}

/** A pattern object: a plain object, as `JSON.parse` and YAML make them (not a Map, a Date, …). */
function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** An object in the event (which `JSON.parse` made). */
function isObjectNode(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function never(): boolean {
  return false;
}

/** A key as a step of an issue's path: `.project`, or `["c count"]` for a key that is not a plain name; long keys are clipped. */
export function patternPathKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) && key.length <= 64 ? `.${key}` : `[${JSON.stringify(clip(key))}]`;
}

/** What kind of JSON value this is, for messages (never the value itself, which may be long or secret). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : 'a non-finite number';
  if (typeof value === 'boolean') return 'true or false';
  return `a ${typeof value}`;
}

function clip(text: string): string {
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}
