import { SUBSCRIPTION_NAME_PATTERN } from '../lambda/core/subscriptions/subscriptions';
import type { SubscriptionSecret } from './demo-receiver';
import { SsmError } from './errors';
import type { ParameterStore } from './parameter-store';

/**
 * Whether subscription `name` exists under `path` in the store, and its secret if it has one.
 * A value that is not a JSON object counts as a subscription without a secret.
 */
export function subscriptionSecret(store: ParameterStore, path: string, name: string): SubscriptionSecret {
  if (!SUBSCRIPTION_NAME_PATTERN.test(name)) return { exists: false };
  let value: string;
  try {
    value = store.get(`${path}/${name}`, true).value;
  } catch (error) {
    if (error instanceof SsmError && error.code === 'ParameterNotFound') return { exists: false };
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(value);
    const secret = typeof parsed === 'object' && parsed !== null ? (parsed as { secret?: unknown }).secret : undefined;
    return typeof secret === 'string' ? { exists: true, secret } : { exists: true };
  } catch {
    return { exists: true };
  }
}
