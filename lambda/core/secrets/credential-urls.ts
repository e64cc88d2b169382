/**
 * Webhook URLs whose path is itself the credential (README "Security model", What is masked): whoever
 * holds the path of a Slack incoming webhook can post to the channel. Pure data and one lookup.
 */

/** One service whose webhook path carries a token. */
export interface CredentialUrl {
  readonly service: string;
  /** Host names (`*.` matches any subdomain, not the bare domain); empty: any host. */
  readonly hosts: readonly string[];
  /** The leading part of the path that is shown; what follows it is masked. No match: the rule does not apply. */
  readonly shown: RegExp;
}

/** Any first path segment, e.g. `/services/`. */
const FIRST_SEGMENT = /^\/[^/]+\//;

/**
 * The table, in the order it is searched (README "Security model" lists it). Query values are
 * masked on every host, so services that sign with query parameters (`sig`, `key`, `token`)
 * are covered whatever their path.
 */
export const CREDENTIAL_URLS: readonly CredentialUrl[] = [
  { service: 'Slack', hosts: ['hooks.slack.com'], shown: FIRST_SEGMENT },
  { service: 'Discord', hosts: ['discord.com', 'discordapp.com', '*.discord.com', '*.discordapp.com'], shown: /^\/api\/(?:v\d+\/)?webhooks\// },
  { service: 'Microsoft Teams (connectors)', hosts: ['*.webhook.office.com', 'outlook.office.com', 'outlook.office365.com'], shown: FIRST_SEGMENT },
  { service: 'Microsoft Teams (workflows), Power Automate', hosts: ['*.logic.azure.com', '*.api.powerplatform.com'], shown: FIRST_SEGMENT },
  { service: 'Google Chat', hosts: ['chat.googleapis.com'], shown: /^\/v\d+\/spaces\// },
  { service: 'PagerDuty (integration URLs)', hosts: ['events.pagerduty.com', 'events.eu.pagerduty.com'], shown: /^\/integration\// },
  { service: 'Telegram', hosts: ['api.telegram.org'], shown: /^\// },
  { service: 'IFTTT', hosts: ['maker.ifttt.com'], shown: FIRST_SEGMENT },
  // Mattermost, Rocket.Chat, Zapier, Gitea and most self-hosted receivers: `/hooks/<token>`.
  { service: 'any host: `/hooks/`, `/webhook/`, `/webhooks/` paths', hosts: [], shown: /^.*?\/(?:hooks|webhooks?)\//i },
];

/**
 * How many leading characters of `path` may be shown on `hostname`, or `undefined` when no entry
 * of {@link CREDENTIAL_URLS} applies (the path is then shown, but for token-shaped segments).
 */
export function shownPathLength(hostname: string, path: string): number | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  for (const entry of CREDENTIAL_URLS) {
    if (entry.hosts.length > 0 && !entry.hosts.some((pattern) => hostMatches(pattern, host))) continue;
    const match = entry.shown.exec(path);
    if (match !== null) return match[0].length;
  }
  return undefined;
}

function hostMatches(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;
}
