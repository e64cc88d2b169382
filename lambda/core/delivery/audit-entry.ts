/**
 * The audit line (docs/design.md §11): every attempt, deferral, drop, filter and dead letter of a
 * delivery writes one structured log line, and the function's log is the delivery history that
 * `webhooks deliveries` reads back. Its shape is a contract: the CLI's filter patterns and parser
 * read these field names.
 */
import { redactText, redactUrl } from '../secrets/redaction';

/** What became of a delivery at one step. */
export const AUDIT_OUTCOMES = ['delivered', 'retry', 'dead-lettered', 'dropped', 'deferred', 'filtered', 'rate-limited', 'short-circuited'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * The field and value that mark an audit line among the function's other lines, so that one
 * CloudWatch Logs filter pattern selects the history: `{ $.audit = "delivery" }`.
 */
export const AUDIT_MARK = { field: 'audit', value: 'delivery' } as const;

/** Log levels of the audit lines: a log level of `warn` keeps the failures and drops the successes (README "Finding a delivery"). */
export const AUDIT_LEVELS = {
  delivered: 'info',
  retry: 'warn',
  'dead-lettered': 'error',
  dropped: 'info',
  deferred: 'info',
  filtered: 'info',
  'rate-limited': 'info',
  'short-circuited': 'warn',
} as const satisfies Record<AuditOutcome, 'info' | 'warn' | 'error'>;

/** The message of each outcome's lines. */
export const AUDIT_MESSAGES = {
  delivered: 'delivered',
  retry: 'delivery failed; retry scheduled',
  'dead-lettered': 'delivery dead-lettered',
  dropped: 'delivery dropped',
  deferred: 'delivery deferred',
  filtered: "event filtered out by the subscription's filter",
  'rate-limited': 'delivery deferred by the rate limit',
  'short-circuited': 'delivery deferred: circuit open',
} as const satisfies Record<AuditOutcome, string>;

/** One step of one delivery, as the core reports it. */
export interface AuditEntry {
  readonly outcome: AuditOutcome;
  readonly eventId: string;
  readonly eventType: string;
  readonly subscription: string;
  readonly deliveryId: string;
  /** The attempt this step belongs to (1-based); a deferral names the attempt it put off. */
  readonly attempt: number;
  /** The receiver's HTTP status, when it answered. */
  readonly status?: number;
  readonly latencyMs?: number;
  /** What went wrong (redacted again here: it may quote a URL). */
  readonly error?: string;
  /**
   * Why, in a word or a few: `permanent`/`exhausted` for a dead letter, `deleted`/`disabled` and the
   * store read that decided for a drop, `no-time-left` for a deferral.
   */
  readonly reason?: string;
  /** The target URL, redacted. */
  readonly url?: string;
  /** For a retry: the wait until the next attempt. */
  readonly retryInMs?: number;
}

/** An audit line as a logger writes it: its level, message and fields (the mark first). */
export interface AuditLine {
  readonly level: (typeof AUDIT_LEVELS)[AuditOutcome];
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number>>;
}

/**
 * The line for an entry: fields in a fixed order, absent ones left out, the URL and the error
 * passed through the redaction rule (README "Security model", What is masked). Pure.
 */
export function auditLine(entry: AuditEntry): AuditLine {
  const fields: Record<string, string | number> = {
    [AUDIT_MARK.field]: AUDIT_MARK.value,
    outcome: entry.outcome,
    eventId: entry.eventId,
    eventType: entry.eventType,
    subscription: entry.subscription,
    deliveryId: entry.deliveryId,
    attempt: entry.attempt,
  };
  if (entry.status !== undefined) fields.status = entry.status;
  if (entry.latencyMs !== undefined) fields.latencyMs = entry.latencyMs;
  if (entry.error !== undefined) fields.error = redactText(entry.error);
  if (entry.reason !== undefined) fields.reason = entry.reason;
  if (entry.url !== undefined) fields.url = redactedUrl(entry.url);
  if (entry.retryInMs !== undefined) fields.retryInMs = entry.retryInMs;
  return { level: AUDIT_LEVELS[entry.outcome], message: AUDIT_MESSAGES[entry.outcome], fields };
}

/**
 * The JSON text of `auditLine(entry).fields` without its braces, written field by field: the same
 * text as `JSON.stringify` of that object (tested), without building the object the deployed
 * writer would only serialise (BENCHMARKS.md, "Capacity"). Pure.
 */
export function auditFieldsJson(entry: AuditEntry): string {
  let text = `${OUTCOME_FIELDS[entry.outcome]},"eventId":${JSON.stringify(entry.eventId)},"eventType":${JSON.stringify(entry.eventType)},"subscription":${JSON.stringify(entry.subscription)},"deliveryId":${JSON.stringify(entry.deliveryId)},"attempt":${jsonNumber(entry.attempt)}`;
  if (entry.status !== undefined) text += `,"status":${jsonNumber(entry.status)}`;
  if (entry.latencyMs !== undefined) text += `,"latencyMs":${jsonNumber(entry.latencyMs)}`;
  if (entry.error !== undefined) text += `,"error":${JSON.stringify(redactText(entry.error))}`;
  if (entry.reason !== undefined) text += `,"reason":${JSON.stringify(entry.reason)}`;
  if (entry.url !== undefined) text += `,"url":${JSON.stringify(redactedUrl(entry.url))}`;
  if (entry.retryInMs !== undefined) text += `,"retryInMs":${jsonNumber(entry.retryInMs)}`;
  return text;
}

/** The mark and the outcome of each outcome's lines, as JSON, made once. */
const OUTCOME_FIELDS = Object.fromEntries(AUDIT_OUTCOMES.map((outcome) => [outcome, `${JSON.stringify(AUDIT_MARK.field)}:${JSON.stringify(AUDIT_MARK.value)},"outcome":${JSON.stringify(outcome)}`])) as Record<AuditOutcome, string>;

/** A number as JSON writes it: `null` when it is not finite. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** Target URLs as lines show them, kept: a container writes lines for the same few URLs again and again. */
const redactedUrls = new Map<string, string>();
const MAX_REDACTED_URLS = 10_000;

function redactedUrl(url: string): string {
  let shown = redactedUrls.get(url);
  if (shown === undefined) {
    shown = redactUrl(url);
    if (redactedUrls.size >= MAX_REDACTED_URLS) redactedUrls.clear();
    redactedUrls.set(url, shown);
  }
  return shown;
}
