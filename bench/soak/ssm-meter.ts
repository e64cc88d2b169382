import type { OperationCounts } from '../../local/fault-injector';
import type { ParameterStore } from '../../local/parameter-store';
import type { SsmOperation } from '../../local/ssm-api';

/** The Parameter Store's request counts at one moment (epoch milliseconds). */
export interface SsmSample extends OperationCounts {
  readonly at: number;
}

/** The requests of one operation over a window. */
export interface OperationTraffic {
  readonly calls: number;
  readonly throttled: number;
  /** Calls per second over the window. */
  readonly perSecond: number;
  /** The most calls in any one sampling interval, per second. */
  readonly peakPerSecond: number;
}

/** What the Parameter Store received over a window of the run. */
export interface SsmTraffic {
  readonly from: number;
  readonly seconds: number;
  readonly byOperation: Readonly<Partial<Record<SsmOperation, OperationTraffic>>>;
}

export interface SsmMeter {
  /** Takes a last sample and stops sampling. */
  stop(): void;
  /** The samples so far, oldest first. */
  samples(): readonly SsmSample[];
}

/**
 * Samples the stand-in's request counts (`store.operationCounts()`, counted as each request arrives,
 * throttled ones included) every `everyMs`, with the time of each sample, so that a window of the run
 * can be measured afterwards ({@link ssmTraffic}).
 */
export function startSsmMeter(store: ParameterStore, everyMs = 1000): SsmMeter {
  const samples: SsmSample[] = [];
  const sample = (): void => void samples.push({ at: Date.now(), ...store.operationCounts() });
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
    },
    samples: () => samples,
  };
}

/**
 * The traffic between the samples nearest to `from` and `to` (epoch milliseconds), for every
 * operation that was called in it.
 */
export function ssmTraffic(samples: readonly SsmSample[], from: number, to: number): SsmTraffic {
  const inside = samples.filter((sample) => sample.at >= from && sample.at <= to);
  const first = inside[0];
  const last = inside.at(-1);
  if (first === undefined || last === undefined || last === first) return { from, seconds: 0, byOperation: {} };
  const seconds = (last.at - first.at) / 1000;
  const byOperation: Partial<Record<SsmOperation, OperationTraffic>> = {};
  for (const operation of Object.keys(last.calls) as SsmOperation[]) {
    const calls = last.calls[operation] - first.calls[operation];
    if (calls === 0) continue;
    let peakPerSecond = 0;
    for (let index = 1; index < inside.length; index++) {
      const [before, after] = [inside[index - 1] as SsmSample, inside[index] as SsmSample];
      const rate = (after.calls[operation] - before.calls[operation]) / Math.max(0.001, (after.at - before.at) / 1000);
      peakPerSecond = Math.max(peakPerSecond, rate);
    }
    byOperation[operation] = { calls, throttled: last.throttled[operation] - first.throttled[operation], perSecond: calls / seconds, peakPerSecond };
  }
  return { from: first.at, seconds, byOperation };
}
