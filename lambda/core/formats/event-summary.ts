import { isPlainObject } from '../inbound/envelope';
import type { Entity, PlatformEvent } from '../inbound/events';
import { ENTITY_DATA_KEY, FINAL_STATUSES, entityDataKey } from '../inbound/events';
import { KEY_FIELD_LIMITS, humanize, keyFields } from './key-fields';
import type { SummaryField } from './key-fields';
import { singleLine } from './truncate';

/**
 * The final status an event reports; `done` when an explicit `.done` event's data names none;
 * `other` for an action beyond the final statuses (an extra event type, docs/design.md §10).
 */
export type SummaryStatus = 'succeeded' | 'failed' | 'stopped' | 'done' | 'other';

/** What every chat and incident template shows of an event, derived from it alone. */
export interface EventSummary {
  readonly eventId: string;
  readonly eventType: string;
  readonly timestamp: string;
  /** The entity kind, singular: `experiment`, `group`, `job`, `build`. */
  readonly kind: string;
  /** The kind as a title shows it: `Experiment`, `Experiment group`, `Job`, `Build`. */
  readonly kindLabel: string;
  /** Whether the data carries the entity object (`data.experiment`, …). */
  readonly entityFound: boolean;
  readonly name?: string;
  /** The entity's `id`, else `data.id`. */
  readonly id?: string;
  /** A stable identity of the entity for de-duplication: {@link id}, else the event id. */
  readonly identity: string;
  readonly project?: string;
  readonly status: SummaryStatus;
  /** `Experiment resnet-sweep-3`. */
  readonly subject: string;
  /** `Experiment resnet-sweep-3 failed`. */
  readonly title: string;
  /** At most {@link SUMMARY_LIMITS.maxFields} key fields, in the order of the data. */
  readonly fields: readonly SummaryField[];
  /** An absolute http(s) link to the entity, when the data carries one. */
  readonly link?: string;
  /** `Open experiment`. */
  readonly linkLabel: string;
}

export const SUMMARY_LIMITS = {
  ...KEY_FIELD_LIMITS,
  /** Longer links are dropped: a truncated link would lead somewhere else. */
  maxLinkLength: 2048,
} as const;

/**
 * Where a link is looked for, first in the entity then in the data: the first absolute http(s)
 * URL wins. `html_url` and `web_url` come first because APIs that have both use `url` for the
 * machine-readable resource and these for the page a person opens.
 */
export const LINK_KEYS = ['html_url', 'web_url', 'url', 'link'] as const;
/** Names are in the title and links in a button: neither is repeated as a key field. */
const NOT_KEY_FIELDS: ReadonlySet<string> = new Set(['name', 'unique_name', ...LINK_KEYS]);

const NOUNS: Readonly<Record<Entity, { readonly kind: string; readonly label: string; readonly dataKeys: readonly string[] }>> = {
  experiments: { kind: ENTITY_DATA_KEY.experiments, label: 'Experiment', dataKeys: [ENTITY_DATA_KEY.experiments] },
  groups: { kind: ENTITY_DATA_KEY.groups, label: 'Experiment group', dataKeys: [ENTITY_DATA_KEY.groups, 'experiment_group'] },
  jobs: { kind: ENTITY_DATA_KEY.jobs, label: 'Job', dataKeys: [ENTITY_DATA_KEY.jobs] },
  builds: { kind: ENTITY_DATA_KEY.builds, label: 'Build', dataKeys: [ENTITY_DATA_KEY.builds] },
};

const VERBS: Readonly<Record<Exclude<SummaryStatus, 'other'>, string>> = { succeeded: 'succeeded', failed: 'failed', stopped: 'stopped', done: 'finished' };

