import type { Clock } from '../core/ports';
import { DeadlineExceededError } from './errors';

/** The longest delay setTimeout takes (about 24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `call` and settles by `deadline` (epoch milliseconds on `clock`) whatever the other side
 * does: when the deadline passes first, `call`'s signal is aborted (the SDK drops the request and
 * its socket) and the result rejects. The client's own connection and request timeouts may be
 * longer than the time left, so they cannot be relied on for this. Without a deadline it is `call()`.
 * @throws {DeadlineExceededError} naming `operation` when the deadline passes first or has passed already.
 */
export async function raceDeadline<T>(
  operation: string,
  deadline: number | undefined,
  clock: Clock,
  call: (abortSignal?: AbortSignal) => Promise<T>,
): Promise<T> {
  if (deadline === undefined) return call();
  const left = deadline - clock.now();
  if (left <= 0) throw new DeadlineExceededError(operation, deadline);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new DeadlineExceededError(operation, deadline));
      controller.abort();
    }, Math.min(left, MAX_TIMER_MS));
  });
  try {
    return await Promise.race([call(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
