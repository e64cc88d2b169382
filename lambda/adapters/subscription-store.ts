import {
  DeleteParameterCommand, GetParameterCommand, GetParameterHistoryCommand, GetParametersByPathCommand, PutParameterCommand,
} from '@aws-sdk/client-ssm';
import type { Parameter, ParameterHistory, SSMClient } from '@aws-sdk/client-ssm';
import type { EventCatalogue } from '../core/inbound/events';
import type { Clock, ReadOptions } from '../core/ports';
import { parseSubscription, SUBSCRIPTION_NAME_PATTERN, subscriptionValue } from '../core/subscriptions/subscriptions';
import type { Subscription, SubscriptionResult } from '../core/subscriptions/subscriptions';
import { InvalidStoredSubscriptionError, PageTokenRefusedError, SubscriptionExistsError } from './errors';
import { raceDeadline } from './race-deadline';

/**
 * GetParametersByPath returns at most 10 parameters per page.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
 */
const SSM_PAGE_SIZE = 10;

/** The parameter types a subscription is stored as (docs/design.md §2). */
export type StoredType = 'String' | 'SecureString';

/** How a subscription parameter is written. */
export interface ParameterStorage {
  readonly type: StoredType;
  /** A SecureString's KMS key (ID, ARN or alias); omitted, SSM uses the account's `alias/aws/ssm`. Not sent for String. */
  readonly kmsKeyId?: string;
}

/**
 * What {@link SubscriptionStore.put} writes unless told otherwise: SecureString under the account's
 * default key, as a subscription may hold credentials (docs/design.md §6: secrets are SecureString at rest).
 */
const DEFAULT_STORAGE: ParameterStorage = { type: 'SecureString' };

/** One subscription parameter as stored, valid or not. */
export interface StoredSubscription {
  readonly name: string;
  readonly parameterName: string;
  readonly type: StoredType;
  /** The raw parameter value (decrypted); may hold a secret: never print it. */
  readonly raw: string;
  readonly version?: number;
  /** The value validated; a valid subscription carries the parameter's `version`. */
  readonly result: SubscriptionResult;
}

/** One page of a listing; `nextToken` (absent on the last page) resumes it. */
export interface StoredPage {
  readonly subscriptions: readonly StoredSubscription[];
  readonly nextToken?: string;
}

/** What a version-checked rewrite ({@link SubscriptionStore.setEnabled}) did. */
export type RewriteResult =
  | { readonly outcome: 'written'; readonly subscription: Subscription }
  /** The stored version is not the expected one: nothing written; `stored` is the parameter as read. */
  | { readonly outcome: 'version-moved'; readonly stored: StoredSubscription }
  /** The parameter does not exist: nothing written. */
  | { readonly outcome: 'gone' };

/**
 * The subscriptions under one SSM path, one parameter per subscription (docs/design.md §2): the one
 * adapter the function, the CLI and the local stack read and write them through. Reads decrypt.
 * Calls given a deadline settle by it (see {@link raceDeadline}); SSM errors pass through unchanged
 * unless stated.
 */
export interface SubscriptionStore {
  /** The path, without a trailing slash. */
  readonly path: string;
  /**
   * One page of the parameters under the path (recursive, as the function reads them), from `nextToken`.
   * @throws {PageTokenRefusedError} when SSM refuses `nextToken` (it expired): start over without one.
   * @throws {DeadlineExceededError} past `options.deadline`.
   */
  readPage(nextToken: string | undefined, options?: ReadOptions): Promise<StoredPage>;
  /** Every parameter under the path, sorted by name. */
  list(): Promise<StoredSubscription[]>;
  /**
   * One subscription's parameter; undefined when it does not exist (or `name` is not a subscription name).
   * @throws {DeadlineExceededError} past `options.deadline`.
   */
  get(name: string, options?: ReadOptions): Promise<StoredSubscription | undefined>;
  /**
   * Writes the subscription's value as `storage` (default {@link DEFAULT_STORAGE}) and resolves with the new version.
   * @throws {SubscriptionExistsError} when it exists and `overwrite` is not set.
   */
  put(subscription: Subscription, options: { readonly overwrite: boolean; readonly storage?: ParameterStorage }): Promise<number>;
  /**
   * How a subscription's parameter is stored now: its type and, for a SecureString, its KMS key,
   * read from its newest version's history; undefined when it does not exist. A rewrite that
   * must keep the key passes it on, since a PutParameter without KeyId uses the account's default.
   */
  storage(name: string): Promise<ParameterStorage | undefined>;
  /** Deletes the parameter; false when it did not exist. */
  remove(name: string): Promise<boolean>;
  /**
   * Rewrites the stored value with `enabled` set, unless the stored version is not `expectedVersion`
   * (undefined never matches). Type, KeyId, Tier, Description, AllowedPattern and DataType are kept;
   * tags and parameter policies survive an overwrite.
   * @throws {InvalidStoredSubscriptionError} when the stored value is not a valid subscription.
   */
  setEnabled(name: string, enabled: boolean, expectedVersion: number | undefined): Promise<RewriteResult>;
}

