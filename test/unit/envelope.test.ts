import { MAX_EVENT_BYTES, checkEventSize, jsonDepth, parseEnvelope, valueDepth } from '../../lambda/core/inbound/envelope';
import { BUILT_IN_EVENTS } from '../../lambda/core/inbound/events';
import { FIXED_NOW, publishedEvent } from '../support/factories';

const facts = { messageId: '6f1c1c1e-2d0b-4b7e-9d49-0d4bd3b0c001', sentAt: FIXED_NOW };

function errorOf(value: unknown): string {
  const result = parseEnvelope(value, facts);
  if (result.ok) throw new Error(`expected an invalid envelope, got ${JSON.stringify(result.event)}`);
  return result.error;
}

describe('parseEnvelope', () => {
  it('accepts a published event as it is', () => {
    // Prepare
    const value = publishedEvent({ id: 'evt_42', timestamp: '2026-11-27T09:00:00.000Z' });

    // Act
    const result = parseEnvelope(value, facts);

    // Assess
    expect(result).toEqual({
      ok: true,
      event: { id: 'evt_42', type: 'experiments.succeeded', timestamp: '2026-11-27T09:00:00.000Z', data: value.data },
    });
  });

  it('uses the SQS message id when the event has no id', () => {
    // Prepare
    const { id: _id, ...value } = publishedEvent();

    // Act
    const result = parseEnvelope(value, facts);

    // Assess
    expect(result.ok && result.event.id).toBe(facts.messageId);
  });

  it('uses the SQS sent time when the event has no timestamp', () => {
    // Prepare
    const { timestamp: _timestamp, ...value } = publishedEvent();

    // Act
    const result = parseEnvelope(value, facts);

    // Assess
    expect(result.ok && result.event.timestamp).toBe('2026-11-27T10:00:00.000Z');
  });

  it.each(['2026-11-27T10:00:00Z', '2026-11-27T10:00:00.123456+02:00', '2026-11-27T10:00-0500'])('accepts the ISO-8601 timestamp %s', (timestamp) => {
    // Act
    const result = parseEnvelope(publishedEvent({ timestamp }), facts);

    // Assess
    expect(result.ok && result.event.timestamp).toBe(timestamp);
  });

  it.each([
    ['an array', [], 'event must be a JSON object, got an array'],
    ['a string', 'experiments.succeeded', 'event must be a JSON object, got "experiments.succeeded"'],
    ['null', null, 'event must be a JSON object, got null'],
    ['a number', 42, 'event must be a JSON object, got number 42'],
  ])('rejects %s as the event', (_what, value, expected) => {
    // Act
    const error = errorOf(value);

    // Assess
    expect(error).toBe(expected);
  });

  it('names the missing type', () => {
    // Prepare
    const { type: _type, ...value } = publishedEvent();

    // Act
    const error = errorOf(value);

    // Assess
    expect(error).toMatch(/^event has no "type"/);
  });

  it.each([
    [42, 'number 42'],
    [['experiments.succeeded'], 'an array'],
    [null, 'null'],
  ])('rejects a non-string type %j', (type, described) => {
    // Act
    const error = errorOf(publishedEvent({ type }));

    // Assess
    expect(error).toBe(`event "type" must be a string, got ${described}`);
  });

  it('names an unknown type and suggests the closest catalogue type', () => {
    // Act
    const error = errorOf(publishedEvent({ type: 'experiment.succeeded' }));

    // Assess
    expect(error).toBe('event type "experiment.succeeded" is not in the catalogue; did you mean "experiments.succeeded"?');
  });

  it.each(['jobs.ok', 'nonsense', 'xyz.abc'])('suggests an event type, never a subscription pattern, for the unknown type %j', (type) => {
    // Act
    const error = errorOf(publishedEvent({ type }));

    // Assess
    expect(error).toMatch(new RegExp(`^event type "${type}" is not in the catalogue`));
    const suggestion = /did you mean "([^"]*)"/.exec(error)?.[1];
    expect({ suggestion, isEventType: suggestion === undefined || BUILT_IN_EVENTS.has(suggestion) }).toEqual({ suggestion, isEventType: true });
  });

  it('clips a long unknown type in the message', () => {
    // Prepare
    const type = `experiments.${'x'.repeat(500)}`;

    // Act
    const error = errorOf(publishedEvent({ type }));

    // Assess
    expect(error.length).toBeLessThan(200);
    expect(error).toContain('...');
  });

  it('names the missing data', () => {
    // Prepare
    const { data: _data, ...value } = publishedEvent();

    // Act
    const error = errorOf(value);

    // Assess
    expect(error).toBe('event "experiments.succeeded" has no "data"; expected a JSON object');
  });

  it.each([
    ['an array', [1, 2], 'an array'],
    ['a string', 'done', '"done"'],
    ['null', null, 'null'],
    ['a boolean', true, 'boolean true'],
  ])('rejects %s as data', (_what, data, described) => {
    // Act
    const error = errorOf(publishedEvent({ data }));

    // Assess
    expect(error).toBe(`event "data" must be a JSON object, got ${described}`);
  });

  it.each([
    ['an empty string', '', '""'],
    ['a number', 42, 'number 42'],
    ['257 characters', 'e'.repeat(257), `"${'e'.repeat(77)}..."`],
  ])('rejects %s as id', (_what, id, described) => {
    // Act
    const error = errorOf(publishedEvent({ id }));

    // Assess
    expect(error).toBe(`event "id" must be a string of 1 to 256 characters, got ${described}`);
  });

  it.each([
    ['a date without time', '2026-11-27', '"2026-11-27"'],
    ['words', 'yesterday', '"yesterday"'],
    ['an impossible date', '2026-13-45T10:00:00Z', '"2026-13-45T10:00:00Z"'],
    ['a number', 1_764_237_600_000, 'number 1764237600000'],
  ])('rejects %s as timestamp', (_what, timestamp, described) => {
    // Act
    const error = errorOf(publishedEvent({ timestamp }));

    // Assess
    expect(error).toBe(`event "timestamp" must be an ISO-8601 date-time, got ${described}`);
  });
});

