/**
 * The I/O the core is given (docs/design.md §5): it never imports the AWS SDK or opens a socket itself.
 * Adapters in `lambda/adapters/` implement these over SSM, SQS and HTTP; tests pass real local
 * servers or small fakes.
 */
import type { AuditEntry } from './delivery/audit-entry';
import type { AttemptResult } from './delivery/outcome';
import type { DeadLetterReason, DeadLetterRecord, DeliveryMessage } from './inbound/messages';
import type { SubscriptionIndex } from './subscriptions/subscription-index';
import type { Subscription } from './subscriptions/subscriptions';

/** Bounds on a read from the subscription store. */
export interface ReadOptions {
  /** Epoch milliseconds by which the read must have stopped; past it, it rejects rather than run on. */
  readonly deadline?: number;
}

/** What the store itself said about one subscription, read fresh (not from the cache). */
export interface FreshRead {
  /** The subscription as stored now; undefined when the store says it does not exist (or is invalid). */
  readonly subscription: Subscription | undefined;
  /** Epoch milliseconds of the store read that decided it. */
  readonly readAt: number;
}

/** What a disable after HTTP 410 did. */
export type DisableResult =
  | 'disabled'
  /** The stored version moved since the delivery read it (e.g. a concurrent rotation): nothing written. */
  | 'version-moved'
  /** The subscription no longer exists: nothing to write. */
  | 'gone';

export interface SubscriptionSource {
  /**
   * The current subscriptions, possibly a cached copy.
   * @throws {SubscriptionSourceError} when no copy, fresh or stale, can be had before the deadline.
   */
  load(options?: ReadOptions): Promise<SubscriptionIndex>;
  /**
   * One subscription read fresh from the store, for a delivery message whose subscription the cached
   * copy lacks or holds disabled (docs/design.md §4): concurrent callers for one name share one read.
   * @throws {SubscriptionSourceError} when the store cannot be read.
   */
  readFresh(name: string, options?: ReadOptions): Promise<FreshRead>;
  /**
   * Writes the subscription back with `enabled: false` (after HTTP 410), keeping every other stored
   * attribute, unless its stored version moved since `subscription.version` was read.
   */
  disable(subscription: Subscription): Promise<DisableResult>;
}

export interface DeliveryQueue {
  /**
   * Sends a delivery message to the retry queue (docs/design.md §4), visible after `delaySeconds`
   * (0–900). The core builds each message to fit SQS's size limit.
   */
  enqueue(message: DeliveryMessage, delaySeconds: number): Promise<void>;
  /** Sends a dead-letter record to the DLQ, cut to fit SQS's size limit when it must be (see `queue-body.ts`). */
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

/**
 * The audit trail (docs/design.md §11): one structured line per attempt, deferral, drop, filter and
 * dead letter. A port of its own, so its writer can change (Powertools now) without touching the core.
 */
export interface AuditLog {
  /** Writes the entry as one line (`auditLine` gives its level, message and fields); never throws. */
  record(entry: AuditEntry): void;
}

export const METRICS = {
  delivered: 'Delivered',
  failed: 'Failed',
  retried: 'Retried',
  deadLettered: 'DeadLettered',
  dropped: 'Dropped',
  deferred: 'Deferred',
  /** A subscription's circuit opened, or opened again after a failed probe (docs/design.md §10). */
  circuitOpened: 'CircuitOpened',
} as const;

/** Dead letters counted by reason beside the `DeadLettered` total, so alarms tell receivers' failures from the system's (docs/design.md §12). */
export const DEAD_LETTERED_BY_REASON = {
  permanent: 'DeadLetteredPermanent',
  exhausted: 'DeadLetteredExhausted',
  'invalid-event': 'DeadLetteredInvalidEvent',
} as const satisfies Record<DeadLetterReason, string>;

export type MetricName = (typeof METRICS)[keyof typeof METRICS] | (typeof DEAD_LETTERED_BY_REASON)[DeadLetterReason];

export interface DeliveryMetrics {
  count(name: MetricName, value?: number): void;
  latency(milliseconds: number): void;
}
