import { compileEventPattern, EVENT_PATTERN_LIMITS } from '../../lambda/core/subscriptions/event-pattern';
import type { EventPattern } from '../../lambda/core/subscriptions/event-pattern';

function compiled(source: unknown): EventPattern {
  const result = compileEventPattern(source);
  if (!result.ok) throw new Error(`expected the pattern to compile, got ${JSON.stringify(result.issues)}`);
  return result.pattern;
}

function issuesOf(source: unknown): readonly string[] {
  const result = compileEventPattern(source);
  if (result.ok) throw new Error('expected the pattern to be refused');
  return result.issues.map(({ path, message }) => `${path}: ${message}`);
}

/** The sample EC2 event of https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html */
const EC2_TERMINATED = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** The Auto Scaling event of https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html */
const AUTOSCALING_LAUNCH = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

/** The Macie alert of the "Value matching" example, truncated as the documentation truncates it. */
const MACIE_ALERT = {
  source: 'aws.macie',
  'detail-type': 'Macie Alert',
  detail: { 'notification-type': 'ALERT_CREATED', tags: ['Custom_Alert', 'Insider'], 'risk-score': 80, trigger: { 'alert-type': 'basic', risk: 8 } },
};

/** The sample event of Event Ruler's README (https://github.com/aws/event-ruler), used by the content-filtering examples. */
const RULER_EVENT = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', 'instance-id': 'i-000000aaaaaa00000', state: 'running' },
};

const EMPLOYEES = {
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
};

const withDetail = (detail: object): object => ({ ...RULER_EVENT, detail });

/**
 * EventBridge's documented examples: [what the documentation says, pattern, event, matches].
 * Sources: eb-event-patterns.html, eb-event-patterns-null-values.html, eb-event-patterns-arrays.html,
 * eb-event-patterns-content-based-filtering.html, eb-create-pattern-operators.html (all under
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/) and Event Ruler's README.
 */
const DOCUMENTED: readonly [string, object, unknown, boolean][] = [
  ['matches EC2 instance-termination events', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, EC2_TERMINATED, true],
  ['ignores the fields the pattern does not name', { detail: { state: ['terminated'] } }, EC2_TERMINATED, true],
  ['matches events from EC2 or Fargate (values OR)', { source: ['aws.ec2', 'aws.fargate'] }, EC2_TERMINATED, true],
  ['needs every named field (keys AND)', { source: ['aws.ec2'], detail: { state: ['running'] } }, EC2_TERMINATED, false],
  ['needs the field in the event with the same nesting', { state: ['terminated'] }, EC2_TERMINATED, false],
  ['matches a null value with [null]', { detail: { responseElements: [null] } }, AUTOSCALING_LAUNCH, true],
  ['matches an empty string with [""]', { detail: { eventVersion: [''] } }, AUTOSCALING_LAUNCH, true],
  ['does not take null for an empty string', { detail: { responseElements: [''] } }, AUTOSCALING_LAUNCH, false],
  ['does not take an empty string for null', { detail: { eventVersion: [null] } }, AUTOSCALING_LAUNCH, false],
  ['matches numbers by value, nested', { source: ['aws.macie'], 'detail-type': ['Macie Alert'], detail: { 'risk-score': [80], trigger: { risk: [8] } } }, MACIE_ALERT, true],
  ['matches an event array when it intersects the pattern array', { detail: { tags: ['Insider', 'Outsider'] } }, MACIE_ALERT, true],
  [
    'matches an event array holding one of the listed resources',
    { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] },
    { resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    true,
  ],
  ['matches a prefix', { time: [{ prefix: '2017-10-02' }] }, RULER_EVENT, true],
  ['matches a prefix of strings only', { detail: { 'c-count': [{ prefix: '5' }] } }, RULER_EVENT, false],
  ['matches a suffix', { source: [{ suffix: 'ec2' }] }, RULER_EVENT, true],
  ['matches a file name by suffix', { FileName: [{ suffix: '.png' }] }, { FileName: 'photo.png' }, true],
  ['compares equals-ignore-case in any case', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' }, true],
  ['compares equals-ignore-case whole, not as a part', { source: [{ 'equals-ignore-case': 'EC2' }] }, RULER_EVENT, false],
  ['matches anything but one string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, RULER_EVENT, true],
  ['refuses the string anything-but names', { detail: { state: [{ 'anything-but': 'running' }] } }, RULER_EVENT, false],
  ['matches anything but one number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, RULER_EVENT, true],
  ['matches anything but a list of strings', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, RULER_EVENT, true],
  ['refuses a number in the anything-but list', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 301.8] }] } }, RULER_EVENT, false],
  ['matches anything but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, RULER_EVENT, true],
  ['refuses a value with the anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, RULER_EVENT, false],
  ['excludes only AWS sources with anything-but prefix "aws."', { source: [{ 'anything-but': { prefix: 'aws.' } }] }, { source: 'com.example.platform' }, true],
  ['matches an event array with a value anything-but does not name', { price: [{ 'anything-but': [100, 500] }] }, { price: [100, 50] }, true],
  ['refuses an event array whose values anything-but all names', { price: [{ 'anything-but': [100, 500] }] }, { price: [100] }, false],
  ['does not match anything-but on a missing field', { detail: { missing: [{ 'anything-but': 'x' }] } }, RULER_EVENT, false],
  [
    'matches numeric ranges, all fields true',
    { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
    RULER_EVENT,
    true,
  ],
  ['excludes the open end of a numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } }, RULER_EVENT, false],
  ['matches numeric only on JSON numbers', { version: [{ numeric: ['=', 0] }] }, RULER_EVENT, false],
  ['matches a field with exists: true', { detail: { state: [{ exists: true }] } }, RULER_EVENT, true],
  ['matches a missing field with exists: false', { detail: { 'c-count': [{ exists: false }] } }, { 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['initializing', 'running'] } }, true],
  [
    'matches exists: false on a field that is not a leaf',
    { detail: { 'c-count': [{ exists: false }] } },
    { 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } },
    true,
  ],
  ['refuses exists: false where the field has a value', { detail: { 'c-count': [{ exists: false }] } }, RULER_EVENT, false],
  [
    'combines matchers (the complex example)',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    },
    RULER_EVENT,
    true,
  ],
  ['looks into arrays of objects', { employees: { firstName: ['Anna'] } }, EMPLOYEES, true],
  ['needs one array element to match all fields (array consistency)', { employees: { firstName: ['Anna'], lastName: ['Jones'] } }, EMPLOYEES, false],
  ['matches all fields in one array element', { employees: { firstName: ['Anna'], lastName: ['Smith'] } }, EMPLOYEES, true],
  ['looks into arrays of arrays of objects', { employees: { firstName: ['Peter'] } }, { employees: [[EMPLOYEES.employees[0]], [EMPLOYEES.employees[2]]] }, true],
];

