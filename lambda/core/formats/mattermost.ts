import { escapeMarkdown, truncateEscaped } from './chat-markup';
import type { EventSummary } from './event-summary';
import { fitWithin } from './fit-within';
import type { FieldLimits } from './fit-within';
import { STATUS_STYLES, footerLine } from './status-style';
import { truncate } from './truncate';

/**
 * Limits kept for Mattermost. A post's text may hold 16,383 characters (Mattermost 5.0+), but
 * older servers refuse attachments whose JSON exceeds 7,900 characters, so the attachment is kept
 * under that; the per-text limits are ours, chosen to read well.
 * @see https://developers.mattermost.com/integrate/reference/message-attachments/
 */
export const MATTERMOST_LIMITS = {
  attachmentsJson: 7900,
  title: 256,
  fieldTitle: 256,
  fieldValue: 1024,
  footer: 512,
} as const;

export interface MattermostAttachment {
  readonly fallback: string;
  readonly color: string;
  readonly title: string;
  readonly title_link?: string;
  readonly fields: readonly { readonly title: string; readonly value: string; readonly short: boolean }[];
  readonly footer: string;
}

/** A Mattermost incoming-webhook payload: one message attachment, no top-level text. */
export interface MattermostMessage {
  readonly attachments: readonly [MattermostAttachment];
}

const SHORT_MAX = 40;

/**
 * The Mattermost message of an event: one attachment with a side bar coloured by status, the
 * emoji and title (linked to the entity), the key fields and a footer of event type, id and time.
 * There is no top-level `text` or `pretext`, where Mattermost would act on `@channel` mentions
 * in the data. Field values shrink evenly until the attachment's JSON fits 7,900 characters.
 * Data is escaped where Mattermost reads markdown (the title, field titles and values), so it can
 * neither link nor mention; `fallback` (notifications) and the footer are plain text.
 */
export function mattermostMessage(summary: EventSummary): MattermostMessage {
  const attachment = fitWithin(
    (limits) => mattermostAttachment(summary, limits),
    (candidate) => JSON.stringify([candidate]).length,
    MATTERMOST_LIMITS.attachmentsJson,
    { fields: summary.fields.length, valueLength: MATTERMOST_LIMITS.fieldValue },
  );
  return { attachments: [attachment] };
}

function mattermostAttachment(summary: EventSummary, limits: FieldLimits): MattermostAttachment {
  const { emoji, color } = STATUS_STYLES[summary.status];
  return {
    fallback: truncate(`${emoji} ${summary.title}`, MATTERMOST_LIMITS.title),
    color,
    title: truncateEscaped(`${emoji} ${escapeMarkdown(summary.title)}`, MATTERMOST_LIMITS.title),
    ...(summary.link !== undefined && { title_link: summary.link }),
    fields: summary.fields.slice(0, limits.fields).map(({ label, value }) => ({
      title: truncateEscaped(escapeMarkdown(label), MATTERMOST_LIMITS.fieldTitle),
      value: truncateEscaped(escapeMarkdown(value), limits.valueLength),
      short: value.length <= SHORT_MAX,
    })),
    footer: truncate(footerLine(summary), MATTERMOST_LIMITS.footer),
  };
}
