import { LogsError } from '../../local/errors';
import { compileFilterPattern } from '../../local/logs-filter-pattern';

const AUDIT = JSON.stringify({ level: 'WARN', message: 'delivery failed; retry scheduled', audit: 'delivery', subscription: 'ops', outcome: 'retry', attempt: 2, nested: { team: 'ml' } });

describe('compileFilterPattern', () => {
  it.each([
    ['the empty pattern', '', true],
    ['one comparison', '{ $.subscription = "ops" }', true],
    ['a comparison that fails', '{ $.subscription = "billing" }', false],
    ['comparisons joined by &&', '{ $.audit = "delivery" && $.subscription = "ops" && $.outcome = "retry" }', true],
    ['&& with one failing', '{ $.audit = "delivery" && $.subscription = "billing" }', false],
    ['|| in parentheses', '{ $.subscription = "ops" && ($.outcome = "dead-lettered" || $.outcome = "retry") }', true],
    ['|| with none matching', '{ ($.outcome = "delivered" || $.outcome = "dropped") }', false],
    ['a nested field', '{ $.nested.team = "ml" }', true],
    ['a missing field', '{ $.missing = "ops" }', false],
    ['a wildcard', '{ $.message = "delivery failed*" }', true],
    ['a wildcard that does not match', '{ $.message = "delivered*" }', false],
    ['no spaces', '{$.subscription="ops"&&$.outcome="retry"}', true],
  ])('matches as CloudWatch does: %s', (_case, pattern, expected) => {
    // Act
    const matches = compileFilterPattern(pattern)(AUDIT);
    // Assess
    expect(matches).toBe(expected);
  });

  it('matches no message that is not JSON with a JSON pattern, and every message with the empty one', () => {
    // Prepare
    const json = compileFilterPattern('{ $.subscription = "ops" }');
    const everything = compileFilterPattern(undefined);
    // Act
    const results = ['subscription ops', '{"subscription":"ops"', 'START RequestId: 1'].map((message) => [json(message), everything(message)]);
    // Assess
    expect(results).toEqual([[false, true], [false, true], [false, true]]);
  });

  it('reads \\" in a quoted value as a quote', () => {
    // Prepare
    const matches = compileFilterPattern('{ $.error = "said \\"no\\"" }');
    // Act and Assess
    expect(matches(JSON.stringify({ error: 'said "no"' }))).toBe(true);
    expect(matches(JSON.stringify({ error: 'said no' }))).toBe(false);
  });

  it.each([
    ['a term pattern', 'ERROR', /expected "\{"/],
    ['mixed && and || without parentheses', '{ $.a = "1" && $.b = "2" || $.c = "3" }', /mixed without parentheses/],
    ['!=', '{ $.a != "1" }', /!= comparison is not supported/],
    ['an unquoted value', '{ $.a = 1 }', /double-quoted/],
    ['an unclosed brace', '{ $.a = "1"', /expected "\}"/],
    ['an unclosed quote', '{ $.a = "1 }', /not closed/],
  ])('refuses %s with InvalidParameterException naming the supported subset', (_case, pattern, problem) => {
    // Act
    const attempt = (): unknown => compileFilterPattern(pattern);
    // Assess
    expect(attempt).toThrow(LogsError);
    expect(attempt).toThrow(problem);
    expect(attempt).toThrow(/supports the empty pattern and JSON patterns/);
  });
});
