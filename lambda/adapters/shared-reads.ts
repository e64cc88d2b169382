import type { Clock } from '../core/ports';
import { DeadlineExceededError } from './errors';
import { RateWindow } from './rate-window';

export interface SharedReadsOptions<T> {
  /** How long a successful answer is reused, in milliseconds, counted from when its read started. */
  readonly reuseMs: number;
  /** Reads started in any second, at most; the others wait for a slot. */
  readonly perSecond: number;
  /** The clock deadlines are read on. */
  readonly clock: Clock;
  /** The read itself, bounded by the deadline it is given. */
  readonly read: (key: string, deadline: number | undefined) => Promise<T>;
}

/** Reads one key: shared with the callers already waiting for it, or reused while recent. */
export type SharedReads<T> = (key: string, deadline: number | undefined) => Promise<T>;

/**
 * Reads by key, shared: concurrent callers for one key share the read in flight; a successful
 * answer is reused for `reuseMs` (a failure only while in flight); and at most `perSecond` reads
 * start in any second, measured on a monotonic clock. A read waiting for a slot gives up rather
 * than wait past its first caller's deadline.
 * @throws {DeadlineExceededError} when no slot frees before the deadline; whatever `read` throws.
 */
export function createSharedReads<T>(options: SharedReadsOptions<T>): SharedReads<T> {
  const entries = new Map<string, { readonly read: Promise<T>; readonly timing: { startedAt: number; settled: boolean } }>();
  const rate = new RateWindow(options.perSecond, 1000);

  async function start(key: string, timing: { startedAt: number }, deadline: number | undefined): Promise<T> {
    for (let wait = rate.take(performance.now()); wait > 0; wait = rate.take(performance.now())) {
      if (deadline !== undefined && options.clock.now() + wait > deadline) {
        throw new DeadlineExceededError(`waiting for a read slot (at most ${options.perSecond} a second)`, deadline);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    timing.startedAt = performance.now();
    return options.read(key, deadline);
  }

  return (key, deadline) => {
    const now = performance.now();
    for (const [other, { timing }] of entries) {
      if (timing.settled && now - timing.startedAt >= options.reuseMs) entries.delete(other);
    }
    const existing = entries.get(key);
    if (existing !== undefined) return existing.read;
    const timing = { startedAt: now, settled: false };
    const entry = { read: start(key, timing, deadline), timing };
    entries.set(key, entry);
    entry.read.then(
      () => void (timing.settled = true),
      () => void (entries.get(key) === entry && entries.delete(key)),
    );
    return entry.read;
  };
}
