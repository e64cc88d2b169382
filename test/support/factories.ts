/**
 * Factories for test fixtures and small in-memory fakes of the core's ports (docs/design.md §5).
 *
 * Every factory returns a valid value by default and takes overrides for what a test cares about,
 * so a test states only what matters to it: `subscription({ events: ['jobs.*'] })`.
 * The fakes record what the core did with them (`queue.enqueued`, `http.requests`, `log.text()`),
 * so tests assert behaviour rather than calls on mocks.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import type { BatchContext, DispatcherConfig, DispatcherDeps, QueueRecord } from '../../lambda/core/delivery/dispatcher-deps';
import type { PlatformEvent } from '../../lambda/core/inbound/events';
import { createLimiter } from '../../lambda/core/delivery/limiter';
import { createTrafficControl } from '../../lambda/core/delivery/traffic-control';
import type { TrafficControl, TrafficSettings } from '../../lambda/core/delivery/traffic-control';
import { BUILT_IN_EVENTS } from '../../lambda/core/inbound/events';
import { DELIVERY_KIND } from '../../lambda/core/inbound/messages';
import type { DeadLetterRecord, DeliveryMessage } from '../../lambda/core/inbound/messages';
import type { AuditEntry } from '../../lambda/core/delivery/audit-entry';
import type { AttemptResult } from '../../lambda/core/delivery/outcome';
import type {
  AuditLog,
  Clock, DeliveryMetrics, DeliveryQueue, DeliveryRequest, DisableResult, HttpSender, Log, LogFields, MetricName, ReadOptions, SubscriptionSource,
} from '../../lambda/core/ports';
import { indexSubscriptions } from '../../lambda/core/subscriptions/subscription-index';
import type { Subscription } from '../../lambda/core/subscriptions/subscriptions';

/** The instant fixed clocks start at: 2026-11-27T10:00:00.000Z, epoch milliseconds. */
export const FIXED_NOW = Date.parse('2026-11-27T10:00:00.000Z');

// ---------------------------------------------------------------- values

/** A valid Standard Webhooks secret: `whsec_` + base64 of `bytes` random bytes (24–64 are valid). */
export function secret(bytes = 32): string {
  return `whsec_${randomBytes(bytes).toString('base64')}`;
}

/** A valid, enabled subscription named `ops` receiving every event; override any field. */
export function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    name: 'ops',
    url: 'https://hooks.example.com/platform',
    events: ['*'],
    format: 'standard',
    headers: {},
    enabled: true,
    ...overrides,
  };
}

/**
 * A valid stored subscription value as a user writes it (the SSM parameter's JSON, without the
 * name), for validation tests; override or add any key, including invalid ones.
 */
export function subscriptionInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { url: 'https://hooks.example.com/platform', events: ['experiments.succeeded', 'jobs.*', '*.failed'], ...overrides };
}

/** A parsed platform event (`experiments.succeeded` by default); override any field. */
export function platformEvent(overrides: Partial<PlatformEvent> = {}): PlatformEvent {
  return {
    id: 'evt_01JTEST',
    type: 'experiments.succeeded',
    timestamp: '2026-11-27T09:59:00.000Z',
    data: { experiment: { id: 42, name: 'resnet-sweep-3', project: 'vision', status: 'succeeded' } },
    ...overrides,
  };
}

/** The envelope as the platform publishes it (docs/design.md §1), before parsing; override or add any key. */
export function publishedEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { id, type, timestamp, data } = platformEvent();
  return { type, id, timestamp, data, ...overrides };
}

/** A delivery (retry) message for attempt 2 of `ops`, due now; override any field. */
export function deliveryMessage(overrides: Partial<DeliveryMessage> = {}): DeliveryMessage {
  return {
    kind: DELIVERY_KIND,
    event: platformEvent(),
    attempt: 2,
    dueAt: new Date(FIXED_NOW).toISOString(),
    deliveries: [{ subscription: 'ops', firstAttemptAt: new Date(FIXED_NOW - 5_000).toISOString(), lastError: 'HTTP 500' }],
    ...overrides,
  };
}

/** The queue names the factories use; records come from the events queue unless built with {@link retryRecord}. */
export const QUEUE_NAMES = { events: 'platform-webhooks-events', retries: 'platform-webhooks-retries' } as const;

/** The retry queue's URL as the handler is configured with it (account 123456789012, as in {@link sqsRecord}). */
export const RETRY_QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/123456789012/${QUEUE_NAMES.retries}`;

type SqsRecordOverrides = Partial<Omit<SQSRecord, 'attributes'>> & { readonly attributes?: Partial<SQSRecordAttributes> };

/**
 * An SQS record as Lambda delivers it (`@types/aws-lambda`), with `body` as given (objects are
 * JSON-encoded), a fresh `messageId`, `md5OfBody` computed and `SentTimestamp` = {@link FIXED_NOW}.
 */
export function sqsRecord(body: string | object, overrides: SqsRecordOverrides = {}): SQSRecord {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const { attributes, ...rest } = overrides;
  return {
    messageId: randomUUID(),
    receiptHandle: `AQEB${randomBytes(24).toString('base64')}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(FIXED_NOW),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(FIXED_NOW),
      ...attributes,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(text).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:platform-webhooks-events',
    awsRegion: 'us-east-1',
    ...rest,
  };
}

