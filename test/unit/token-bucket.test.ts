import { MAX_RATE_LIMIT_WAIT_MS, createTokenBucket, rateShare } from '../../lambda/core/delivery/token-bucket';
import { FIXED_NOW } from '../support/factories';

describe('rateShare', () => {
  it.each([
    [5, 1, { tokens: 5, windowMs: 1000 }],
    [1000, 20, { tokens: 50, windowMs: 1000 }],
    [7, 2, { tokens: 3, windowMs: 1000 }],
    [5, 20, { tokens: 1, windowMs: 4000 }],
    [7, 20, { tokens: 1, windowMs: 3000 }],
    [1, 2000, { tokens: 1, windowMs: 2_000_000 }],
  ])('gives each of the containers a share of maxPerSecond %i among %i containers: %j', (maxPerSecond, containers, share) => {
    // Act
    const given = rateShare(maxPerSecond, containers);

    // Assess
    expect(given).toEqual(share);
    expect((containers * given.tokens * 1000) / given.windowMs).toBeLessThanOrEqual(maxPerSecond);
  });
});

describe('createTokenBucket', () => {
  it('keeps the tokens in flight when its share is raised: 10 in flight and a share of 11 admit one more, not 11', () => {
    // Prepare
    const bucket = createTokenBucket({ tokens: 10, windowMs: 1000 });
    const taken = Array.from({ length: 10 }, () => bucket.take(FIXED_NOW));

    // Act
    bucket.resize({ tokens: 11, windowMs: 1000 });
    const more = [bucket.take(FIXED_NOW + 100), bucket.take(FIXED_NOW + 100)];

    // Assess
    expect(taken).not.toContain(undefined);
    expect(more).toEqual([10, undefined]);
    expect(bucket.share).toEqual({ tokens: 11, windowMs: 1000 });
  });

  it('counts tokens in flight against a lowered share: 10 given back after a cut to 5 leave 5 to take a window later', () => {
    // Prepare
    const bucket = createTokenBucket({ tokens: 10, windowMs: 1000 });
    const taken = Array.from({ length: 10 }, () => bucket.take(FIXED_NOW) ?? -1);

    // Act
    bucket.resize({ tokens: 5, windowMs: 1000 });
    const whileInFlight = bucket.take(FIXED_NOW + 100);
    for (const token of taken) bucket.release(token, FIXED_NOW + 200, true);
    const cooling = bucket.take(FIXED_NOW + 1100);
    const later = Array.from({ length: 6 }, () => bucket.take(FIXED_NOW + 1200));

    // Assess
    expect(whileInFlight).toBeUndefined();
    expect(cooling).toBeUndefined();
    expect(later.filter((token) => token !== undefined)).toHaveLength(5);
    expect(later[5]).toBeUndefined();
  });

  it('frees a cooling token a new window after its delivery when the window grows (1 a second to 1 every 5 seconds)', () => {
    // Prepare
    const bucket = createTokenBucket({ tokens: 1, windowMs: 1000 });
    const token = bucket.take(FIXED_NOW) ?? -1;
    bucket.release(token, FIXED_NOW + 50, true);

    // Act
    bucket.resize({ tokens: 1, windowMs: 5000 });
    const afterOldWindow = bucket.take(FIXED_NOW + 1100);
    const afterNewWindow = bucket.take(FIXED_NOW + 5050);

    // Assess
    expect(afterOldWindow).toBeUndefined();
    expect(afterNewWindow).toBe(0);
  });

  it('counts retired tokens again, with their times, when the share goes back up', () => {
    // Prepare: 2 tokens, both sent at once; the share drops to 1 and comes back to 2.
    const bucket = createTokenBucket({ tokens: 2, windowMs: 1000 });
    const [a, b] = [bucket.take(FIXED_NOW) ?? -1, bucket.take(FIXED_NOW) ?? -1];
    bucket.release(a, FIXED_NOW + 10, true);
    bucket.release(b, FIXED_NOW + 10, true);

    // Act
    bucket.resize({ tokens: 1, windowMs: 1000 });
    bucket.resize({ tokens: 2, windowMs: 1000 });
    const early = bucket.take(FIXED_NOW + 500);
    const afterWindow = [bucket.take(FIXED_NOW + 1010), bucket.take(FIXED_NOW + 1010), bucket.take(FIXED_NOW + 1010)];

    // Assess
    expect(early).toBeUndefined();
    expect(afterWindow.filter((token) => token !== undefined)).toHaveLength(2);
  });

  it('gives out its tokens, then none until a window after a delivery that used one has finished', () => {
    // Prepare
    const bucket = createTokenBucket({ tokens: 2, windowMs: 1000 });
    const first = bucket.take(FIXED_NOW);
    const second = bucket.take(FIXED_NOW);
    bucket.release(first ?? -1, FIXED_NOW + 300, true);

    // Act
    const whileOut = bucket.take(FIXED_NOW + 1200);
    const afterWindow = bucket.take(FIXED_NOW + 1300);

    // Assess
    expect([first, second]).toEqual([0, 1]);
    expect(whileOut).toBeUndefined();
    expect(afterWindow).toBe(0);
  });

  it('takes a token back at once when no request was sent with it', () => {
    // Prepare
    const bucket = createTokenBucket({ tokens: 1, windowMs: 1000 });
    const token = bucket.take(FIXED_NOW);
    bucket.release(token ?? -1, FIXED_NOW + 10, false);

    // Act
    const again = bucket.take(FIXED_NOW + 10);

    // Assess
    expect(again).toBe(0);
  });

  it('never lets more than its tokens start within any window, whatever the timing of the answers', () => {
    // Prepare: a greedy caller tries every 10 ms; answers take from 0 to 990 ms
    const bucket = createTokenBucket({ tokens: 5, windowMs: 1000 });
    const started: number[] = [];
    const inFlight: Array<{ token: number; until: number }> = [];
    let seed = 7;
    const random = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);

    // Act
    for (let now = FIXED_NOW; now < FIXED_NOW + 20_000; now += 10) {
      for (const call of inFlight.filter((c) => c.until <= now)) bucket.release(call.token, call.until, true);
      inFlight.splice(0, inFlight.length, ...inFlight.filter((c) => c.until > now));
      const token = bucket.take(now);
      if (token !== undefined) {
        started.push(now);
        inFlight.push({ token, until: now + Math.floor(random() * 100) * 10 });
      }
    }

    // Assess
    const busiest = Math.max(...started.map((t) => started.filter((s) => s >= t && s < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(5);
    expect(started.length).toBeGreaterThan(50);
  });

  it('spreads the deliveries it turns away over their turns, one every window ÷ tokens', () => {
    // Prepare
    const bucket = createTokenBucket({ tokens: 5, windowMs: 1000 });
    for (let i = 0; i < 5; i++) bucket.release(bucket.take(FIXED_NOW) ?? -1, FIXED_NOW, true);

    // Act
    const waits = Array.from({ length: 6 }, () => bucket.wait(FIXED_NOW));

    // Assess
    expect(waits).toEqual([1000, 1200, 1400, 1600, 1800, 2000]);
  });

  it('counts the wait from a window after now while every token is out', () => {
    // Prepare
    const bucket = createTokenBucket({ tokens: 1, windowMs: 4000 });
    bucket.take(FIXED_NOW);

    // Act
    const wait = bucket.wait(FIXED_NOW + 500);

    // Assess
    expect(wait).toBe(4000);
  });

  it('never makes a delivery wait longer than one SQS delay', () => {
    // Prepare
    const bucket = createTokenBucket({ tokens: 1, windowMs: 60_000 });
    bucket.take(FIXED_NOW);

    // Act
    const waits = Array.from({ length: 30 }, () => bucket.wait(FIXED_NOW));

    // Assess
    expect(Math.max(...waits)).toBe(MAX_RATE_LIMIT_WAIT_MS);
  });
});
