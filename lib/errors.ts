/** Errors of publishing events (`publishEvent`, `publishEvents`). Each wraps its cause. */
import { PlatformWebhooksError } from '../lambda/core/errors';

/** An event breaks a rule of the envelope (docs/design.md §1); nothing was sent. */
export class InvalidEventError extends PlatformWebhooksError {
  override name = 'InvalidEventError';
}

/** One event SQS did not take, by its position in the list given to `publishEvents`. */
export interface UnpublishedEvent {
  readonly index: number;
  /** What SQS or the SDK said, e.g. `InternalError: …`. */
  readonly error: string;
}

/**
 * Some events of a `publishEvents` call were not published; every other one was. Publish the
 * events at `unpublished[].index` again: with their own `id`, receivers de-duplicate them
 * (docs/design.md §3).
 */
export class PublishEventsError extends PlatformWebhooksError {
  override name = 'PublishEventsError';
  readonly unpublished: readonly UnpublishedEvent[];

  constructor(message: string, unpublished: readonly UnpublishedEvent[], options?: ErrorOptions) {
    super(message, options);
    this.unpublished = unpublished;
  }
}
