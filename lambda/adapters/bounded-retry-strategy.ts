/**
 * The SDK's retry strategy, reduced to a fixed budget (docs/design.md §5): at most `maxAttempts`
 * attempts of throttled, transient or server errors, a fixed pause between them, and no longer
 * pause on a `Retry-After` hint, so that one call never takes more than `AWS_CALL_MAX_MS`. The
 * SDK's standard strategy backs off up to 20 s and honours hints up to 5 s more.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */

/** The SDK's error classification (`RetryErrorType` of @smithy/types). */
type RetryErrorType = 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';

/** The token the SDK's retry middleware reads (`RetryToken` of @smithy/types). */
export interface BoundedRetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/** The SDK's `RetryStrategyV2`, structurally (the SDK's own types come with it, undeclared here). */
export interface BoundedRetryStrategy {
  acquireInitialRetryToken(scope: string): Promise<BoundedRetryToken>;
  refreshRetryTokenForRetry(token: BoundedRetryToken, errorInfo: { readonly errorType: RetryErrorType }): Promise<BoundedRetryToken>;
  recordSuccess(token: BoundedRetryToken): void;
}

const RETRYABLE: ReadonlySet<RetryErrorType> = new Set(['TRANSIENT', 'THROTTLING', 'SERVER_ERROR']);

/** A strategy making at most `maxAttempts` attempts, `delayMs` apart. */
export function boundedRetryStrategy(maxAttempts: number, delayMs: number): BoundedRetryStrategy {
  const token = (count: number, delay: number): BoundedRetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    async refreshRetryTokenForRetry(previous, { errorType }) {
      const count = previous.getRetryCount() + 1;
      if (count >= maxAttempts || !RETRYABLE.has(errorType)) throw new Error(`no retry left (attempt ${count} of ${maxAttempts}, ${errorType})`);
      return token(count, delayMs);
    },
    recordSuccess: () => undefined,
  };
}
