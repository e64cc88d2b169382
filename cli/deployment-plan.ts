import { subscriptionValue } from '../lambda/core/subscriptions/subscriptions';
import type { Subscription } from '../lambda/core/subscriptions/subscriptions';
import { maskSecret, scrubSecrets, SECRET_KEYS } from './mask-secrets';
import { parameterTypeFor } from './subscription-store';
import type { StoredSubscription, StoredType } from './subscription-store';

/** One field that differs; `from`/`to` are printable (secrets masked, header values hidden). */
export interface FieldChange {
  readonly field: string;
  readonly from: string;
  readonly to: string;
  /** The values are not shown (a credential header): only that it changed. */
  readonly hidden?: boolean;
}

/** What an apply does with one subscription name. */
export type PlannedChange =
  | { readonly kind: 'create'; readonly name: string; readonly subscription: Subscription; readonly type: StoredType; readonly fields: readonly FieldChange[] }
  | {
      readonly kind: 'update';
      readonly name: string;
      readonly subscription: Subscription;
      readonly type: StoredType;
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
 * Pure: the plan of `apply`, printed as the diff and then executed.
 */
export function planDeployment(current: readonly StoredSubscription[], desired: readonly Subscription[], prune: boolean): PlannedChange[] {
  const stored = new Map(current.map((entry) => [entry.name, entry]));
  const declared = new Set(desired.map((subscription) => subscription.name));
  const changes: PlannedChange[] = desired.map((declaredSubscription): PlannedChange => {
    const { name } = declaredSubscription;
    const existing = stored.get(name);
    const subscription = existing?.result.ok ? keepRotation(existing.result.subscription, declaredSubscription) : declaredSubscription;
    if (existing === undefined) {
      const type = parameterTypeFor(subscription);
      return { kind: 'create', name, subscription, type, fields: fieldChanges({}, subscriptionValue(subscription)) };
    }
    const type = parameterTypeFor(subscription, existing.type);
    if (!existing.result.ok) {
      const errors = existing.result.errors.map(scrubSecrets);
      return { kind: 'update', name, subscription, type, fields: fieldChanges({}, subscriptionValue(subscription)), invalid: errors };
    }
    const fields = fieldChanges(subscriptionValue(existing.result.subscription), subscriptionValue(subscription));
    if (existing.type !== type) fields.push({ field: 'parameter type', from: existing.type, to: type });
    return fields.length === 0 ? { kind: 'unchanged', name } : { kind: 'update', name, subscription, type, fields };
  });
  for (const entry of current) {
    if (!declared.has(entry.name)) changes.push({ kind: prune ? 'remove' : 'keep', name: entry.name });
  }
  return changes;
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
    const field = `headers.${name}`;
    // Header values are never shown (README "Security model", What is masked).
    const shown = (value: unknown) => (value === undefined ? ABSENT : '****');
    return [{ field, from: shown(before[name]), to: shown(after[name]), hidden: true }];
  });
}

function printable(field: string, value: unknown): string {
  if (value === undefined) return ABSENT;
  if (SECRET_KEYS.has(field)) return typeof value === 'string' ? maskSecret(value) : '****';
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
