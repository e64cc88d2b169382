import type { SSMClient } from '@aws-sdk/client-ssm';
import { SubscriptionExistsError } from '../lambda/adapters/errors';
import { createSubscriptionStore as createStore } from '../lambda/adapters/subscription-store';
import type { ParameterStorage, StoredSubscription, StoredType } from '../lambda/adapters/subscription-store';
import type { EventCatalogue } from '../lambda/core/inbound/events';
import { parseSubscription, SUBSCRIPTION_NAME_PATTERN } from '../lambda/core/subscriptions/subscriptions';
import type { Subscription } from '../lambda/core/subscriptions/subscriptions';
import { CliError, SubscriptionNotFoundError, SubscriptionValidationError } from './errors';

export type { ParameterStorage, StoredSubscription, StoredType };

/**
 * The parameter type of every subscription the CLI writes (README "Security model", What is
 * stored encrypted): whatever a value holds, a URL with a token in its path, a header that
 * is an API key or a routing key is a credential, and no rule can tell them all apart.
 */
export const SUBSCRIPTION_PARAMETER_TYPE = 'SecureString';

/** The key SSM encrypts a SecureString with when none is given: the account's AWS managed key for Parameter Store. */
export const DEFAULT_KMS_KEY_ID = 'alias/aws/ssm';

const KEY_ID = String.raw`(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})`;
const ALIAS = String.raw`alias/[A-Za-z0-9/_-]{1,250}`;
const KMS_KEY = new RegExp(`^(?:${KEY_ID}|${ALIAS}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(?:key/${KEY_ID}|${ALIAS}))$`, 'i');

/**
 * Whether `text` names a KMS key as PutParameter's KeyId accepts it: a key id, a key ARN, an alias
 * name (`alias/webhooks`) or an alias ARN.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
 */
export function isKmsKeyId(text: string): boolean {
  return KMS_KEY.test(text);
}

/** How to name a KMS key, for messages. */
export const KMS_KEY_ID_HINT = 'a KMS key id, key ARN, alias name such as "alias/webhooks" or alias ARN';

/** What {@link SubscriptionStore.put} wrote. */
export interface WrittenSubscription {
  /** Whether no parameter of that name existed before. */
  readonly created: boolean;
  readonly storage: ParameterStorage;
}

/** The subscription store (`lambda/adapters/subscription-store.ts`) with the CLI's errors: each a sentence saying what to do. */
export interface SubscriptionStore {
  readonly path: string;
  /** Every parameter under the path (recursively, as the Lambda reads them), sorted by name. */
  list(): Promise<StoredSubscription[]>;
  /** @throws {SubscriptionNotFoundError} */
  get(name: string): Promise<StoredSubscription>;
  /** A valid subscription. @throws {SubscriptionNotFoundError} or {SubscriptionValidationError} when the stored value is invalid. */
  getValid(name: string): Promise<StoredSubscription & { readonly subscription: Subscription }>;
  /**
   * Writes the value as a SecureString encrypted with `kmsKeyId`. Without one, an overwrite keeps
   * the key the parameter has (SSM would otherwise switch it to the account's default) and a new
   * parameter gets the account's default, {@link DEFAULT_KMS_KEY_ID}. Without `overwrite` a name
   * that exists is an error.
   * @throws {CliError} when the name exists and `overwrite` is not set, or SSM refuses to change a String parameter's type.
   */
  put(subscription: Subscription, options: { readonly overwrite: boolean; readonly kmsKeyId?: string }): Promise<WrittenSubscription>;
  /** How a subscription's parameter is stored now (type and KMS key); undefined when it does not exist. */
  storage(name: string): Promise<ParameterStorage | undefined>;
  /** @throws {SubscriptionNotFoundError} */
  remove(name: string): Promise<void>;
  /**
   * Rewrites a subscription read by {@link getValid} with `enabled` set, keeping its type, KMS key and
   * other parameter attributes. @throws {CliError} when it changed since it was read, {SubscriptionNotFoundError}.
   */
  setEnabled(stored: StoredSubscription & { readonly subscription: Subscription }, enabled: boolean): Promise<void>;
}

/**
 * The subscriptions under `path` (no trailing slash), over an SSM client, their patterns checked
 * against `catalogue` (the deployment's event types; default the built-in ones).
 */
export function createSubscriptionStore(client: SSMClient, path: string, catalogue?: EventCatalogue): SubscriptionStore {
  const store = createStore({ client, path, ...(catalogue !== undefined && { catalogue }) });

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
    async put(subscription, { overwrite, kmsKeyId }) {
      const current = overwrite ? await cliStore.storage(subscription.name) : undefined;
      const keyId = kmsKeyId ?? (current?.type === 'SecureString' ? current.kmsKeyId : undefined);
      const storage: ParameterStorage = { type: SUBSCRIPTION_PARAMETER_TYPE, ...(keyId !== undefined && { kmsKeyId: keyId }) };
      try {
        await store.put(subscription, { overwrite, storage });
      } catch (error) {
        if (error instanceof SubscriptionExistsError) {
          throw new CliError(`subscription "${subscription.name}" already exists; pass --overwrite to replace it (see it with "webhooks show ${subscription.name}")`, { cause: error });
        }
        if (error instanceof Error && error.name === 'HierarchyTypeMismatchException') {
          throw new CliError(
            `subscription "${subscription.name}" is stored as a ${current?.type ?? 'String'} parameter and SSM refused to make it a ${SUBSCRIPTION_PARAMETER_TYPE}; ` +
              `remove it ("webhooks remove ${subscription.name}") and write it again`,
            { cause: error },
          );
        }
        throw error;
      }
      return { created: current === undefined, storage };
    },
    async storage(name) {
      checkName(name);
      return store.storage(name);
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

/** @throws {SubscriptionValidationError} when `name` is not a valid subscription name. */
export function checkName(name: string): void {
  if (!SUBSCRIPTION_NAME_PATTERN.test(name)) {
    const result = parseSubscription(name, {});
    throw new SubscriptionValidationError(result.ok ? [] : result.errors);
  }
}
