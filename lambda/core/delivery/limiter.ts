/** Runs at most `concurrency` tasks at once; the rest wait in arrival order. */
export interface Limiter {
  <T>(task: () => Promise<T>): Promise<T>;
  /** The bound this limiter enforces. */
  readonly concurrency: number;
}

/**
 * Creates a concurrency limiter. A freed slot passes straight to the oldest waiting task, so a
 * task arriving as a slot frees can neither exceed the bound nor overtake those already waiting.
 * @throws {RangeError} when `concurrency` is not a positive integer.
 */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`Expected \`concurrency\` to be a positive integer, got ${concurrency}`);
  }
  let active = 0;
  // A queue with a moving head: Array#shift is O(n) on long arrays.
  let waiting: Array<() => void> = [];
  let head = 0;
  const release = (): void => {
    const next = waiting[head];
    if (next === undefined) {
      active--;
      return;
    }
    waiting[head++] = undefined as never;
    if (head > 1024 && head * 2 > waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
    next();
  };
  const limit = async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
  return Object.assign(limit, { concurrency });
}
