import { createHash } from 'node:crypto';

/** A source of uniform numbers in [0, 1), replayable from its seed. */
export type Random = () => number;

/**
 * A seeded pseudo-random generator (mulberry32): every random choice of a soak run draws from one
 * of these, so `--seed` replays the run's plan and fault decisions.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniform number in [0, 1) that depends only on its parts: used where the order of calls is not
 * deterministic (HTTP requests arrive in any order), so the same request always gets the same answer.
 */
export function hashUnit(...parts: ReadonlyArray<string | number>): number {
  const digest = createHash('sha256').update(parts.join('\0')).digest();
  return digest.readUInt32BE(0) / 4294967296;
}

/** An integer in [min, max], both included. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('Expected a non-empty list to pick from');
  return item;
}
