import { paginateGetParametersByPath } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { PutParameterInput } from '../../local/apply-put';
import type { SoakSubscription } from './soak-plan';

/** Every soak delivery times out after this (the smallest `timeoutMs` a subscription may set). */
export const SOAK_TIMEOUT_MS = 1000;

/**
 * The run's subscriptions as the parameters users would write: one each under `path`, SecureString
 * when it holds a secret. The soak stack starts with them stored (`startSoakStack`), so that a scale
 * run's thousands of subscriptions take no PutParameter each.
 */
export function subscriptionParameters(path: string, subscriptions: readonly SoakSubscription[], urlOf: (name: string) => string): PutParameterInput[] {
  return subscriptions.map((subscription) => {
    const value = {
      url: urlOf(subscription.name),
      events: subscription.events,
      enabled: subscription.enabled,
      timeoutMs: SOAK_TIMEOUT_MS,
      description: `soak receiver: ${subscription.behaviour.kind}`,
      ...(subscription.secret !== undefined && { secret: subscription.secret }),
      ...(subscription.filter !== undefined && { filter: subscription.filter }),
    };
    return { name: `${path}/${subscription.name}`, value: JSON.stringify(value), type: subscription.secret === undefined ? 'String' : 'SecureString' };
  });
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
