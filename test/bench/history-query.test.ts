import { BUSY_HOUR, historyQuery } from '../../bench/history-query';

// Not a timed test: a tiny hour keeps bench/history-query.ts from rotting. No timing assertions.
describe('bench/history-query.ts at 1% of the busy hour', () => {
  it('writes the hour through the real SDK client and finds what each query asks for', async () => {
    // Act
    const result = await historyQuery({ scale: 0.01, runs: 1 });

    // Assess
    expect(result.lines).toBe(Math.round(BUSY_HOUR.perSecond * 36));
    expect(result.rows.map((row) => [row.query, row.found])).toEqual([
      ['newest 50, no filter', 50],
      ['newest 50 of one subscription', 50],
      ['one subscription\'s dead letters', 1],
      ['one event, sent at the start of the hour', BUSY_HOUR.subscriptions],
    ]);
    expect(result.rows.every((row) => row.requests >= 1)).toBe(true);
  });
});
