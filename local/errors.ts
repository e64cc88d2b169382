/**
 * Errors of the local SSM Parameter Store stand-in.
 *
 * An {@link SsmError} travels over the wire as HTTP 400 `{"__type": code, "message": …}`;
 * `@aws-sdk/client-ssm` reads `__type` and raises the exception class of that name
 * (`ParameterNotFound`, `ParameterAlreadyExists`, `ValidationException`, …).
 */
export class SsmError extends Error {
  /** SSM's error code, sent as `__type`. */
  readonly code: string;
  /** HTTP status of the error response; SSM answers client errors with 400. */
  readonly statusCode: number = 400;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SsmError';
    this.code = code;
  }
}

/** The named parameter does not exist (`ParameterNotFound`). */
export class ParameterNotFoundError extends SsmError {
  constructor(parameterName: string) {
    super('ParameterNotFound', `Parameter ${parameterName} not found.`);
    this.name = 'ParameterNotFoundError';
  }
}

/** PutParameter without `Overwrite` on an existing name (`ParameterAlreadyExists`). */
export class ParameterAlreadyExistsError extends SsmError {
  constructor(parameterName: string) {
    super(
      'ParameterAlreadyExists',
      `Parameter ${parameterName} already exists. To overwrite its value, set Overwrite to true.`,
    );
    this.name = 'ParameterAlreadyExistsError';
  }
}

/** A request member breaks one of SSM's constraints (`ValidationException`). */
export class SsmValidationError extends SsmError {
  constructor(message: string) {
    super('ValidationException', message);
    this.name = 'SsmValidationError';
  }
}

/** A parameter name nests deeper than SSM's 15 levels (`HierarchyLevelLimitExceededException`). */
export class HierarchyLevelLimitExceededError extends SsmError {
  constructor(message: string) {
    super('HierarchyLevelLimitExceededException', message);
    this.name = 'HierarchyLevelLimitExceededError';
  }
}

/** A `NextToken` this stand-in did not issue (`InvalidNextToken`). */
export class InvalidNextTokenError extends SsmError {
  constructor() {
    super('InvalidNextToken', 'The NextToken is not valid; pass the NextToken of the previous page unchanged.');
    this.name = 'InvalidNextTokenError';
  }
}

/** An injected fault, shaped like SSM's rate limiting (`ThrottlingException`). */
export class ThrottlingError extends SsmError {
  constructor() {
    super('ThrottlingException', 'Rate exceeded');
    this.name = 'ThrottlingError';
  }
}

/** The request names no operation, or one this stand-in does not implement. */
export class UnknownOperationError extends SsmError {
  constructor(message: string) {
    super('UnknownOperationException', message);
    this.name = 'UnknownOperationError';
  }
}

/** The request body is not a JSON object, or a member has the wrong JSON type. */
export class SerializationError extends SsmError {
  constructor(message: string) {
    super('SerializationException', message);
    this.name = 'SerializationError';
  }
}

/** The data file cannot be read, parsed or written; never sent over the wire as such. */
export class ParameterDataFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ParameterDataFileError';
  }
}
