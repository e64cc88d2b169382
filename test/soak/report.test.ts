import type { InvariantResult } from '../../bench/soak/invariant';
import { passed, percentile, summaryLine, waveSpreads } from '../../bench/soak/report';

function result(overrides: Partial<InvariantResult> = {}): InvariantResult {
  return {
    pairs: 200_000,
    delivered: 199_000,
    deadLettered: { 'permanent: HTTP 404': 1000 },
    droppedByRule: 0,
    lost: [],
    unsettled: [],
    duplicates: 312,
    unexpected: [],
    firstAttemptLatencies: [],
    unprocessed: 0,
    alsoDeadLettered: 0,
    ...overrides,
  };
}

describe('summaryLine', () => {
  it('states pairs, lost, duplicates with their rate over delivered pairs, and unexpected in one line', () => {
    expect(summaryLine(result({ delivered: 195_000 }))).toBe('soak: 200000 pairs, 0 lost, 312 duplicates (0.16%), 0 unexpected');
  });

  it('names the pairs still in flight when the guard stopped the run, apart from the lost ones', () => {
    expect(summaryLine(result({ delivered: 195_000, unsettled: ['evt_1 → ops', 'evt_2 → ops'] }))).toBe('soak: 200000 pairs, 0 lost, 2 unsettled, 312 duplicates (0.16%), 0 unexpected');
  });
});

describe('passed', () => {
  it('fails a run that lost a pair, saw something unexpected or could not settle every pair', () => {
    expect(passed(result())).toBe(true);
    expect(passed(result({ unsettled: ['evt_1 → ops'] }))).toBe(false);
    expect(passed(result({ lost: ['evt_1 → ops'] }))).toBe(false);
    expect(passed(result({ unexpected: ['request to ops for evt_2 matches no expected pair'] }))).toBe(false);
  });
});

describe('percentile', () => {
  it('takes the nearest rank of ascending values, and 0 of none', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);

    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe('waveSpreads', () => {
  it('measures how far apart the containers\' n-th loads started, over the loads every container made', () => {
    // Prepare: three containers loaded within 1 s, then drifted apart; one made a fourth load
    const starts = [
      [1000, 11_000, 21_500],
      [1500, 12_000, 23_000],
      [2000, 11_500, 20_000, 30_000],
    ];

    // Act
    const spreads = waveSpreads(starts);

    // Assess
    expect(spreads).toEqual([1, 1, 3]);
  });

  it('has nothing to compare with fewer than two containers that loaded', () => {
    expect(waveSpreads([[1000, 2000], []])).toEqual([]);
  });
});