/**
 * Summarises an event for the chat and incident templates. The entity is `data.<kind>`
 * (`data.experiment` for `experiments.*`, `data.group` or `data.experiment_group` for `groups.*`).
 * Its id is the entity's `id`, else `data.id`; its name the entity's `name` (else `unique_name`),
 * or, when the data has no entity, the data's own. An explicit `.done` takes its status from the
 * entity's (or the data's) `status` when that is a final status. Key fields are the scalar values
 * (and arrays of them) of the entity, then of the data, in their order, except names, links and a
 * status equal to the event's; at most 10, values truncated to 500 characters. Never throws.
 *
 * An extra event type (docs/design.md §10) has no data convention of ours: its entity is looked
 * for under the entity's name in the singular, then as named (`data.model`, then `data.models`
 * for `models.registered`), else the data's own name and id are used as above. Its title ends
 * with the action in words (`Job preprocess-imagenet deleted`, `Model resnet50 registered`)
 * and its status is `other`, whatever the data says: only the built-in statuses report an outcome.
 */
export function eventSummary(event: PlatformEvent): EventSummary {
  const [entityName = '', typeStatus = ''] = event.type.split('.');
  // Own keys only: an extra type's entity may be named like an Object.prototype member (`constructor`).
  const noun = Object.hasOwn(NOUNS, entityName) ? NOUNS[entityName as Entity] : nounOf(entityName);
  const entity = noun.dataKeys.map((key) => event.data[key]).find(isPlainObject);
  const name = text(entity?.name) ?? text(entity?.unique_name) ?? (entity ? undefined : text(event.data.name) ?? text(event.data.unique_name));
  const id = identifier(entity?.id) ?? identifier(event.data.id);
  const builtIn = typeStatus === 'done' || FINAL_STATUSES.has(typeStatus);
  const status: SummaryStatus = builtIn ? summaryStatus(typeStatus, entity?.status ?? event.data.status) : 'other';
  const display = name ?? id;
  const subject = singleLine(display === undefined ? noun.label : `${noun.label} ${display}`);
  const link = findLink(entity) ?? findLink(event.data);
  const project = text(entity?.project) ?? text(event.data.project);
  return {
    eventId: event.id,
    eventType: event.type,
    timestamp: event.timestamp,
    kind: noun.kind,
    kindLabel: noun.label,
    entityFound: entity !== undefined,
    ...(name !== undefined && { name }),
    ...(id !== undefined && { id }),
    identity: id ?? event.id,
    ...(project !== undefined && { project }),
    status,
    subject,
    title: `${subject} ${status === 'other' ? humanize(typeStatus).toLowerCase() : VERBS[status]}`,
    fields: keyFields([entity ?? {}, event.data], NOT_KEY_FIELDS, status === 'other' ? typeStatus : status),
    ...(link !== undefined && { link }),
    linkLabel: `Open ${noun.label.toLowerCase()}`,
  };
}

/** The noun of an entity of an extra event type: `model_versions` is a `model_version`, shown `Model version`. */
function nounOf(entityName: string): { readonly kind: string; readonly label: string; readonly dataKeys: readonly string[] } {
  const kind = entityDataKey(entityName);
  return { kind, label: humanize(kind), dataKeys: kind === entityName ? [kind] : [kind, entityName] };
}

/** The status of a built-in type: its own final status, else (`.done`) the data's when final, else `done`. */
function summaryStatus(typeStatus: string, dataStatus: unknown): SummaryStatus {
  if (FINAL_STATUSES.has(typeStatus)) return typeStatus as SummaryStatus;
  const reported = typeof dataStatus === 'string' ? dataStatus.toLowerCase() : '';
  return FINAL_STATUSES.has(reported) ? (reported as SummaryStatus) : 'done';
}

function findLink(source: Record<string, unknown> | undefined): string | undefined {
  for (const key of LINK_KEYS) {
    const value = source?.[key];
    if (typeof value === 'string' && value.length <= SUMMARY_LIMITS.maxLinkLength && isHttpUrl(value)) return value;
  }
  return undefined;
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
}

function text(value: unknown): string | undefined {
  const line = typeof value === 'string' ? singleLine(value) : '';
  return line === '' ? undefined : line;
}

function identifier(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : text(value);
}
