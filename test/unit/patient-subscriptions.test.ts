import { LOAD_RETRY_PAUSE_MS, loadRetryPause, patientSubscriptionSource } from '../../lambda/adapters/patient-subscriptions';
import { AWS_CALL_MAX_MS } from '../../lambda/core/delivery/call-budget';
import { SubscriptionSourceError } from '../../lambda/core/errors';
import type { SubscriptionSource } from '../../lambda/core/ports';
import { indexSubscriptions } from '../../lambda/core/subscriptions/subscription-index';
import { FIXED_NOW, fixedClock, subscription } from '../support/factories';

/** A source whose first `failures` loads fail as a throttled store does. */
function flakySource(failures: number): SubscriptionSource & { loads: number } {
  const source = {
    loads: 0,
    async load() {
      source.loads++;
      if (source.loads <= failures) throw new SubscriptionSourceError('could not load subscriptions: ThrottlingException: Rate exceeded');
      return indexSubscriptions([subscription()]);
    },
    readFresh: async () => ({ subscription: undefined, readAt: FIXED_NOW }),
    disable: async () => 'disabled' as const,
  };
  return source;
}

/** The pauses with no jitter drawn: half of each pause is fixed. */
const NO_JITTER = () => 0;

function patient(source: SubscriptionSource, random = NO_JITTER) {
  const clock = fixedClock();
  const pauses: number[] = [];
  const sleep = async (ms: number) => {
    pauses.push(ms);
    clock.advance(ms);
  };
  return { source: patientSubscriptionSource(source, { clock, sleep, random }), pauses };
}

describe('loadRetryPause', () => {
  it('doubles from the first pause up to the largest, half of it fixed and half drawn', () => {
    const { first, largest } = LOAD_RETRY_PAUSE_MS;

    expect([1, 2, 3, 4, 5, 9].map((failures) => loadRetryPause(failures, () => 0))).toEqual([first / 2, first, 2 * first, 4 * first, largest / 2, largest / 2]);
    expect(loadRetryPause(1, () => 0.5)).toBe(0.75 * first);
    expect(loadRetryPause(9, () => 0.999)).toBeLessThan(largest);
  });
});

describe('patientSubscriptionSource', () => {
  it('tries a failed load again after growing pauses, and answers once the store does', async () => {
    // Prepare
    const flaky = flakySource(3);
    const { source, pauses } = patient(flaky);

    // Act
    const index = await source.load({ deadline: FIXED_NOW + 60_000 });

    // Assess
    expect(index.byName('ops')).toBeDefined();
    expect(flaky.loads).toBe(4);
    expect(pauses).toEqual([1, 2, 3].map((failures) => loadRetryPause(failures, NO_JITTER)));
  });

  it('keeps trying for as long as the deadline allows, as a cold fleet sharing a throttled store needs', async () => {
    // Prepare: the store refuses for 40 s, the invocation has 60 s
    const flaky = flakySource(Number.POSITIVE_INFINITY);
    const clock = fixedClock();
    const refusingUntil = FIXED_NOW + 40_000;
    const store = { ...flaky, load: () => (clock.now() < refusingUntil ? flaky.load() : Promise.resolve(indexSubscriptions([subscription()]))) };
    const source = patientSubscriptionSource(store, { clock, random: NO_JITTER, sleep: async (ms) => clock.advance(ms) });

    // Act
    const index = await source.load({ deadline: FIXED_NOW + 60_000 });

    // Assess: about 40 s of pauses, the largest repeated
    expect(index.byName('ops')).toBeDefined();
    expect(flaky.loads).toBeGreaterThan(40);
    expect(clock.now()).toBeGreaterThanOrEqual(refusingUntil);
  });

  it('passes the error on when another call could not end before the deadline', async () => {
    // Prepare: room for the first pause and one more call, not for the second pause
    const flaky = flakySource(10);
    const { source, pauses } = patient(flaky);
    const firstPause = loadRetryPause(1, NO_JITTER);

    // Act
    const loading = source.load({ deadline: FIXED_NOW + firstPause + AWS_CALL_MAX_MS });

    // Assess
    await expect(loading).rejects.toBeInstanceOf(SubscriptionSourceError);
    expect(flaky.loads).toBe(2);
    expect(pauses).toEqual([firstPause]);
  });

  it('tries once without a deadline', async () => {
    // Prepare
    const once = flakySource(10);

    // Act
    await expect(patient(once).source.load()).rejects.toThrow('Rate exceeded');

    // Assess
    expect(once.loads).toBe(1);
  });

  it('draws each pause, so that containers refused together do not try again together', async () => {
    // Prepare
    const draws = [0.9, 0.1, 0.5];
    const { source, pauses } = patient(flakySource(3), () => draws.shift() ?? 0);

    // Act
    await source.load({ deadline: FIXED_NOW + 60_000 });

    // Assess
    expect(pauses).toEqual([loadRetryPause(1, () => 0.9), loadRetryPause(2, () => 0.1), loadRetryPause(3, () => 0.5)]);
  });
});
