/** What the dispatcher is given and works on: built once per container, and per invocation. */
import type { Limiter } from './limiter';
import type { TrafficControl } from './traffic-control';
import type { EventCatalogue } from '../inbound/events';
import type { AuditLog, Clock, DeliveryMetrics, DeliveryQueue, HttpSender, Log, SubscriptionSource } from '../ports';

/** Everything the dispatcher is given; built once per container by the handler. */
export interface DispatcherDeps {
  readonly subscriptions: SubscriptionSource;
  readonly queue: DeliveryQueue;
  readonly http: HttpSender;
  readonly clock: Clock;
  /** Uniform in [0, 1), for jitter. */
  readonly random: () => number;
  readonly log: Log;
  /** The audit trail: one line per attempt, deferral, drop, filter and dead letter (docs/design.md §11). */
  readonly audit: AuditLog;
  readonly metrics: DeliveryMetrics;
  /** The container's circuit breakers and rate limits (docs/design.md §10), kept across invocations. */
  readonly traffic: TrafficControl;
  readonly config: DispatcherConfig;
}

export interface DispatcherConfig {
  /** Delays between attempts in milliseconds (docs/design.md §4). */
  readonly retrySchedule: readonly number[];
  readonly defaultTimeoutMs: number;
  readonly userAgent: string;
  /** Stripped from CloudEvents types (`CLOUDEVENTS_TYPE_PREFIX`); none by default. */
  readonly cloudEventsTypePrefix?: string;
  /** The event types accepted: the built-in ones and `EXTRA_EVENT_TYPES` (docs/design.md §10). */
  readonly catalogue: EventCatalogue;
}

/** One SQS record as the core needs it. */
export interface QueueRecord {
  readonly messageId: string;
  readonly body: string;
  /** Epoch milliseconds the message was sent. */
  readonly sentAt: number;
  /**
   * Whether the record came from the function's own retry queue (its `eventSourceARN`), the one
   * queue a delivery message is trusted from (docs/design.md §4).
   */
  readonly fromRetryQueue: boolean;
  /** The name of the queue the record came from, for messages and logs. */
  readonly queueName?: string;
}

/** Per-invocation state shared by the records of one batch. */
export interface BatchContext {
  /** Shared bound on concurrent deliveries across the batch. */
  readonly limit: Limiter;
  /** Epoch milliseconds after which no work may still be running (the invocation's deadline). */
  readonly deadline: number;
}
