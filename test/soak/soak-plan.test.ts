import { IDLE_FILTER, planSoak } from '../../bench/soak/soak-plan';
import { expectedPairs } from '../../bench/soak/invariant';

describe('planSoak', () => {
  it('makes the subscriptions past the active ones idle: every event, filtered out, expected nowhere', () => {
    // Act
    const plan = planSoak({ events: 50, subscriptions: 1000, activeSubscriptions: 8, seed: 7 });
    const allActive = planSoak({ events: 50, subscriptions: 8, seed: 7 });

    // Assess: the active ones and the events are the plan of the same seed without idle ones
    expect(plan.subscriptions).toHaveLength(1000);
    expect(plan.subscriptions.slice(0, 8)).toEqual(allActive.subscriptions);
    expect(plan.events).toEqual(allActive.events);
    expect(plan.subscriptions.slice(8).every((subscription) => subscription.behaviour.kind === 'idle' && subscription.filter === IDLE_FILTER)).toBe(true);
    const published = plan.events.map((event) => ({ id: event.id, type: event.type, publishedAt: 0 }));
    expect(expectedPairs(published, plan.subscriptions).size).toBe(expectedPairs(published, allActive.subscriptions).size);
  });
});
