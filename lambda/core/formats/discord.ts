import { escapeMarkdown, truncateEscaped } from './chat-markup';
import type { EventSummary } from './event-summary';
import { fitWithin } from './fit-within';
import type { FieldLimits } from './fit-within';
import { STATUS_STYLES, footerLine } from './status-style';
import { truncate } from './truncate';

/**
 * Discord's limits for a webhook message and its embeds; the total counts the title,
 * description, field names and values, footer text and author name of every embed.
 * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  embedTotal: 6000,
} as const;

export interface DiscordEmbed {
  readonly title: string;
  readonly url?: string;
  readonly color: number;
  readonly fields: readonly { readonly name: string; readonly value: string; readonly inline: boolean }[];
  readonly footer: { readonly text: string };
  readonly timestamp: string;
}

/** A Discord execute-webhook payload. */
export interface DiscordMessage {
  readonly content: string;
  readonly embeds: readonly [DiscordEmbed];
  /** Nothing in the data may ping anyone (`@everyone`, roles, users). */
  readonly allowed_mentions: { readonly parse: readonly [] };
}

/** Values at most this long sit side by side (`inline`). */
const INLINE_MAX = 40;

/**
 * The Discord message of an event: `content` is the status emoji and title (what a notification
 * shows); one embed names the entity, links it, is coloured by status, and lists the key fields
 * with a footer of event type, id and time. Field values shrink evenly until the embed fits
 * Discord's 6,000-character total; mentions are disabled. Data is escaped wherever Discord reads
 * markdown (content, title, field names and values), so it can neither link nor mention; the
 * footer is plain text.
 */
export function discordMessage(summary: EventSummary): DiscordMessage {
  const { emoji, color } = STATUS_STYLES[summary.status];
  const start = { fields: DISCORD_LIMITS.embedFields, valueLength: DISCORD_LIMITS.fieldValue };
  const embed = fitWithin((limits) => discordEmbed(summary, color, limits), embedCharacters, DISCORD_LIMITS.embedTotal, start);
  return { content: truncateEscaped(`${emoji} ${escapeMarkdown(summary.title)}`, DISCORD_LIMITS.content), embeds: [embed], allowed_mentions: { parse: [] } };
}

/** The characters of an embed that count towards Discord's total. */
export function embedCharacters(embed: DiscordEmbed): number {
  return embed.title.length + embed.footer.text.length + embed.fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
}

function discordEmbed(summary: EventSummary, color: string, limits: FieldLimits): DiscordEmbed {
  return {
    title: truncateEscaped(escapeMarkdown(summary.subject), DISCORD_LIMITS.embedTitle),
    ...(summary.link !== undefined && { url: summary.link }),
    color: Number.parseInt(color.slice(1), 16),
    fields: summary.fields.slice(0, limits.fields).map(({ label, value }) => ({
      name: truncateEscaped(escapeMarkdown(label), DISCORD_LIMITS.fieldName),
      value: truncateEscaped(escapeMarkdown(value), limits.valueLength),
      inline: value.length <= INLINE_MAX,
    })),
    footer: { text: truncate(footerLine(summary), DISCORD_LIMITS.footerText) },
    timestamp: new Date(summary.timestamp).toISOString(),
  };
}
