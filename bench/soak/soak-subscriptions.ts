import { PutParameterCommand, paginateGetParametersByPath } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SoakSubscription } from './soak-plan';

/** Every soak delivery times out after this (the smallest `timeoutMs` a subscription may set). */
export const SOAK_TIMEOUT_MS = 1000;

/** Writes the run's subscriptions to SSM as users would: one parameter each, SecureString when it holds a secret. */
export async function storeSubscriptions(
  client: SSMClient,
  path: string,
  subscriptions: readonly SoakSubscription[],
  urlOf: (name: string) => string,
): Promise<void> {
  for (const subscription of subscriptions) {
    const value = {
      url: urlOf(subscription.name),
      events: subscription.events,
      enabled: subscription.enabled,
      timeoutMs: SOAK_TIMEOUT_MS,
      description: `soak receiver: ${subscription.behaviour.kind}`,
      ...(subscription.secret !== undefined && { secret: subscription.secret }),
    };
    await client.send(
      new PutParameterCommand({
        Name: `${path}/${subscription.name}`,
        Value: JSON.stringify(value),
        Type: subscription.secret === undefined ? 'String' : 'SecureString',
        Overwrite: true,
      }),
    );
  }
}

/** The names of the subscriptions stored with `enabled: false`. */
export async function disabledSubscriptions(client: SSMClient, path: string): Promise<Set<string>> {
  const disabled = new Set<string>();
  for await (const page of paginateGetParametersByPath({ client }, { Path: path, WithDecryption: true })) {
    for (const parameter of page.Parameters ?? []) {
      const value = JSON.parse(parameter.Value ?? '{}') as { enabled?: boolean };
      if (value.enabled === false) disabled.add((parameter.Name ?? '').slice(path.length + 1));
    }
  }
  return disabled;
}