export interface SubscriptionStoreOptions {
  readonly client: SSMClient;
  /** e.g. `/platform-webhooks/subscriptions`; a trailing slash is dropped. */
  readonly path: string;
  /** The clock deadlines are read on; default `Date.now`. */
  readonly clock?: Clock;
  /** The event types stored patterns are checked against: the deployment's (`EXTRA_EVENT_TYPES`); default the built-in ones. */
  readonly catalogue?: EventCatalogue;
}

/** The subscription store over an SSM client. */
export function createSubscriptionStore(options: SubscriptionStoreOptions): SubscriptionStore {
  const { client } = options;
  const path = options.path.replace(/\/+$/, '');
  const clock = options.clock ?? { now: () => Date.now() };
  const parameterName = (name: string): string => `${path}/${name}`;

  function toStored(parameter: Parameter, name = (parameter.Name ?? '').slice(path.length + 1)): StoredSubscription {
    const raw = parameter.Value ?? '';
    const version = parameter.Version;
    const result = parseSubscription(name, raw, options.catalogue);
    return {
      name,
      parameterName: parameter.Name ?? parameterName(name),
      type: parameter.Type === 'SecureString' ? 'SecureString' : 'String',
      raw,
      ...(version !== undefined && { version }),
      result: result.ok && version !== undefined ? { ok: true, subscription: { ...result.subscription, version } } : result,
    };
  }

  /** GetParameter, undefined when the parameter does not exist. */
  async function getParameter(name: string, options: ReadOptions = {}): Promise<Parameter | undefined> {
    try {
      const { Parameter: parameter } = await raceDeadline(`GetParameter ${name}`, options.deadline, clock, (abortSignal) =>
        client.send(new GetParameterCommand({ Name: name, WithDecryption: true }), { abortSignal }));
      return parameter;
    } catch (error) {
      if (isNamed(error, 'ParameterNotFound')) return undefined;
      throw error;
    }
  }

  /**
   * The attributes of a parameter's newest version (KeyId, Tier, Description, …). Read from its
   * history rather than DescribeParameters, which cannot be scoped to a resource in IAM: the
   * function's role stays limited to the subscriptions path. SSM keeps the last 100 versions, so
   * this is at most two pages of 50, oldest first.
   * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameterHistory.html
   */
  async function latestAttributes(name: string): Promise<ParameterHistory | undefined> {
    let latest: ParameterHistory | undefined;
    let nextToken: string | undefined;
    try {
      do {
        const page = await client.send(new GetParameterHistoryCommand({ Name: name, MaxResults: 50, NextToken: nextToken }));
        latest = page.Parameters?.at(-1) ?? latest;
        nextToken = page.NextToken;
      } while (nextToken !== undefined);
    } catch (error) {
      if (isNamed(error, 'ParameterNotFound')) return undefined;
      throw error;
    }
    return latest;
  }

  const store: SubscriptionStore = {
    path,

    async readPage(nextToken, { deadline } = {}) {
      try {
        const page = await raceDeadline(`GetParametersByPath under ${path}`, deadline, clock, (abortSignal) =>
          client.send(new GetParametersByPathCommand({
            Path: path, Recursive: true, WithDecryption: true, MaxResults: SSM_PAGE_SIZE, NextToken: nextToken,
          }), { abortSignal }));
        return { subscriptions: (page.Parameters ?? []).map((parameter) => toStored(parameter)), ...(page.NextToken && { nextToken: page.NextToken }) };
      } catch (error) {
        if (nextToken !== undefined && isNamed(error, 'InvalidNextToken')) throw new PageTokenRefusedError(path, { cause: error });
        throw error;
      }
    },

    async list() {
      const all: StoredSubscription[] = [];
      let nextToken: string | undefined;
      do {
        const page = await store.readPage(nextToken);
        all.push(...page.subscriptions);
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      return all.sort((a, b) => a.name.localeCompare(b.name));
    },

    async get(name, options) {
      if (!SUBSCRIPTION_NAME_PATTERN.test(name)) return undefined;
      const parameter = await getParameter(parameterName(name), options);
      return parameter === undefined ? undefined : toStored(parameter, name);
    },

    async put(subscription, { overwrite, storage = DEFAULT_STORAGE }) {
      const name = parameterName(subscription.name);
      try {
        const { Version } = await client.send(new PutParameterCommand({
          Name: name,
          Value: JSON.stringify(subscriptionValue(subscription)),
          Type: storage.type,
          ...(storage.type === 'SecureString' && storage.kmsKeyId !== undefined && { KeyId: storage.kmsKeyId }),
          Overwrite: overwrite,
        }));
        return Version ?? 0;
      } catch (error) {
        if (isNamed(error, 'ParameterAlreadyExists')) throw new SubscriptionExistsError(subscription.name, name, { cause: error });
        throw error;
      }
    },

    async storage(name) {
      const latest = await latestAttributes(parameterName(name));
      if (latest === undefined) return undefined;
      if (latest.Type !== 'SecureString') return { type: 'String' };
      return { type: 'SecureString', ...(latest.KeyId !== undefined && { kmsKeyId: latest.KeyId }) };
    },

    async remove(name) {
      try {
        await client.send(new DeleteParameterCommand({ Name: parameterName(name) }));
        return true;
      } catch (error) {
        if (isNamed(error, 'ParameterNotFound')) return false;
        throw error;
      }
    },

    async setEnabled(name, enabled, expectedVersion) {
      const full = parameterName(name);
      // Read immediately before writing: the value (decrypted) and the attributes a PutParameter
      // would otherwise reset.
      const [parameter, metadata] = await Promise.all([getParameter(full), latestAttributes(full)]);
      if (parameter === undefined) return { outcome: 'gone' };
      // Attributes missing or of another version: a write landed between the two reads; either way
      // the next try decides.
      if (expectedVersion === undefined || parameter.Version !== expectedVersion || metadata?.Version !== expectedVersion) {
        return { outcome: 'version-moved', stored: toStored(parameter, name) };
      }
      const result = parseSubscription(name, parameter.Value ?? '', options.catalogue);
      if (!result.ok) throw new InvalidStoredSubscriptionError(name, result.errors);
      const changed: Subscription = { ...result.subscription, enabled };
      // SSM has no conditional write: a change that lands after the reads above and before this
      // write is overwritten: the window runs from SSM answering the reads to it receiving this
      // write, about one round trip. A rotation inside it is lost (its new secret with it).
      // Tags survive an overwrite, as do parameter policies ("updating a parameter doesn't affect"
      // them): https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-policies.html
      const { Version } = await client.send(new PutParameterCommand({
        Name: full,
        Value: JSON.stringify(subscriptionValue(changed)),
        Type: parameter.Type,
        Overwrite: true,
        ...(parameter.Type === 'SecureString' && metadata.KeyId !== undefined && { KeyId: metadata.KeyId }),
        ...(metadata.Tier !== undefined && { Tier: metadata.Tier }),
        ...(metadata.Description !== undefined && { Description: metadata.Description }),
        ...(metadata.AllowedPattern !== undefined && { AllowedPattern: metadata.AllowedPattern }),
        ...(metadata.DataType !== undefined && { DataType: metadata.DataType }),
      }));
      return { outcome: 'written', subscription: Version === undefined ? changed : { ...changed, version: Version } };
    },
  };
  return store;
}

/** SDK errors are matched by name, so that one raised by another copy of the SDK, or a test double, is recognised too. */
function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
