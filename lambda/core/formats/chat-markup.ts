/**
 * Event data in a chat message is text, never markup (README "Formats", Limits and truncation): a
 * name such as `[Action required](https://evil.example/login)` must not render as a link, `@here`
 * must not mention anyone, `# Outage` must not become a heading. Slack has its own escaping
 * (`escapeMrkdwn` in `slack.ts`); these are for Discord, Mattermost and Microsoft Teams.
 */
import { ELLIPSIS, truncate } from './truncate';

/** Invisible, and breaks a mention or a link without changing what a reader sees. */
const ZERO_WIDTH_SPACE = '\u200b';

/** Characters that open inline markup: emphasis, strike, spoilers, code, links, autolinks, mentions, quotes. */
const INLINE_MARKUP = /[\\`*_~|[\]<>]/g;
/** Markup that only counts at the start of a line: headings, Discord's `-#` subtext, lists. */
const LINE_START_MARKUP = /^([ \t]*)([#+-]|\d+[.)])/gm;
/** `@everyone`, `@here`, `@channel`, `@alice`: an `@` that starts a word. */
const MENTION = /(^|[^\w@])@(?=\w)/g;

/**
 * Markdown as Discord and Mattermost read it, escaped: CommonMark backslash escapes (both honour
 * them) before every character that opens markup, and a zero-width space after the `@` of a
 * mention, which no escape suppresses.
 * @see https://spec.commonmark.org/0.31.2/#backslash-escapes
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE_MARKUP, '\\$&')
    .replace(LINE_START_MARKUP, (_match, indent: string, marker: string) => `${indent}${marker.replace(/[#+\-.)]/, '\\$&')}`)
    .replace(MENTION, `$1@${ZERO_WIDTH_SPACE}`);
}

/**
 * {@link truncate} for escaped text: a cut never leaves a lone backslash before the ellipsis,
 * which would escape it or show as a stray character.
 */
export function truncateEscaped(text: string, max: number): string {
  const cut = truncate(text, max);
  if (cut === text || !cut.endsWith(`\\${ELLIPSIS}`)) return cut;
  const backslashes = /\\*$/.exec(cut.slice(0, -ELLIPSIS.length))?.[0].length ?? 0;
  return backslashes % 2 === 1 ? `${cut.slice(0, -ELLIPSIS.length - 1)}${ELLIPSIS}` : cut;
}

/**
 * Text for an Adaptive Card in Teams, whose markdown is links, emphasis and lists. Teams clients
 * disagree on backslash escapes (they show on some, vanish on others), so a link is broken
 * instead: a zero-width space after every `]` that a `(`, `[` or `:` follows leaves no
 * `[text](url)`, `[text][ref]` or `[ref]: url` to render. Teams has no mentions without the
 * card's own `msteams.entities`, and no headings.
 * @see https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/text-features
 * @see https://github.com/microsoft/AdaptiveCards/issues/4677
 */
export function breakCardLinks(text: string): string {
  return text.replace(/\](?=[([:])/g, `]${ZERO_WIDTH_SPACE}`);
}
