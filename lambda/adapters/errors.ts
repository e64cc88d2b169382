/** Errors of the adapters. Each sets `name` and wraps its cause. */
import { PlatformWebhooksError } from '../core/errors';

/**
 * The target guard refused a connection (docs/design.md §6). Carries the rule so that a sender can report
 * a permanent `refused` result; `code` lets node:net callers treat it like a lookup error.
 */
export class TargetRefusedError extends PlatformWebhooksError {
  override name = 'TargetRefusedError';

  readonly code = 'ETARGETREFUSED';

  constructor(
    readonly rule: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A target's host name could not be resolved: a DNS failure, retryable like any network error. */
export class TargetResolutionError extends PlatformWebhooksError {
  override name = 'TargetResolutionError';

  constructor(
    readonly hostname: string,
    /** The resolver's error code, e.g. `ENOTFOUND`, `EAI_AGAIN`. */
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(`could not resolve ${hostname} (${code})`, options);
  }
}

/** A call to the subscription store did not finish before its deadline; nothing was waited for past it. */
export class DeadlineExceededError extends PlatformWebhooksError {
  override name = 'DeadlineExceededError';

  constructor(
    /** What was being done, e.g. `GetParametersByPath under /platform-webhooks/subscriptions`. */
    readonly operation: string,
    /** Epoch milliseconds. */
    readonly deadline: number,
    options?: ErrorOptions,
  ) {
    super(`${operation} did not finish before the deadline ${new Date(deadline).toISOString()}`, options);
  }
}

/** SSM refused the NextToken a listing was resumed from (tokens expire): the listing must start over. */
export class PageTokenRefusedError extends PlatformWebhooksError {
  override name = 'PageTokenRefusedError';

  constructor(path: string, options?: ErrorOptions) {
    super(`SSM refused the NextToken saved while listing ${path}; the listing starts over from the first page`, options);
  }
}

/** A subscription was written without `overwrite` but its parameter already exists. */
export class SubscriptionExistsError extends PlatformWebhooksError {
  override name = 'SubscriptionExistsError';

  constructor(
    readonly subscription: string,
    parameterName: string,
    options?: ErrorOptions,
  ) {
    super(`subscription "${subscription}" already exists (${parameterName}); write it with overwrite to replace it`, options);
  }
}

/** A stored subscription could not be rewritten because its stored value is not a valid subscription. */
export class InvalidStoredSubscriptionError extends PlatformWebhooksError {
  override name = 'InvalidStoredSubscriptionError';

  constructor(
    readonly subscription: string,
    readonly errors: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`subscription "${subscription}" is stored with an invalid value, so it was not rewritten: ${errors.join('; ')}`, options);
  }
}
