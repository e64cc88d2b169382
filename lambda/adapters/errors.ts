/** Errors of the adapters. Each sets `name` and wraps its cause. */

/**
 * The target guard refused a connection (docs/design.md §6). Carries the rule so that a sender can report
 * a permanent `refused` result; `code` lets node:net callers treat it like a lookup error.
 */
export class TargetRefusedError extends Error {
  readonly code = 'ETARGETREFUSED';

  constructor(
    readonly rule: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TargetRefusedError';
  }
}

/** A target's host name could not be resolved: a DNS failure, retryable like any network error. */
export class TargetResolutionError extends Error {
  constructor(
    readonly hostname: string,
    /** The resolver's error code, e.g. `ENOTFOUND`, `EAI_AGAIN`. */
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(`could not resolve ${hostname} (${code})`, options);
    this.name = 'TargetResolutionError';
  }
}
