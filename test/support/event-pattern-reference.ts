/**
 * A reference interpretation of EventBridge event patterns, written straight from the rules listed in
 * `lambda/core/subscriptions/event-pattern.ts` (and EventBridge's documentation it cites), for the
 * property test: no compilation, no sets, no iterative walks; slow and obvious on purpose. It takes a
 * pattern that compiles (it does not validate) and a small event (its recursion is not bounded).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Whether the event matches the pattern. */
export function referenceMatches(pattern: JsonObject, event: unknown): boolean {
  return objectMatches(pattern, event);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An array's elements with nested arrays flattened, in order. */
function flatten(value: unknown[]): unknown[] {
  return value.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));
}

/**
 * A nested pattern holds for some object at that node (one element of an array of objects), with
 * every field judged on that same object; where there is no object, every field is missing.
 */
function objectMatches(pattern: JsonObject, node: unknown): boolean {
  const objects = isObject(node) ? [node] : Array.isArray(node) ? flatten(node).filter(isObject) : [];
  const candidates: JsonObject[] = objects.length > 0 ? objects : [{}];
  return candidates.some((object) =>
    Object.keys(pattern).every((key) => {
      const present = Object.prototype.hasOwnProperty.call(object, key);
      const value = present ? object[key] : undefined;
      const sub = pattern[key];
      return Array.isArray(sub) ? listMatches(sub, leavesOf(present, value)) : objectMatches(sub as JsonObject, value);
    }),
  );
}

/** The leaf values at a field: none when missing or an object; an array's scalar elements, flattened. */
function leavesOf(present: boolean, value: unknown): unknown[] {
  if (!present) return [];
  const values = Array.isArray(value) ? flatten(value) : [value];
  return values.filter((item) => !isObject(item));
}

function listMatches(list: Json[], leaves: unknown[]): boolean {
  return list.some((matcher) => (isObject(matcher) ? operatorMatches(matcher, leaves) : leaves.some((leaf) => sameValue(matcher, leaf))));
}

function operatorMatches(matcher: JsonObject, leaves: unknown[]): boolean {
  const [[name, argument]] = Object.entries(matcher) as [[string, Json]];
  switch (name) {
    case 'exists':
      return argument === true ? leaves.length > 0 : leaves.length === 0;
    case 'prefix':
      return leaves.some((leaf) => typeof leaf === 'string' && leaf.startsWith(argument as string));
    case 'suffix':
      return leaves.some((leaf) => typeof leaf === 'string' && leaf.endsWith(argument as string));
    case 'equals-ignore-case':
      return leaves.some((leaf) => typeof leaf === 'string' && leaf.toLowerCase() === (argument as string).toLowerCase());
    case 'numeric':
      return leaves.some((leaf) => typeof leaf === 'number' && numericHolds(argument as Json[], leaf));
    case 'anything-but':
      return leaves.some((leaf) => !excludedBy(argument, leaf));
    default:
      throw new Error(`the reference does not know operator ${name}`);
  }
}

/** Exact values: numbers by value, or equal at EventBridge's numeric precision when both are in its range. */
function sameValue(expected: Json, leaf: unknown): boolean {
  if (typeof expected === 'number' && typeof leaf === 'number') {
    const [a, b] = [fixedPoint(expected), fixedPoint(leaf)];
    return expected === leaf || (a !== undefined && a === b);
  }
  return expected === leaf;
}

function excludedBy(argument: Json, leaf: unknown): boolean {
  if (isObject(argument)) return typeof leaf === 'string' && leaf.startsWith(argument.prefix as string);
  const values = Array.isArray(argument) ? argument : [argument];
  return values.some((value) => sameValue(value, leaf));
}

function numericHolds(conditions: Json[], leaf: number): boolean {
  const value = fixedPoint(leaf);
  if (value === undefined) return false;
  for (let index = 0; index < conditions.length; index += 2) {
    const bound = fixedPoint(conditions[index + 1] as number) as number;
    const holds = {
      '<': value < bound,
      '<=': value <= bound,
      '=': value === bound,
      '>=': value >= bound,
      '>': value > bound,
    }[conditions[index] as '<' | '<=' | '=' | '>=' | '>'];
    if (!holds) return false;
  }
  return true;
}

/**
 * EventBridge compares numbers "between -5.0e9 and +5.0e9 inclusive ... six digits to the right of
 * the decimal point": Event Ruler shifts the value by 5e9, scales by 1e6 and truncates to an integer.
 */
function fixedPoint(value: number): number | undefined {
  if (value < -5e9 || value > 5e9) return undefined;
  return Math.trunc((value + 5e9) * 1e6);
}
