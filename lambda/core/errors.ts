/**
 * The one error vocabulary of platform-webhooks: every area's errors (core, adapters, CLI, CDK app,
 * local stack) extend {@link PlatformWebhooksError}, wrap what caused them with `{ cause }`, and are
 * described by {@link describeError}. Each class declares its `name` as a field, so it survives the
 * function bundle's minification.
 */

/** The base of every error this project throws. */
export class PlatformWebhooksError extends Error {
  override name = 'PlatformWebhooksError';
}

/** No subscriptions could be loaded, not even a stale copy. The record is retried by SQS. */
export class SubscriptionSourceError extends PlatformWebhooksError {
  override name = 'SubscriptionSourceError';
}

/** A record could not be settled (a delivery neither done, re-enqueued, dropped nor dead-lettered). */
export class SettlementError extends PlatformWebhooksError {
  override name = 'SettlementError';
}

/** The environment does not form a valid configuration. */
export class ConfigurationError extends PlatformWebhooksError {
  override name = 'ConfigurationError';
}

/** How many causes {@link describeError} follows before it stops (a cycle or a very deep chain). */
const MAX_CAUSES = 8;

/**
 * One line for anything thrown: `Name: message`, then each cause in turn (`; caused by Name:
 * message`), the errors of an AggregateError in brackets. A name of plain `Error` is left out.
 * Duck-typed, as errors from node core may come from another realm (e.g. under jest) and fail
 * `instanceof Error`. Never throws.
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES && current !== undefined; depth++) {
    parts.push(describeOne(current));
    current = isErrorLike(current) ? current.cause : undefined;
  }
  return parts.join('; caused by ');
}

function describeOne(error: unknown): string {
  if (!isErrorLike(error)) return safeString(error);
  const head = error.name === 'Error' || error.name === '' ? error.message : `${error.name}: ${error.message}`;
  const errors = (error as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return head;
  const shown = errors.slice(0, 3).map(describeOne);
  const more = errors.length > shown.length ? `, and ${errors.length - shown.length} more` : '';
  return `${head} [${shown.join('; ')}${more}]`;
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string';
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
