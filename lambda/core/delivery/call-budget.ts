/**
 * How long one call to SQS or SSM may take (docs/design.md §5): the handler configures its SDK
 * clients with these bounds, and the core keeps that much time before the invocation's deadline
 * to settle what it started. Without them a stalled call could outlive the invocation, and SQS
 * would redeliver records that are still being worked on.
 */
export const AWS_CALL_BUDGET = {
  /** Attempts per call, the first included (the SDK's own retries). */
  maxAttempts: 2,
  /** Per attempt, from the request's start (socket, connection and response headers included). */
  requestTimeoutMs: 1500,
  /** Per attempt, to establish the connection (within the request timeout). */
  connectionTimeoutMs: 1000,
  /** The pause before a retry. */
  retryDelayMs: 100,
} as const;

/** The longest one call to SQS or SSM can take under {@link AWS_CALL_BUDGET}: every attempt timing out, with the pauses between them. */
export const AWS_CALL_MAX_MS = AWS_CALL_BUDGET.maxAttempts * AWS_CALL_BUDGET.requestTimeoutMs + (AWS_CALL_BUDGET.maxAttempts - 1) * AWS_CALL_BUDGET.retryDelayMs;

/**
 * Time kept before the invocation's deadline to settle the deliveries already made: one round of
 * SQS sends (they run concurrently, so a round takes one call's time at most) plus slack for the
 * event loop. No delivery starts unless its timeout and this margin fit before the deadline.
 */
export const SETTLE_MARGIN_MS = AWS_CALL_MAX_MS + 400;
