import type { SSMClient } from '@aws-sdk/client-ssm';
import { SubscriptionExistsError } from '../lambda/adapters/errors';
import { createSubscriptionStore as createStore } from '../lambda/adapters/subscription-store';
import type { ParameterStorage, StoredSubscription, StoredType } from '../lambda/adapters/subscription-store';
import { parseSubscription, SUBSCRIPTION_NAME_PATTERN } from '../lambda/core/subscriptions/subscriptions';
import type { Subscription } from '../lambda/core/subscriptions/subscriptions';
import { CliError, SubscriptionNotFoundError, SubscriptionValidationError } from './errors';
import { isSensitiveHeader, SECRET_KEYS } from './mask-secrets';

export type { StoredSubscription, StoredType };

/** The subscription store (`lambda/adapters/subscription-store.ts`) with the CLI's errors: each a sentence saying what to do. */
export interface SubscriptionStore {
  readonly path: string;
  /** Every parameter under the path (recursively, as the Lambda reads them), sorted by name. */
  list(): Promise<StoredSubscription[]>;
  /** @throws {SubscriptionNotFoundError} */
  get(name: string): Promise<StoredSubscription>;
  /** A valid subscription. @throws {SubscriptionNotFoundError} or {SubscriptionValidationError} when the stored value is invalid. */
  getValid(name: string): Promise<StoredSubscription & { readonly subscription: Subscription }>;
  /** Writes the value as `storage`; without `overwrite` a name that exists is an error. */
  put(subscription: Subscription, options: { readonly overwrite: boolean; readonly storage: ParameterStorage }): Promise<void>;
  /** @throws {SubscriptionNotFoundError} */
  remove(name: string): Promise<void>;
  /**
   * Rewrites a subscription read by {@link getValid} with `enabled` set, keeping its type, KMS key and
   * other parameter attributes. @throws {CliError} when it changed since it was read, {SubscriptionNotFoundError}.
   */
  setEnabled(stored: StoredSubscription & { readonly subscription: Subscription }, enabled: boolean): Promise<void>;
}

/** The subscriptions under `path` (no trailing slash), over an SSM client. */
export function createSubscriptionStore(client: SSMClient, path: string): SubscriptionStore {
  const store = createStore({ client, path });

  const cliStore: SubscriptionStore = {
    path,
    list: () => store.list(),
    async get(name) {
      checkName(name);
      const stored = await store.get(name);
      if (stored === undefined) throw new SubscriptionNotFoundError(name, path);
      return stored;
    },
    async getValid(name) {
      const stored = await cliStore.get(name);
      if (!stored.result.ok) {
        throw new SubscriptionValidationError([
          ...stored.result.errors,
          `subscription "${name}" is stored with an invalid value; replace it with "webhooks subscribe ${name} --overwrite …" or remove it`,
        ]);
      }
      return { ...stored, subscription: stored.result.subscription };
    },
    async put(subscription, options) {
      try {
        await store.put(subscription, options);
      } catch (error) {
        if (error instanceof SubscriptionExistsError) {
          throw new CliError(`subscription "${subscription.name}" already exists; pass --overwrite to replace it (see it with "webhooks show ${subscription.name}")`, { cause: error });
        }
        throw error;
      }
    },
    async remove(name) {
      checkName(name);
      if (!(await store.remove(name))) throw new SubscriptionNotFoundError(name, path);
    },
    async setEnabled(stored, enabled) {
      const { name } = stored;
      const written = await store.setEnabled(name, enabled, stored.version);
      if (written.outcome === 'gone') throw new SubscriptionNotFoundError(name, path);
      if (written.outcome === 'version-moved') {
        throw new CliError(`subscription "${name}" changed while it was being ${enabled ? 'enabled' : 'disabled'}; nothing was written: run the command again`);
      }
    },
  };
  return cliStore;
}

/**
 * The parameter type the CLI writes a subscription with: SecureString when it holds a secret (docs/design.md §2),
 * a credential (a routing key, an `Authorization`-like header), or was SecureString already (a
 * rewrite never downgrades it); String otherwise.
 */
export function parameterTypeFor(subscription: Subscription, current?: StoredType): StoredType {
  const holdsCredential =
    [...SECRET_KEYS].some((key) => (subscription as unknown as Record<string, unknown>)[key] !== undefined) ||
    Object.keys(subscription.headers).some(isSensitiveHeader);
  return holdsCredential || current === 'SecureString' ? 'SecureString' : 'String';
}

/** @throws {SubscriptionValidationError} when `name` is not a valid subscription name. */
export function checkName(name: string): void {
  if (!SUBSCRIPTION_NAME_PATTERN.test(name)) {
    const result = parseSubscription(name, {});
    throw new SubscriptionValidationError(result.ok ? [] : result.errors);
  }
}
