import type { HandlerSetup } from './clients';
import type { BenchScripts } from './production-bundle';
import type { StandIns } from './stand-ins';

/** The sizes of one run: the full measurement, or `--quick` for the smoke test. */
export interface BenchSizes {
  readonly dispatchSubscriptions: readonly number[];
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Alternating rounds of ours and (a), and of the HTTP clients compared. */
  readonly dispatchRounds: number;
  /** Sizes at which the HTTP clients are compared (section 9). */
  readonly clientChoiceSubscriptions: readonly number[];
  readonly naiveDurationMs: number;
  readonly slowSubscriptions: readonly number[];
  readonly slowBatches: number;
  readonly naiveSlowMaxDeliveries: number;
  readonly fanOutSubscriptions: readonly number[];
  readonly fanOutMinDeliveries: number;
  readonly coldStartRuns: number;
  readonly loadingSubscriptions: readonly number[];
  readonly loadingRuns: number;
  /** Interleaved runs of each command line in the CLI start-time section. */
  readonly cliStartRuns: number;
  /** Consecutive batches through one handler in the circuit-breaker section, the first included. */
  readonly breakerBatches: number;
  /** DELIVERY_TIMEOUT_MS there: how long each dead endpoint is waited for. */
  readonly breakerTimeoutMs: number;
}

export const FULL_SIZES: BenchSizes = {
  dispatchSubscriptions: [1, 10, 100],
  warmupMs: 1000,
  durationMs: 4000,
  dispatchRounds: 3,
  clientChoiceSubscriptions: [10],
  naiveDurationMs: 3000,
  slowSubscriptions: [1, 10, 100],
  slowBatches: 5,
  naiveSlowMaxDeliveries: 100,
  fanOutSubscriptions: [100, 1000, 10_000],
  fanOutMinDeliveries: 10_000,
  coldStartRuns: 21,
  loadingSubscriptions: [100, 1000],
  loadingRuns: 5,
  cliStartRuns: 21,
  breakerBatches: 6,
  // The production default, so the figures are what a deployment sees.
  breakerTimeoutMs: 10_000,
};

export const QUICK_SIZES: BenchSizes = {
  dispatchSubscriptions: [1, 10],
  warmupMs: 100,
  durationMs: 300,
  dispatchRounds: 1,
  clientChoiceSubscriptions: [10],
  naiveDurationMs: 200,
  slowSubscriptions: [1],
  slowBatches: 1,
  naiveSlowMaxDeliveries: 5,
  fanOutSubscriptions: [10, 100],
  fanOutMinDeliveries: 100,
  coldStartRuns: 2,
  loadingSubscriptions: [10, 30],
  loadingRuns: 1,
  cliStartRuns: 2,
  breakerBatches: 3,
  breakerTimeoutMs: 1000,
};

/** What every section is given. */
export interface BenchContext {
  readonly sizes: BenchSizes;
  readonly scripts: BenchScripts;
  readonly standIns: StandIns;
  /** Deliveries in flight per invocation: the production default DELIVERY_CONCURRENCY. */
  readonly concurrency: number;
  /** Environment of every measured process. */
  readonly childEnv: NodeJS.ProcessEnv;
  /** Scratch directory for bundles, removed at the end. */
  readonly outDir: string;
  handlerSetup(subscriptionsPath: string): HandlerSetup;
  progress(line: string): void;
}
