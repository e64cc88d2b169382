import { AWS_CALL_MAX_MS } from '../core/delivery/call-budget';
import type { Clock, SubscriptionSource } from '../core/ports';

/** Pauses between tries of a load that failed: a throttled store refuses for a moment, not for long. */
export const LOAD_RETRY_PAUSES_MS = [250, 500, 1000, 2000] as const;

export interface PatientOptions {
  readonly clock: Clock;
  /** Waits this long; `setTimeout` but for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A subscription source patient with a store that refuses for a moment (SSM throttles cold
 * containers that start together): a load that fails is tried again after a growing pause, as
 * long as one more call can end before the read's deadline; then the last error is passed on. A
 * record then waits seconds within its invocation rather than going back to SQS for a visibility
 * timeout (docs/design.md §5). Fresh reads and disables are passed through.
 */
export function patientSubscriptionSource(source: SubscriptionSource, options: PatientOptions): SubscriptionSource {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async load(readOptions = {}) {
      for (let tries = 0; ; tries++) {
        try {
          return await source.load(readOptions);
        } catch (error) {
          const pause = LOAD_RETRY_PAUSES_MS[tries];
          const deadline = readOptions.deadline ?? Number.NEGATIVE_INFINITY;
          if (pause === undefined || options.clock.now() + pause + AWS_CALL_MAX_MS > deadline) throw error;
          await sleep(pause);
        }
      }
    },
    readFresh: (name, readOptions) => source.readFresh(name, readOptions),
    disable: (subscription) => source.disable(subscription),
  };
}
