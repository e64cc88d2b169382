/**
 * At most `limit` starts in any `windowMs` milliseconds: a sliding log of the latest start times.
 * Pure: the caller passes the time (a monotonic clock, so that wall-clock steps cannot open it).
 */
export class RateWindow {
  readonly #starts: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Expected \`limit\` to be a positive integer, got ${limit}`);
    if (!(windowMs > 0)) throw new RangeError(`Expected \`windowMs\` to be a positive number, got ${windowMs}`);
  }

  /** Takes a start at `now` and returns 0, or takes nothing and returns the milliseconds until one frees. */
  take(now: number): number {
    while (this.#starts.length > 0 && (this.#starts[0] as number) <= now - this.windowMs) this.#starts.shift();
    if (this.#starts.length < this.limit) {
      this.#starts.push(now);
      return 0;
    }
    return (this.#starts[0] as number) + this.windowMs - now;
  }
}
