import {
  DEFAULT_RETRY_SCHEDULE, RETRY_AFTER_CAP_MS, applyRetryAfter, formatDuration, longestWait, nextDelay, parseDuration, parseRetryAfter, parseSchedule,
} from '../../lambda/core/delivery/retry-policy';
import { FIXED_NOW } from '../support/factories';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5 * SECOND],
    ['5m', 5 * MINUTE],
    ['2h', 2 * HOUR],
    ['30', 30 * SECOND],
    ['1.5s', 1500],
    [' 10 m ', 10 * MINUTE],
    ['0', 0],
  ])('reads %j as %i ms', (text, expected) => {
    // Act
    const ms = parseDuration(text);

    // Assess
    expect(ms).toBe(expected);
  });

  it.each(['', 'soon', '5x', '-5s', '5 sec', 'h', '1e3'])('rejects %j, saying what a duration looks like', (text) => {
    // Act
    const parse = (): number => parseDuration(text);

    // Assess
    expect(parse).toThrow(RangeError);
    expect(parse).toThrow(`"${text}" is not a duration; expected e.g. 500ms, 5s, 5m or 2h (a bare number is seconds)`);
  });
});

describe('formatDuration', () => {
  it.each([
    [5 * SECOND, '5s'],
    [5 * MINUTE, '5m'],
    [90 * SECOND, '90s'],
    [10 * HOUR, '10h'],
    [2500, '2500ms'],
    [0, '0s'],
  ])('writes %i ms as %s', (ms, expected) => {
    // Act
    const written = formatDuration(ms);

    // Assess
    expect(written).toBe(expected);
  });

  it('writes what parseDuration reads back', () => {
    // Prepare
    const texts = ['5s', '5m', '30m', '2h', '1500ms'];

    // Act
    const roundTrip = texts.map((text) => formatDuration(parseDuration(text)));

    // Assess
    expect(roundTrip).toEqual(texts);
  });
});

