/**
 * The codes the local Parameter Store answers with, each SSM's own, so that `@aws-sdk/client-ssm`
 * raises the exception class of that name (`ParameterNotFound`, `ValidationException`, …).
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/CommonErrors.html
 */
import { PlatformWebhooksError } from '../lambda/core/errors';
export type SsmErrorCode =
  | 'ParameterNotFound' | 'ParameterVersionNotFound' | 'ParameterAlreadyExists' | 'HierarchyLevelLimitExceededException'
  | 'ParameterPatternMismatchException' | 'InvalidAllowedPatternException' | 'InvalidNextToken' | 'ThrottlingException'
  | 'InvalidResourceId' | 'InvalidResourceType' | 'TooManyTagsError'
  | 'ValidationException' | 'SerializationException' | 'UnknownOperationException';

/**
 * An error of the local Parameter Store, sent over the wire as HTTP 400
 * `{"__type": code, "message": …}`. Its message never quotes a parameter value.
 */
export class SsmError extends PlatformWebhooksError {
  override name = 'SsmError';

  /** HTTP status of the error response; SSM answers client errors with 400. */
  readonly statusCode = 400;

  constructor(
    readonly code: SsmErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A ValidationException: a request member breaks one of SSM's constraints. */
export function invalid(message: string): SsmError {
  return new SsmError('ValidationException', message);
}

/** The data file cannot be read, parsed or written; never sent over the wire as such. */
export class ParameterDataFileError extends PlatformWebhooksError {
  override name = 'ParameterDataFileError';
}

/**
 * The codes the local CloudWatch Logs stand-in answers with, each CloudWatch Logs' own, so that
 * `@aws-sdk/client-cloudwatch-logs` raises the exception class of that name.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/CommonErrors.html
 */
export type LogsErrorCode =
  | 'ResourceNotFoundException' | 'ResourceAlreadyExistsException' | 'InvalidParameterException'
  | 'SerializationException' | 'UnknownOperationException';

/** An error of the local CloudWatch Logs stand-in, sent over the wire as HTTP 400 `{"__type": code, "message": …}`. */
export class LogsError extends Error {
  readonly statusCode = 400;

  constructor(
    readonly code: LogsErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'LogsError';
  }
}

/** The log data file cannot be read or written; never sent over the wire as such. */
export class LogDataFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LogDataFileError';
  }
}
