import { createHash } from 'node:crypto';
import type { EventSummary, SummaryStatus } from './event-summary';
import { truncate } from './truncate';

/**
 * PagerDuty Events API v2 limits. `source`, `component`, `group` and `class` have no documented
 * limit; they are kept to 255 characters, and each custom detail to 1,024.
 * @see https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 */
export const PAGERDUTY_LIMITS = {
  dedupKey: 255,
  summary: 1024,
  shortText: 255,
  customDetail: 1024,
} as const;

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';
export type PagerDutyAction = 'trigger' | 'resolve';

/** A PagerDuty Events API v2 event (POST https://events.pagerduty.com/v2/enqueue). */
export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: PagerDutyAction;
  readonly dedup_key: string;
  readonly payload: {
    readonly summary: string;
    readonly source: string;
    readonly severity: PagerDutySeverity;
    readonly timestamp: string;
    readonly component: string;
    readonly group?: string;
    readonly class: string;
    readonly custom_details: Readonly<Record<string, string>>;
  };
  readonly links?: readonly [{ readonly href: string; readonly text: string }];
  readonly client: 'platform-webhooks';
}

/**
 * What each status does to the entity's incident: a failure or a stop triggers it, a success
 * resolves it. An explicit `.done` whose data names no final status also resolves: `done` says
 * the entity finished, failures are published as `.failed` (or carry `status: "failed"`), and
 * paging on an event that reports no problem would be noise. An extra event type's action
 * (`jobs.deleted`, docs/design.md §10) reports no problem either: it resolves too.
 */
export const PAGERDUTY_ACTIONS: Readonly<Record<SummaryStatus, { readonly action: PagerDutyAction; readonly severity: PagerDutySeverity }>> = {
  failed: { action: 'trigger', severity: 'error' },
  stopped: { action: 'trigger', severity: 'warning' },
  succeeded: { action: 'resolve', severity: 'info' },
  done: { action: 'resolve', severity: 'info' },
  other: { action: 'resolve', severity: 'info' },
};

const DEDUP_PREFIX = 'platform-webhooks';

/**
 * The PagerDuty event of a platform event, for the subscription's routing key. The `dedup_key`
 * is stable per entity (`platform-webhooks:experiment:42`), so the success that follows a failure
 * resolves its incident; an entity without an id falls back to the event id (no later event can
 * resolve it then). `source` is the entity's project, else `platform-webhooks`.
 */
export function pagerDutyEvent(summary: EventSummary, routingKey: string): PagerDutyEvent {
  const { action, severity } = PAGERDUTY_ACTIONS[summary.status];
  const short = (text: string): string => truncate(text, PAGERDUTY_LIMITS.shortText);
  const details: Record<string, string> = {};
  for (const { label, value } of summary.fields) details[label] = truncate(value, PAGERDUTY_LIMITS.customDetail);
  details['Event type'] = summary.eventType;
  details['Event ID'] = summary.eventId;
  return {
    routing_key: routingKey,
    event_action: action,
    dedup_key: dedupKey(summary),
    payload: {
      summary: truncate(summary.title, PAGERDUTY_LIMITS.summary),
      source: short(summary.project ?? DEDUP_PREFIX),
      severity,
      timestamp: summary.timestamp,
      component: short(summary.kind),
      ...(summary.project !== undefined && { group: short(summary.project) }),
      class: short(summary.eventType),
      custom_details: details,
    },
    ...(summary.link !== undefined && { links: [{ href: summary.link, text: summary.linkLabel }] as const }),
    client: DEDUP_PREFIX,
  };
}

/** `platform-webhooks:<kind>:<identity>`; an identity too long for 255 characters is hashed, never cut (a cut key could merge two entities). */
export function dedupKey(summary: Pick<EventSummary, 'kind' | 'identity'>): string {
  const key = `${DEDUP_PREFIX}:${summary.kind}:${summary.identity}`;
  if (key.length <= PAGERDUTY_LIMITS.dedupKey) return key;
  return `${DEDUP_PREFIX}:${summary.kind}:sha256:${createHash('sha256').update(summary.identity).digest('hex')}`;
}
