import { Duration } from 'aws-cdk-lib';
import { formatDurationText, parseDurationText } from '../../infra/duration-text';

describe('formatDurationText', () => {
  it.each([
    [Duration.seconds(5), '5s'],
    [Duration.minutes(5), '5m'],
    [Duration.seconds(90), '90s'],
    [Duration.hours(10), '10h'],
    [Duration.millis(2500), '2500ms'],
    [Duration.seconds(0), '0s'],
  ])('writes %s as %s', (duration, expected) => {
    // Act
    const written = formatDurationText(duration);
    // Assess
    expect(written).toBe(expected);
  });

  it('writes what parseDurationText reads back', () => {
    // Prepare
    const texts = ['5s', '5m', '30m', '2h', '1500ms'];
    // Act
    const roundTrip = texts.map((entry) => formatDurationText(parseDurationText(entry)));
    // Assess
    expect(roundTrip).toEqual(texts);
  });
});

describe('parseDurationText', () => {
  it('reads a bare number as seconds, like the function does', () => {
    // Act
    const duration = parseDurationText('90');
    // Assess
    expect(duration.toSeconds()).toBe(90);
  });

  it('rejects what is not a duration', () => {
    // Act
    const parse = (): Duration => parseDurationText('soon');
    // Assess
    expect(parse).toThrow(RangeError);
  });
});