/** A queue record as the core takes it (`processRecord`), from the events queue, sent at {@link FIXED_NOW}. */
export function queueRecord(body: string | object, overrides: Partial<QueueRecord> = {}): QueueRecord {
  return { messageId: randomUUID(), body: typeof body === 'string' ? body : JSON.stringify(body), sentAt: FIXED_NOW, fromRetryQueue: false, queueName: QUEUE_NAMES.events, ...overrides };
}

/** A queue record from the retry queue, the one queue delivery messages are trusted from. */
export function retryRecord(body: string | object, overrides: Partial<QueueRecord> = {}): QueueRecord {
  return queueRecord(body, { fromRetryQueue: true, queueName: QUEUE_NAMES.retries, ...overrides });
}

/** An HTTP response as the sender reports it; `extra` sets `location` or `retryAfter`. */
export function response(status: number, extra: { location?: string; retryAfter?: string } = {}): AttemptResult {
  return { kind: 'response', status, ...extra };
}

/** A network failure as the sender reports it, e.g. `networkError('ECONNREFUSED')`. */
export function networkError(code = 'ECONNREFUSED', message = `connect ${code} 203.0.113.10:443`): AttemptResult {
  return { kind: 'network-error', code, message };
}

/** A refusal by the target guard (docs/design.md §6). */
export function refused(message = '10.0.0.5 is a private address (RFC 1918)'): AttemptResult {
  return { kind: 'refused', rule: 'private', message };
}

// ---------------------------------------------------------------- fakes of the ports

/** A clock standing still at `now` until advanced. */
export function fixedClock(now = FIXED_NOW): Clock & { advance(ms: number): void } {
  let current = now;
  return { now: () => current, advance: (ms) => void (current += ms) };
}

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: LogFields;
}

/** A log that records every line; `text()` is all of it as JSON, for "never logged" searches. */
export function capturingLog(): Log & { readonly lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, fields?: LogFields) => void lines.push({ level, message, ...(fields && { fields }) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), text: () => JSON.stringify(lines) };
}

/** Metrics that add up counts by name. */
/** An audit trail that keeps its entries, in order. */
export function capturingAudit(): AuditLog & { readonly entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return { entries, record: (entry) => void entries.push(entry) };
}

export function countingMetrics(): DeliveryMetrics & { readonly counts: Partial<Record<MetricName, number>>; readonly latencies: number[] } {
  const counts: Partial<Record<MetricName, number>> = {};
  const latencies: number[] = [];
  return { counts, latencies, count: (name, value = 1) => void (counts[name] = (counts[name] ?? 0) + value), latency: (ms) => void latencies.push(ms) };
}

export interface FakeQueue extends DeliveryQueue {
  readonly enqueued: Array<{ readonly message: DeliveryMessage; readonly delaySeconds: number }>;
  readonly deadLettered: DeadLetterRecord[];
}

/**
 * A queue recording what was enqueued and dead-lettered. `fail` decides which sends reject (as an
 * SQS outage would); a rejected send is not recorded.
 */
export function fakeQueue(fail: { enqueue?: (message: DeliveryMessage) => boolean; deadLetter?: (record: DeadLetterRecord) => boolean } = {}): FakeQueue {
  const enqueued: FakeQueue['enqueued'] = [];
  const deadLettered: DeadLetterRecord[] = [];
  return {
    enqueued,
    deadLettered,
    async enqueue(message, delaySeconds) {
      if (fail.enqueue?.(message)) throw new Error('SQS SendMessage failed: ServiceUnavailable');
      enqueued.push({ message, delaySeconds });
    },
    async deadLetter(record) {
      if (fail.deadLetter?.(record)) throw new Error('SQS SendMessage failed: ServiceUnavailable');
      deadLettered.push(record);
    },
  };
}

/**
 * An HTTP sender answering from a script: one result for every request, or a function of the
 * request (e.g. by URL). Records every request it was given.
 */
export function scriptedHttp(script: AttemptResult | ((request: DeliveryRequest) => AttemptResult) = response(200)): HttpSender & { readonly requests: DeliveryRequest[] } {
  const requests: DeliveryRequest[] = [];
  return {
    requests,
    async send(request) {
      requests.push(request);
      return typeof script === 'function' ? script(request) : script;
    },
  };
}

