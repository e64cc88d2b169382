import { EVENT_TYPES, eventCatalogue } from '../../lambda/core/inbound/events';
import { indexSubscriptions } from '../../lambda/core/subscriptions/subscription-index';
import { subscription } from '../support/factories';

describe('indexSubscriptions', () => {
  it('indexes the extra event types of the catalogue it is given, each subscription once per type', () => {
    // Prepare
    const catalogue = eventCatalogue(['jobs.deleted', 'models.registered']);
    const jobs = subscription({ name: 'jobs', events: ['jobs.*', '*.deleted', 'jobs.deleted'] });
    const finished = subscription({ name: 'finished', events: ['jobs.done'] });
    const everything = subscription({ name: 'everything', events: ['*'] });

    // Act
    const index = indexSubscriptions([jobs, finished, everything], catalogue);

    // Assess
    expect(index.forType('jobs.deleted').map((s) => s.name)).toEqual(['jobs', 'everything']);
    expect(index.forType('models.registered').map((s) => s.name)).toEqual(['everything']);
    expect(index.forType('jobs.failed').map((s) => s.name)).toEqual(['jobs', 'finished', 'everything']);
    expect(indexSubscriptions([everything]).forType('jobs.deleted')).toEqual([]);
  });

  it('lists a subscription once for an event however many of its patterns match', () => {
    // Prepare
    const greedy = subscription({ name: 'greedy', events: ['experiments.succeeded', 'experiments.*', '*.succeeded', 'experiments.done', '*'] });

    // Act
    const index = indexSubscriptions([greedy]);

    // Assess
    expect(index.forType('experiments.succeeded')).toEqual([greedy]);
  });

  it('lists for each event type exactly the enabled subscriptions that match it', () => {
    // Prepare
    const experiments = subscription({ name: 'experiments', events: ['experiments.done'] });
    const failures = subscription({ name: 'failures', events: ['*.failed'] });
    const jobs = subscription({ name: 'jobs', events: ['jobs.*'] });
    const index = indexSubscriptions([experiments, failures, jobs]);

    // Act
    const names = (type: string): string[] => index.forType(type).map((s) => s.name);

    // Assess
    expect(names('experiments.failed')).toEqual(['experiments', 'failures']);
    expect(names('experiments.stopped')).toEqual(['experiments']);
    expect(names('jobs.failed')).toEqual(['failures', 'jobs']);
    expect(names('jobs.succeeded')).toEqual(['jobs']);
    expect(names('builds.succeeded')).toEqual([]);
  });

  it('leaves disabled subscriptions out of forType but finds them by name', () => {
    // Prepare
    const paused = subscription({ name: 'paused', enabled: false });
    const active = subscription({ name: 'active' });

    // Act
    const index = indexSubscriptions([paused, active]);

    // Assess
    for (const type of EVENT_TYPES) expect(index.forType(type)).toEqual([active]);
    expect(index.byName('paused')).toBe(paused);
    expect(index.all).toEqual([paused, active]);
  });

  it('finds nothing for an unknown name or an event type outside the catalogue', () => {
    // Prepare
    const index = indexSubscriptions([subscription()]);

    // Act
    const byName = index.byName('missing');
    const forType = index.forType('experiment.succeeded');

    // Assess
    expect(byName).toBeUndefined();
    expect(forType).toEqual([]);
  });
});
