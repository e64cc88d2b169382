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
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const { queue, limit } = options;
  const redriven: RedriveOutcome[] = [];
  const skipped: RedriveOutcome[] = [];
  const held: DeadLetterEntry[] = [];
  // A redriven delivery that fails again comes back to the DLQ while this runs: it is left there, not redriven twice.
  const sent = new Set<string>();
  let failure: RedriveOutcome | undefined;
  try {
    while (redriven.length < limit && failure === undefined) {
      const batch = await queue.receive(Math.min(10, limit - redriven.length), REDRIVE_VISIBILITY_SECONDS);
      if (batch.length === 0) break;
      for (const entry of batch) {
        const key = entry.summary.deliveryId ?? entry.body;
        const wanted = options.subscription === undefined || concerns(entry, options.subscription);
        if (failure !== undefined || redriven.length >= limit || sent.has(key) || !wanted) {
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
