/**
 * `webhooks test NAME --verify` (docs/design.md §11): after a signed test delivery the receiver
 * accepted, the same body goes again twice, each in a way a receiver that verifies Standard
 * Webhooks signatures must refuse. Accepting either is a hole the CLI warns about.
 */
import { randomBytes } from 'node:crypto';

import type { AttemptResult } from '../lambda/core/delivery/outcome';
import { deliveryId, sign } from '../lambda/core/delivery/signature';
import type { DeliveryRequest } from '../lambda/core/ports';

/** How old the stale probe's timestamp is: twice Standard Webhooks' five-minute tolerance. */
export const STALE_TIMESTAMP_MS = 10 * 60_000;

/** The probes, in the order they are sent, with what a receiver that accepts one lacks. */
export const PROBES = {
  'wrong-signature': {
    what: 'a wrong signature',
    hole: 'it does not verify webhook-signature, so anyone who knows its URL can send it events',
  },
  'stale-timestamp': {
    what: 'a correct signature over a timestamp 10 minutes old',
    hole: 'it does not check webhook-timestamp, so a captured delivery can be sent to it again (a replay); refuse timestamps more than 5 minutes away',
  },
} as const;
export type Probe = keyof typeof PROBES;

/** What one probe got back. */
export interface ProbeResult {
  readonly probe: Probe;
  readonly result: AttemptResult;
  readonly latencyMs: number;
  /** Refused with an HTTP status outside 2xx; `undefined` when no HTTP answer came (a network error). */
  readonly refused: boolean | undefined;
}

export interface ProbeOptions {
  /** The test delivery's `webhook-id`; each probe has one of its own, so a receiver's de-duplication cannot answer for it. */
  readonly deliveryId: string;
  /** Builds the request exactly as the test delivery was built, for another delivery id and time. */
  readonly build: (deliveryId: string, now: number) => DeliveryRequest;
  readonly send: (request: DeliveryRequest) => Promise<AttemptResult>;
  /** Epoch milliseconds. */
  readonly now: number;
}

/** Sends the wrong-signature probe, then the stale-timestamp one, and reports what each got. */
export async function probeReceiver(options: ProbeOptions): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const probe of Object.keys(PROBES) as Probe[]) {
    const id = deliveryId(`${options.deliveryId}/${probe}`, probe);
    const request = probe === 'wrong-signature' ? withWrongSignature(options.build(id, options.now), id, options.now) : options.build(id, options.now - STALE_TIMESTAMP_MS);
    const started = performance.now();
    const result = await options.send(request);
    const latencyMs = Math.round(performance.now() - started);
    results.push({ probe, result, latencyMs, refused: result.kind === 'response' ? result.status < 200 || result.status >= 300 : undefined });
  }
  return results;
}

/** The request signed with a fresh random secret instead of the subscription's: well formed, and wrong. */
function withWrongSignature(request: DeliveryRequest, id: string, now: number): DeliveryRequest {
  const wrong = `whsec_${randomBytes(32).toString('base64')}`;
  return { ...request, headers: { ...request.headers, 'webhook-signature': sign([wrong], id, Math.floor(now / 1000), request.body) } };
}
