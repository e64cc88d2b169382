import type { SQSEvent } from 'aws-lambda';
import { matches } from '../lambda/core/inbound/events';
import { deliveryId, sign } from '../lambda/core/delivery/signature';

/** A subscription as the naive baseline reads it. */
export interface NaiveSubscription {
  readonly name: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly secret?: string;
}

export interface NaiveOptions {
  /** Called after each delivery with its latency in milliseconds. */
  readonly onDelivery?: (latencyMs: number, status: number) => void;
  /** Stops after this many deliveries (to time a prefix of a very long batch). */
  readonly maxDeliveries?: number;
}

/**
 * The obvious implementation the issue compares against: for each record, for each subscription
 * whose patterns match (tested per record), sign and `await fetch(...)` — one global fetch per
 * delivery, awaited in turn, no pool of our own and no concurrency. It is given the subscriptions
 * already loaded (as our warm cache is), and does no logging, retries or dead-lettering, which
 * flatters it.
 */
export function createNaiveHandler(subscriptions: readonly NaiveSubscription[], options: NaiveOptions = {}) {
  return async (event: SQSEvent): Promise<{ deliveries: number }> => {
    let deliveries = 0;
    for (const record of event.Records) {
      const platformEvent = JSON.parse(record.body) as { type: string; id: string; timestamp: string; data: unknown };
      const body = JSON.stringify({ id: platformEvent.id, type: platformEvent.type, timestamp: platformEvent.timestamp, data: platformEvent.data });
      for (const subscription of subscriptions) {
        if (!subscription.events.some((pattern) => matches(pattern, platformEvent.type))) continue;
        if (options.maxDeliveries !== undefined && deliveries >= options.maxDeliveries) return { deliveries };
        const id = deliveryId(platformEvent.id, subscription.name);
        const timestamp = Math.floor(Date.now() / 1000);
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          ...(subscription.secret !== undefined && { 'webhook-signature': sign([subscription.secret], id, timestamp, body) }),
        };
        const startedAt = performance.now();
        const response = await fetch(subscription.url, { method: 'POST', headers, body });
        await response.arrayBuffer();
        options.onDelivery?.(performance.now() - startedAt, response.status);
        deliveries++;
      }
    }
    return { deliveries };
  };
}
