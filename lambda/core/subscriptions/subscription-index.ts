import { BUILT_IN_EVENTS } from '../inbound/events';
import type { EventCatalogue } from '../inbound/events';
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

/**
 * Builds the index over the types of `catalogue` (default: the built-in events); subscriptions later
 * in the list never shadow earlier names (names are unique in SSM). Each pattern's types come from
 * the catalogue, which remembers them, so the cost follows the types matched, not subscriptions ×
 * catalogue.
 */
export function indexSubscriptions(subscriptions: readonly Subscription[], catalogue: EventCatalogue = BUILT_IN_EVENTS): SubscriptionIndex {
  const byType = new Map<string, Subscription[]>(catalogue.types.map((type) => [type, []]));
  const byName = new Map<string, Subscription>();
  for (const subscription of subscriptions) {
    byName.set(subscription.name, subscription);
    if (!subscription.enabled) continue;
    for (const pattern of subscription.events) {
      for (const type of catalogue.typesMatchedBy(pattern)) {
        const list = byType.get(type);
        // Subscriptions are added in turn: one already added for this type is the last one of its list.
        if (list !== undefined && list[list.length - 1] !== subscription) list.push(subscription);
      }
    }
  }
  return {
    all: subscriptions,
    forType: (type) => byType.get(type) ?? NONE,
    byName: (name) => byName.get(name),
  };
}
