import { createLimiter } from '../../lambda/core/delivery/limiter';

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => [resolve, reject] = [res, rej]);
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Tasks that record when they start and how many run at once, finishing when told. */
function tracker() {
  const started: string[] = [];
  const gates = new Map<string, Deferred>();
  let running = 0;
  let peak = 0;
  const task = (name: string) => async (): Promise<string> => {
    started.push(name);
    running++;
    peak = Math.max(peak, running);
    const gate = deferred();
    gates.set(name, gate);
    try {
      await gate.promise;
      return name;
    } finally {
      running--;
    }
  };
  const finish = (name: string): void => gates.get(name)?.resolve();
  return { started, task, finish, peak: () => peak, running: () => running };
}

describe('createLimiter', () => {
  it('never runs more than the bound at once, and starts waiting tasks as others finish', async () => {
    // Prepare
    const limit = createLimiter(2);
    const t = tracker();

    // Act
    const results = ['a', 'b', 'c', 'd', 'e'].map((name) => limit(t.task(name)));
    await settle();
    const startedFirst = [...t.started];
    t.finish('a');
    await settle();
    const startedAfterOne = [...t.started];
    for (const name of ['b', 'c', 'd', 'e']) {
      t.finish(name);
      await settle();
    }

    // Assess
    expect(startedFirst).toEqual(['a', 'b']);
    expect(startedAfterOne).toEqual(['a', 'b', 'c']);
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(t.peak()).toBe(2);
  });

  it('starts waiting tasks in arrival order', async () => {
    // Prepare
    const limit = createLimiter(1);
    const t = tracker();

    // Act
    const results = ['a', 'b', 'c', 'd'].map((name) => limit(t.task(name)));
    for (const name of ['a', 'b', 'c', 'd']) {
      await settle();
      t.finish(name);
    }
    await Promise.all(results);

    // Assess
    expect(t.started).toEqual(['a', 'b', 'c', 'd']);
    expect(t.peak()).toBe(1);
  });

  it('gives a freed slot to the waiting task, not to a task arriving as the slot frees', async () => {
    // Prepare: `a` resolves with a promise that someone else also awaits, and who then submits `c`.
    const limit = createLimiter(1);
    const t = tracker();
    const shared = deferred();
    const a = limit(() => shared.promise);
    const b = limit(t.task('b'));
    let c: Promise<string> | undefined;
    void shared.promise.then(() => {
      c = limit(t.task('c'));
    });

    // Act
    shared.resolve();
    await a;
    await settle();
    const startedWhileBRuns = [...t.started];
    t.finish('b');
    await b;
    await settle();
    t.finish('c');
    await c;

    // Assess
    expect(startedWhileBRuns).toEqual(['b']);
    expect(t.started).toEqual(['b', 'c']);
    expect(t.peak()).toBe(1);
  });

  it('passes a task error to its caller and frees the slot', async () => {
    // Prepare
    const limit = createLimiter(1);
    const failing = limit(async () => {
      throw new Error('boom');
    });
    const next = limit(async () => 'next ran');

    // Act
    const failure = failing.catch((error: unknown) => error);
    const result = await next;

    // Assess
    expect(await failure).toEqual(new Error('boom'));
    expect(result).toBe('next ran');
  });

  it('frees the slot of a task that throws synchronously', async () => {
    // Prepare
    const limit = createLimiter(1);

    // Act
    const failure = limit(() => {
      throw new TypeError('sync boom');
    }).catch((error: unknown) => error);
    const result = await limit(async () => 42);

    // Assess
    expect(await failure).toBeInstanceOf(TypeError);
    expect(result).toBe(42);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects the bound %d', (concurrency) => {
    // Act
    const create = (): unknown => createLimiter(concurrency);

    // Assess
    expect(create).toThrow(RangeError);
    expect(create).toThrow(`Expected \`concurrency\` to be a positive integer, got ${concurrency}`);
  });
});
