/** Errors of the CDK app. Each sets `name` and wraps its cause. */

/** A `-c key=value` context value (or a `cdk.json` context entry) is not valid. */
export class InvalidContextError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidContextError';
  }
}

/** Props passed to a construct of this app are not valid. */
export class InvalidPropsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidPropsError';
  }
}
