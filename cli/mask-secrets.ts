import { MASK, PRESENTATIONS, maskSecret as maskWith, redactHeaders, redactText, redactUrl } from '../lambda/core/secrets/redaction';

/**
 * What the CLI prints of a subscription (docs/design.md §6: secrets are never printed after
 * creation; README "Security model", What is masked): every table, `show`, the `apply` plan,
 * `test` and the `--json` documents go through these. The rule is the function's own
 * (`lambda/core/secrets/redaction.ts`), in its `hint` presentation: a secret shows as `whsec_…`
 * plus its last four characters, enough for its owner to tell two apart. Only `show --reveal`
 * prints a stored value as it is.
 */

/** Value keys that hold a credential: the signing secrets and PagerDuty's routing key. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['secret', 'previousSecret', 'routingKey']);

/** `whsec_…ab12` for a secret, `whsec_****` when it is too short to reveal even its end. */
export function maskSecret(secret: string): string {
  return maskWith(secret, PRESENTATIONS.hint);
}

/**
 * A webhook URL as the CLI shows it: scheme, host, port and path, with query values, any
 * `user:password@`, the fragment and the path of credential hosts masked
 * (`https://hooks.slack.com/services/****`).
 */
export function maskUrl(url: string): string {
  return redactUrl(url);
}

/**
 * A copy of a subscription value (or any parsed parameter value) with secrets masked, every
 * header value replaced by `****` and the URL redacted.
 */
export function maskSubscriptionValue<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const masked: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (SECRET_KEYS.has(key) && typeof field === 'string') masked[key] = maskSecret(field);
    else if (SECRET_KEYS.has(key) && field !== undefined) masked[key] = MASK;
    else if (key === 'headers' && typeof field === 'object' && field !== null && !Array.isArray(field)) masked[key] = maskHeaders(field);
    else if (key === 'url' && typeof field === 'string') masked[key] = maskUrl(field);
    else masked[key] = field;
  }
  return masked as T;
}

/** Headers with every value replaced by `****`: header values are never shown. */
export function maskHeaders(headers: object): Record<string, string> {
  return redactHeaders(headers as Record<string, unknown>);
}

/** Free text (an error about a stored value, say) with anything secret-shaped masked. */
export function scrubSecrets(text: string): string {
  return redactText(text, PRESENTATIONS.hint);
}

/**
 * A parsed parameter value ready to print: {@link maskSubscriptionValue}, then anything
 * secret-shaped left anywhere (a misspelt key, a value that is not an object) masked too.
 */
export function maskForDisplay(value: unknown): unknown {
  return JSON.parse(scrubSecrets(JSON.stringify(maskSubscriptionValue(value)) ?? 'null')) as unknown;
}
