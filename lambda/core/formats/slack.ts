import type { EventSummary } from './event-summary';
import { STATUS_STYLES, footerLine } from './status-style';
import { truncate } from './truncate';

/**
 * Slack's limits for an incoming-webhook message. `text` may hold 40,000 characters, but it is
 * the notification line, so it is kept to a section's 3,000.
 * @see https://docs.slack.dev/reference/block-kit/blocks/header-block
 * @see https://docs.slack.dev/reference/block-kit/blocks/section-block
 */
export const SLACK_LIMITS = {
  text: 3000,
  blocks: 50,
  headerText: 150,
  sectionFields: 10,
  fieldText: 2000,
  contextText: 3000,
  buttonText: 75,
  buttonUrl: 3000,
} as const;

type PlainText = { readonly type: 'plain_text'; readonly text: string; readonly emoji?: boolean };
type Mrkdwn = { readonly type: 'mrkdwn'; readonly text: string };

export type SlackBlock =
  | { readonly type: 'header'; readonly text: PlainText }
  | { readonly type: 'section'; readonly fields: readonly Mrkdwn[] }
  | { readonly type: 'actions'; readonly elements: readonly [{ readonly type: 'button'; readonly text: PlainText; readonly url: string }] }
  | { readonly type: 'context'; readonly elements: readonly [Mrkdwn] };

/** A Slack incoming-webhook payload: the notification text plus Block Kit blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Room kept for a field's label within its 2,000 characters. */
const LABEL_MAX = 100;

/**
 * The Slack message of an event: a header with the status emoji and title, the key fields as a
 * two-column section, a button to the entity's link, and a context line with the event type, id
 * and time. Text in `mrkdwn` is escaped (`&`, `<`, `>`), so data can neither mention `@channel`
 * nor forge links. Every text is truncated to Slack's limits.
 */
export function slackMessage(summary: EventSummary): SlackMessage {
  const { slackEmoji } = STATUS_STYLES[summary.status];
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${slackEmoji} ${summary.title}`, SLACK_LIMITS.headerText), emoji: true } },
  ];
  if (summary.fields.length > 0) {
    const fields = summary.fields.slice(0, SLACK_LIMITS.sectionFields).map(({ label, value }): Mrkdwn => {
      const title = `*${escapeMrkdwn(truncate(label, LABEL_MAX))}*\n`;
      return { type: 'mrkdwn', text: truncate(`${title}${escapeMrkdwn(truncate(value, SLACK_LIMITS.fieldText - title.length))}`, SLACK_LIMITS.fieldText) };
    });
    blocks.push({ type: 'section', fields });
  }
  if (summary.link !== undefined && summary.link.length <= SLACK_LIMITS.buttonUrl) {
    const button = { type: 'button', text: { type: 'plain_text', text: truncate(summary.linkLabel, SLACK_LIMITS.buttonText) }, url: summary.link } as const;
    blocks.push({ type: 'actions', elements: [button] });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(footerLine(summary)), SLACK_LIMITS.contextText) }] });
  return { text: truncate(`${slackEmoji} ${escapeMrkdwn(summary.title)}`, SLACK_LIMITS.text), blocks };
}

/**
 * Slack's three control characters as entities.
 * @see https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
