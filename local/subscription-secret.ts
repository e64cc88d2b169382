import type { SubscriptionStore } from '../lambda/adapters/subscription-store';
import type { SubscriptionSecret } from './demo-receiver';

/**
 * Whether subscription `name` exists in the store, and its secret if it has one. A stored value
 * that is not a valid subscription still counts, with the `secret` string of its JSON object if any.
 */
export async function subscriptionSecret(store: SubscriptionStore, name: string): Promise<SubscriptionSecret> {
  const stored = await store.get(name);
  if (stored === undefined) return { exists: false };
  const secret = stored.result.ok ? stored.result.subscription.secret : secretOf(stored.raw);
  return secret === undefined ? { exists: true } : { exists: true, secret };
}

function secretOf(raw: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    const secret = typeof parsed === 'object' && parsed !== null ? (parsed as { secret?: unknown }).secret : undefined;
    return typeof secret === 'string' ? secret : undefined;
  } catch {
    return undefined;
  }
}
