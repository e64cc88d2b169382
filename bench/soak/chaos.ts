import type { ParameterStore } from '../../local/parameter-store';
import { randomInt } from './seeded-random';
import type { Random } from './seeded-random';
import type { WorkerPool } from './worker-pool';

export interface ChaosOptions {
  readonly pool: WorkerPool;
  readonly workers: number;
  readonly store: ParameterStore;
  readonly random: Random;
  /** Mean seconds between SIGKILLs of a random worker; 0 never kills. */
  readonly killEverySeconds: number;
  /** Mean seconds between SSM throttling bursts; 0 never throttles. */
  readonly throttleEverySeconds: number;
}

export interface Chaos {
  /** Stops injecting and drops throttles not yet consumed. */
  stop(): void;
  stats(): { readonly throttleBursts: number; readonly throttles: number };
}

/** The largest SSM throttling burst: with SDK retries (3 attempts) a few refreshes fail and serve the stale cache. */
const MAX_BURST = 30;
/**
 * A burst ends after this even if not all its throttles were consumed: faults are counted in
 * requests, and when traffic is low a burst would otherwise become a long outage.
 */
const BURST_WINDOW_MS = 1000;

/**
 * Faults injected from outside the workers, at random intervals around their means: a worker
 * killed with SIGKILL (a Lambda crash or timeout: its batches reappear after the visibility
 * timeout), and bursts of SSM ThrottlingException (each over within a second; bursts are at least
 * half their mean interval apart, so clearing one never cuts another short when the mean is 2 s or more).
 */
export function startChaos(options: ChaosOptions): Chaos {
  const timers = new Set<NodeJS.Timeout>();
  const stats = { throttleBursts: 0, throttles: 0 };
  let stopped = false;
  const every = (meanSeconds: number, act: () => void): void => {
    if (meanSeconds <= 0 || stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      act();
      every(meanSeconds, act);
    }, meanSeconds * 1000 * (0.5 + options.random()));
    timers.add(timer);
  };
  every(options.killEverySeconds, () => options.pool.kill(randomInt(options.random, 0, options.workers - 1)));
  every(options.throttleEverySeconds, () => {
    const throttle = randomInt(options.random, 5, MAX_BURST);
    options.store.injectFaults({ throttle });
    stats.throttleBursts++;
    stats.throttles += throttle;
    const end = setTimeout(() => {
      timers.delete(end);
      options.store.clearFaults();
    }, BURST_WINDOW_MS);
    timers.add(end);
  });
  return {
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      options.store.clearFaults();
    },
    stats: () => ({ ...stats }),
  };
}
