import type { SummaryStatus } from './event-summary';
import { singleLine } from './truncate';

/** How each status looks in a chat message: an emoji and a colour (docs/design.md §2 formats). */
export interface StatusStyle {
  /** Unicode emoji, for receivers that render it as is (Discord, Mattermost, Teams). */
  readonly emoji: string;
  /** Slack emoji shortcode. */
  readonly slackEmoji: string;
  /** `#rrggbb`, for attachment side bars (Mattermost) and, as a number, Discord embeds. */
  readonly color: string;
  /** Adaptive Card text colour (Teams). */
  readonly cardColor: 'Good' | 'Attention' | 'Warning' | 'Accent' | 'Default';
}

export const STATUS_STYLES: Readonly<Record<SummaryStatus, StatusStyle>> = {
  succeeded: { emoji: '✅', slackEmoji: ':white_check_mark:', color: '#2EB67D', cardColor: 'Good' },
  failed: { emoji: '❌', slackEmoji: ':x:', color: '#E01E5A', cardColor: 'Attention' },
  stopped: { emoji: '⏹️', slackEmoji: ':black_square_for_stop:', color: '#ECB22E', cardColor: 'Warning' },
  done: { emoji: '🏁', slackEmoji: ':checkered_flag:', color: '#1D9BD1', cardColor: 'Accent' },
  // An extra event type's action (docs/design.md §10): news, neither good nor bad.
  other: { emoji: 'ℹ️', slackEmoji: ':information_source:', color: '#868686', cardColor: 'Default' },
};

/** The footer line shared by the chat formats: `experiments.failed · evt_01J… · 2026-11-27T10:00:00.000Z`. */
export function footerLine(summary: { readonly eventType: string; readonly eventId: string; readonly timestamp: string }): string {
  return singleLine(`${summary.eventType} · ${summary.eventId} · ${summary.timestamp}`);
}
