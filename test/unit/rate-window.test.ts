import { RateWindow } from '../../lambda/adapters/rate-window';

describe('RateWindow', () => {
  it('lets `limit` starts through in one window and tells the next when a slot frees', () => {
    // Prepare
    const window = new RateWindow(3, 1000);

    // Act
    const waits = [window.take(0), window.take(10), window.take(20), window.take(30)];

    // Assess
    expect(waits).toEqual([0, 0, 0, 970]);
  });

  it('frees a slot once its start is a whole window old, and only one per aged start', () => {
    // Prepare
    const window = new RateWindow(2, 1000);
    window.take(0);
    window.take(500);

    // Act
    const atOneSecond = window.take(1000);
    const rightAfter = window.take(1001);

    // Assess
    expect(atOneSecond).toBe(0);
    expect(rightAfter).toBe(499);
  });

  it('never lets more than `limit` starts into any window, however the calls are spread', () => {
    // Prepare
    const window = new RateWindow(10, 1000);
    const starts: number[] = [];

    // Act: a caller asking every 7 ms for 5 seconds
    for (let now = 0; now < 5000; now += 7) if (window.take(now) === 0) starts.push(now);

    // Assess
    for (const start of starts) expect(starts.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(10);
    expect(starts).toHaveLength(50);
  });

  it('refuses a limit that is not a positive integer', () => {
    // Act / Assess
    expect(() => new RateWindow(0, 1000)).toThrow('Expected `limit` to be a positive integer, got 0');
  });
});
