/** Errors of the `webhooks` CLI. Each sets `name`; the message is what the user reads after `error: `. */
import { PlatformWebhooksError } from '../lambda/core/errors';

/** Exit codes of the CLI (documented in the README, "Output, secrets and exit codes"). */
export const EXIT_CODES = { ok: 0, error: 1, usage: 2, warning: 3 } as const;

/**
 * An error the CLI reports to the user: one `error: …` line per entry of `lines`, no stack trace,
 * and `exitCode` (1 unless a subclass says otherwise).
 */
export class CliError extends PlatformWebhooksError {
  override name = 'CliError';

  readonly lines: readonly string[];
  readonly exitCode: number = EXIT_CODES.error;

  constructor(lines: string | readonly string[], options?: ErrorOptions) {
    const all = typeof lines === 'string' ? [lines] : lines;
    super(all.join('\n'), options);
    this.lines = all;
  }
}

/**
 * The command did its work and printed `warning: …` lines that call for action (`webhooks test
 * --verify` found a receiver that accepts what it should refuse). Exit code 3; it prints nothing more.
 */
export class WarningExit extends CliError {
  override readonly exitCode: number = EXIT_CODES.warning;

  constructor() {
    super([]);
    this.name = 'WarningExit';
  }
}

/** The command line itself is wrong: a bad option value or a missing choice. Exit code 2. */
export class UsageError extends CliError {
  override name = 'UsageError';
  override readonly exitCode: number = EXIT_CODES.usage;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** A subscription (from options or a file) failed validation; `lines` holds every problem. */
export class SubscriptionValidationError extends CliError {
  override name = 'SubscriptionValidationError';

  constructor(lines: readonly string[]) {
    super(lines);
  }
}

/** A named subscription does not exist under the path. */
export class SubscriptionNotFoundError extends CliError {
  override name = 'SubscriptionNotFoundError';

  constructor(name: string, path: string, options?: ErrorOptions) {
    super(`subscription "${name}" does not exist under ${path}; run "webhooks list" to see the subscriptions there`, options);
  }
}

/** The deployment config file (webhooks.yaml) cannot be read or is invalid; `lines` holds every problem. */
export class DeploymentConfigError extends CliError {
  override name = 'DeploymentConfigError';

  constructor(lines: string | readonly string[], options?: ErrorOptions) {
    super(lines, options);
  }
}

/** Some changes of an apply could not be written; `lines` names each failure. */
export class DeploymentApplyError extends CliError {
  override name = 'DeploymentApplyError';

  constructor(lines: readonly string[], options?: ErrorOptions) {
    super(lines, options);
  }
}

/** A queue URL, stack output or other AWS-side setting could not be resolved. */
export class ResolutionError extends CliError {
  override name = 'ResolutionError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** What answered at the endpoint is not AWS (nor the local stack): the SDK could not read its answer. */
export class ForeignEndpointError extends CliError {
  override name = 'ForeignEndpointError';

  constructor(endpoint: string, status: number | undefined, detail: string, options?: ErrorOptions) {
    super(
      `${endpoint} answered ${status === undefined ? '' : `HTTP ${status} `}with something that is not an AWS response (${detail}); ` +
        'check --endpoint-url / AWS_ENDPOINT_URL: the local stack\'s endpoint is the one "npm start" prints, and AWS needs none',
      options,
    );
  }
}
