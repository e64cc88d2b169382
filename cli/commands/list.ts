import { Command } from 'commander';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { formatTable } from '../format-table';
import { maskForDisplay, maskSecret, maskUrl, scrubSecrets } from '../mask-secrets';
import { createSubscriptionStore } from '../subscription-store';
import type { StoredSubscription } from '../subscription-store';

/**
 * `webhooks list`: every subscription under the path, secrets and URLs masked, in text and JSON
 * alike (README "Output, secrets and exit codes"); invalid parameters with their errors.
 */
export function listCommand(runtime: CommandRuntime): Command {
  return new Command('list')
    .alias('ls')
    .description('list the subscriptions (secrets and URLs masked, in JSON too); invalid parameters are listed with their errors')
    .addOption(jsonOption())
    .addHelpText('after', examples('webhooks list', 'webhooks list --json | jq -r \'.[] | select(.enabled) | .name\''))
    .action(async (_options: unknown, command: Command) => {
      const { out, aws } = runtime.contextFor(command);
      const store = createSubscriptionStore(aws.ssm, await aws.subscriptionsPath(), await aws.eventCatalogue());
      const all = await store.list();
      if (out.json) return out.data(all.map(listEntry));
      if (all.length === 0) {
        out.line(`No subscriptions under ${store.path}. Add one with: webhooks subscribe NAME --url URL --events LIST`);
        return;
      }
      const valid = all.flatMap((stored) => (stored.result.ok ? [stored.result.subscription] : []));
      const invalid = all.filter((stored) => !stored.result.ok);
      if (valid.length > 0) {
        const rows = valid.map((s) => [s.name, s.enabled ? 'yes' : 'no', s.events.join(','), filterSummary(s.filter), s.format, s.secret ? maskSecret(s.secret) : '-', maskUrl(s.url)]);
        for (const line of formatTable(['NAME', 'ENABLED', 'EVENTS', 'FILTER', 'FORMAT', 'SECRET', 'URL'], rows)) out.line(line);
      }
      if (invalid.length > 0) {
        if (valid.length > 0) out.line();
        out.line(`${invalid.length} invalid subscription parameter${invalid.length === 1 ? '' : 's'} (the delivery function skips ${invalid.length === 1 ? 'it' : 'them'}; fix with "webhooks subscribe NAME --overwrite" or remove):`);
        for (const stored of invalid) out.line(`  ${stored.name}: ${errorsOf(stored).join('; ')}`);
      }
    });
}

/** The JSON of one listed parameter: the summary of a valid subscription, or the errors of an invalid one. */
function listEntry(stored: StoredSubscription): Record<string, unknown> {
  const { name, type, result } = stored;
  if (!result.ok) return { name, type, valid: false, errors: errorsOf(stored) };
  const s = result.subscription;
  return {
    name, type, valid: true, enabled: s.enabled, events: s.events, ...(s.filter !== undefined && { filter: maskForDisplay(s.filter) }),
    url: maskUrl(s.url), format: s.format, ...(s.secret !== undefined && { secret: maskSecret(s.secret) }),
  };
}

/** Characters of a filter's JSON shown in the table. */
const FILTER_CELL_WIDTH = 48;

/** A filter in one table cell: its compact JSON, clipped (`webhooks show NAME` prints it whole). */
function filterSummary(filter: unknown): string {
  if (filter === undefined) return '-';
  const text = scrubSecrets(JSON.stringify(filter));
  return text.length > FILTER_CELL_WIDTH ? `${text.slice(0, FILTER_CELL_WIDTH - 1)}…` : text;
}

function errorsOf(stored: StoredSubscription): string[] {
  return stored.result.ok ? [] : stored.result.errors.map((error) => scrubSecrets(error.replace(`subscription "${stored.name}": `, '')));
}
