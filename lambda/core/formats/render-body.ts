import { standardBody } from '../delivery/delivery-request';
import type { PlatformEvent } from '../inbound/events';
import type { SubscriptionFormat } from '../subscriptions/subscriptions';
import { discordMessage } from './discord';
import { eventSummary } from './event-summary';
import { mattermostMessage } from './mattermost';
import { pagerDutyEvent } from './pagerduty';
import { slackMessage } from './slack';
import { teamsMessage } from './teams';

/** What of a subscription shapes the body: its format and that format's options. */
export interface BodyTarget {
  readonly format: SubscriptionFormat;
  /** PagerDuty's routing key (format `pagerduty` only). */
  readonly routingKey?: string;
}

/**
 * The request body of an event in a subscription's format (docs/design.md §2, §3): `standard` is the
 * Standard Webhooks body of {@link standardBody}; the others are the receiver's own JSON. Pure and
 * deterministic, so a retry renders the same body again from the event. Never throws: whatever
 * the data, each payload stays within its receiver's limits by truncating.
 */
export function renderBody(event: PlatformEvent, target: BodyTarget): string {
  if (target.format === 'standard') return standardBody(event);
  const summary = eventSummary(event);
  switch (target.format) {
    case 'slack':
      return JSON.stringify(slackMessage(summary));
    case 'discord':
      return JSON.stringify(discordMessage(summary));
    case 'mattermost':
      return JSON.stringify(mattermostMessage(summary));
    case 'teams':
      return JSON.stringify(teamsMessage(summary));
    case 'pagerduty':
      return JSON.stringify(pagerDutyEvent(summary, target.routingKey ?? ''));
  }
}

/**
 * The bodies of one event, each rendered once and shared by every subscription that wants it:
 * once per format, and per routing key for `pagerduty` (the key is part of that body).
 * `render` is {@link renderBody} but for tests.
 */
export function bodiesOf(event: PlatformEvent, render: typeof renderBody = renderBody): (target: BodyTarget) => string {
  const rendered = new Map<string, string>();
  return (target) => {
    const key = target.format === 'pagerduty' ? `pagerduty:${target.routingKey ?? ''}` : target.format;
    let body = rendered.get(key);
    if (body === undefined) {
      body = render(event, target);
      rendered.set(key, body);
    }
    return body;
  };
}