/**
 * A subscription source over a fixed list. `store` (default: the same list) is what a fresh read
 * sees, so a test can give the cache a stale view; `failFresh` makes fresh reads reject. Records
 * `disable` calls (which answer `disableResult`, or reject when `failDisable`) and fresh reads.
 */
export function fakeSubscriptionSource(
  subscriptions: readonly Subscription[],
  options: { failDisable?: boolean; disableResult?: DisableResult; store?: readonly Subscription[]; failFresh?: boolean } = {},
): SubscriptionSource & { readonly disabled: string[]; readonly freshReads: string[]; readonly loads: ReadOptions[] } {
  const disabled: string[] = [];
  const freshReads: string[] = [];
  const loads: ReadOptions[] = [];
  const store = options.store ?? subscriptions;
  return {
    disabled,
    freshReads,
    loads,
    load: async (readOptions = {}) => {
      loads.push(readOptions);
      return indexSubscriptions(subscriptions);
    },
    readFresh: async (name) => {
      freshReads.push(name);
      if (options.failFresh) throw new Error('SSM GetParameter failed: ThrottlingException');
      return { subscription: store.find((s) => s.name === name), readAt: FIXED_NOW };
    },
    async disable({ name }) {
      if (options.failDisable) throw new Error('SSM PutParameter failed: ThrottlingException');
      disabled.push(name);
      return options.disableResult ?? 'disabled';
    },
  };
}

/** Dispatcher config: a short two-retry schedule (5 s, 5 min), the 10 s default timeout, a fixed user agent, the built-in events. */
export function dispatcherConfig(overrides: Partial<DispatcherConfig> = {}): DispatcherConfig {
  return { retrySchedule: [5_000, 300_000], defaultTimeoutMs: 10_000, userAgent: 'platform-webhooks/0.0.0-test', catalogue: BUILT_IN_EVENTS, ...overrides };
}

/**
 * A container's traffic control (docs/design.md §10), one container; the circuit breaker is off
 * unless `breaker` turns it on, so that tests about other things may fail a subscription many times.
 */
export function trafficControl(overrides: Partial<TrafficSettings> = {}): TrafficControl {
  return createTrafficControl({ breaker: { failures: 0, cooldownMs: 60_000 }, containers: 1, ...overrides });
}

/** The fakes a dispatcher test inspects, plus the deps built from them. */
export interface FakeDeps {
  readonly deps: DispatcherDeps;
  readonly queue: FakeQueue;
  readonly http: ReturnType<typeof scriptedHttp>;
  readonly log: ReturnType<typeof capturingLog>;
  readonly audit: ReturnType<typeof capturingAudit>;
  readonly metrics: ReturnType<typeof countingMetrics>;
  readonly subscriptions: ReturnType<typeof fakeSubscriptionSource>;
  readonly clock: ReturnType<typeof fixedClock>;
}

/**
 * Dispatcher dependencies over in-memory fakes: the given subscriptions (default: one `subscription()`),
 * HTTP 200 for every request, a clock fixed at {@link FIXED_NOW}, random 0.5 (no jitter).
 */
export function fakeDeps(options: {
  subscriptions?: readonly Subscription[];
  http?: Parameters<typeof scriptedHttp>[0];
  queue?: FakeQueue;
  failDisable?: boolean;
  disableResult?: DisableResult;
  /** What fresh reads see (default: `subscriptions`). */
  store?: readonly Subscription[];
  failFresh?: boolean;
  random?: number;
  config?: Partial<DispatcherConfig>;
  traffic?: TrafficControl;
} = {}): FakeDeps {
  const queue = options.queue ?? fakeQueue();
  const http = scriptedHttp(options.http);
  const log = capturingLog();
  const metrics = countingMetrics();
  const subscriptions = fakeSubscriptionSource(options.subscriptions ?? [subscription()], {
    failDisable: options.failDisable ?? false,
    failFresh: options.failFresh ?? false,
    ...(options.disableResult !== undefined && { disableResult: options.disableResult }),
    ...(options.store !== undefined && { store: options.store }),
  });
  const clock = fixedClock();
  const random = options.random ?? 0.5;
  const audit = capturingAudit();
  const deps: DispatcherDeps = { subscriptions, queue, http, clock, random: () => random, log, audit, metrics, traffic: options.traffic ?? trafficControl(), config: dispatcherConfig(options.config) };
  return { deps, queue, http, log, audit, metrics, subscriptions, clock };
}

/** A batch with room for 10 concurrent deliveries and `remainingMs` (default 15 minutes) left before the deadline. */
export function batchContext(options: { remainingMs?: number; now?: number; concurrency?: number } = {}): BatchContext {
  return { limit: createLimiter(options.concurrency ?? 10), deadline: (options.now ?? FIXED_NOW) + (options.remainingMs ?? 15 * 60_000) };
}
