import { AWS_LIMITS, cacheSecondsFor, DEFAULT_DEPLOYMENT, DEFAULT_WORKLOAD, pagesFor, refreshCallsPerSecond, scaleFigures, tune } from '../../bench/scale-model';
import type { Deployment, Workload } from '../../bench/scale-model';

const WORKLOAD: Workload = { ...DEFAULT_WORKLOAD, cpuMicrosPerDelivery: 180 };

function deployment(overrides: Partial<Deployment>): Deployment {
  return { ...DEFAULT_DEPLOYMENT, subscriptions: 1000, eventsPerSecond: 100, ...overrides };
}

describe('refreshCallsPerSecond', () => {
  it('is every container reading every page of 10 once per cache time: 10 containers × 1,000 subscriptions every 60 s is 1,000 calls a minute', () => {
    expect(refreshCallsPerSecond({ containers: 10, subscriptions: 1000, cacheSeconds: 60 }) * 60).toBeCloseTo(1000);
    expect(pagesFor(1001)).toBe(101);
    expect(pagesFor(0)).toBe(1);
  });
});

describe('cacheSecondsFor', () => {
  it('is the shortest cache that keeps every container the two event sources allow within half the quota', () => {
    // 2 × 10 containers × 1,000 pages / 20 calls a second
    expect(cacheSecondsFor({ maxConcurrency: 10, subscriptions: 10_000 }, AWS_LIMITS.ssmReadTps.standard)).toBe(1000);
  });
});

describe('scaleFigures', () => {
  it('puts the defaults with 1,000 subscriptions at 83% of SSM\'s default read quota when every container is warm', () => {
    // Act
    const figures = scaleFigures(deployment({}), WORKLOAD);

    // Assess
    expect(figures.ssmRefresh.worstCase).toBeCloseTo((20 * 100) / 60);
    expect(figures.limits.find((check) => check.limit.startsWith('SSM reads'))).toMatchObject({ verdict: 'tight', used: expect.closeTo(0.83, 2) });
  });

  it('finds 10,000 subscriptions over the quota first, with the cache time that fits', () => {
    // Act
    const figures = scaleFigures(deployment({ subscriptions: 10_000 }), WORKLOAD);

    // Assess
    expect(figures.limits[0]).toMatchObject({ limit: 'SSM reads (40/s)', verdict: 'over' });
    expect(figures.limits[0]?.knob).toContain('subscriptionsCacheTtl ≥ 1000 s');
  });

  it('needs more than ten concurrent invocations for 1,000 events a second with receivers answering in 200 ms', () => {
    // Act
    const figures = scaleFigures(deployment({ subscriptions: 100, eventsPerSecond: 1000 }), WORKLOAD);

    // Assess: 100 invocations a second of 10 events, each at least 200 ms
    expect(figures.concurrency.events).toBeGreaterThan(20);
    expect(figures.limits[0]).toMatchObject({ limit: 'maxConcurrency (10)', verdict: 'over' });
  });

  it('scales the compute with the CPU a delivery takes', () => {
    // Act
    const light = scaleFigures(deployment({ eventsPerSecond: 1000 }), { ...WORKLOAD, cpuMicrosPerDelivery: 100 });
    const heavy = scaleFigures(deployment({ eventsPerSecond: 1000 }), { ...WORKLOAD, cpuMicrosPerDelivery: 1000 });

    // Assess
    expect(heavy.invocationMs - light.invocationMs).toBeCloseTo((20 * 900) / 1000 / (256 / AWS_LIMITS.oneVcpuMb), 0);
    expect(heavy.monthlyCost.lambda).toBeGreaterThan(light.monthlyCost.lambda);
  });

  it('counts a dead receiver\'s hops of at most 15 minutes through the default schedule as retry messages, and its dead letters', () => {
    // Act
    const healthy = scaleFigures(deployment({ eventsPerSecond: 10 }), WORKLOAD);
    const dead = scaleFigures(deployment({ eventsPerSecond: 10 }), { ...WORKLOAD, deadShare: 0.5 });

    // Assess: 7.5 events a second have a dead delivery; 5s, 5m, 30m, 2h, 5h, 10h, 10h wait in 1 + 1 + 2 + 8 + 20 + 40 + 40 hops, each one sent
    expect(dead.sqsRequests.deadLetters).toBeCloseTo(10 * 2 * 0.5);
    expect(dead.sqsRequests.retries - healthy.sqsRequests.retries).toBeGreaterThan(7.5 * 112);
    expect(dead.invocationMs).toBeGreaterThan(5000);
    expect(dead.concurrency.retries).toBeGreaterThan(7.5 * 7 * 10 * 0.5);
  });
});

describe('tune', () => {
  it('leaves a deployment that fits alone', () => {
    expect(tune(deployment({ subscriptions: 100, eventsPerSecond: 10 }), WORKLOAD)).toMatchObject({ changes: [], fits: true });
  });

  it('raises maxConcurrency for the events first, then the cache time for the reads the added containers make', () => {
    // Act
    const tuned = tune(deployment({ subscriptions: 1000, eventsPerSecond: 1000 }), WORKLOAD);

    // Assess
    expect(tuned.changes).toEqual([expect.stringMatching(/^maxConcurrency=\d+$/), expect.stringMatching(/^subscriptionsCacheTtl=\d+s$/)]);
    expect(tuned.figures.ssmRefresh.worstCase).toBeLessThanOrEqual(tuned.figures.ssmRefresh.quota / 2);
    expect(tuned.fits).toBe(true);
  });

  it('turns to SSM\'s higher throughput only when a cache of 15 minutes is not enough', () => {
    // Act
    const tuned = tune(deployment({ subscriptions: 10_000, eventsPerSecond: 10 }), WORKLOAD);

    // Assess
    expect(tuned.changes).toContain('SSM higher throughput');
    expect(tuned.figures.deployment.ssmHigherThroughput).toBe(true);
  });
});
