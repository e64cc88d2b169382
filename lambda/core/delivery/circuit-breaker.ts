/**
 * The circuit breaker of one subscription in one container (docs/design.md §10). Pure: every call
 * is given the time.
 */

/** Defaults of `BREAKER_FAILURES` and `BREAKER_COOLDOWN`, and the longest cool-down a doubling reaches. */
export const DEFAULT_BREAKER = {
  /** Consecutive retryable failures that open the circuit; 0 turns the breaker off. */
  failures: 5,
  cooldownMs: 60_000,
  /** 15 minutes: SQS's longest delay, so a short-circuited delivery waits out the cool-down in one hop. */
  maxCooldownMs: 15 * 60_000,
} as const;

export interface BreakerSettings {
  /** Consecutive retryable failures that open the circuit; 0: never opens. */
  readonly failures: number;
  /** The first cool-down; each failed probe doubles it, up to {@link DEFAULT_BREAKER.maxCooldownMs}. */
  readonly cooldownMs: number;
}

/** What the breaker says of a delivery about to start. */
export type BreakerVerdict =
  | { readonly kind: 'closed' }
  /** The cool-down is over and no probe is out: this delivery is the probe. */
  | { readonly kind: 'probe' }
  /** Open, or a probe is out: the delivery waits `waitMs` without an attempt. */
  | { readonly kind: 'open'; readonly waitMs: number };

/** How an attempt the breaker let through ended: `not-sent` when no request left (building it failed). */
export type AttemptEnd = 'delivered' | 'retryable' | 'permanent' | 'not-sent';

/** A change of state, for the one log line (and, on opening, the `CircuitOpened` count) each gets. */
export type BreakerTransition =
  | { readonly kind: 'opened'; readonly failures: number; readonly cooldownMs: number }
  /** The probe failed (retryably): open again for twice the cool-down. */
  | { readonly kind: 're-opened'; readonly cooldownMs: number }
  | { readonly kind: 'half-open' }
  | { readonly kind: 'closed' };

type State =
  | { readonly kind: 'closed'; readonly failures: number }
  | { readonly kind: 'open'; readonly until: number; readonly cooldownMs: number }
  /** A probe is out until `leaseUntil` (after which, its answer lost, another may go). */
  | { readonly kind: 'half-open'; readonly cooldownMs: number; readonly leaseUntil: number };

export interface CircuitBreaker {
  /** Whether a delivery may start at `now`; changes nothing. */
  check(now: number): BreakerVerdict;
  /**
   * A delivery starts, as {@link check} allowed at the same `now`: a probe holds the circuit
   * half-open for at most `leaseMs`.
   * @returns whether this delivery is the probe, to pass to {@link settle}, and the transition it made.
   */
  begin(now: number, leaseMs: number): { readonly probe: boolean; readonly transition?: BreakerTransition };
  /**
   * How a delivery that began ended. A run of retryable failures opens the circuit; any other
   * answer (delivered, or a permanent failure: the receiver is there) ends the run. Only the
   * probe's end moves a half-open circuit: delivered or permanent closes it, retryable re-opens it
   * for twice the cool-down, `not-sent` lets another delivery probe.
   */
  settle(probe: boolean, end: AttemptEnd, now: number): BreakerTransition | undefined;
  /** Whether the breaker holds nothing worth keeping: closed with no failures counted. */
  readonly idle: boolean;
}

export function createCircuitBreaker(settings: BreakerSettings): CircuitBreaker {
  let state: State = { kind: 'closed', failures: 0 };
  const open = (now: number, cooldownMs: number): State => ({ kind: 'open', until: now + cooldownMs, cooldownMs });
  return {
    check(now) {
      switch (state.kind) {
        case 'closed':
          return { kind: 'closed' };
        case 'open':
          return now >= state.until ? { kind: 'probe' } : { kind: 'open', waitMs: state.until - now };
        case 'half-open':
          return now >= state.leaseUntil ? { kind: 'probe' } : { kind: 'open', waitMs: state.leaseUntil - now };
      }
    },
    begin(now, leaseMs) {
      if (state.kind === 'closed') return { probe: false };
      const wasOpen = state.kind === 'open';
      state = { kind: 'half-open', cooldownMs: state.cooldownMs, leaseUntil: now + leaseMs };
      return wasOpen ? { probe: true, transition: { kind: 'half-open' } } : { probe: true };
    },
    settle(probe, end, now) {
      if (state.kind === 'closed') {
        if (end === 'not-sent' || settings.failures === 0) return undefined;
        if (end !== 'retryable') {
          state = { kind: 'closed', failures: 0 };
          return undefined;
        }
        const failures = state.failures + 1;
        if (failures < settings.failures) {
          state = { kind: 'closed', failures };
          return undefined;
        }
        state = open(now, settings.cooldownMs);
        return { kind: 'opened', failures, cooldownMs: settings.cooldownMs };
      }
      // Deliveries that began before the circuit opened settle without moving it: only the probe decides.
      if (!probe || state.kind !== 'half-open') return undefined;
      switch (end) {
        case 'not-sent':
          state = { kind: 'half-open', cooldownMs: state.cooldownMs, leaseUntil: now };
          return undefined;
        case 'retryable': {
          const cooldownMs = Math.min(state.cooldownMs * 2, DEFAULT_BREAKER.maxCooldownMs);
          state = open(now, cooldownMs);
          return { kind: 're-opened', cooldownMs };
        }
        case 'delivered':
        case 'permanent':
          state = { kind: 'closed', failures: 0 };
          return { kind: 'closed' };
      }
    },
    get idle() {
      return state.kind === 'closed' && state.failures === 0;
    },
  };
}