describe('parseSchedule', () => {
  it('reads the default schedule as 7 delays (8 attempts) of about 27.5 hours', () => {
    // Act
    const schedule = parseSchedule(DEFAULT_RETRY_SCHEDULE);

    // Assess
    expect(schedule).toEqual([5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(schedule.reduce((a, b) => a + b, 0) / HOUR).toBeCloseTo(27.5, 0);
  });

  it('mixes units and bare seconds', () => {
    // Act
    const schedule = parseSchedule('250ms, 2, 1m,1h');

    // Assess
    expect(schedule).toEqual([250, 2 * SECOND, MINUTE, HOUR]);
  });

  it('reads an empty schedule as a single attempt', () => {
    // Act
    const schedule = parseSchedule('  ');

    // Assess
    expect(schedule).toEqual([]);
  });

  it.each([
    ['5s,5x,30m', 2, '5x'],
    ['oops', 1, 'oops'],
    ['5s,,5m', 2, ''],
    ['5s,5m,', 3, ''],
  ])('names the bad entry of %j', (text, position, entry) => {
    // Act
    const parse = (): number[] => parseSchedule(text);

    // Assess
    expect(parse).toThrow(RangeError);
    expect(parse).toThrow(`entry ${position} "${entry}" is not a duration`);
  });
});

describe('nextDelay', () => {
  const schedule = [10 * SECOND, 5 * MINUTE, 2 * HOUR];

  it.each([
    [0, 8 * SECOND],
    [0.5, 10 * SECOND],
    [0.999999, 12 * SECOND],
  ])('jitters the delay by ±20%%: random %d gives %i ms', (random, expected) => {
    // Act
    const delay = nextDelay(1, schedule, random);

    // Assess
    expect(delay).toBe(expected);
  });

  it('stays within ±20% of the scheduled delay for any random in [0, 1)', () => {
    // Prepare
    const randoms = Array.from({ length: 101 }, (_, i) => Math.min(i / 100, 0.999999));

    // Act
    const delays = randoms.map((random) => nextDelay(3, schedule, random) ?? Number.NaN);

    // Assess
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(0.8 * 2 * HOUR);
      expect(delay).toBeLessThanOrEqual(1.2 * 2 * HOUR);
    }
  });

  it('uses the n-th delay after the n-th attempt', () => {
    // Act
    const delays = [1, 2, 3].map((attempt) => nextDelay(attempt, schedule, 0.5));

    // Assess
    expect(delays).toEqual(schedule);
  });

  it('is exhausted after the schedule', () => {
    // Act
    const afterLast = nextDelay(schedule.length + 1, schedule, 0.5);
    const onEmpty = nextDelay(1, [], 0.5);

    // Assess
    expect(afterLast).toBeUndefined();
    expect(onEmpty).toBeUndefined();
  });

  it('gives the default schedule 8 attempts', () => {
    // Prepare
    const defaults = parseSchedule(DEFAULT_RETRY_SCHEDULE);

    // Act
    const afterSeventh = nextDelay(7, defaults, 0.5);
    const afterEighth = nextDelay(8, defaults, 0.5);

    // Assess
    expect(afterSeventh).toBe(10 * HOUR);
    expect(afterEighth).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    // Act
    const ms = parseRetryAfter('120', FIXED_NOW);

    // Assess
    expect(ms).toBe(120 * SECOND);
  });

  it('reads an HTTP date as the time from now', () => {
    // Prepare
    const header = new Date(FIXED_NOW + 90 * SECOND).toUTCString();

    // Act
    const ms = parseRetryAfter(header, FIXED_NOW);

    // Assess
    expect(ms).toBe(90 * SECOND);
  });

  it('reads an HTTP date in the past as no wait', () => {
    // Prepare
    const header = new Date(FIXED_NOW - HOUR).toUTCString();

    // Act
    const ms = parseRetryAfter(header, FIXED_NOW);

    // Assess
    expect(ms).toBe(0);
  });

  it.each([undefined, '', 'soon', 'in a minute'])('ignores %j', (header) => {
    // Act
    const ms = parseRetryAfter(header, FIXED_NOW);

    // Assess
    expect(ms).toBeUndefined();
  });
});

describe('applyRetryAfter', () => {
  it('raises the delay to Retry-After', () => {
    // Act
    const delay = applyRetryAfter(5 * SECOND, 10 * MINUTE);

    // Assess
    expect(delay).toBe(10 * MINUTE);
  });

  it('caps the raise at one hour above the scheduled delay', () => {
    // Act
    const delay = applyRetryAfter(5 * SECOND, 24 * HOUR);

    // Assess
    expect(delay).toBe(5 * SECOND + RETRY_AFTER_CAP_MS);
    expect(RETRY_AFTER_CAP_MS).toBe(HOUR);
  });

  it('never lowers the delay', () => {
    // Act
    const delay = applyRetryAfter(30 * MINUTE, 10 * SECOND);

    // Assess
    expect(delay).toBe(30 * MINUTE);
  });

  it('keeps the delay without Retry-After', () => {
    // Act
    const delay = applyRetryAfter(30 * MINUTE, undefined);

    // Assess
    expect(delay).toBe(30 * MINUTE);
  });
});

describe('longestWait', () => {
  it.each([
    ['the default schedule', parseSchedule(DEFAULT_RETRY_SCHEDULE), 12 * HOUR + HOUR],
    ['a short schedule', [SECOND, 2 * SECOND], 2400 + HOUR],
    ['an empty schedule', [], HOUR],
  ])('allows %s its longest delay jittered up, plus the Retry-After cap', (_what, schedule, expected) => {
    // Act
    const wait = longestWait(schedule);

    // Assess
    expect(wait).toBe(expected);
    expect(wait).toBeGreaterThanOrEqual(applyRetryAfter(nextDelay(schedule.length, schedule, 0.999_999) ?? 0, Number.POSITIVE_INFINITY));
  });
});
