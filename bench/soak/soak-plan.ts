import { EVENT_TYPES } from '../../lambda/core/inbound/events';
import { pick, randomInt, seededRandom } from './seeded-random';
import type { Random } from './seeded-random';

/** How a subscription's receiver answers (see `replyFor`). */
export type ReceiverBehaviour =
  /** Fails at random (500, 429 with Retry-After, timeout, reset) at `failureRate`, answers slowly at `slowRate`, else 200. */
  | { readonly kind: 'flaky'; readonly failureRate: number; readonly slowRate: number }
  /** 200 for events published before `fromSeq`, then 410 Gone: the subscription gets disabled. */
  | { readonly kind: 'gone'; readonly fromSeq: number }
  /** Always 404: every delivery is a permanent failure. */
  | { readonly kind: 'not-found' }
  /** Never called: the subscription's filter keeps every event out (see {@link IDLE_FILTER}). */
  | { readonly kind: 'idle' };

/** A subscription of the run, as stored in SSM, with how its receiver behaves. */
export interface SoakSubscription {
  readonly name: string;
  readonly events: readonly string[];
  readonly enabled: boolean;
  readonly secret?: string;
  /** A payload filter (README, "Payload filters"), stored with the subscription. */
  readonly filter?: Readonly<Record<string, unknown>>;
  readonly behaviour: ReceiverBehaviour;
}

/** A platform event of the run; `seq` is its publishing order. */
export interface SoakEvent {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface SoakPlan {
  readonly events: readonly SoakEvent[];
  readonly subscriptions: readonly SoakSubscription[];
}

/** Mixed patterns: exact names, `<entity>.*`, `*.<status>`, `.done`, `*`, and lists of them. */
const PATTERNS: readonly (readonly string[])[] = [
  ['*'],
  ['experiments.*'],
  ['jobs.*', 'builds.failed'],
  ['*.failed'],
  ['experiments.done'],
  ['*.succeeded', '*.stopped'],
  ['groups.*'],
  ['builds.done'],
  ['jobs.done', 'experiments.failed'],
  ['experiments.succeeded', 'jobs.failed', '*.stopped'],
  ['*.done'],
  ['groups.failed', 'builds.*', 'experiments.stopped'],
];

/**
 * The filter of an idle subscription: it names the event id, which no published event's matches
 * (theirs start `evt_soak_`), so the function evaluates it for every event and delivers nothing.
 */
export const IDLE_FILTER = { id: [{ prefix: 'evt_idle_' }] } as const;

export interface PlanOptions {
  readonly events: number;
  readonly subscriptions: number;
  /** Subscriptions that receive events; the others are idle. Default: all. */
  readonly activeSubscriptions?: number;
  readonly seed: number;
}

/**
 * The run's events and subscriptions, a pure function of its arguments: subscription 0 answers
 * 410 from a third of the events on, 1 answers 404, 2 is disabled from the start (it must receive
 * nothing), and the rest of the active ones fail at random at rates from 0 to 50%; the subscriptions
 * past `activeSubscriptions` are idle (every event, filtered out).
 */
export function planSoak(options: PlanOptions): SoakPlan {
  const random = seededRandom(options.seed);
  const active = options.activeSubscriptions ?? options.subscriptions;
  const subscriptions = Array.from({ length: options.subscriptions }, (_, index) =>
    index < active ? planSubscription(index, options, random) : idleSubscription(index));
  const events = Array.from({ length: options.events }, (_, seq) => {
    // The first events walk the catalogue so that every type is published at least once.
    const type = seq < EVENT_TYPES.length ? (EVENT_TYPES[seq] ?? '') : pick(random, EVENT_TYPES);
    return { seq, id: `evt_soak_${options.seed}_${seq}`, type, data: eventData(seq, type) };
  });
  return { events, subscriptions };
}

function subscriptionName(index: number): string {
  return `soak-${String(index).padStart(2, '0')}`;
}

function idleSubscription(index: number): SoakSubscription {
  return { name: subscriptionName(index), events: ['*'], enabled: true, filter: IDLE_FILTER, behaviour: { kind: 'idle' } };
}

function planSubscription(index: number, options: { readonly events: number; readonly seed: number }, random: Random): SoakSubscription {
  const name = subscriptionName(index);
  const events = pick(random, PATTERNS);
  const secret = index % 2 === 0 ? `whsec_${Buffer.from(Array.from({ length: 32 }, () => randomInt(random, 0, 255))).toString('base64')}` : undefined;
  const base = { name, events, ...(secret !== undefined && { secret }) };
  switch (index) {
    case 0:
      return { ...base, events: ['jobs.*', 'experiments.done'], enabled: true, behaviour: { kind: 'gone', fromSeq: Math.floor(options.events / 3) } };
    case 1:
      return { ...base, events: ['builds.*'], enabled: true, behaviour: { kind: 'not-found' } };
    case 2:
      return { ...base, events: ['*'], enabled: false, behaviour: { kind: 'flaky', failureRate: 0, slowRate: 0 } };
    default:
      return { ...base, enabled: true, behaviour: { kind: 'flaky', failureRate: Math.round(random() * 50) / 100, slowRate: 0.05 } };
  }
}

function eventData(seq: number, type: string): Record<string, unknown> {
  const [entity = '', status = ''] = type.split('.');
  return { [entity.replace(/s$/, '')]: { id: seq, name: `soak-${seq}`, project: 'soak', status } };
}
