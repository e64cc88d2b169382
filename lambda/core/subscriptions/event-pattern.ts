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
 * The matcher objects themselves are parsed in `pattern-operators.ts`.
 */
import { boundsHold, clip, comparableNumber, isJsonObject, jsonKind, parseOperator } from './pattern-operators';
import type { NumericBound, PatternOperator } from './pattern-operators';

export const EVENT_PATTERN_LIMITS = {
  /** Bytes of the pattern's JSON (docs/design.md §10: at most 4 KiB). */
  maxBytes: 4096,
  /** Levels of nested objects and lists; the walk that checks it is iterative, so no input overflows the stack. */
  maxDepth: 16,
  /**
   * Steps one match may take (a field tested, an array element visited): an event that needs more,
   * such as 80,000 empty objects where a filter looks for a field, does not match, rather than
   * holding the batch for seconds per subscription (docs/design.md §10).
   */
  maxSteps: 20_000,
} as const;

/** Thrown inside a match when its steps run out; caught by `matches`. */
const STEPS_SPENT = Symbol('steps spent');

/**
 * Steps left to the match in progress (unbounded outside one, e.g. while compiling). Matching is
 * synchronous, so one counter serves every pattern.
 */
let stepsLeft = Number.POSITIVE_INFINITY;

/** Spends `cost` steps of the match in progress. */
function step(cost = 1): void {
  stepsLeft -= cost;
  if (stepsLeft < 0) throw STEPS_SPENT;
}

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
    return { ok: false, issues: [{ path: '', message: `must be a JSON object of fields to match, e.g. {"data": {"experiment": {"project": ["vision"]}}}; got ${jsonKind(source)}` }] };
  }
  const issues: EventPatternIssue[] = [];
  const test = compileObject(source, '', issues);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, pattern: { matches: (value) => withinSteps(test, value) } };
}

function withinSteps(test: ObjectTest, value: unknown): boolean {
  // Restored afterwards, so a match started inside another (a getter of a non-JSON value) leaves the outer one's count.
  const outer = stepsLeft;
  stepsLeft = EVENT_PATTERN_LIMITS.maxSteps;
  try {
    return test(value);
  } catch (error) {
    if (error === STEPS_SPENT) return false;
    throw error;
  } finally {
    stepsLeft = outer;
  }
}

/** Whether the value at a field (`present` false when the key is missing) matches. */
type FieldTest = (value: unknown, present: boolean) => boolean;
/** Whether a node of the event matches a pattern object. */
type ObjectTest = (node: unknown) => boolean;

function compileObject(pattern: Readonly<Record<string, unknown>>, path: string, issues: EventPatternIssue[]): ObjectTest {
  const entries = Object.entries(pattern);
  if (entries.length === 0) issues.push({ path, message: 'must name at least one field to match' });
  const fields = entries.map(([key, value]) => {
    const at = `${path}${patternPathKey(key)}`;
    if (key === '$or') issues.push({ path: at, message: '"$or" is an EventBridge form not supported here; use one subscription per alternative' });
    let test: FieldTest = never;
    if (Array.isArray(value)) test = compileList(value, at, issues);
    else if (isJsonObject(value)) test = nested(compileObject(value, at, issues));
    else issues.push({ path: at, message: `must be a list of values to match, e.g. ["vision"], or an object of fields; got ${jsonKind(value)}` });
    return { key, test };
  });
  const fieldsHold = (object: Readonly<Record<string, unknown>>): boolean =>
    fields.every(({ key, test }) => {
      step();
      return Object.hasOwn(object, key) ? test(object[key], true) : test(undefined, false);
    });
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
      step();
      if (Array.isArray(item)) pending.push(item);
      else if (isObjectNode(item)) {
        if (test(item)) return true;
        sawObject = true;
      }
    }
  }
  return sawObject ? false : undefined;
}

/**
 * The matchers of one list, gathered so that a leaf costs a few set lookups however long the list
 * (a 4 KiB pattern can list some 200 prefixes; an event array can hold 20,000 strings).
 */
