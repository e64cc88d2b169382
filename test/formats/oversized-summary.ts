import { eventSummary } from '../../lambda/core/formats/event-summary';
import type { EventSummary, SummaryStatus } from '../../lambda/core/formats/event-summary';
import { platformEvent } from '../support/factories';

/**
 * A summary far beyond every receiver's limits, built by hand so that the templates' own limits
 * are exercised (event summaries already cap what they hold): a 5,000-character title, 30 fields
 * of 300-character labels and 5,000-character values full of markup, and a long event id.
 */
export function oversizedSummary(status: SummaryStatus = 'failed', character = 'x'): EventSummary {
  const base = eventSummary(platformEvent({ id: `evt_${'9'.repeat(252)}` }));
  const long = (length: number) => `<!channel> @everyone & **${character.repeat(length)}`;
  return {
    ...base,
    status,
    subject: `Experiment ${long(5000)}`,
    title: `Experiment ${long(5000)} ${status}`,
    fields: Array.from({ length: 30 }, (_, index) => ({ key: `k${index}`, label: `Label ${index} ${long(300)}`, value: long(5000) })),
    link: `https://platform.example.com/${'p'.repeat(2000)}`,
    linkLabel: `Open ${'experiment '.repeat(20)}`,
  };
}
