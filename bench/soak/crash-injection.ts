import { PlatformWebhooksError } from '../../lambda/core/errors';
import { createHandler } from '../../lambda/handler';
import type { BatchHandler, HandlerDeps } from '../../lambda/handler';
import type { Random } from './seeded-random';

/** The exception an invocation is crashed with. */
export class InjectedCrashError extends PlatformWebhooksError {
  override name = 'InjectedCrashError';

  constructor(deliveries: number) {
    super(`injected crash after ${deliveries} deliveries of the batch`);
  }
}

export interface CrashOptions {
  /** Share of invocations to crash. */
  readonly rate: number;
  readonly random: Random;
  /** Called when an invocation crashes. */
  readonly onCrash?: () => void;
}

/**
 * The real handler over `deps`, except that a share of invocations crash mid-batch: after 1–10
 * HTTP deliveries the invocation throws, and from then on every port it was given hangs, so
 * nothing of that batch is settled afterwards, as when Lambda's process dies or times out. The
 * batch's records then reappear after the visibility timeout (Lambda retries a failed invocation).
 */
export function crashingHandler(deps: HandlerDeps, options: CrashOptions): BatchHandler {
  const healthy = createHandler(deps);
  return (event, context) => {
    if (options.random() >= options.rate) return healthy(event, context);
    const crashAfter = 1 + Math.floor(options.random() * 10);
    let deliveries = 0;
    let crashed = false;
    let crash: (error: Error) => void = () => undefined;
    const crashing = new Promise<never>((_, reject) => (crash = reject));
    const hang = <T>(): Promise<T> => new Promise<T>(() => undefined);
    const guard = <A extends unknown[], T>(call: (...args: A) => Promise<T>) => (...args: A): Promise<T> => (crashed ? hang() : call(...args));
    const fused: HandlerDeps = {
      ...deps,
      http: {
        send: guard(async (request) => {
          const result = await deps.http.send(request);
          if (crashed) return hang();
          if (++deliveries < crashAfter) return result;
          crashed = true;
          options.onCrash?.();
          crash(new InjectedCrashError(deliveries));
          return hang();
        }),
      },
      queue: {
        enqueue: guard((message, delaySeconds) => deps.queue.enqueue(message, delaySeconds)),
        deadLetter: guard((record) => deps.queue.deadLetter(record)),
      },
      subscriptions: {
        load: guard((options) => deps.subscriptions.load(options)),
        readFresh: guard((name, options) => deps.subscriptions.readFresh(name, options)),
        disable: guard((subscription) => deps.subscriptions.disable(subscription)),
      },
    };
    return Promise.race([createHandler(fused)(event, context), crashing]);
  };
}
