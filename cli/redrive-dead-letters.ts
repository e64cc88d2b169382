import { concerns, redrivePlan } from './dead-letter-entry';
import type { DeadLetterEntry } from './dead-letter-entry';
import { REDRIVE_VISIBILITY_SECONDS } from './dead-letter-queue';
import type { DeadLetterQueue } from './dead-letter-queue';
import { describeError } from './describe-error';
import type { EventCatalogue } from '../lambda/core/inbound/events';

/** What {@link redriveDeadLetters} works on and how much of it. */
export interface RedriveOptions {
  readonly queue: DeadLetterQueue;
  /** Sends one message body to the events queue. */
  readonly send: (body: string) => Promise<void>;
  /** Messages to redrive at most. */
  readonly limit: number;
  /** Also redrive invalid events. */
  readonly force: boolean;
  /** The clock, for what arrived in the DLQ since the redrive began; default `Date.now`. */
  readonly now?: () => number;
  /** The deployment's event catalogue, so that events of its extra types are understood (default: the built-in events). */
  readonly catalogue?: EventCatalogue;
  /** Only records of this subscription. */
  readonly subscription?: string;
}

/** One message and what happened to it. */
export interface RedriveOutcome {
  readonly entry: DeadLetterEntry;
  readonly detail?: string;
}

/** What a redrive did. */
export interface RedriveResult {
  readonly redriven: readonly RedriveOutcome[];
  /** Left in the DLQ, with the reason (e.g. an invalid event without `force`). */
  readonly skipped: readonly RedriveOutcome[];
  /** The first failure, after which nothing more was redriven. */
  readonly failure?: RedriveOutcome;
}

/**
 * Moves dead-lettered messages back to the events queue (docs/design.md §4), each as {@link redrivePlan}
 * says. A replacement is sent before its DLQ message is deleted, so a failure in between can
 * duplicate a delivery (same webhook-id, which receivers de-duplicate on) but never lose one.
 * Messages left alone are made visible again at the end. Stops at the first failure.
 */
/** What identifies a redriven message when it comes back: its delivery id, an invalid event's own body (its record's times change), else the body. */
function redriveKey(entry: DeadLetterEntry): string {
  if (entry.summary.deliveryId !== undefined) return entry.summary.deliveryId;
  if (entry.kind === 'invalid-event') return `invalid-event ${JSON.stringify(entry.record?.event)}`;
  return entry.body;
}

export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const { queue, limit } = options;
  const redriven: RedriveOutcome[] = [];
  const skipped: RedriveOutcome[] = [];
  const held: DeadLetterEntry[] = [];
  // A redriven delivery (or a forced invalid event) that fails again comes back to the DLQ while
  // this runs, as a new message: it is left there, not redriven again, or the run would not end.
  const sent = new Set<string>();
  const startedAt = options.now?.() ?? Date.now();
  let failure: RedriveOutcome | undefined;
  try {
    while (redriven.length < limit && failure === undefined) {
      const batch = await queue.receive(Math.min(10, limit - redriven.length), REDRIVE_VISIBILITY_SECONDS);
      if (batch.length === 0) break;
      for (const entry of batch) {
        const key = redriveKey(entry);
        const wanted = options.subscription === undefined || concerns(entry, options.subscription);
        const arrivedSince = entry.sentAt !== undefined && Date.parse(entry.sentAt) >= startedAt;
        if (failure !== undefined || redriven.length >= limit || sent.has(key) || arrivedSince || !wanted) {
          held.push(entry);
          continue;
        }
        const plan = redrivePlan(entry, options.force, options.catalogue);
        if ('skip' in plan) {
          skipped.push({ entry, detail: plan.skip });
          held.push(entry);
          continue;
        }
        try {
          for (const body of plan.bodies) await options.send(body);
        } catch (error) {
          failure = { entry, detail: `could not send it to the events queue (${describeError(error).join('; ')}); it stays in the dead-letter queue` };
          held.push(entry);
          continue;
        }
        sent.add(key);
        redriven.push({ entry });
        try {
          await queue.delete(entry);
        } catch (error) {
          failure = { entry, detail: `it was sent, but could not be deleted from the dead-letter queue (${describeError(error).join('; ')}); a later redrive would send it again (same webhook-id)` };
        }
      }
    }
  } finally {
    await queue.release(held);
  }
  return { redriven, skipped, ...(failure !== undefined && { failure }) };
}
