/** Errors of the delivery core. Each sets `name` and wraps its cause. */

/** No subscriptions could be loaded, not even a stale copy. The record is retried by SQS. */
export class SubscriptionSourceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SubscriptionSourceError';
  }
}

/** A record could not be settled (a delivery neither done, re-enqueued, dropped nor dead-lettered). */
export class SettlementError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SettlementError';
  }
}

/** The environment does not form a valid configuration. */
export class ConfigurationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}
