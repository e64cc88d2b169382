import { randomBytes } from 'node:crypto';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';

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
 * Subscribes the demo receiver to every event (`*`) with a freshly generated secret, as a
 * SecureString, replacing a `demo` subscription left by an earlier run. Resolves with its parameter name.
 */
export async function subscribeDemo(options: DemoSubscriptionOptions): Promise<string> {
  const name = `${options.path}/${DEMO_SUBSCRIPTION}`;
  const value = {
    url: `${options.receiverUrl}/${DEMO_SUBSCRIPTION}`,
    events: ['*'],
    secret: `whsec_${randomBytes(32).toString('base64')}`,
    description: 'the local demo receiver (npm start -- --demo)',
  };
  await options.ssm.send(new PutParameterCommand({ Name: name, Type: 'SecureString', Value: JSON.stringify(value), Overwrite: true }));
  return name;
}
