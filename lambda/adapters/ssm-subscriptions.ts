import { GetParameterCommand, ParameterNotFound, PutParameterCommand, paginateGetParametersByPath } from '@aws-sdk/client-ssm';
import type { Parameter, SSMClient } from '@aws-sdk/client-ssm';
import { SubscriptionSourceError } from '../core/errors';
import type { Clock, Log, SubscriptionSource } from '../core/ports';
import { indexSubscriptions } from '../core/subscriptions/subscription-index';
import type { SubscriptionIndex } from '../core/subscriptions/subscription-index';
import { parseSubscription, subscriptionValue } from '../core/subscriptions/subscriptions';
import type { Subscription } from '../core/subscriptions/subscriptions';

/**
 * GetParametersByPath returns at most 10 parameters per page.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
 */
export const SSM_PAGE_SIZE = 10;

/** After a failed refresh the stale copy serves this long before the next try. */
export const REFRESH_BACKOFF_MS = 5000;

export interface SsmSubscriptionSourceOptions {
  readonly client: SSMClient;
  /** e.g. `/platform-webhooks/subscriptions` (no trailing slash). */
  readonly path: string;
  readonly cacheSeconds: number;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * Subscriptions from SSM Parameter Store: every parameter under the path, paginated, recursive,
 * decrypted, validated one by one (an invalid one is skipped with an error naming it), cached for
 * `cacheSeconds`; when a refresh fails the stale copy keeps serving, with a warning.
 */
export function createSsmSubscriptionSource(options: SsmSubscriptionSourceOptions): SubscriptionSource {
  const { client, clock, log } = options;
  const path = options.path.replace(/\/+$/, '');
  let cached: { index: SubscriptionIndex; refreshAt: number } | undefined;
  let inFlight: Promise<SubscriptionIndex> | undefined;

  async function refresh(): Promise<SubscriptionIndex> {
    try {
      const index = indexSubscriptions(await loadAll());
      cached = { index, refreshAt: clock.now() + options.cacheSeconds * 1000 };
      return index;
    } catch (error) {
      if (cached === undefined) {
        throw new SubscriptionSourceError(`could not load subscriptions from SSM path ${path}: ${String(error)}`, { cause: error });
      }
      log.warn('could not refresh subscriptions from SSM; serving the cached copy', { path, error: String(error) });
      cached = { index: cached.index, refreshAt: clock.now() + Math.min(REFRESH_BACKOFF_MS, options.cacheSeconds * 1000) };
      return cached.index;
    } finally {
      inFlight = undefined;
    }
  }

  async function loadAll(): Promise<Subscription[]> {
    const subscriptions: Subscription[] = [];
    const pages = paginateGetParametersByPath(
      { client, pageSize: SSM_PAGE_SIZE },
      { Path: path, Recursive: true, WithDecryption: true },
    );
    for await (const page of pages) {
      for (const parameter of page.Parameters ?? []) {
        const subscription = parseParameter(parameter);
        if (subscription) subscriptions.push(subscription);
      }
    }
    return subscriptions;
  }

  function parseParameter(parameter: Parameter): Subscription | undefined {
    const name = (parameter.Name ?? '').slice(path.length + 1);
    const result = parseSubscription(name, parameter.Value ?? '');
    if (result.ok) return parameter.Version === undefined ? result.subscription : { ...result.subscription, version: parameter.Version };
    log.error('invalid subscription parameter skipped', { parameter: parameter.Name, errors: result.errors });
    return undefined;
  }

  return {
    load() {
      if (cached !== undefined && clock.now() < cached.refreshAt) return Promise.resolve(cached.index);
      inFlight ??= refresh();
      return inFlight;
    },

    // A first cut of the fresh read: one GetParameter per call, neither shared nor rate-limited yet.
    async readFresh(name) {
      try {
        const { Parameter: parameter } = await client.send(new GetParameterCommand({ Name: `${path}/${name}`, WithDecryption: true }));
        return { subscription: parameter ? parseParameter(parameter) : undefined, readAt: clock.now() };
      } catch (error) {
        if (error instanceof ParameterNotFound) return { subscription: undefined, readAt: clock.now() };
        throw new SubscriptionSourceError(`could not read subscription ${path}/${name} from SSM: ${String(error)}`, { cause: error });
      }
    },

    async disable(subscription) {
      const { name } = subscription;
      const parameterName = `${path}/${name}`;
      const { Parameter: parameter } = await client.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
      const result = parseSubscription(name, parameter?.Value ?? '');
      if (!result.ok) throw new SubscriptionSourceError(result.errors.join('; '));
      const value = JSON.stringify({ ...subscriptionValue(result.subscription), enabled: false });
      await client.send(new PutParameterCommand({ Name: parameterName, Value: value, Type: parameter?.Type ?? 'String', Overwrite: true }));
      if (cached !== undefined) {
        const all = cached.index.all.map((s) => (s.name === name ? { ...s, enabled: false } : s));
        cached = { ...cached, index: indexSubscriptions(all) };
      }
      return 'disabled';
    },
  };
}
