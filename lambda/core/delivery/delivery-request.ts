import type { PlatformEvent } from '../inbound/events';
import type { DeliveryRequest } from '../ports';
import { sign } from './signature';
import type { Subscription } from '../subscriptions/subscriptions';

/** Default per-attempt timeout for subscriptions without `timeoutMs` (docs/design.md §2). */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

/** The body of format `standard` (docs/design.md §3). Built once per event and shared by its deliveries. */
export function standardBody(event: PlatformEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, timestamp: event.timestamp, data: event.data });
}

export interface AttemptFacts {
  readonly deliveryId: string;
  readonly attempt: number;
  /** Epoch milliseconds of this attempt; `webhook-timestamp` is its unix seconds. */
  readonly now: number;
  readonly userAgent: string;
  readonly defaultTimeoutMs: number;
}

/** The signed request of one attempt (docs/design.md §3): Standard Webhooks headers plus the subscription's own. */
export function buildRequest(subscription: Subscription, event: PlatformEvent, body: string, facts: AttemptFacts): DeliveryRequest {
  const timestamp = Math.floor(facts.now / 1000);
  const headers: Record<string, string> = {
    ...subscription.headers,
    'content-type': 'application/json',
    'user-agent': facts.userAgent,
    'webhook-id': facts.deliveryId,
    'webhook-timestamp': String(timestamp),
    'webhook-event': event.type,
    'webhook-attempt': String(facts.attempt),
  };
  const secrets = signingSecrets(subscription, facts.now);
  if (secrets.length > 0) headers['webhook-signature'] = sign(secrets, facts.deliveryId, timestamp, body);
  return { url: subscription.url, headers, body, timeoutMs: subscription.timeoutMs ?? facts.defaultTimeoutMs };
}

/**
 * The secrets that sign an attempt at `now` (epoch milliseconds): the subscription's `secret`, then,
 * during a rotation, its `previousSecret` until `previousSecretExpiresAt` (exclusive). Both
 * signatures go in one `webhook-signature` header, space-separated, as Standard Webhooks allows,
 * so a receiver holding either secret verifies. Empty without a secret.
 */
export function signingSecrets(subscription: Subscription, now: number): string[] {
  const { secret, previousSecret, previousSecretExpiresAt } = subscription;
  if (secret === undefined) return [];
  const previousSigns = previousSecret !== undefined && (previousSecretExpiresAt === undefined || now < Date.parse(previousSecretExpiresAt));
  return previousSigns ? [secret, previousSecret] : [secret];
}
