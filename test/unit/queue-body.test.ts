import { createHash } from 'node:crypto';
import type { DeadLetterRecord } from '../../lambda/core/inbound/messages';
import { SQS_MAX_MESSAGE_BYTES } from '../../lambda/core/inbound/envelope';
import { DEAD_LETTER_EXCERPT_BYTES, MAX_ERROR_CHARS, bodyBytes, clipError, deadLetterBody, excerpt, queueBody } from '../../lambda/core/inbound/queue-body';
import { platformEvent } from '../support/factories';

const AT = '2026-11-27T10:00:00.000Z';

function invalidRecord(event: unknown, error = 'event body is not valid JSON'): DeadLetterRecord {
  return { reason: 'invalid-event', error, event, attempts: 0, firstAttemptAt: AT, lastAttemptAt: AT };
}

/** The characters SQS accepts in a message body. */
const SQS_CHARACTERS = /^[\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

describe('queueBody', () => {
  it('is the JSON of a value, with U+FFFE and U+FFFF escaped so SQS accepts it', () => {
    // Prepare
    const value = { text: 'a\uffffb\ufffec\u0001\ud800' };

    // Act
    const body = queueBody(value);

    // Assess
    expect(body).toMatch(SQS_CHARACTERS);
    expect(JSON.parse(body)).toEqual(value);
  });
});

describe('deadLetterBody', () => {
  it('sends a record that fits as it is', () => {
    // Prepare
    const record: DeadLetterRecord = { reason: 'permanent', error: 'HTTP 404', event: platformEvent(), subscription: 'ops', deliveryId: 'msg_1', attempts: 1, firstAttemptAt: AT, lastAttemptAt: AT };

    // Act
    const body = deadLetterBody(record);

    // Assess
    expect(JSON.parse(body)).toStrictEqual(record);
  });

  it.each([
    ['quotes, which double when escaped', '"'.repeat(700 * 1024)],
    ['newlines and tabs, which double when escaped', '\n\t'.repeat(400 * 1024)],
    ['plain text just over the limit', 'x'.repeat(SQS_MAX_MESSAGE_BYTES)],
    ['characters of three UTF-8 bytes', '€'.repeat(400 * 1024)],
    ['surrogate pairs', '😀'.repeat(300 * 1024)],
  ])('keeps a bounded excerpt of a raw body of %s, with its size and SHA-256', (_what, raw) => {
    // Act
    const body = deadLetterBody(invalidRecord(raw));

    // Assess
    expect(bodyBytes(body)).toBeLessThanOrEqual(DEAD_LETTER_EXCERPT_BYTES + 1024);
    expect(body).toMatch(SQS_CHARACTERS);
    const record = JSON.parse(body) as DeadLetterRecord;
    expect(record).toMatchObject({ reason: 'invalid-event', eventBytes: Buffer.byteLength(raw), eventSha256: createHash('sha256').update(raw).digest('hex') });
    expect(typeof record.event).toBe('string');
    expect(raw.startsWith(record.event as string)).toBe(true);
    expect((record.event as string).length).toBeGreaterThan(0);
  });

  it('keeps an excerpt of the JSON of an event that cannot be sent whole', () => {
    // Prepare
    const event = { type: 'jobs.failed', data: { blob: '"'.repeat(600 * 1024) } };

    // Act
    const record = JSON.parse(deadLetterBody(invalidRecord(event))) as DeadLetterRecord;

    // Assess
    const whole = JSON.stringify(event);
    expect(record.eventBytes).toBe(Buffer.byteLength(whole));
    expect(whole.startsWith(record.event as string)).toBe(true);
  });

  it('never throws, even for an event that cannot be serialized', () => {
    // Prepare
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    // Act
    const record = JSON.parse(deadLetterBody(invalidRecord(cyclic))) as DeadLetterRecord;

    // Assess
    expect(record.event).toBe('(the event could not be serialized: object)');
    expect(record.eventSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it(`cuts an error longer than ${MAX_ERROR_CHARS} characters`, () => {
    // Act
    const record = JSON.parse(deadLetterBody(invalidRecord('x', 'e'.repeat(100_000)))) as DeadLetterRecord;

    // Assess
    expect(record.error.length).toBeLessThanOrEqual(MAX_ERROR_CHARS);
    expect(record.error).toMatch(/… \(100000 characters in all\)$/);
  });
});

describe('excerpt', () => {
  it('takes the longest prefix whose JSON fits, never splitting a surrogate pair', () => {
    // Act
    const cut = excerpt('ab😀c', 2 + 2 + 3);

    // Assess
    expect(cut).toBe('ab');
    expect(excerpt('ab😀c', 2 + 2 + 4)).toBe('ab😀');
  });

  it('counts escapes as JSON writes them', () => {
    // Act
    const cut = excerpt('"\u0001x', 2 + 2 + 6);

    // Assess
    expect(cut).toBe('"\u0001');
    expect(bodyBytes(queueBody(cut))).toBe(10);
  });
});

describe('clipError', () => {
  it('keeps a short error as it is', () => {
    // Act
    const error = clipError('HTTP 500');

    // Assess
    expect(error).toBe('HTTP 500');
  });
});
