import { LOAD_RETRY_PAUSES_MS, patientSubscriptionSource } from '../../lambda/adapters/patient-subscriptions';
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

function patient(source: SubscriptionSource) {
  const clock = fixedClock();
  const pauses: number[] = [];
  const sleep = async (ms: number) => {
    pauses.push(ms);
    clock.advance(ms);
  };
  return { source: patientSubscriptionSource(source, { clock, sleep }), pauses };
}

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
    expect(pauses).toEqual(LOAD_RETRY_PAUSES_MS.slice(0, 3));
  });

  it('passes the error on when another call could not end before the deadline', async () => {
    // Prepare: room for the first pause and one more call, not for the second pause
    const flaky = flakySource(10);
    const { source, pauses } = patient(flaky);

    // Act
    const loading = source.load({ deadline: FIXED_NOW + LOAD_RETRY_PAUSES_MS[0] + AWS_CALL_MAX_MS });

    // Assess
    await expect(loading).rejects.toBeInstanceOf(SubscriptionSourceError);
    expect(flaky.loads).toBe(2);
    expect(pauses).toEqual([LOAD_RETRY_PAUSES_MS[0]]);
  });

  it('tries once without a deadline, and at most once per pause with one', async () => {
    // Prepare
    const once = flakySource(10);
    const every = flakySource(10);

    // Act
    await expect(patient(once).source.load()).rejects.toThrow('Rate exceeded');
    await expect(patient(every).source.load({ deadline: FIXED_NOW + 3_600_000 })).rejects.toThrow('Rate exceeded');

    // Assess
    expect(once.loads).toBe(1);
    expect(every.loads).toBe(LOAD_RETRY_PAUSES_MS.length + 1);
  });
});
