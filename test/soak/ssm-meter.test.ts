import { ssmTraffic } from '../../bench/soak/ssm-meter';
import type { SsmSample } from '../../bench/soak/ssm-meter';
import { SSM_OPERATIONS } from '../../local/ssm-api';
import type { SsmOperation } from '../../local/ssm-api';

/** A sample at `at` ms with these cumulative GetParametersByPath calls and throttles. */
function sample(at: number, calls: number, throttled = 0): SsmSample {
  const zero = Object.fromEntries(SSM_OPERATIONS.map((operation) => [operation, 0])) as Record<SsmOperation, number>;
  return { at, calls: { ...zero, GetParametersByPath: calls }, throttled: { ...zero, GetParametersByPath: throttled } };
}

describe('ssmTraffic', () => {
  it('measures the calls between the samples inside the window, their rate and the busiest interval', () => {
    // Prepare: 10 calls a second for 2 s, then 40 in one second, then nothing
    const samples = [sample(0, 0), sample(1000, 10), sample(2000, 20, 2), sample(3000, 60, 12), sample(4000, 60, 12), sample(5000, 60, 12)];

    // Act
    const traffic = ssmTraffic(samples, 1000, 4000);

    // Assess
    expect(traffic).toEqual({ from: 1000, seconds: 3, byOperation: { GetParametersByPath: { calls: 50, throttled: 12, perSecond: 50 / 3, peakPerSecond: 40 } } });
  });

  it('reports nothing for a window with fewer than two samples', () => {
    expect(ssmTraffic([sample(0, 0), sample(1000, 10)], 500, 900)).toEqual({ from: 500, seconds: 0, byOperation: {} });
  });
});
