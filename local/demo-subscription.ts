import { randomBytes } from 'node:crypto';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { createSubscriptionStore } from '../lambda/adapters/subscription-store';
import type { Subscription } from '../lambda/core/subscriptions/subscriptions';

/** The subscription `npm start -- --demo` writes. */
export const DEMO_SUBSCRIPTION = 'demo';

export interface DemoSubscriptionOptions {
  readonly ssm: SSMClient;
  /** The subscriptions path, e.g. `/platform-webhooks/subscriptions`. */
  readonly path: string;
  /** The receiver's base URL; the subscription targets `<receiverUrl>/demo`. */
  readonly receiverUrl: string;
}

/**
 * Subscribes the demo receiver to every event (`*`) with a freshly generated secret, stored as the
 * store's default (SecureString), replacing a `demo` subscription left by an earlier run. Resolves with its parameter name.
 */
export async function subscribeDemo(options: DemoSubscriptionOptions): Promise<string> {
  const store = createSubscriptionStore({ client: options.ssm, path: options.path });
  const subscription: Subscription = {
    name: DEMO_SUBSCRIPTION,
    url: `${options.receiverUrl}/${DEMO_SUBSCRIPTION}`,
    events: ['*'],
    secret: `whsec_${randomBytes(32).toString('base64')}`,
    format: 'standard',
    headers: {},
    enabled: true,
    description: 'the local demo receiver (npm start -- --demo)',
  };
  await store.put(subscription, { overwrite: true });
  return `${store.path}/${DEMO_SUBSCRIPTION}`;
}
