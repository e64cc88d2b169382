import {
  DeleteParameterCommand, GetParameterCommand, ParameterType, PutParameterCommand, paginateGetParametersByPath,
} from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { parseSubscription, SUBSCRIPTION_NAME_PATTERN } from '../lambda/core/subscriptions/subscriptions';
import type { Subscription, SubscriptionResult, SubscriptionValue } from '../lambda/core/subscriptions/subscriptions';
import { CliError, SubscriptionNotFoundError, SubscriptionValidationError } from './errors';
import { isSensitiveHeader, SECRET_KEYS } from './mask-secrets';

/**
 * GetParametersByPath returns at most 10 parameters per page.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
 */
const SSM_PAGE_SIZE = 10;

/** The parameter types a subscription is stored as (docs/design.md §2). */
export type StoredType = 'String' | 'SecureString';

/** One subscription parameter as stored, valid or not. */
export interface StoredSubscription {
  readonly name: string;
  readonly parameterName: string;
  readonly type: StoredType;
  /** The raw parameter value (decrypted); may hold a secret: never print it. */
  readonly raw: string;
  readonly version?: number;
  readonly result: SubscriptionResult;
}

/** Subscriptions in SSM Parameter Store under one path: one parameter per subscription (docs/design.md §2). */
export interface SubscriptionStore {
  readonly path: string;
  /** Every parameter under the path (recursively, as the Lambda reads them), sorted by name. */
  list(): Promise<StoredSubscription[]>;
  /** @throws {SubscriptionNotFoundError} */
  get(name: string): Promise<StoredSubscription>;
  /** A valid subscription. @throws {SubscriptionNotFoundError} or {SubscriptionValidationError} when the stored value is invalid. */
  getValid(name: string): Promise<StoredSubscription & { readonly subscription: Subscription }>;
  /** Writes the value; without `overwrite` a name that exists is an error. */
  put(subscription: Subscription, type: StoredType, options: { overwrite: boolean }): Promise<void>;
  /** @throws {SubscriptionNotFoundError} */
  remove(name: string): Promise<void>;
}

/** The subscriptions under `path` (no trailing slash), over an SSM client. */
export function createSubscriptionStore(client: SSMClient, path: string): SubscriptionStore {
  const parameterName = (name: string): string => `${path}/${name}`;

  function toStored(name: string, parameter: { Name?: string; Type?: string; Value?: string; Version?: number }): StoredSubscription {
    const raw = parameter.Value ?? '';
    return {
      name,
      parameterName: parameter.Name ?? parameterName(name),
      type: parameter.Type === ParameterType.SECURE_STRING ? 'SecureString' : 'String',
      raw,
      ...(parameter.Version !== undefined && { version: parameter.Version }),
      result: parseSubscription(name, raw),
    };
  }

  const store: SubscriptionStore = {
    path,
    async list() {
      const all: StoredSubscription[] = [];
      const pages = paginateGetParametersByPath({ client, pageSize: SSM_PAGE_SIZE }, { Path: path, Recursive: true, WithDecryption: true });
      for await (const page of pages) {
        for (const parameter of page.Parameters ?? []) all.push(toStored((parameter.Name ?? '').slice(path.length + 1), parameter));
      }
      return all.sort((a, b) => a.name.localeCompare(b.name));
    },
    async get(name) {
      checkName(name);
      try {
        const { Parameter: parameter } = await client.send(new GetParameterCommand({ Name: parameterName(name), WithDecryption: true }));
        return toStored(name, parameter ?? {});
      } catch (error) {
        if ((error as Error).name === 'ParameterNotFound') throw new SubscriptionNotFoundError(name, path, { cause: error });
        throw error;
      }
    },
    async getValid(name) {
      const stored = await store.get(name);
      if (!stored.result.ok) {
        throw new SubscriptionValidationError([
          ...stored.result.errors,
          `subscription "${name}" is stored with an invalid value; replace it with "webhooks subscribe ${name} --overwrite …" or remove it`,
        ]);
      }
      return { ...stored, subscription: stored.result.subscription };
    },
    async put(subscription, type, { overwrite }) {
      const { name: _name, ...value } = subscription;
      try {
        await client.send(new PutParameterCommand({ Name: parameterName(subscription.name), Value: JSON.stringify(value satisfies SubscriptionValue), Type: type, Overwrite: overwrite }));
      } catch (error) {
        if ((error as Error).name === 'ParameterAlreadyExists') {
          throw new CliError(`subscription "${subscription.name}" already exists; pass --overwrite to replace it (see it with "webhooks show ${subscription.name}")`, { cause: error });
        }
        throw error;
      }
    },
    async remove(name) {
      checkName(name);
      try {
        await client.send(new DeleteParameterCommand({ Name: parameterName(name) }));
      } catch (error) {
        if ((error as Error).name === 'ParameterNotFound') throw new SubscriptionNotFoundError(name, path, { cause: error });
        throw error;
      }
    },
  };
  return store;
}

/**
 * The parameter type a subscription is written with: SecureString when it holds a secret (docs/design.md §2),
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
