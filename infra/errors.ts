/** Errors of the CDK app. Each sets `name` and wraps its cause. */
import { PlatformWebhooksError } from '../lambda/core/errors';

/** A `-c key=value` context value (or a `cdk.json` context entry) is not valid. */
export class InvalidContextError extends PlatformWebhooksError {
  override name = 'InvalidContextError';
}

/** Props passed to a construct of this app are not valid. */
export class InvalidPropsError extends PlatformWebhooksError {
  override name = 'InvalidPropsError';
}

/** The function's pre-built code is not where the construct deploys it from (an unbuilt checkout). */
export class MissingHandlerCodeError extends PlatformWebhooksError {
  override name = 'MissingHandlerCodeError';
}
