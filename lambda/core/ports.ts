/**
 * The I/O the core is given (design §5): it never imports the AWS SDK or opens a socket itself.
 * Adapters in `lambda/adapters/` implement these over SSM, SQS and HTTP; tests pass real local
 * servers or small fakes.
 */
import type { AttemptResult } from './delivery/outcome';
import type { DeadLetterRecord, DeliveryMessage } from './inbound/messages';
import type { SubscriptionIndex } from './subscriptions/subscription-index';

export interface SubscriptionSource {
  /**
   * The current subscriptions, possibly a cached copy.
   * @throws {SubscriptionSourceError} when no copy, fresh or stale, can be had.
   */
  load(): Promise<SubscriptionIndex>;
  /** Writes the subscription back with `enabled: false` (after HTTP 410). */
  disable(name: string): Promise<void>;
}

export interface DeliveryQueue {
  /** Sends a delivery message to the events queue, visible after `delaySeconds` (0–900). */
  enqueue(message: DeliveryMessage, delaySeconds: number): Promise<void>;
  /** Sends a dead-letter record to the DLQ. */
  deadLetter(record: DeadLetterRecord): Promise<void>;
}

export interface DeliveryRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

export interface HttpSender {
  /** POSTs once; never throws for network or HTTP failures, which are part of the result. */
  send(request: DeliveryRequest): Promise<AttemptResult>;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export type LogFields = Readonly<Record<string, unknown>>;

export interface Log {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const METRICS = {
  delivered: 'Delivered',
  failed: 'Failed',
  retried: 'Retried',
  deadLettered: 'DeadLettered',
  dropped: 'Dropped',
  deferred: 'Deferred',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];

export interface DeliveryMetrics {
  count(name: MetricName, value?: number): void;
  latency(milliseconds: number): void;
}
