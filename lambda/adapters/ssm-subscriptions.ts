import type { SSMClient } from '@aws-sdk/client-ssm';
import { describeError, SubscriptionSourceError } from '../core/errors';
import type { EventCatalogue } from '../core/inbound/events';
import type { Clock, FreshRead, Log, SubscriptionSource } from '../core/ports';
import { indexSubscriptions } from '../core/subscriptions/subscription-index';
import type { SubscriptionIndex } from '../core/subscriptions/subscription-index';
import type { Subscription } from '../core/subscriptions/subscriptions';
import { DeadlineExceededError, PageTokenRefusedError } from './errors';
import { raceDeadline } from './race-deadline';
import { createSharedReads } from './shared-reads';
import { createSubscriptionStore } from './subscription-store';
import type { StoredSubscription } from './subscription-store';

/** After a failed refresh the stale copy serves this long before the next try. */
const REFRESH_BACKOFF_MS = 5000;

/**
 * How long a caller with a cached copy waits for a refresh before it is served that copy while the
 * refresh goes on beside its deliveries: a refresh of a few hundred subscriptions ends well within
 * it; one of thousands (30 ms a page in AWS, more when SSM throttles it) would otherwise hold every
 * invocation that expires the cache for the whole refresh (docs/scale.md).
 */
const REFRESH_WAIT_MS = 1000;

/** Each container's cache lifetime is `cacheSeconds` ±10%, so that containers started together do not refresh together. */
const CACHE_JITTER = 0.1;

/**
 * A fresh read's answer is reused this long: a burst of retries for one deleted subscription makes
 * one GetParameter, while one created seconds ago is still seen (retries of one delivery are at
 * least about 4 s apart with the default schedule, docs/design.md §4).
 */
const FRESH_READ_REUSE_MS = 1000;

/**
 * Fresh reads (GetParameter) a container starts per second, at most: a quarter of SSM's default
 * throughput of 40 transactions per second, which the account's other callers share.
 * https://docs.aws.amazon.com/general/latest/gr/ssm.html
 */
const FRESH_READS_PER_SECOND = 10;

export interface SsmSubscriptionSourceOptions {
  readonly client: SSMClient;
  /** e.g. `/platform-webhooks/subscriptions` (no trailing slash). */
  readonly path: string;
  readonly cacheSeconds: number;
  readonly clock: Clock;
  readonly log: Log;
  /** Draws the cache-lifetime jitter, in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** The event types subscriptions are validated and indexed by (`EXTRA_EVENT_TYPES`); default the built-in ones. */
  readonly catalogue?: EventCatalogue;
}

/** The pages an unfinished refresh has read, and the token the next page is read from. */
interface RefreshProgress {
  readonly subscriptions: Subscription[];
  nextToken: string | undefined;
  pages: number;
}

/**
 * Subscriptions from SSM Parameter Store through the subscription store: every parameter under the
 * path, paginated, recursive, decrypted, validated one by one (an invalid one is skipped with an
 * error naming it), cached for `cacheSeconds` ±10% (docs/design.md §5). A refresh that fails, or
 * that the deadline cuts off, leaves the stale copy serving with a warning; one cut off keeps the
 * pages it read and its NextToken, so the next load resumes it rather than starting over. A caller
 * with a deadline waits at most a second for a refresh when a copy is cached, and is served that
 * copy while the refresh goes on.
 * Concurrent callers share one refresh in flight, and one fresh read per subscription.
 */
