import { EVENT_TYPES, matches } from '../inbound/events';
import type { Subscription } from './subscriptions';

/**
 * Subscriptions indexed by event type, built once per subscription load so that matching a
 * record costs one map lookup rather than subscriptions × patterns.
 */
export interface SubscriptionIndex {
  /** Every valid subscription, enabled or not. */
  readonly all: readonly Subscription[];
  /** Enabled subscriptions matching an event type, each once however many patterns match. */
  forType(type: string): readonly Subscription[];
  /** A subscription by name, enabled or not. */
  byName(name: string): Subscription | undefined;
}

const NONE: readonly Subscription[] = Object.freeze([]);

/** Builds the index; subscriptions later in the list never shadow earlier names (names are unique in SSM). */
export function indexSubscriptions(subscriptions: readonly Subscription[]): SubscriptionIndex {
  const byType = new Map<string, Subscription[]>(EVENT_TYPES.map((type) => [type, []]));
  const byName = new Map<string, Subscription>();
  for (const subscription of subscriptions) {
    byName.set(subscription.name, subscription);
    if (!subscription.enabled) continue;
    for (const type of EVENT_TYPES) {
      if (subscription.events.some((pattern) => matches(pattern, type))) byType.get(type)?.push(subscription);
    }
  }
  return {
    all: subscriptions,
    forType: (type) => byType.get(type) ?? NONE,
    byName: (name) => byName.get(name),
  };
}
