import type { ColdStartResult } from './cold-start';
import type { DispatchRow } from './dispatch-throughput';
import { FUNCTION_CLIENT } from './http-clients';
import type { FanOutResult } from './measure-process';
import type { SlowRow } from './slow-receivers';

/** One target of BENCHMARKS.md ("Targets") as a run measured it. */
export interface TargetResult {
  readonly target: string;
  /** The figure compared with the bound, e.g. a ratio or microseconds. */
  readonly measured: number;
  readonly bound: number;
  /** `at-most`: met when measured ≤ bound; `at-least`: when measured ≥ bound. */
  readonly kind: 'at-most' | 'at-least';
  readonly met: boolean;
}

/** What the targets are checked against: parts of one run's results. */
export interface TargetInputs {
  readonly dispatch: readonly DispatchRow[];
  readonly slow: readonly SlowRow[];
  readonly fanOut: FanOutResult;
  readonly coldStart: ColdStartResult;
}

/** The bounds, named once: BENCHMARKS.md and the report read them from here. */
export const BOUNDS = {
  ownWorkMicros: 40,
  oursOverClient: 0.9,
  oursOverNaive: 5,
  fanOutRate: 0.9,
  indexBuildMs: 20,
  slowOverClient: 1.1,
  peakRssMb: 160,
  coldStartOverFloor: 1.5,
} as const;

/**
 * The run's figures against the targets of BENCHMARKS.md, for the sizes the run measured (a
 * `--quick` run has fewer). Reported, never asserted: speed is measured, not tested.
 */
export function evaluateTargets(inputs: TargetInputs): TargetResult[] {
  const results: TargetResult[] = [];
  const add = (target: string, measured: number, bound: number, kind: TargetResult['kind']): void => {
    results.push({ target, measured, bound, kind, met: kind === 'at-most' ? measured <= bound : measured >= bound });
  };
  for (const row of inputs.dispatch) {
    const { handler, sender, naive } = row.results;
    if (row.subscriptions > 1) {
      add(`our own work above the client (${FUNCTION_CLIENT}), CPU µs per delivery, S = ${row.subscriptions}`, handler.cpuMicrosPerDelivery - sender.cpuMicrosPerDelivery, BOUNDS.ownWorkMicros, 'at-most');
      add(`ours ÷ its client alone, deliveries/s, S = ${row.subscriptions}`, handler.rate / sender.rate, BOUNDS.oursOverClient, 'at-least');
    }
    add(`ours ÷ naive, deliveries/s, S = ${row.subscriptions}`, handler.rate / naive.rate, BOUNDS.oursOverNaive, 'at-least');
  }
  const [smallest] = inputs.fanOut.rows;
  const largest = inputs.fanOut.rows.at(-1);
  if (smallest !== undefined && largest !== undefined && largest !== smallest) {
    add(`fan-out to ${largest.subscriptions.toLocaleString('en-US')} ÷ to ${smallest.subscriptions}, per-delivery rate`, largest.rate / smallest.rate, BOUNDS.fanOutRate, 'at-least');
    add(`index build for ${largest.subscriptions.toLocaleString('en-US')} subscriptions, ms`, largest.indexBuildMs, BOUNDS.indexBuildMs, 'at-most');
  }
  for (const row of inputs.slow) add(`100 ms receivers: ours ÷ the client alone, wall time per batch, S = ${row.subscriptions}`, row.oursMs / row.senderMs, BOUNDS.slowOverClient, 'at-most');
  const largestDispatch = inputs.dispatch.at(-1);
  if (largestDispatch !== undefined) add(`peak RSS at S = ${largestDispatch.subscriptions}, MB`, largestDispatch.results.handler.rssMb, BOUNDS.peakRssMb, 'at-most');
  add('cold start above bare node ÷ the floor\'s', inputs.coldStart.timeAboveBareRatio, BOUNDS.coldStartOverFloor, 'at-most');
  return results;
}