describe('compileEventPattern', () => {
  describe("EventBridge's documented examples", () => {
    it.each(DOCUMENTED)('%s', (_what, pattern, event, expected) => {
      // Act
      const matched = compiled(pattern).matches(event);

      // Assess
      expect(matched).toBe(expected);
    });

    it('compares numbers at six digits after the decimal point within ±5e9, as EventBridge does', () => {
      // Prepare
      const pattern = compiled({ x: [{ numeric: ['=', 37.8078] }] });
      const exact = compiled({ x: [37.8078] });

      // Act
      const verdicts = [37.8078, 37.80780001, 37.807802, 5e9 + 1].map((x) => [pattern.matches({ x }), exact.matches({ x })]);

      // Assess
      expect(verdicts).toEqual([[true, true], [true, true], [false, false], [false, false]]);
    });

    it('compares numbers beyond ±5e9 by value only', () => {
      // Prepare
      const pattern = compiled({ x: [1e12] });

      // Act / Assess
      expect([pattern.matches({ x: 1e12 }), pattern.matches({ x: 1e12 + 0.5 })]).toEqual([true, false]);
    });
  });

  describe('where the filter differs from EventBridge on purpose', () => {
    it('sees numbers as the delivered body renders them: 300, 300.0 and 3.0e2 published are all 300', () => {
      // Prepare: the publisher's text is parsed once; EventBridge, which matches that text, tells them apart
      const events = ['{"x": 300}', '{"x": 300.0}', '{"x": 3.0e2}'].map((text) => JSON.parse(text) as unknown);

      // Act
      const verdicts = events.map((event) => compiled({ x: [300] }).matches(event));

      // Assess
      expect(verdicts).toEqual([true, true, true]);
    });

    it('judges exists: false per element under an array of objects', () => {
      // Act
      const matched = compiled({ employees: { middleName: [{ exists: false }] } }).matches({ employees: [{ middleName: 'Q' }, { firstName: 'Anna' }] });

      // Assess
      expect(matched).toBe(true);
    });
  });

  describe('matching hostile events', () => {
    it('never reads inherited properties as fields of the event', () => {
      // Prepare
      const pattern = compiled({ constructor: [{ exists: false }], toString: [{ exists: false }] });

      // Act / Assess
      expect(pattern.matches({})).toBe(true);
      expect(pattern.matches(JSON.parse('{"constructor": "x"}'))).toBe(false);
    });

    it('reads an own "__proto__" key as JSON.parse makes it', () => {
      // Act
      const matched = compiled(JSON.parse('{"__proto__": {"polluted": ["yes"]}}')).matches(JSON.parse('{"__proto__": {"polluted": "yes"}}'));

      // Assess
      expect(matched).toBe(true);
    });

    it('walks arrays nested 15,000 deep without overflowing the stack', () => {
      // Prepare
      let deep: unknown = 'x';
      for (let level = 0; level < 15_000; level++) deep = [deep];
      const pattern = compiled({ a: ['x'], b: { c: ['y'] } });

      // Act
      const matched = pattern.matches({ a: deep, b: deep });

      // Assess
      expect(matched).toBe(false);
      expect(compiled({ a: ['x'] }).matches({ a: deep })).toBe(true);
    });

    it(`does not match an event that needs more than ${EVENT_PATTERN_LIMITS.maxSteps} steps, found early or not`, () => {
      // Prepare: the README's example filter against 87,000 empty objects (256 KiB of event).
      const pattern = compiled({ data: { experiment: { project: ['vision', 'nlp'] } } });
      const empties = Array.from({ length: 87_000 }, () => ({}));

      // Act
      const late = pattern.matches({ data: { experiment: [...empties, { project: 'nlp' }] } });
      const early = pattern.matches({ data: { experiment: [{ project: 'nlp' }, ...empties] } });
      const after = pattern.matches({ data: { experiment: { project: 'vision' } } });

      // Assess
      expect(late).toBe(false);
      expect(early).toBe(true);
      expect(after).toBe(true);
    });

    it('counts each matcher a leaf meets: 60 prefixes of 60 lengths make each string cost 61 steps', () => {
      // Prepare
      const pattern = compiled({ data: { tags: Array.from({ length: 60 }, (_, index) => ({ prefix: `p${'x'.repeat(index)}` })) } });
      const misses = Array.from({ length: 1000 }, () => 'q');

      // Act
      const late = pattern.matches({ data: { tags: [...misses, 'pxx'] } });
      const early = pattern.matches({ data: { tags: ['pxx', ...misses] } });

      // Assess
      expect(late).toBe(false);
      expect(early).toBe(true);
    });

    it.each([undefined, null, 'text', 42, [], [1, [2]]])('treats a value that is no object (%p) as having no fields', (event) => {
      // Act / Assess
      expect(compiled({ a: [{ exists: false }] }).matches(event)).toBe(true);
      expect(compiled({ a: [{ exists: true }] }).matches(event)).toBe(false);
    });
  });

  describe('validation', () => {
    it.each<[string, unknown, string]>([
      ['a pattern that is not an object', ['vision'], ': must be a JSON object of fields to match, e.g. {"data": {"experiment": {"project": ["vision"]}}}; got a list'],
      ['an empty pattern', {}, ': must name at least one field to match'],
      ['an empty nested object', { data: {} }, '.data: must name at least one field to match'],
      ['a bare value instead of a list', { data: { status: 'failed' } }, '.data.status: must be a list of values to match, e.g. ["vision"], or an object of fields; got a string'],
      ['an empty list', { data: { status: [] } }, '.data.status: must list at least one value (an empty list would match nothing)'],
      ['a list in a list', { data: { status: [['failed']] } }, '.data.status[0]: a list inside a list is not allowed; list the values directly'],
      ['numeric without a number', { data: { experiment: { id: [{ numeric: ['>'] }] } } }, '.data.experiment.id[0]: numeric needs an operator and a number, e.g. {"numeric": [">", 0, "<=", 5]}'],
      ['an unknown numeric operator', { x: [{ numeric: ['≈', 1] }] }, '.x[0]: numeric needs an operator and a number: "≈" is not one of <, <=, =, >=, >'],
      ['a numeric bound given as a string', { x: [{ numeric: ['>', '5'] }] }, '.x[0]: numeric needs a number after ">", got a string'],
      ['a numeric bound beyond ±5e9', { x: [{ numeric: ['<', 6e9] }] }, ".x[0]: numeric compares numbers from -5e9 to 5e9 only (EventBridge's range); 6000000000 is outside it"],
      ['a range with the upper bound first', { x: [{ numeric: ['<', 5, '>', 0] }] }, '.x[0]: a numeric range gives the lower bound (> or >=) first, then the upper (< or <=), e.g. {"numeric": [">", 0, "<=", 5]}'],
      ['an empty range', { x: [{ numeric: ['>', 5, '<', 5] }] }, '.x[0]: a numeric range must have its lower bound below its upper bound'],
      ['exists without a boolean', { x: [{ exists: 'yes' }] }, '.x[0]: exists needs true or false'],
      ['prefix without a string', { x: [{ prefix: 5 }] }, '.x[0]: prefix needs a string, e.g. {"prefix": "resnet-"}'],
      ['prefix with equals-ignore-case', { x: [{ prefix: { 'equals-ignore-case': 'a' } }] }, '.x[0]: prefix needs a string, e.g. {"prefix": "resnet-"} (prefix with equals-ignore-case is an EventBridge form not supported here)'],
      ['anything-but mixing strings and numbers', { x: [{ 'anything-but': ['a', 1] }] }, '.x[0]: anything-but takes a string, a number, a list of only strings or only numbers, or {"prefix": "…"}'],
      ['anything-but with suffix', { x: [{ 'anything-but': { suffix: '.png' } }] }, '.x[0]: anything-but takes a string, a number, a list of only strings or only numbers, or {"prefix": "…"}; "suffix" inside anything-but is not supported here'],
      ['anything-but with an empty prefix', { x: [{ 'anything-but': { prefix: '' } }] }, '.x[0]: anything-but prefix needs a non-empty string, e.g. {"anything-but": {"prefix": "test-"}}'],
      ['two operators in one object', { x: [{ prefix: 'a', suffix: 'b' }] }, '.x[0]: a matcher object has exactly one operator, one of prefix, suffix, equals-ignore-case, anything-but, numeric, exists; this one has 2'],
      ['an EventBridge operator not supported here', { x: [{ wildcard: '*.png' }] }, '.x[0]: "wildcard" is an EventBridge operator not supported here (supported: prefix, suffix, equals-ignore-case, anything-but, numeric, exists)'],
      ['an unknown operator', { x: [{ contains: 'a' }] }, '.x[0]: "contains" is not an operator (supported: prefix, suffix, equals-ignore-case, anything-but, numeric, exists)'],
      ['$or', { $or: [{ a: ['x'] }, { b: ['y'] }] }, '["$or"]: "$or" is an EventBridge form not supported here; use one subscription per alternative'],
    ])('refuses %s, naming the path', (_what, pattern, expected) => {
      // Act
      const issues = issuesOf(pattern);

      // Assess
      expect(issues).toContain(expected);
    });

    it('reports every bad part at once', () => {
      // Act
      const issues = issuesOf({ a: [{ exists: 1 }], b: { c: [] } });

      // Assess
      expect(issues).toEqual(['.a[0]: exists needs true or false', '.b.c: must list at least one value (an empty list would match nothing)']);
    });

    it('quotes a key that is not a plain name, clipped', () => {
      // Act
      const issues = issuesOf({ 'c count': 'x', ['k'.repeat(100)]: 1 });

      // Assess
      expect(issues[0]).toMatch(/^\["c count"\]: /);
      expect(issues[1]).toMatch(/^\["k{23}…"\]: /);
    });

    it(`refuses a pattern over ${EVENT_PATTERN_LIMITS.maxBytes} bytes and accepts one at the limit`, () => {
      // Prepare: {"x":["…"]} is 10 bytes around the string
      const atLimit = { x: ['a'.repeat(EVENT_PATTERN_LIMITS.maxBytes - 10)] };
      const overLimit = { x: ['é'.repeat((EVENT_PATTERN_LIMITS.maxBytes - 10) / 2 + 1)] };

      // Act / Assess
      expect(compileEventPattern(atLimit).ok).toBe(true);
      expect(issuesOf(overLimit)).toEqual([': is 4098 bytes of JSON; at most 4096 (4 KiB) are allowed']);
    });

    it(`refuses a pattern nested more than ${EVENT_PATTERN_LIMITS.maxDepth} levels deep`, () => {
      // Prepare
      let deep: object = { x: ['y'] };
      for (let level = 0; level < EVENT_PATTERN_LIMITS.maxDepth; level++) deep = { x: deep };

      // Act / Assess
      expect(issuesOf(deep)).toEqual([`: nests more than ${EVENT_PATTERN_LIMITS.maxDepth} levels deep`]);
    });

    it('refuses a cyclic value (as an alias in YAML can make) without looping', () => {
      // Prepare
      const cyclic: Record<string, unknown> = { x: ['y'] };
      cyclic.self = cyclic;

      // Act / Assess
      expect(issuesOf(cyclic)).toEqual([`: nests more than ${EVENT_PATTERN_LIMITS.maxDepth} levels deep`]);
    });

    it('refuses values JSON cannot hold', () => {
      // Act
      const issues = issuesOf({ a: [Number.NaN, new Date(0)], b: new Map() });

      // Assess
      expect(issues).toEqual([
        '.a[0]: is not a JSON value (a non-finite number)',
        '.a[1]: is not a JSON value (an object)',
        '.b: must be a list of values to match, e.g. ["vision"], or an object of fields; got an object',
      ]);
    });
  });
});
