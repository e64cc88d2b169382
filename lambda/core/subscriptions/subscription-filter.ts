import type { PlatformEvent } from '../inbound/events';
import { compileEventPattern, patternPathKey } from './event-pattern';
import type { EventPattern } from './event-pattern';

/** A subscription's `filter` as stored: an EventBridge event pattern (docs/design.md §10). */
export type SubscriptionFilter = Readonly<Record<string, unknown>>;

/**
 * The fields of the delivered standard body (docs/design.md §3) and what each holds: a filter naming
 * anything else, or matching an object as a value, could never match, so it is refused when written.
 */
const BODY_FIELDS: Readonly<Record<string, 'string' | 'object'>> = { id: 'string', type: 'string', timestamp: 'string', data: 'object' };

/**
 * Compiled filters by the stored filter object. A subscription is parsed once per load, and its
 * filter compiled then ({@link filterProblems}): deliveries reuse that, whichever path (cached
 * index, fresh read) gave them the subscription, and a reload compiles the new objects afresh.
 */
const compiled = new WeakMap<SubscriptionFilter, EventPattern | undefined>();

/**
 * What is wrong with a `filter` value, each as `filter.<path>: <what>`; empty when it is valid.
 * A valid filter is compiled here, once, for {@link passesFilter}.
 */
export function filterProblems(filter: unknown): string[] {
  const result = compileEventPattern(filter);
  const problems = result.ok ? [] : result.issues.map(({ path, message }) => `filter${path}: ${message}`);
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) return problems;
  for (const [key, value] of Object.entries(filter)) {
    const kind = Object.hasOwn(BODY_FIELDS, key) ? BODY_FIELDS[key] : undefined;
    const at = `filter${patternPathKey(key)}`;
    if (kind === undefined) {
      problems.push(`${at}: the delivered body has only id, type, timestamp and data; the event's own fields are under "data", e.g. {"data": {"experiment": {"project": ["vision"]}}}`);
    } else if (kind === 'object' && Array.isArray(value)) {
      problems.push(`${at}: ${key} is an object in the delivered body; match its fields, e.g. {"data": {"experiment": {"project": ["vision"]}}}`);
    } else if (kind === 'string' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      problems.push(`${at}: ${key} is a string in the delivered body; give a list of values to match, e.g. {"${key}": [{"prefix": "…"}]}`);
    }
  }
  if (result.ok && problems.length === 0) compiled.set(filter as SubscriptionFilter, result.pattern);
  return problems;
}

/**
 * Whether an event is for a subscription with this filter (docs/design.md §10), matched against the
 * delivered standard body `{ id, type, timestamp, data }`: true without a filter. Never throws. A
 * filter that does not compile (only one that bypassed {@link filterProblems}) lets nothing through.
 */
export function passesFilter(filter: SubscriptionFilter | undefined, event: PlatformEvent): boolean {
  if (filter === undefined) return true;
  let pattern = compiled.get(filter);
  if (pattern === undefined && !compiled.has(filter)) {
    const result = compileEventPattern(filter);
    pattern = result.ok ? result.pattern : undefined;
    compiled.set(filter, pattern);
  }
  return pattern !== undefined && pattern.matches({ id: event.id, type: event.type, timestamp: event.timestamp, data: event.data });
}
