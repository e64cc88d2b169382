/**
 * The event catalogue, the envelope the platform publishes, and subscription pattern matching.
 * Adding an event is a one-line change to {@link EVENT_CATALOGUE}.
 */

import { closest, editDistance } from '../closest-word';

/** Entities and the final statuses the platform publishes for each (docs/design.md §1). */
export const EVENT_CATALOGUE = {
  experiments: ['done', 'succeeded', 'failed', 'stopped'],
  groups: ['done', 'failed', 'stopped'],
  jobs: ['done', 'succeeded', 'failed', 'stopped'],
  builds: ['done', 'succeeded', 'failed', 'stopped'],
} as const satisfies Record<string, readonly string[]>;

export type Entity = keyof typeof EVENT_CATALOGUE;

/** Where an event's entity sits in its data, as in the platform's envelope: `data.experiment` for `experiments.*`. */
export const ENTITY_DATA_KEY = { experiments: 'experiment', groups: 'group', jobs: 'job', builds: 'build' } as const satisfies Record<Entity, string>;

/** Every event type in the catalogue, e.g. `experiments.succeeded`. */
export const EVENT_TYPES: readonly string[] = Object.entries(EVENT_CATALOGUE).flatMap(([entity, statuses]) =>
  statuses.map((status) => `${entity}.${status}`),
);

const EVENT_TYPE_SET = new Set(EVENT_TYPES);

/** `done` means "reached a final status": every status in the catalogue is final. */
const DONE = 'done';

/** A platform event as the core handles it, after parsing and defaulting (docs/design.md §1). */
export interface PlatformEvent {
  readonly id: string;
  readonly type: string;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

/** Whether `type` is an event type of the catalogue. */
export function isEventType(type: string): boolean {
  return EVENT_TYPE_SET.has(type);
}

/**
 * Whether a subscription pattern matches an event type. Patterns are an exact catalogue name,
 * `<entity>.*`, `*.<status>` or `*`; a `done` status in a pattern matches every final status of
 * its entity (`experiments.done` matches `experiments.failed`).
 */
export function matches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  const [patternEntity, patternStatus] = splitType(pattern);
  const [entity, status] = splitType(type);
  if (patternEntity !== '*' && patternEntity !== entity) return false;
  return patternStatus === '*' || patternStatus === status || patternStatus === DONE;
}

/** The catalogue event types a pattern matches; empty for a pattern that can match nothing. */
export function typesMatchedBy(pattern: string): string[] {
  if (!isWellFormedPattern(pattern)) return [];
  return EVENT_TYPES.filter((type) => matches(pattern, type));
}

/** The catalogue name or pattern closest to a mistyped pattern, for "did you mean" messages. */
export function suggestPattern(pattern: string): string | undefined {
  const [entity = '', status = ''] = splitType(pattern);
  const entities = [...Object.keys(EVENT_CATALOGUE), '*'];
  const statuses = [...new Set(Object.values(EVENT_CATALOGUE).flat()), '*'];
  const candidate = `${closest(entity, entities)}.${closest(status, statuses)}`;
  return candidate !== pattern && typesMatchedBy(candidate).length > 0 ? candidate : undefined;
}

/** The catalogue event type closest to an unknown published type, for "did you mean" messages. */
export function suggestEventType(type: string): string | undefined {
  const candidate = closest(type, EVENT_TYPES);
  return editDistance(type, candidate) <= Math.max(2, Math.floor(type.length / 3)) ? candidate : undefined;
}

function isWellFormedPattern(pattern: string): boolean {
  return pattern === '*' || /^(\*|[a-z]+)\.(\*|[a-z]+)$/.test(pattern);
}

function splitType(type: string): [string, string] {
  const dot = type.indexOf('.');
  return dot < 0 ? [type, ''] : [type.slice(0, dot), type.slice(dot + 1)];
}
