import { subscriptionValue } from '../lambda/core/subscriptions/subscriptions';
import type { Subscription } from '../lambda/core/subscriptions/subscriptions';
import { maskSecret, maskUrl, scrubSecrets, SECRET_KEYS } from './mask-secrets';
import { DEFAULT_KMS_KEY_ID, SUBSCRIPTION_PARAMETER_TYPE } from './subscription-store';
import type { ParameterStorage, StoredSubscription, StoredType } from './subscription-store';

/** One field that differs; `from`/`to` are printable (secrets masked, header values hidden). */
export interface FieldChange {
  readonly field: string;
  readonly from: string;
  readonly to: string;
  /** The values are not shown (a credential header): only that it changed. */
  readonly hidden?: boolean;
}

/** One subscription the file declares, and the KMS key it names (its own, or `apply --kms-key-id`). */
export interface DeclaredSubscription {
  readonly subscription: Subscription;
  readonly kmsKeyId?: string;
}

/** What an apply does with one subscription name; a write's `kmsKeyId` is the declared key (none: the parameter keeps its own). */
export type PlannedChange =
  | { readonly kind: 'create'; readonly name: string; readonly subscription: Subscription; readonly type: StoredType; readonly kmsKeyId?: string; readonly fields: readonly FieldChange[] }
  | {
      readonly kind: 'update';
      readonly name: string;
      readonly subscription: Subscription;
      readonly type: StoredType;
      readonly kmsKeyId?: string;
      readonly fields: readonly FieldChange[];
      /** The stored value's errors, when it was invalid. */
      readonly invalid?: readonly string[];
    }
  | { readonly kind: 'unchanged'; readonly name: string }
  | { readonly kind: 'remove'; readonly name: string }
  /** Stored but not in the file, and kept because `prune` is off. */
  | { readonly kind: 'keep'; readonly name: string };

/** The order fields are listed in, as the design lists them; others follow. */
const FIELD_ORDER = ['url', 'events', 'filter', 'secret', 'previousSecret', 'previousSecretExpiresAt', 'format', 'routingKey', 'headers', 'enabled', 'description', 'timeoutMs'];

/** `(none)` for an absent field. */
export const ABSENT = '(none)';

/**
 * Compares what is stored with what the file declares (both normalized, so defaults compare equal).
 * Every subscription is written as a SecureString: a String parameter is rewritten as one, and a
 * declared key that differs from the stored one (`storage`, read for the subscriptions that
 * declare a key) is a change. Pure: the plan of `apply`, printed as the diff and then executed.
 */
export function planDeployment(
  current: readonly StoredSubscription[],
  desired: readonly DeclaredSubscription[],
  prune: boolean,
  storage: ReadonlyMap<string, ParameterStorage> = new Map(),
): PlannedChange[] {
  const stored = new Map(current.map((entry) => [entry.name, entry]));
  const declared = new Set(desired.map((entry) => entry.subscription.name));
  const type = SUBSCRIPTION_PARAMETER_TYPE;
  const changes: PlannedChange[] = desired.map(({ subscription: declaredSubscription, kmsKeyId }): PlannedChange => {
    const { name } = declaredSubscription;
    const existing = stored.get(name);
    const subscription = existing?.result.ok ? keepRotation(existing.result.subscription, declaredSubscription) : declaredSubscription;
    const key = kmsKeyId === undefined ? {} : { kmsKeyId };
    if (existing === undefined) {
      const fields = fieldChanges({}, subscriptionValue(subscription));
      if (kmsKeyId !== undefined) fields.push({ field: 'kmsKeyId', from: ABSENT, to: kmsKeyId });
      return { kind: 'create', name, subscription, type, ...key, fields };
    }
    const storageChanges = [
      ...(existing.type === type ? [] : [{ field: 'parameter type', from: existing.type, to: type }]),
      ...keyChange(storage.get(name), kmsKeyId),
    ];
    if (!existing.result.ok) {
      const errors = existing.result.errors.map(scrubSecrets);
      return { kind: 'update', name, subscription, type, ...key, fields: [...fieldChanges({}, subscriptionValue(subscription)), ...storageChanges], invalid: errors };
    }
    const fields = [...fieldChanges(subscriptionValue(existing.result.subscription), subscriptionValue(subscription)), ...storageChanges];
    return fields.length === 0 ? { kind: 'unchanged', name } : { kind: 'update', name, subscription, type, ...key, fields };
  });
  for (const entry of current) {
    if (!declared.has(entry.name)) changes.push({ kind: prune ? 'remove' : 'keep', name: entry.name });
  }
  return changes;
}

/** The key change of a stored parameter, when a key is declared and the parameter has another (or none: a String). */
function keyChange(current: ParameterStorage | undefined, declared: string | undefined): FieldChange[] {
  if (declared === undefined || current === undefined) return [];
  const from = current.type === 'SecureString' ? (current.kmsKeyId ?? DEFAULT_KMS_KEY_ID) : ABSENT;
  return from === declared ? [] : [{ field: 'kmsKeyId', from, to: declared }];
}

/**
 * A rotation started by `webhooks rotate-secret` (a previous secret still signing) survives an
 * apply as long as the file's secret is the stored current one: the file cannot name the previous
 * secret, and dropping it would break receivers not yet on the new one.
 */
function keepRotation(stored: Subscription, declared: Subscription): Subscription {
  if (stored.previousSecret === undefined || declared.secret === undefined || declared.secret !== stored.secret) return declared;
  return {
    ...declared,
    previousSecret: stored.previousSecret,
    ...(stored.previousSecretExpiresAt !== undefined && { previousSecretExpiresAt: stored.previousSecretExpiresAt }),
  };
}

/** The differing fields of two subscription values; headers compare header by header. */
export function fieldChanges(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): FieldChange[] {
  const changes: FieldChange[] = [];
  const rank = (key: string): number => (FIELD_ORDER.includes(key) ? FIELD_ORDER.indexOf(key) : FIELD_ORDER.length);
  for (const key of unionOfKeys(before, after).sort((a, b) => rank(a) - rank(b))) {
    if (key === 'headers') {
      changes.push(...headerChanges(asRecord(before.headers), asRecord(after.headers)));
    } else if (!equal(before[key], after[key])) {
      changes.push({ field: key, from: printable(key, before[key]), to: printable(key, after[key]) });
    }
  }
  return changes;
}

function headerChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  return unionOfKeys(before, after).flatMap((name) => {
    if (equal(before[name], after[name])) return [];
    // A header name can be a pasted credential: it is shown as the rule shows free text.
    const field = `headers.${scrubSecrets(name)}`;
    // Header values are never shown (README "Security model", What is masked).
    const shown = (value: unknown) => (value === undefined ? ABSENT : '****');
    return [{ field, from: shown(before[name]), to: shown(after[name]), hidden: true }];
  });
}

function printable(field: string, value: unknown): string {
  if (value === undefined) return ABSENT;
  if (SECRET_KEYS.has(field)) return typeof value === 'string' ? maskSecret(value) : '****';
  if (field === 'url' && typeof value === 'string') return JSON.stringify(maskUrl(value));
  return scrubSecrets(Array.isArray(value) ? `[${value.map((item) => JSON.stringify(item)).join(', ')}]` : JSON.stringify(value));
}

function unionOfKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}
