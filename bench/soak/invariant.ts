import { matches } from '../../lambda/core/inbound/events';
import { DELIVERY_KIND } from '../../lambda/core/inbound/messages';
import type { DeadLetterRecord } from '../../lambda/core/inbound/messages';
import { deliveryId } from '../../lambda/core/delivery/signature';
import { misfitOf } from './dead-letter-fit';
import { isSuccess } from './receiver-behaviour';
import type { SoakSubscription } from './soak-plan';
import type { ObservedRequest } from './soak-receivers';

/** An event as it was published: its type and when. */
export interface PublishedEvent {
  readonly id: string;
  readonly type: string;
  /** Epoch milliseconds. */
  readonly publishedAt: number;
}

export interface InvariantInput {
  readonly events: readonly PublishedEvent[];
  readonly subscriptions: readonly SoakSubscription[];
  /** Every request the receivers got. */
  readonly requests: readonly ObservedRequest[];
  /** Every message body found in the DLQ: dead-letter records, or raw messages moved there by redrive. */
  readonly deadLetters: readonly string[];
  /** Subscriptions stored with `enabled: false` at the end of the run. */
  readonly disabledAtEnd: ReadonlySet<string>;
  /** Attempts in the retry schedule (its delays + 1): an `exhausted` record made exactly this many. */
  readonly maxAttempts: number;
  /**
   * Whether the queues ran empty before the run ended. When they did not (the wall-clock guard
   * stopped the run), a pair with no outcome may still be in flight: it is unsettled, not lost.
   */
  readonly settled: boolean;
}

export interface InvariantResult {
  /** (event, subscription) pairs that should match. */
  readonly pairs: number;
  /** Pairs some receiver answered 2xx. */
  readonly delivered: number;
  /** Pairs not delivered but dead-lettered, by reason and error, e.g. `permanent: HTTP 404`. */
  readonly deadLettered: Readonly<Record<string, number>>;
  /** Pairs of a subscription disabled after HTTP 410, neither delivered nor dead-lettered. */
  readonly droppedByRule: number;
  /** Pairs with none of the above once the queues ran empty, described. Must be empty. */
  readonly lost: readonly string[];
  /** Pairs with none of the above when the run was stopped with messages still queued: in flight, not known lost. */
  readonly unsettled: readonly string[];
  /** 2xx answers beyond the first one of a pair. */
  readonly duplicates: number;
  /** Deliveries that should not have happened, dead-letter records that do not fit, described. Must be empty. */
  readonly unexpected: readonly string[];
  /** Publish-to-arrival milliseconds of pairs delivered at their first attempt, ascending. */
  readonly firstAttemptLatencies: readonly number[];
  /** Unprocessed messages in the DLQ: originals the queue's redrive policy moved there (`webhooks dlq list` calls them so). */
  readonly unprocessed: number;
  /** Delivered pairs that also have a dead-letter record (an attempt failed after another succeeded). */
  readonly alsoDeadLettered: number;
}

interface Pair {
  readonly event: PublishedEvent;
  readonly subscription: SoakSubscription;
}

/**
 * Checks docs/design.md §4's promise over a finished run: every expected pair was delivered at least once
 * (by webhook-id), or dead-lettered with a reason that fits what its receiver did, or dropped by
 * rule (its subscription disabled by a 410); and nothing was delivered that should not match.
 */
