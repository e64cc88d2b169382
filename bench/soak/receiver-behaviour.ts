import type { ReceiverBehaviour } from './soak-plan';
import { hashUnit } from './seeded-random';

/** What a soak receiver did with one request. */
export type ReplyKind =
  | 'ok'
  | 'slow'
  | 'http-500'
  | 'http-429'
  | 'timeout'
  | 'reset'
  | 'http-404'
  | 'http-410'
  /** The request did not verify (signature, webhook-id or body): answered 400, always a failure of the run. */
  | 'bad-request';

/** How a flaky receiver's failures split between kinds. */
const FAILURE_MIX = [
  ['http-500', 0.35],
  ['http-429', 0.25],
  ['reset', 0.25],
  ['timeout', 0.15],
] as const satisfies ReadonlyArray<readonly [ReplyKind, number]>;

/**
 * The error text of a dead-letter record (the sender's classification, `lambda/core/delivery/outcome.ts`)
 * that fits each failing answer. A slow answer can still time out when the machine is loaded.
 */
export const FITTING_ERRORS: Readonly<Partial<Record<ReplyKind, RegExp>>> = {
  'http-500': /^HTTP 500$/,
  'http-429': /^HTTP 429$/,
  timeout: /^ETIMEDOUT:/,
  slow: /^ETIMEDOUT:/,
  reset: /^(ECONNRESET|EPIPE):/,
  'http-404': /^HTTP 404$/,
  'http-410': /^HTTP 410 Gone/,
};

/** Errors a request can meet before any receiver sees it (a pooled connection closed under it). */
export const CONNECTION_ERRORS = /^(ECONNRESET|EPIPE|ECONNREFUSED|ETIMEDOUT):/;

export interface RequestFacts {
  readonly seed: number;
  readonly webhookId: string;
  /** The `webhook-attempt` header. */
  readonly attempt: number;
  /** The event's publishing order. */
  readonly seq: number;
}

/**
 * How a receiver answers a request: a pure function of the request, so that the answer does not
 * depend on arrival order and a replayed run (same seed) answers the same.
 */
export function replyFor(behaviour: ReceiverBehaviour, request: RequestFacts): ReplyKind {
  switch (behaviour.kind) {
    case 'not-found':
      return 'http-404';
    case 'idle':
      // Its filter keeps every event out: the invariant counts any request to it as unexpected.
      return 'http-404';
    case 'gone':
      return request.seq < behaviour.fromSeq ? 'ok' : 'http-410';
    case 'flaky': {
      const roll = hashUnit(request.seed, request.webhookId, request.attempt);
      if (roll < behaviour.failureRate) return failureKind(hashUnit(request.seed, request.webhookId, request.attempt, 'kind'));
      return roll < behaviour.failureRate + behaviour.slowRate ? 'slow' : 'ok';
    }
  }
}

/** Whether the receiver answered 2xx. */
export function isSuccess(kind: ReplyKind): boolean {
  return kind === 'ok' || kind === 'slow';
}

function failureKind(roll: number): ReplyKind {
  let cumulative = 0;
  for (const [kind, share] of FAILURE_MIX) {
    cumulative += share;
    if (roll < cumulative) return kind;
  }
  return 'http-500';
}