describe('checkEventSize', () => {
  it('accepts a body of exactly 256 KiB', () => {
    // Prepare
    const body = 'x'.repeat(MAX_EVENT_BYTES);

    // Act
    const problem = checkEventSize(body);

    // Assess
    expect(problem).toBeUndefined();
  });

  it('rejects a body larger than 256 KiB, counting UTF-8 bytes, and says by how much', () => {
    // Prepare: 131,073 two-byte characters are 262,146 bytes.
    const body = 'é'.repeat(MAX_EVENT_BYTES / 2 + 1);

    // Act
    const problem = checkEventSize(body);

    // Assess
    expect(problem).toBe('event body is 262146 bytes; the limit is 262144 bytes (256 KiB)');
  });
});

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['[{"a":[1,{"b":{}}]}]', 5],
    ['{"text":"{[{[{[ \\" ]}]}]}"}', 1],
    ['{"a":"\\\\"}', 1],
  ])('counts %s as %i levels, skipping strings', (text, expected) => {
    // Act
    const depth = jsonDepth(text);

    // Assess
    expect(depth).toBe(expected);
    expect(depth).toBe(valueDepth(JSON.parse(text)));
  });

  it('stops counting past the limit', () => {
    // Act
    const depth = jsonDepth('['.repeat(1_000_000), 64);

    // Assess
    expect(depth).toBe(65);
  });
});

describe('valueDepth', () => {
  it('walks a value too deep for recursion', () => {
    // Prepare
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;

    // Act
    const depth = valueDepth(deep);

    // Assess
    expect(depth).toBe(100_000);
  });
});
