/**
 * The rate limit of one subscription in one container (docs/design.md §10). Pure: every call is
 * given the time.
 */
import { MAX_SQS_DELAY_SECONDS } from './retry-policy';

/** A container's share of a subscription's `maxPerSecond`: `tokens` deliveries per `windowMs`. */
export interface RateShare {
  readonly tokens: number;
  readonly windowMs: number;
}

/**
 * Each container's share of `maxPerSecond` when at most `containers` run at once
 * (`FUNCTION_MAX_CONCURRENCY`): `maxPerSecond ÷ containers` per second, rounded down; below one a
 * second, one every N whole seconds, N rounded up. Either way the containers together never pass
 * `maxPerSecond`.
 */
export function rateShare(maxPerSecond: number, containers: number): RateShare {
  const perSecond = maxPerSecond / Math.max(1, containers);
  if (perSecond >= 1) return { tokens: Math.floor(perSecond), windowMs: 1000 };
  return { tokens: 1, windowMs: Math.ceil(1 / perSecond) * 1000 };
}

/**
 * A token bucket of `share.tokens` tokens in which a spent token comes back `share.windowMs` after
 * the delivery that spent it has finished (its answer came, or it failed), not after it started.
 * The receiver sees every request before it answers, so any `tokens + 1` requests it receives
 * include two made with one token, more than a window apart: it never receives more than
 * `tokens` in any window, however slow or uneven the network and this machine are.
 */
export interface TokenBucket {
  /** The share it holds now ({@link resize} changes it). */
  readonly share: RateShare;
  /** Takes a free token at `now`: its number, to give back with {@link release}; undefined when none is free. */
  take(now: number): number | undefined;
  /**
   * Gives a token back: free again a window after `now` when a request was sent with it (`sent`),
   * at once when none was.
   */
  release(token: number, now: number, sent: boolean): void;
  /**
   * How long a delivery that found no token waits before it tries again: until its turn among the
   * deliveries already told to wait, one every `windowMs ÷ tokens`, from the first free token on,
   * so a burst comes back spread over time rather than all at once. At most
   * {@link MAX_RATE_LIMIT_WAIT_MS}.
   */
  wait(now: number): number;
  /**
   * Holds `share` from now on, keeping the tokens in flight or cooling down (a cooling token is
   * free a new window after its delivery ended): a raised limit adds only the difference, and a
   * lowered one retires tokens (free ones first), so a change of `maxPerSecond` never lets a burst
   * through. Token numbers already taken stay valid.
   */
  resize(share: RateShare): void;
}

/** The longest a rate-limited delivery waits before trying again: one SQS delay, so it never hops. */
export const MAX_RATE_LIMIT_WAIT_MS = MAX_SQS_DELAY_SECONDS * 1000;

export function createTokenBucket(initial: RateShare): TokenBucket {
  let share = initial;
  // When each token is free again: 0 for never used, Infinity while its delivery is in flight.
  const freeAt = new Array<number>(share.tokens).fill(0);
  // Tokens a lowered share no longer counts; a raised one counts them again first, with their times.
  const retired = new Array<boolean>(share.tokens).fill(false);
  let bookedUntil = 0;
  return {
    get share() {
      return share;
    },
    take(now) {
      const token = freeAt.findIndex((at, index) => !retired[index] && at <= now);
      if (token < 0) return undefined;
      freeAt[token] = Number.POSITIVE_INFINITY;
      return token;
    },
    release(token, now, sent) {
      freeAt[token] = sent ? now + share.windowMs : now;
    },
    wait(now) {
      const soonest = Math.min(...freeAt.filter((_, index) => !retired[index]));
      // All in flight: none can be free sooner than a window after the first of them finishes.
      const firstFree = soonest === Number.POSITIVE_INFINITY ? now + share.windowMs : Math.max(now, soonest);
      const turn = Math.min(Math.max(firstFree, bookedUntil), now + MAX_RATE_LIMIT_WAIT_MS);
      bookedUntil = turn + share.windowMs / share.tokens;
      return turn - now;
    },
    resize(next) {
      // A token cooling down is free a window after its delivery ended: the new window, not the old.
      const longer = next.windowMs - share.windowMs;
      if (longer !== 0) {
        for (let index = 0; index < freeAt.length; index++) {
          const at = freeAt[index] ?? 0;
          if (at > 0 && Number.isFinite(at)) freeAt[index] = at + longer;
        }
      }
      share = next;
      const counted = retired.filter((isRetired) => !isRetired).length;
      if (counted < next.tokens) {
        let missing = next.tokens - counted;
        for (let index = 0; index < retired.length && missing > 0; index++) {
          if (retired[index]) {
            retired[index] = false;
            missing--;
          }
        }
        for (; missing > 0; missing--) {
          freeAt.push(0);
          retired.push(false);
        }
      } else {
        // The soonest free retire first, so the tokens still counted are those in use.
        const order = freeAt.map((at, index) => ({ at, index })).filter(({ index }) => !retired[index]).sort((a, b) => a.at - b.at);
        for (const { index } of order.slice(0, counted - next.tokens)) retired[index] = true;
      }
    },
  };
}
