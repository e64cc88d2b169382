/**
 * The delivery history as `webhooks deliveries` reads it: audit lines (docs/design.md §11) found
 * by a CloudWatch Logs filter pattern, parsed into records with a fixed set of fields.
 */
import { AUDIT_MARK } from '../lambda/core/delivery/audit-entry';

/**
 * One audit line as `webhooks deliveries --json` prints it (contract, README "Finding a delivery"):
 * every field present, in this order, `null` where the line has none.
 */
export interface DeliveryRecord {
  /** When the line was written, ISO-8601 UTC. */
  readonly time: string;
  readonly eventId: string;
  readonly eventType: string | null;
  readonly subscription: string;
  /** The `webhook-id` the receiver saw. */
  readonly deliveryId: string | null;
  readonly attempt: number;
  /** One of `AUDIT_OUTCOMES` (a newer function may add others). */
  readonly outcome: string;
  readonly status: number | null;
  readonly latencyMs: number | null;
  readonly error: string | null;
  readonly reason: string | null;
  /** The target URL, redacted. */
  readonly url: string | null;
}

/** What to look for; each filter given must match exactly. */
export interface DeliveryFilters {
  readonly subscription?: string;
  readonly eventId?: string;
  /** Any of these. */
  readonly outcomes?: readonly string[];
}

/**
 * The CloudWatch Logs filter pattern that selects the audit lines matching `filters`, e.g.
 * `{ $.audit = "delivery" && $.subscription = "ops" && ($.outcome = "retry" || $.outcome = "dead-lettered") }`.
 * A value the pattern language would read otherwise (one holding `*`, `"` or `\`) is left out of the
 * pattern: {@link matchesFilters} still checks it exactly.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export function historyFilterPattern(filters: DeliveryFilters): string {
  const equals = (field: string, value: string): string => `$.${field} = "${value}"`;
  const clauses = [equals(AUDIT_MARK.field, AUDIT_MARK.value)];
  if (filters.subscription !== undefined && isPlain(filters.subscription)) clauses.push(equals('subscription', filters.subscription));
  if (filters.eventId !== undefined && isPlain(filters.eventId)) clauses.push(equals('eventId', filters.eventId));
  const outcomes = filters.outcomes ?? [];
  if (outcomes.length > 0 && outcomes.every(isPlain)) {
    const any = outcomes.map((outcome) => equals('outcome', outcome));
    clauses.push(any.length === 1 ? (any[0] as string) : `(${any.join(' || ')})`);
  }
  return `{ ${clauses.join(' && ')} }`;
}

/** Whether a record matches every filter given. */
export function matchesFilters(record: DeliveryRecord, filters: DeliveryFilters): boolean {
  return (
    (filters.subscription === undefined || record.subscription === filters.subscription) &&
    (filters.eventId === undefined || record.eventId === filters.eventId) &&
    (filters.outcomes === undefined || filters.outcomes.length === 0 || filters.outcomes.includes(record.outcome))
  );
}

/**
 * The record of one log event, or `undefined` when the message is not an audit line (another line
 * of the function, or one cut short).
 */
export function parseAuditLine(message: string, timestamp: number): DeliveryRecord | undefined {
  let line: Record<string, unknown>;
  try {
    const parsed = JSON.parse(message) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    line = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { eventId, subscription, attempt, outcome } = line;
  if (line[AUDIT_MARK.field] !== AUDIT_MARK.value || typeof eventId !== 'string' || typeof subscription !== 'string' || typeof attempt !== 'number' || typeof outcome !== 'string') return undefined;
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  const number = (value: unknown): number | null => (typeof value === 'number' ? value : null);
  return {
    time: new Date(timestamp).toISOString(),
    eventId,
    eventType: text(line.eventType),
    subscription,
    deliveryId: text(line.deliveryId),
    attempt,
    outcome,
    status: number(line.status),
    latencyMs: number(line.latencyMs),
    error: text(line.error),
    reason: text(line.reason),
    url: text(line.url),
  };
}

function isPlain(value: string): boolean {
  return !/[*"\\]/.test(value);
}
