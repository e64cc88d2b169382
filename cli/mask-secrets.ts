import { SECRET_IN_TEXT } from '../lambda/core/subscriptions/subscriptions';

/**
 * Masking of secrets in everything the CLI prints (docs/design.md §6: secrets are never printed after
 * creation). A secret shows as `whsec_…` plus its last four characters, enough to tell two apart.
 */

/** Value keys that hold a credential: the signing secrets and PagerDuty's routing key. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['secret', 'previousSecret', 'routingKey']);

/** Header names whose values are credentials (`Authorization: Bearer …`, API keys, cookies). */
const SENSITIVE_HEADER = /authorization|token|secret|password|passwd|api[-_]?key|cookie|credential|signature|session/i;


/** `whsec_…ab12` for a secret, `****` when it is too short to reveal even its end. */
export function maskSecret(secret: string): string {
  const prefix = secret.startsWith('whsec_') ? 'whsec_' : '';
  const rest = secret.slice(prefix.length);
  return rest.length >= 16 ? `${prefix}…${rest.slice(-4)}` : `${prefix}****`;
}

/** Whether a header's value is a credential and so printed as `****`. */
export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

/**
 * A copy of a subscription value (or any parsed parameter value) with secrets masked and the
 * values of credential headers replaced by `****`.
 */
export function maskSubscriptionValue<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const masked: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (SECRET_KEYS.has(key) && typeof field === 'string') masked[key] = maskSecret(field);
    else if (SECRET_KEYS.has(key) && field !== undefined) masked[key] = '****';
    else if (key === 'headers' && typeof field === 'object' && field !== null && !Array.isArray(field)) masked[key] = maskHeaders(field);
    else masked[key] = field;
  }
  return masked as T;
}

/** Header values with credentials replaced by `****`. */
export function maskHeaders(headers: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, isSensitiveHeader(name) ? '****' : value]));
}

/** Free text (an error about a stored value, say) with anything secret-shaped masked. */
export function scrubSecrets(text: string): string {
  return text.replace(SECRET_IN_TEXT, (secret) => maskSecret(secret));
}

/**
 * A parsed parameter value ready to print: {@link maskSubscriptionValue}, then anything
 * secret-shaped left anywhere (a misspelt key, a value that is not an object) masked too.
 */
export function maskForDisplay(value: unknown): unknown {
  return JSON.parse(scrubSecrets(JSON.stringify(maskSubscriptionValue(value)) ?? 'null')) as unknown;
}
