/**
 * The event catalogue, the envelope the platform publishes, and subscription pattern matching.
 * Adding a built-in event is a one-line change to {@link EVENT_CATALOGUE}; a deployment adds its
 * own with `EXTRA_EVENT_TYPES` (docs/design.md §10), given to {@link eventCatalogue}.
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

/** An event type of the catalogue, e.g. `experiments.succeeded`: the union of {@link EVENT_TYPES}. */
export type EventType = { [E in Entity]: `${E}.${(typeof EVENT_CATALOGUE)[E][number]}` }[Entity];

/** Where an event's entity sits in its data, as in the platform's envelope: `data.experiment` for `experiments.*`. */
export const ENTITY_DATA_KEY = { experiments: 'experiment', groups: 'group', jobs: 'job', builds: 'build' } as const satisfies Record<Entity, string>;

/**
 * Where an entity sits in an event's data: {@link ENTITY_DATA_KEY} for a built-in entity; for an
 * entity of the deployment's extra types, which the platform names by no convention of ours, its
 * name in the singular (`models` → `model`, `policies` → `policy`, `batches` → `batch`,
 * `processes` → `process`).
 */
export function entityDataKey(entity: string): string {
  if (Object.hasOwn(ENTITY_DATA_KEY, entity)) return ENTITY_DATA_KEY[entity as Entity];
  if (/[^aeiou]ies$/.test(entity)) return `${entity.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(entity)) return entity.slice(0, -2);
  return /[^s]s$/.test(entity) ? entity.slice(0, -1) : entity;
}

/** Every built-in event type, e.g. `experiments.succeeded`. */
export const EVENT_TYPES: readonly EventType[] = Object.entries(EVENT_CATALOGUE).flatMap(([entity, statuses]) =>
  statuses.map((status) => `${entity}.${status}` as EventType),
);

/**
 * `done` means "reached a final status": the built-in final statuses, whatever extra types a
 * deployment adds (`jobs.done` never matches an extra `jobs.deleted`).
 */
const DONE = 'done';
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'stopped']);

/** The naming of an event type (docs/design.md §10): `<entity>.<action>`, each part `[a-z][a-z0-9_-]*`. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*$/;

/** A platform event as the core handles it, after parsing and defaulting (docs/design.md §1). */
export interface PlatformEvent {
  readonly id: string;
  readonly type: string;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

/**
 * The event types one deployment accepts: the built-in catalogue plus its extra types. Built once
 * from the configuration and passed to whatever validates or matches event types (the function,
 * the CLI, the local stack), never a global that changes.
 */
export interface EventCatalogue {
  /** Every event type: the built-in ones, then the extra ones in the order given. */
  readonly types: readonly string[];
  /** The deployment's extra types (`EXTRA_EVENT_TYPES`), in the order given. */
  readonly extraTypes: readonly string[];
  /** Whether `type` is an event type of this catalogue. */
  has(type: string): boolean;
  /** The event types a pattern matches; empty for a pattern that can match nothing. */
  typesMatchedBy(pattern: string): readonly string[];
  /** The name or pattern closest to a mistyped pattern, for "did you mean" messages. */
  suggestPattern(pattern: string): string | undefined;
  /** The event type closest to an unknown published type, for "did you mean" messages. */
  suggestEventType(type: string): string | undefined;
}

/** Patterns remembered per catalogue; past this many distinct ones the memo starts over. */
const MEMO_LIMIT = 10_000;

/**
 * The catalogue of a deployment: the built-in events and `extraTypes` (repeats are kept once).
 * Patterns are matched against it once each and remembered, so indexing 10,000 subscriptions that
 * share a few patterns costs a few catalogue scans.
 * @throws {RangeError} naming the first extra type that is not valid (see {@link checkExtraEventType}).
 */
export function eventCatalogue(extraTypes: readonly string[] = []): EventCatalogue {
  const extra = [...new Set(extraTypes.map((type, index) => {
    try {
      return checkExtraEventType(type);
    } catch (error) {
      throw new RangeError(`extra event type ${index + 1} ${(error as Error).message}`, { cause: error });
    }
  }))];
  const types = [...EVENT_TYPES, ...extra];
  const known = new Set(types);
  const memo = new Map<string, readonly string[]>();
  const typesMatchedBy = (pattern: string): readonly string[] => {
    let matched = memo.get(pattern);
    if (matched === undefined) {
      matched = isWellFormedPattern(pattern) ? Object.freeze(types.filter((type) => matches(pattern, type))) : [];
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(pattern, matched);
    }
    return matched;
  };
  return {
    types,
    extraTypes: extra,
    has: (type) => known.has(type),
    typesMatchedBy,
    suggestPattern(pattern) {
      const [entity = '', status = ''] = splitType(pattern);
      const parts = types.map(splitType);
      const candidate = `${closest(entity, [...new Set(parts.map(([e]) => e)), '*'])}.${closest(status, [...new Set(parts.map(([, s]) => s)), '*'])}`;
      // Only a near miss is a typo: `models.*` is not a misspelt `jobs.*`.
      return candidate !== pattern && isNear(pattern, candidate) && typesMatchedBy(candidate).length > 0 ? candidate : undefined;
    },
    suggestEventType(type) {
      const candidate = closest(type, types);
      return isNear(type, candidate) ? candidate : undefined;
    },
  };
}

/** The built-in catalogue alone: a deployment without `EXTRA_EVENT_TYPES`. */
export const BUILT_IN_EVENTS: EventCatalogue = eventCatalogue();

/**
 * Checks one extra event type (docs/design.md §10): named `<entity>.<action>` by the rule of
 * {@link EVENT_TYPE_PATTERN}, and not one of the built-in events.
 * @returns the type.
 * @throws {RangeError} whose message completes "<where> …", quoting the type.
 */
export function checkExtraEventType(type: string): string {
  if ((EVENT_TYPES as readonly string[]).includes(type)) throw new RangeError(`"${type}" is a built-in event type already; list only types beyond the catalogue`);
  if (!EVENT_TYPE_PATTERN.test(type)) {
    const shown = /^[\x21-\x7e]{1,80}$/.test(type) ? `"${type}"` : `(${type.length} characters)`;
    throw new RangeError(`${shown} is not an event type "<entity>.<action>" whose parts are lowercase words of a-z, 0-9, "_" and "-" starting with a letter, such as "models.registered"`);
  }
  return type;
}

/**
 * Whether a subscription pattern matches an event type. Patterns are an exact name, `<entity>.*`,
 * `*.<action>` or `*`; a `done` action in a pattern matches every built-in final status of its
 * entity (`experiments.done` matches `experiments.failed`), and an explicit `.done`.
 */
export function matches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  const [patternEntity, patternStatus] = splitType(pattern);
  const [entity, status] = splitType(type);
  if (patternEntity !== '*' && patternEntity !== entity) return false;
  return patternStatus === '*' || patternStatus === status || (patternStatus === DONE && FINAL_STATUSES.has(status));
}

/** Close enough to be a typo of `candidate`: a third of the word, or two letters, apart at most. */
function isNear(word: string, candidate: string): boolean {
  return editDistance(word, candidate) <= Math.max(2, Math.floor(word.length / 3));
}

function isWellFormedPattern(pattern: string): boolean {
  return pattern === '*' || /^(\*|[a-z][a-z0-9_-]*)\.(\*|[a-z][a-z0-9_-]*)$/.test(pattern);
}

function splitType(type: string): [string, string] {
  const dot = type.indexOf('.');
  return dot < 0 ? [type, ''] : [type.slice(0, dot), type.slice(dot + 1)];
}
