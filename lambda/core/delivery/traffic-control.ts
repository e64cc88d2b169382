/**
 * Traffic control of one container (docs/design.md §10): each subscription's circuit breaker and
 * rate limit, kept across invocations. Pure state: every call is given the time.
 */
import { createCircuitBreaker } from './circuit-breaker';
import type { AttemptEnd, BreakerSettings, BreakerTransition, CircuitBreaker } from './circuit-breaker';
import { createTokenBucket, rateShare } from './token-bucket';
import type { TokenBucket } from './token-bucket';
import type { Subscription } from '../subscriptions/subscriptions';

export interface TrafficSettings {
  readonly breaker: BreakerSettings;
  /** The most containers at once (`FUNCTION_MAX_CONCURRENCY`), among which `maxPerSecond` is shared. */
  readonly containers: number;
}

/** Whether a delivery may make its attempt now. */
export type Admission =
  | {
      readonly kind: 'admitted';
      /** Reports how the attempt ended, exactly once: it frees the rate token and moves the breaker. */
      settle(end: AttemptEnd, now: number): BreakerTransition | undefined;
      /** The transition the start made: a circuit whose cool-down is over is half-open with this delivery as its probe. */
      readonly transition?: BreakerTransition;
    }
  /** Open circuit: the delivery waits `waitMs` (the rest of the cool-down, or the probe's answer) without an attempt. */
  | { readonly kind: 'short-circuited'; readonly waitMs: number }
  /** Over `maxPerSecond`: the delivery waits `waitMs`, its turn, without an attempt. */
  | { readonly kind: 'rate-limited'; readonly waitMs: number };

export interface TrafficControl {
  /**
   * Decides a delivery to `subscription` at `now` whose attempt may take `timeoutMs`: the breaker
   * first (a short-circuited delivery spends no token), then the rate limit.
   */
  admit(subscription: Subscription, now: number, timeoutMs: number): Admission;
}

/**
 * A container's traffic control. A breaker is kept per subscription and URL (a subscription moved
 * to a new URL starts closed) while it holds something, failures or an open circuit; a bucket per
 * subscription with a `maxPerSecond`, resized (its tokens kept) when its share changes.
 */
export function createTrafficControl(settings: TrafficSettings): TrafficControl {
  // With the deliveries in flight under each, so that one is dropped only when idle and unused.
  const breakers = new Map<string, { readonly breaker: CircuitBreaker; inFlight: number }>();
  const buckets = new Map<string, TokenBucket>();

  const bucketOf = (subscription: Subscription): TokenBucket | undefined => {
    if (subscription.maxPerSecond === undefined) {
      buckets.delete(subscription.name);
      return undefined;
    }
    const share = rateShare(subscription.maxPerSecond, settings.containers);
    let bucket = buckets.get(subscription.name);
    if (bucket === undefined) {
      bucket = createTokenBucket(share);
      buckets.set(subscription.name, bucket);
    } else if (bucket.share.tokens !== share.tokens || bucket.share.windowMs !== share.windowMs) {
      bucket.resize(share);
    }
    return bucket;
  };

  return {
    admit(subscription, now, timeoutMs) {
      const key = `${subscription.name} ${subscription.url}`;
      let entry = breakers.get(key);
      if (entry === undefined) {
        entry = { breaker: createCircuitBreaker(settings.breaker), inFlight: 0 };
        breakers.set(key, entry);
      }
      const { breaker } = entry;
      const verdict = breaker.check(now);
      if (verdict.kind === 'open') return { kind: 'short-circuited', waitMs: verdict.waitMs };
      const bucket = bucketOf(subscription);
      const token = bucket?.take(now);
      if (bucket !== undefined && token === undefined) {
        if (breaker.idle && entry.inFlight === 0) breakers.delete(key);
        return { kind: 'rate-limited', waitMs: bucket.wait(now) };
      }
      // A probe is held for the attempt's timeout and a second more; its answer normally comes first.
      const { probe, transition } = breaker.begin(now, timeoutMs + 1000);
      const held = entry;
      held.inFlight++;
      let settled = false;
      return {
        kind: 'admitted',
        ...(transition !== undefined && { transition }),
        settle(end, at) {
          if (settled) return undefined;
          settled = true;
          if (bucket !== undefined && token !== undefined) bucket.release(token, at, end !== 'not-sent');
          const moved = breaker.settle(probe, end, at);
          held.inFlight--;
          if (breaker.idle && held.inFlight === 0) breakers.delete(key);
          return moved;
        },
      };
    },
  };
}