export function checkInvariant(input: InvariantInput): InvariantResult {
  const pairs = expectedPairs(input.events, input.subscriptions);
  const requestsById = groupBy(input.requests, (request) => request.webhookId);
  const unexpected: string[] = [];
  for (const request of input.requests) {
    const pair = pairs.get(request.webhookId);
    const what = `request to ${request.subscription} for ${request.eventId || '?'} (webhook-id ${request.webhookId || '?'}, attempt ${request.attempt})`;
    if (pair === undefined) unexpected.push(`${what} matches no expected pair`);
    else if (pair.subscription.name !== request.subscription || pair.event.id !== request.eventId) unexpected.push(`${what} belongs to another pair`);
    else if (request.reply === 'bad-request') unexpected.push(`${what} did not verify (signature, webhook-id or body)`);
  }
  const { records, unprocessed } = readDeadLetters(input.deadLetters, unexpected);
  const isUnprocessed = (id: string, pair: Pair): boolean => unprocessed.has(id) || unprocessed.has(pair.event.id);
  const recordsById = new Map<string, DeadLetterRecord[]>();
  for (const record of records) {
    const pair = pairs.get(record.deliveryId ?? '');
    if (pair === undefined) {
      unexpected.push(`dead-letter record (${record.reason}: ${record.error}) for no expected pair: ${record.subscription ?? '-'} / ${record.deliveryId ?? '-'}`);
      continue;
    }
    const misfit = misfitOf(record, pair.subscription, pair.event.id, requestsById.get(record.deliveryId ?? '') ?? [], input.maxAttempts);
    if (misfit !== undefined) unexpected.push(`dead-letter record of ${pair.event.id} → ${pair.subscription.name} does not fit: ${misfit}`);
    push(recordsById, record.deliveryId ?? '', record);
  }
  const result = { delivered: 0, droppedByRule: 0, duplicates: 0, alsoDeadLettered: 0 };
  const deadLettered: Record<string, number> = {};
  const missing: string[] = [];
  const firstAttemptLatencies: number[] = [];
  for (const [id, pair] of pairs) {
    const requests = requestsById.get(id) ?? [];
    const successes = requests.filter((request) => isSuccess(request.reply) && request.subscription === pair.subscription.name);
    const dead = recordsById.get(id) ?? [];
    if (successes.length > 0) {
      result.delivered++;
      result.duplicates += successes.length - 1;
      if (dead.length > 0) result.alsoDeadLettered++;
      const first = successes.filter((request) => request.attempt === 1).sort((a, b) => a.arrivedAt - b.arrivedAt)[0];
      if (first !== undefined) firstAttemptLatencies.push(first.arrivedAt - pair.event.publishedAt);
    } else if (dead[0] !== undefined) {
      const key = `${dead[0].reason}: ${/^(HTTP \d+|[A-Z_]+)/.exec(dead[0].error)?.[1] ?? dead[0].error}`;
      deadLettered[key] = (deadLettered[key] ?? 0) + 1;
    } else if (pair.subscription.behaviour.kind === 'gone' && input.disabledAtEnd.has(pair.subscription.name)) {
      result.droppedByRule++;
    } else {
      const replies = requests.map((request) => `#${request.attempt} ${request.reply}`).join(', ') || 'no request';
      const where = isUnprocessed(id, pair) ? '; only an unprocessed message in the DLQ (moved by the redrive policy), with no reason' : '';
      missing.push(`${pair.event.id} (${pair.event.type}) → ${pair.subscription.name} (webhook-id ${id}): ${replies}${where}`);
    }
  }
  firstAttemptLatencies.sort((a, b) => a - b);
  const [lost, unsettled] = input.settled ? [missing, []] : [[], missing];
  return { pairs: pairs.size, ...result, deadLettered, lost, unsettled, unexpected, firstAttemptLatencies, unprocessed: unprocessed.size };
}

/**
 * Expected pairs by delivery id: every event × every subscription enabled at the start whose patterns
 * match it, but for idle ones (their filter keeps every event out).
 */
export function expectedPairs(events: readonly PublishedEvent[], subscriptions: readonly SoakSubscription[]): Map<string, Pair> {
  const pairs = new Map<string, Pair>();
  const enabled = subscriptions.filter((subscription) => subscription.enabled && subscription.behaviour.kind !== 'idle');
  for (const event of events) {
    for (const subscription of enabled) {
      if (subscription.events.some((pattern) => matches(pattern, event.type))) pairs.set(deliveryId(event.id, subscription.name), { event, subscription });
    }
  }
  return pairs;
}

/**
 * Splits the DLQ into dead-letter records and unprocessed messages (moved there by a queue's
 * redrive policy), the latter as the delivery ids (delivery messages) and event ids (events) they carry.
 */
function readDeadLetters(bodies: readonly string[], unexpected: string[]): { records: DeadLetterRecord[]; unprocessed: Set<string> } {
  const records: DeadLetterRecord[] = [];
  const unprocessed = new Set<string>();
  for (const body of bodies) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      unexpected.push(`DLQ message is not JSON: ${body.slice(0, 80)}`);
      continue;
    }
    const record = value as Partial<DeadLetterRecord> & { kind?: unknown; id?: unknown; deliveries?: unknown };
    if (typeof record.reason !== 'string') {
      if (record.kind !== DELIVERY_KIND) unprocessed.add(String(record.id));
      else for (const id of deliveryIdsOf(value)) unprocessed.add(id);
    }
    else if (record.reason === 'invalid-event') unexpected.push(`invalid-event record: ${record.error ?? ''}`);
    else records.push(record as DeadLetterRecord);
  }
  return { records, unprocessed };
}

/** The delivery ids a delivery message carries (docs/design.md §4: derived from the event id and each subscription). */
function deliveryIdsOf(message: unknown): string[] {
  const { event, deliveries } = message as { event?: { id?: unknown }; deliveries?: unknown };
  if (!Array.isArray(deliveries)) return [];
  return deliveries.map((delivery: { subscription?: unknown }) => deliveryId(String(event?.id), String(delivery?.subscription)));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) push(groups, key(item), item);
  return groups;
}

function push<T>(groups: Map<string, T[]>, key: string, item: T): void {
  const group = groups.get(key);
  if (group === undefined) groups.set(key, [item]);
  else group.push(item);
}
