import { DeadlineExceededError } from '../../lambda/adapters/errors';
import { createSharedReads } from '../../lambda/adapters/shared-reads';
import { fixedClock } from '../support/factories';

function countingRead(answer: (key: string) => Promise<string> = async (key) => `value of ${key}`) {
  const keys: string[] = [];
  return { keys, read: (key: string) => (keys.push(key), answer(key)) };
}

describe('createSharedReads', () => {
  it('gives concurrent callers for one key the one read in flight', async () => {
    // Prepare
    const { keys, read } = countingRead();
    const reads = createSharedReads({ reuseMs: 1000, perSecond: 10, clock: fixedClock(), read });

    // Act
    const answers = await Promise.all([reads('a', undefined), reads('a', undefined), reads('b', undefined), reads('a', undefined)]);

    // Assess
    expect(answers).toEqual(['value of a', 'value of a', 'value of b', 'value of a']);
    expect(keys).toEqual(['a', 'b']);
  });

  it('reads again after a failure rather than reuse it', async () => {
    // Prepare
    let calls = 0;
    const { keys, read } = countingRead(async () => (++calls === 1 ? Promise.reject(new Error('throttled')) : 'fine'));
    const reads = createSharedReads({ reuseMs: 60_000, perSecond: 10, clock: fixedClock(), read });
    await expect(reads('a', undefined)).rejects.toThrow('throttled');

    // Act
    const second = await reads('a', undefined);

    // Assess
    expect(second).toBe('fine');
    expect(keys).toEqual(['a', 'a']);
  });

  it('reads again once the answer is older than the reuse time', async () => {
    // Prepare
    const { keys, read } = countingRead();
    const reads = createSharedReads({ reuseMs: 20, perSecond: 1000, clock: fixedClock(), read });
    await reads('a', undefined);

    // Act: ask until a second read happens (each ask within the reuse time is answered from the first)
    const giveUpAt = Date.now() + 10_000;
    while (keys.length < 2 && Date.now() < giveUpAt) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await reads('a', undefined);
    }

    // Assess
    expect(keys).toEqual(['a', 'a']);
  });

  it('gives up waiting for a slot that would free only after the deadline', async () => {
    // Prepare: one read a second, taken
    const clock = fixedClock();
    const { keys, read } = countingRead();
    const reads = createSharedReads({ reuseMs: 1000, perSecond: 1, clock, read });
    await reads('a', undefined);

    // Act
    const waiting = reads('b', clock.now());

    // Assess
    await expect(waiting).rejects.toThrow(DeadlineExceededError);
    await expect(waiting).rejects.toThrow('waiting for a read slot (at most 1 a second) did not finish before the deadline');
    expect(keys).toEqual(['a']);
  });
});