interface ListMatchers {
  readonly exact: Set<unknown>;
  /** {@link comparableNumber} of the exact numbers within range: EventBridge compares numbers at that precision. */
  readonly exactNumbers: Set<number>;
  readonly ignoreCase: Set<string>;
  /** Prefixes (and suffixes) by length: one slice and lookup per distinct length, not one test per prefix. */
  readonly prefixes: Map<number, Set<string>>;
  readonly suffixes: Map<number, Set<string>>;
  /** `numeric` matchers, each a list of bounds on {@link comparableNumber}. */
  readonly ranges: (readonly NumericBound[])[];
  readonly anythingBut: ((value: unknown) => boolean)[];
  exists: boolean;
  absent: boolean;
}

function compileList(list: readonly unknown[], path: string, issues: EventPatternIssue[]): FieldTest {
  if (list.length === 0) issues.push({ path, message: 'must list at least one value (an empty list would match nothing)' });
  const m: ListMatchers = {
    exact: new Set(), exactNumbers: new Set(), ignoreCase: new Set(), prefixes: new Map(), suffixes: new Map(), ranges: [], anythingBut: [], exists: false, absent: false,
  };
  list.forEach((item, index) => {
    const at = `${path}[${index}]`;
    if (item === null || typeof item === 'string' || typeof item === 'boolean') m.exact.add(item);
    else if (typeof item === 'number' && Number.isFinite(item)) {
      m.exact.add(item);
      const comparable = comparableNumber(item);
      if (comparable !== undefined) m.exactNumbers.add(comparable);
    } else if (Array.isArray(item)) issues.push({ path: at, message: 'a list inside a list is not allowed; list the values directly' });
    else if (isJsonObject(item)) {
      const operator = parseOperator(item);
      if (typeof operator === 'string') issues.push({ path: at, message: operator });
      else addOperator(m, operator);
    } else issues.push({ path: at, message: `is not a JSON value (${jsonKind(item)})` });
  });
  const matchesString = (value: string): boolean =>
    (m.ignoreCase.size > 0 && m.ignoreCase.has(value.toLowerCase())) ||
    someSlice(m.prefixes, value, (length) => value.slice(0, length)) ||
    someSlice(m.suffixes, value, (length) => value.slice(value.length - length));
  const matchesNumber = (value: number): boolean => {
    if (m.exactNumbers.size === 0 && m.ranges.length === 0) return false;
    const at = comparableNumber(value);
    return at !== undefined && (m.exactNumbers.has(at) || m.ranges.some((bounds) => boundsHold(bounds, at)));
  };
  const matchesLeaf = (value: unknown): boolean =>
    m.exists ||
    m.exact.has(value) ||
    (typeof value === 'string' && matchesString(value)) ||
    (typeof value === 'number' && matchesNumber(value)) ||
    m.anythingBut.some((predicate) => predicate(value));
  // A leaf costs a step per matcher that may run on it: anything-but predicates, slice lengths, ranges.
  const leafCost = 1 + m.anythingBut.length + m.prefixes.size + m.suffixes.size + m.ranges.length;
  return (value, present) => {
    if (!present || isObjectNode(value)) return m.absent;
    if (!Array.isArray(value)) {
      step(leafCost);
      return matchesLeaf(value);
    }
    let sawLeaf = false;
    const pending: (readonly unknown[])[] = [value];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      for (const item of next) {
        step(leafCost);
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

function addOperator(m: ListMatchers, operator: PatternOperator): void {
  switch (operator.kind) {
    case 'prefix':
    case 'suffix': {
      const byLength = operator.kind === 'prefix' ? m.prefixes : m.suffixes;
      byLength.set(operator.text.length, (byLength.get(operator.text.length) ?? new Set<string>()).add(operator.text));
      return;
    }
    case 'equals-ignore-case':
      m.ignoreCase.add(operator.text.toLowerCase());
      return;
    case 'exists':
      if (operator.exists) m.exists = true;
      else m.absent = true;
      return;
    case 'numeric':
      m.ranges.push(operator.bounds);
      return;
    case 'anything-but':
      m.anythingBut.push(operator.passes);
      return;
  }
}

/** Whether some slice of `value`, one per length in `byLength`, is in that length's set. */
function someSlice(byLength: ReadonlyMap<number, ReadonlySet<string>>, value: string, slice: (length: number) => string): boolean {
  for (const [length, values] of byLength) {
    if (length <= value.length && values.has(slice(length))) return true;
  }
  return false;
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

