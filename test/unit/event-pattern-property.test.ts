import fc from 'fast-check';
import { compileEventPattern } from '../../lambda/core/subscriptions/event-pattern';
import { referenceMatches } from '../support/event-pattern-reference';

/**
 * The compiled matcher against the reference interpretation (test/support/event-pattern-reference.ts)
 * on many random patterns × events. Keys, strings and numbers come from small vocabularies so that
 * patterns and events meet often; the vocabularies hold the edge cases: inherited property names
 * (`constructor`, `__proto__`), case variants, -0, numbers at and past EventBridge's ±5e9 range and
 * beyond its six decimal digits.
 */

const KEYS = ['a', 'b', 'constructor', '__proto__'];
const STRINGS = ['', 'x', 'xy', 'yx', 'X', 'xY', 'ß', 'SS'];
const NUMBERS = [0, -0, 1, 1.5, 1.0000001, 1.000001, -3, 300, 5e9, -5e9, 5000000000.5, 1e10, 2 ** 53, 0.1 + 0.2, 0.3];
const IN_RANGE = NUMBERS.filter((n) => Math.abs(n) <= 5e9);

const string = fc.constantFrom(...STRINGS);
const number = fc.constantFrom(...NUMBERS);
const scalar = fc.oneof(string, number, fc.boolean(), fc.constant(null));

/** An object with own keys as `JSON.parse` makes them (`__proto__` included as an own key). */
function objectOf<T>(value: fc.Arbitrary<T>, minKeys: number): fc.Arbitrary<Record<string, T>> {
  return fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), value), { minLength: minKeys, maxLength: 3, selector: ([key]) => key }).map((entries) => Object.fromEntries(entries));
}

const { event } = fc.letrec<{ event: unknown; array: unknown[] }>((tie) => ({
  event: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), objectOf(tie('event'), 0)),
  array: fc.array(tie('event'), { maxLength: 4 }),
}));

const numericRange = fc.oneof(
  fc.tuple(fc.constantFrom('<', '<=', '=', '>=', '>'), fc.constantFrom(...IN_RANGE)),
  fc
    .tuple(fc.constantFrom('>', '>='), fc.constantFrom(...IN_RANGE), fc.constantFrom('<', '<='), fc.constantFrom(...IN_RANGE))
    .filter(([, low, , high]) => Math.trunc((low + 5e9) * 1e6) < Math.trunc((high + 5e9) * 1e6)),
);

const matcher = fc.oneof(
  scalar,
  fc.record({ prefix: string }),
  fc.record({ suffix: string }),
  fc.record({ 'equals-ignore-case': string }),
  fc.record({ exists: fc.boolean() }),
  fc.record({ numeric: numericRange }),
  fc.record({
    'anything-but': fc.oneof(
      string,
      fc.constantFrom(...IN_RANGE),
      fc.array(string, { minLength: 1, maxLength: 3 }),
      fc.array(fc.constantFrom(...IN_RANGE), { minLength: 1, maxLength: 3 }),
      fc.record({ prefix: string.filter((s) => s !== '') }),
    ),
  }),
);

const { pattern } = fc.letrec<{ pattern: Record<string, unknown>; field: unknown }>((tie) => ({
  pattern: objectOf(tie('field'), 1),
  field: fc.oneof({ depthSize: 'small' }, fc.array(matcher, { minLength: 1, maxLength: 3 }), tie('pattern')),
}));

/**
 * Events shaped like the pattern (its keys, objects where it nests, sometimes in arrays, sometimes
 * missing), with leaf values mostly taken from the pattern's own values and bounds, so that most
 * fields are actually compared and verdicts of both kinds are common.
 */
function eventLike(source: Record<string, unknown>): fc.Arbitrary<unknown> {
  const entries = Object.entries(source).map(([key, sub]) => {
    const mentioned = Array.isArray(sub) ? scalarsIn(sub) : [];
    const leaf = mentioned.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...mentioned), weight: 4 }, scalar) : scalar;
    const value = Array.isArray(sub)
      ? fc.oneof({ arbitrary: leaf, weight: 4 }, fc.array(fc.oneof(leaf, event), { maxLength: 3 }), event)
      : eventLike(sub as Record<string, unknown>);
    return fc.option(value.map((v) => [key, v] as const), { nil: undefined, freq: 8 });
  });
  const object = fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter((pair) => pair !== undefined)));
  return fc.oneof({ arbitrary: object, weight: 6 }, fc.array(fc.oneof(object, event), { minLength: 1, maxLength: 3 }), event);
}

/**
 * Every string, number, boolean and null inside a list of matchers (values, operator arguments,
 * bounds), with neighbours: numbers a little off (below and at EventBridge's sixth decimal),
 * strings in other case and extended at either end.
 */
function scalarsIn(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(scalarsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(scalarsIn);
  if (typeof value === 'number') return [value, value + 1e-7, value - 1e-7, value + 1e-6, value - 1e-6];
  if (typeof value === 'string') return [value, value.toUpperCase(), `${value}y`, `y${value}`];
  return [value];
}

const patternAndEvents = pattern.chain((source) => fc.tuple(fc.constant(source), fc.array(fc.oneof(eventLike(source), event), { minLength: 1, maxLength: 8 })));

describe('compileEventPattern against the reference interpretation', () => {
  it('agrees with the reference on random patterns and events', () => {
    // Prepare
    const outcomes = { matched: 0, unmatched: 0 };

    // Act
    fc.assert(
      fc.property(patternAndEvents, ([source, events]) => {
        const compiled = compileEventPattern(source);
        if (!compiled.ok) return false;
        return events.every((candidate) => {
          const matched = compiled.pattern.matches(candidate);
          outcomes[matched ? 'matched' : 'unmatched']++;
          return matched === referenceMatches(source as never, candidate);
        });
      }),
      { numRuns: 3000 },
    );

    // Assess: both verdicts were exercised, not one of them throughout
    expect(outcomes.matched).toBeGreaterThan(500);
    expect(outcomes.unmatched).toBeGreaterThan(500);
  });

  it('never throws while compiling any JSON value, and says what is wrong with each it refuses', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (source) => {
        const result = compileEventPattern(source);
        return result.ok || result.issues.every((issue) => issue.message.length > 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws while matching any JSON value against a valid pattern', () => {
    fc.assert(
      fc.property(pattern, fc.jsonValue(), (source, candidate) => {
        const compiled = compileEventPattern(source);
        return compiled.ok && typeof compiled.pattern.matches(candidate) === 'boolean';
      }),
      { numRuns: 2000 },
    );
  });
});