export function createSsmSubscriptionSource(options: SsmSubscriptionSourceOptions): SubscriptionSource {
  const { clock, log } = options;
  const { catalogue } = options;
  const store = createSubscriptionStore({ client: options.client, path: options.path, clock, ...(catalogue !== undefined && { catalogue }) });
  const indexed = (subscriptions: readonly Subscription[]): SubscriptionIndex => indexSubscriptions(subscriptions, catalogue);
  const { path } = store;
  const random = options.random ?? Math.random;
  const cacheMs = options.cacheSeconds * 1000;
  let cached: { index: SubscriptionIndex; refreshAt: number } | undefined;
  /** The refresh in flight, and the latest deadline of the callers waiting for it (undefined: one has none). */
  let inFlight: { readonly promise: Promise<SubscriptionIndex>; readonly waiting: { deadline: number | undefined } } | undefined;
  let progress: RefreshProgress | undefined;
  const freshReads = createSharedReads({ reuseMs: FRESH_READ_REUSE_MS, perSecond: FRESH_READS_PER_SECOND, clock, read: readOne });

  function validOrLogged(stored: StoredSubscription): Subscription | undefined {
    if (stored.result.ok) return stored.result.subscription;
    log.error('invalid subscription parameter skipped', { parameter: stored.parameterName, errors: stored.result.errors });
    return undefined;
  }

  async function readAll(deadline: () => number | undefined): Promise<Subscription[]> {
    progress ??= { subscriptions: [], nextToken: undefined, pages: 0 };
    for (;;) {
      let page;
      try {
        // Each page is bounded by the time left, and none starts past the deadline.
        page = await store.readPage(progress.nextToken, { deadline: deadline() });
      } catch (error) {
        if (!(error instanceof PageTokenRefusedError)) throw error;
        log.warn('SSM refused the saved NextToken; reading the subscriptions from the first page again', { path, pagesDropped: progress.pages });
        progress = { subscriptions: [], nextToken: undefined, pages: 0 };
        continue;
      }
      progress.subscriptions.push(...page.subscriptions.flatMap((stored) => validOrLogged(stored) ?? []));
      progress.pages += 1;
      progress.nextToken = page.nextToken;
      if (page.nextToken === undefined) {
        const all = progress.subscriptions;
        progress = undefined;
        return all;
      }
    }
  }

  /** Reads every page (resuming an unfinished refresh) while some caller still waits: until `deadline()`. */
  async function refresh(deadline: () => number | undefined): Promise<SubscriptionIndex> {
    try {
      const loaded = indexed(await readAll(deadline));
      cached = { index: loaded, refreshAt: clock.now() + cacheMs * (1 - CACHE_JITTER + 2 * CACHE_JITTER * random()) };
      return loaded;
    } catch (error) {
      const cutOff = error instanceof DeadlineExceededError;
      const pages = progress?.pages ?? 0;
      const kept = pages === 0 ? '' : ` (${pages === 1 ? 'the page read is' : `the ${pages} pages read are`} kept: the next load resumes after them)`;
      if (cached === undefined) {
        throw new SubscriptionSourceError(
          cutOff
            ? `could not load the subscriptions under SSM path ${path} before the deadline ${isoTime(deadline())}${kept}; SQS delivers the record again`
            : `could not load subscriptions from SSM path ${path}: ${describeError(error)}${kept}`,
          { cause: error },
        );
      }
      const fields = { path, error: describeError(error), pagesRead: progress?.pages ?? 0 };
      if (cutOff) {
        // Resumed at the next load, without the back-off: the refresh did not fail, it ran out of time.
        log.warn('subscription refresh not finished by the deadline; serving the cached copy', fields);
      } else {
        log.warn('could not refresh subscriptions from SSM; serving the cached copy', fields);
        cached = { index: cached.index, refreshAt: clock.now() + Math.min(REFRESH_BACKOFF_MS, cacheMs) };
      }
      return cached.index;
    } finally {
      inFlight = undefined;
    }
  }

  /** Puts a subscription read fresh into the cached index, unless the cache holds that version or a later one. */
  function remember(subscription: Subscription): void {
    if (cached === undefined) return;
    const current = cached.index.byName(subscription.name)?.version;
    if (current !== undefined && subscription.version !== undefined && current >= subscription.version) return;
    const others = cached.index.all.filter((s) => s.name !== subscription.name);
    cached = { ...cached, index: indexed([...others, subscription]) };
  }

  /** Drops a subscription the store says is gone (or now invalid) from the cached index. */
  function forget(name: string): void {
    if (cached?.index.byName(name) === undefined) return;
    cached = { ...cached, index: indexed(cached.index.all.filter((s) => s.name !== name)) };
  }

  async function readOne(name: string, deadline: number | undefined): Promise<FreshRead> {
    let stored: StoredSubscription | undefined;
    try {
      stored = await store.get(name, deadline === undefined ? {} : { deadline });
    } catch (error) {
      if (error instanceof DeadlineExceededError) throw error;
      throw new SubscriptionSourceError(`could not read subscription ${path}/${name} from SSM: ${describeError(error)}`, { cause: error });
    }
    const readAt = clock.now();
    const subscription = stored === undefined ? undefined : validOrLogged(stored);
    if (subscription === undefined) forget(name);
    else remember(subscription);
    return { subscription, readAt };
  }

  /**
   * `promise`, settled by `deadline`: past it (or when `promise` itself ran out of time), `fallback()`
   * when given, else a SubscriptionSourceError.
   */
  async function byDeadline<T>(what: string, deadline: number | undefined, promise: Promise<T>, fallback?: () => T): Promise<T> {
    promise.catch(() => undefined); // past the deadline nothing awaits it: its rejection is handled here
    try {
      return await raceDeadline(what, deadline, clock, () => promise);
    } catch (error) {
      if (!(error instanceof DeadlineExceededError)) throw error;
      if (fallback !== undefined) return fallback();
      throw new SubscriptionSourceError(`could not finish ${what} before the deadline ${isoTime(deadline)}; SQS delivers the record again`, { cause: error });
    }
  }

  return {
    load({ deadline } = {}) {
      if (cached !== undefined && clock.now() < cached.refreshAt) return Promise.resolve(cached.index);
      // The refresh runs until the latest waiting caller's deadline; each caller stops at its own.
      if (inFlight === undefined) {
        const waiting = { deadline };
        inFlight = { promise: refresh(() => waiting.deadline), waiting };
      } else {
        const latest = inFlight.waiting.deadline;
        inFlight.waiting.deadline = latest === undefined || deadline === undefined ? undefined : Math.max(latest, deadline);
      }
      const stale = cached?.index;
      if (stale === undefined) return byDeadline(`loading the subscriptions under SSM path ${path}`, deadline, inFlight.promise);
      // With a copy to serve and a deadline, a caller waits for the refresh briefly (never with a cache time of 0:
      // then every batch reads the store); the refresh goes on until the latest waiting caller's deadline.
      const waitUntil = deadline === undefined || cacheMs === 0 ? deadline : Math.min(deadline, clock.now() + REFRESH_WAIT_MS);
      return byDeadline(`loading the subscriptions under SSM path ${path}`, waitUntil, inFlight.promise, () => {
        if (waitUntil === deadline) log.warn('subscription refresh not finished by the deadline; serving the cached copy', { path });
        else log.info('subscription refresh goes on beside the deliveries; serving the cached copy meanwhile', { path });
        return stale;
      });
    },

    readFresh(name, { deadline } = {}) {
      return byDeadline(`reading subscription ${path}/${name} from SSM`, deadline, freshReads(name, deadline));
    },

    async disable(subscription) {
      const { name } = subscription;
      let written;
      try {
        written = await store.setEnabled(name, false, subscription.version);
      } catch (error) {
        throw new SubscriptionSourceError(`could not disable subscription ${path}/${name} in SSM: ${describeError(error)}`, { cause: error });
      }
      switch (written.outcome) {
        case 'written':
          remember(written.subscription);
          return 'disabled';
        case 'gone':
          forget(name);
          return 'gone';
        case 'version-moved': {
          // This copy is older than the store's (another container disabled it, or it was edited): keep the
          // stored one the rewrite read, so that this container stops sending every event to a receiver that
          // answered 410, each answer costing another rewrite's reads, until its next refresh (docs/scale.md).
          const stored = validOrLogged(written.stored);
          if (stored === undefined) forget(name);
          else remember(stored);
          return 'version-moved';
        }
      }
    },
  };
}

function isoTime(epochMs: number | undefined): string {
  return epochMs === undefined ? '(none)' : new Date(epochMs).toISOString();
}
