import { breakCardLinks } from './chat-markup';
import type { EventSummary } from './event-summary';
import { fitWithin } from './fit-within';
import type { FieldLimits } from './fit-within';
import { STATUS_STYLES, footerLine } from './status-style';
import { truncate } from './truncate';

/**
 * Limits kept for Microsoft Teams. A message posted by a workflow may be about 28 KB in all;
 * the body is kept under 27,000 bytes of UTF-8 to leave room for what Teams adds. The per-text
 * limits are ours (Adaptive Cards set none), chosen to read well.
 * @see https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook
 */
export const TEAMS_LIMITS = {
  messageBytes: 27_000,
  title: 256,
  factTitle: 256,
  factValue: 1024,
  footer: 512,
} as const;

/** Adaptive Card 1.4: what Teams renders on desktop, web and mobile alike. */
export const ADAPTIVE_CARD_VERSION = '1.4';

type CardElement =
  | { readonly type: 'TextBlock'; readonly text: string; readonly wrap: true; readonly [option: string]: unknown }
  | { readonly type: 'FactSet'; readonly facts: readonly { readonly title: string; readonly value: string }[] };

export interface AdaptiveCard {
  readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  readonly type: 'AdaptiveCard';
  readonly version: typeof ADAPTIVE_CARD_VERSION;
  readonly body: readonly CardElement[];
  readonly actions?: readonly [{ readonly type: 'Action.OpenUrl'; readonly title: string; readonly url: string }];
  readonly msteams: { readonly width: 'Full' };
}

/** The payload a Teams workflow ("When a Teams webhook request is received") posts as a card. */
export interface TeamsMessage {
  readonly type: 'message';
  readonly attachments: readonly [{ readonly contentType: 'application/vnd.microsoft.card.adaptive'; readonly contentUrl: null; readonly content: AdaptiveCard }];
}

/**
 * The Teams message of an event: an Adaptive Card with the emoji and title coloured by status,
 * the key fields as a fact set, a subtle footer of event type, id and time, and an "Open …"
 * action to the entity's link. Fact values shrink evenly until the body fits 27,000 bytes. Text
 * the card renders as markdown (title, facts, footer) cannot form a link from the data.
 */
export function teamsMessage(summary: EventSummary): TeamsMessage {
  const start = { fields: summary.fields.length, valueLength: TEAMS_LIMITS.factValue };
  const card = fitWithin((limits) => adaptiveCard(summary, limits), (candidate) => Buffer.byteLength(JSON.stringify(wrap(candidate))), TEAMS_LIMITS.messageBytes, start);
  return wrap(card);
}

function wrap(content: AdaptiveCard): TeamsMessage {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }] };
}

function adaptiveCard(summary: EventSummary, limits: FieldLimits): AdaptiveCard {
  const { emoji, cardColor } = STATUS_STYLES[summary.status];
  const facts = summary.fields.slice(0, limits.fields).map(({ label, value }) => ({
    title: truncate(breakCardLinks(label), TEAMS_LIMITS.factTitle),
    value: truncate(breakCardLinks(value), limits.valueLength),
  }));
  const body: CardElement[] = [
    { type: 'TextBlock', text: truncate(breakCardLinks(`${emoji} ${summary.title}`), TEAMS_LIMITS.title), size: 'Large', weight: 'Bolder', color: cardColor, wrap: true },
    ...(facts.length > 0 ? [{ type: 'FactSet', facts } as const] : []),
    { type: 'TextBlock', text: truncate(breakCardLinks(footerLine(summary)), TEAMS_LIMITS.footer), size: 'Small', isSubtle: true, wrap: true },
  ];
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(summary.link !== undefined && { actions: [{ type: 'Action.OpenUrl', title: truncate(summary.linkLabel, TEAMS_LIMITS.title), url: summary.link }] as const }),
    msteams: { width: 'Full' },
  };
}
