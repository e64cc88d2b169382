import { AWS_CALL_MAX_MS } from '../core/delivery/call-budget';
import type { Clock, SubscriptionSource } from '../core/ports';

/** Pauses between tries of a load that failed, before jitter: doubling from the first, up to the largest, which then repeats. */
export const LOAD_RETRY_PAUSE_MS = { first: 250, largest: 2000 } as const;

/**
 * The pause after `failures` failed tries (1 or more), with "equal jitter": half of the pause is
 * fixed, the other half drawn, so that containers that failed together do not try again together.
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function loadRetryPause(failures: number, random: () => number): number {
  const pause = Math.min(LOAD_RETRY_PAUSE_MS.largest, LOAD_RETRY_PAUSE_MS.first * 2 ** (failures - 1));
  return pause / 2 + (random() * pause) / 2;
}

export interface PatientOptions {
  readonly clock: Clock;
  /** Draws the pauses' jitter, in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** Waits this long; `setTimeout` but for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A subscription source patient with a store that refuses for a while (SSM throttles containers
 * that start together, and a cold fleet shares one read quota: docs/scale.md): a load that fails is
 * tried again after a growing, jittered pause for as long as one more call can end before the read's
 * deadline; then the last error is passed on. A refresh keeps the pages it read (ssm-subscriptions.ts),
 * so each try goes on where the last stopped, and a record waits within its invocation rather than
 * going back to SQS for a visibility timeout (docs/design.md §5). Fresh reads and disables are passed through.
 */
export function patientSubscriptionSource(source: SubscriptionSource, options: PatientOptions): SubscriptionSource {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  return {
    async load(readOptions = {}) {
      for (let failures = 1; ; failures++) {
        try {
          return await source.load(readOptions);
        } catch (error) {
          const pause = loadRetryPause(failures, random);
          const deadline = readOptions.deadline ?? Number.NEGATIVE_INFINITY;
          if (options.clock.now() + pause + AWS_CALL_MAX_MS > deadline) throw error;
          await sleep(pause);
        }
      }
    },
    readFresh: (name, readOptions) => source.readFresh(name, readOptions),
    disable: (subscription) => source.disable(subscription),
  };
}
