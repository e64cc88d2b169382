import { BUILT_IN_EVENTS, EVENT_CATALOGUE, EVENT_TYPES, checkExtraEventType, entityDataKey, eventCatalogue, matches } from '../../lambda/core/inbound/events';

const { has: isEventType, suggestPattern, typesMatchedBy } = BUILT_IN_EVENTS;

/** The catalogue of docs/design.md §1, written out so that a change to the module is a visible change here. */
const CATALOGUE = [
  'experiments.done', 'experiments.succeeded', 'experiments.failed', 'experiments.stopped',
  'groups.done', 'groups.failed', 'groups.stopped',
  'jobs.done', 'jobs.succeeded', 'jobs.failed', 'jobs.stopped',
  'builds.done', 'builds.succeeded', 'builds.failed', 'builds.stopped',
];

const entityOf = (type: string): string => type.split('.')[0] ?? '';
const statusOf = (type: string): string => type.split('.')[1] ?? '';

describe('EVENT_TYPES', () => {
  it('lists exactly the catalogue of docs/design.md §1', () => {
    // Prepare
    const expected = [...CATALOGUE].sort();

    // Act
    const types = [...EVENT_TYPES].sort();

    // Assess
    expect(types).toEqual(expected);
    expect(Object.keys(EVENT_CATALOGUE).sort()).toEqual(['builds', 'experiments', 'groups', 'jobs']);
  });

  it('recognises catalogue types only', () => {
    // Prepare
    const outsiders = ['groups.succeeded', 'experiments', 'experiments.*', '*', 'Experiments.done', ''];

    // Act
    const known = CATALOGUE.filter(isEventType);
    const unknown = outsiders.filter(isEventType);

    // Assess
    expect(known).toEqual(CATALOGUE);
    expect(unknown).toEqual([]);
  });
});

describe('matches', () => {
  it.each(CATALOGUE)('matches %s by its exact name and no other type by that name', (type) => {
    // Prepare
    const others = CATALOGUE.filter((other) => other !== type && !(statusOf(type) === 'done' && entityOf(other) === entityOf(type)));

    // Act
    const self = matches(type, type);
    const matchedOthers = others.filter((other) => matches(type, other));

    // Assess
    expect(self).toBe(true);
    expect(matchedOthers).toEqual([]);
  });

  it.each(CATALOGUE)('matches %s by "<entity>.*" of its entity only', (type) => {
    // Prepare
    const ownPattern = `${entityOf(type)}.*`;
    const otherPatterns = Object.keys(EVENT_CATALOGUE).filter((entity) => entity !== entityOf(type)).map((entity) => `${entity}.*`);

    // Act
    const own = matches(ownPattern, type);
    const foreign = otherPatterns.filter((pattern) => matches(pattern, type));

    // Assess
    expect(own).toBe(true);
    expect(foreign).toEqual([]);
  });

  it.each(CATALOGUE)('matches %s by "*.<status>" of its status, by "*.done" and by "*"', (type) => {
    // Prepare
    const otherStatuses = ['succeeded', 'failed', 'stopped'].filter((status) => status !== statusOf(type));

    // Act
    const byStatus = matches(`*.${statusOf(type)}`, type);
    const byDone = matches('*.done', type);
    const byStar = matches('*', type);
    const byOtherStatus = otherStatuses.filter((status) => matches(`*.${status}`, type));

    // Assess
    expect(byStatus).toBe(true);
    expect(byDone).toBe(true);
    expect(byStar).toBe(true);
    expect(byOtherStatus).toEqual([]);
  });

  it('matches every final status of experiments, and nothing of jobs, with "experiments.done"', () => {
    // Prepare
    const experiments = ['experiments.succeeded', 'experiments.failed', 'experiments.stopped', 'experiments.done'];
    const jobs = ['jobs.succeeded', 'jobs.failed', 'jobs.stopped', 'jobs.done'];

    // Act
    const matchedExperiments = experiments.filter((type) => matches('experiments.done', type));
    const matchedJobs = jobs.filter((type) => matches('experiments.done', type));

    // Assess
    expect(matchedExperiments).toEqual(experiments);
    expect(matchedJobs).toEqual([]);
  });

  it('does not let a specific status match the explicitly published "done" event', () => {
    // Act
    const matched = matches('experiments.succeeded', 'experiments.done');

    // Assess
    expect(matched).toBe(false);
  });
});

describe('typesMatchedBy', () => {
  it.each([
    ['experiments.succeeded', ['experiments.succeeded']],
    ['experiments.done', ['experiments.done', 'experiments.succeeded', 'experiments.failed', 'experiments.stopped']],
    ['groups.*', ['groups.done', 'groups.failed', 'groups.stopped']],
    ['*.succeeded', ['experiments.succeeded', 'jobs.succeeded', 'builds.succeeded']],
    ['*.done', CATALOGUE],
    ['*', CATALOGUE],
  ])('lists the catalogue types %s matches', (pattern, expected) => {
    // Act
    const types = typesMatchedBy(pattern);

    // Assess
    expect([...types].sort()).toEqual([...expected].sort());
  });

  it.each(['groups.succeeded', 'experiment.failed', 'experiments.finished', 'experiments', 'experiments.', '.failed', 'jobs.*.*', 'Jobs.*', ''])(
    'lists nothing for %j, which can match no catalogue event',
    (pattern) => {
      // Act
      const types = typesMatchedBy(pattern);

      // Assess
      expect(types).toEqual([]);
    },
  );
});

describe('suggestPattern', () => {
  it.each([
    ['experiment.failed', 'experiments.failed'],
    ['experiments.succeded', 'experiments.succeeded'],
    ['job.*', 'jobs.*'],
    ['*.fail', '*.failed'],
    ['build.stoped', 'builds.stopped'],
  ])('suggests %s → %s', (typo, expected) => {
    // Act
    const suggestion = suggestPattern(typo);

    // Assess
    expect(suggestion).toBe(expected);
  });

  it('suggests only patterns that match at least one event', () => {
    // Prepare
    const typos = ['experiment.failed', 'grups.done', 'jobs.sucess', 'nonsense', 'x.y', '*.fail', 'groups.succeeded'];

    // Act
    const suggestions = typos.map(suggestPattern).filter((suggestion): suggestion is string => suggestion !== undefined);

    // Assess
    expect(suggestions.length).toBeGreaterThan(0);
    for (const suggestion of suggestions) expect(typesMatchedBy(suggestion).length).toBeGreaterThan(0);
  });

  it('offers nothing when the closest candidate is the pattern itself', () => {
    // Act
    const suggestion = suggestPattern('groups.succeeded');

    // Assess
    expect(suggestion).toBeUndefined();
  });
});

describe('eventCatalogue with extra event types', () => {
  const catalogue = eventCatalogue(['jobs.deleted', 'models.registered', 'models.archived', 'data_sets.re-indexed']);

  it('accepts the extra types beside the built-in ones, and nothing else', () => {
    // Act
    const known = ['jobs.deleted', 'models.registered', 'experiments.failed'].filter(catalogue.has);
    const unknown = ['models.deleted', 'jobs.registered', 'models.*'].filter(catalogue.has);

    // Assess
    expect(known).toEqual(['jobs.deleted', 'models.registered', 'experiments.failed']);
    expect(unknown).toEqual([]);
    expect(catalogue.types).toEqual([...EVENT_TYPES, 'jobs.deleted', 'models.registered', 'models.archived', 'data_sets.re-indexed']);
    expect(BUILT_IN_EVENTS.has('jobs.deleted')).toBe(false);
  });

  it.each([
    ['jobs.*', ['jobs.done', 'jobs.succeeded', 'jobs.failed', 'jobs.stopped', 'jobs.deleted']],
    ['*.deleted', ['jobs.deleted']],
    ['models.*', ['models.registered', 'models.archived']],
    ['data_sets.re-indexed', ['data_sets.re-indexed']],
    ['jobs.done', ['jobs.done', 'jobs.succeeded', 'jobs.failed', 'jobs.stopped']],
  ])('lets %s cover the extra types it names', (pattern, expected) => {
    // Act
    const types = catalogue.typesMatchedBy(pattern);

    // Assess
    expect([...types]).toEqual(expected);
  });

  it('keeps ".done" to the built-in final statuses: no extra action is "done"', () => {
    // Act
    const byDone = ['jobs.deleted', 'models.registered'].filter((type) => matches('*.done', type) || matches('jobs.done', type));

    // Assess
    expect(byDone).toEqual([]);
    expect(catalogue.typesMatchedBy('models.done')).toEqual([]);
  });

  it('suggests extra types for typos of them', () => {
    // Act
    const suggestions = [catalogue.suggestPattern('model.registered'), catalogue.suggestEventType('models.registred')];

    // Assess
    expect(suggestions).toEqual(['models.registered', 'models.registered']);
  });

  it('refuses an extra type that is a built-in one, naming it and its place in the list', () => {
    // Act
    const build = (): unknown => eventCatalogue(['jobs.deleted', 'jobs.failed']);

    // Assess
    expect(build).toThrow('extra event type 2 "jobs.failed" is a built-in event type already; list only types beyond the catalogue');
  });

  it.each(['Models.registered', 'models', 'models.', '.registered', 'models.*', '*', 'models.registered.v2', '1models.registered', 'models.re gistered', 'models._registered'])(
    'refuses %j, which breaks the naming rule',
    (type) => {
      // Act
      const check = (): unknown => checkExtraEventType(type);

      // Assess
      expect(check).toThrow(/is not an event type "<entity>\.<action>" whose parts are lowercase words of a-z, 0-9, "_" and "-" starting with a letter/);
    },
  );

  it('keeps a repeated extra type once', () => {
    // Act
    const repeated = eventCatalogue(['jobs.deleted', 'jobs.deleted']);

    // Assess
    expect(repeated.extraTypes).toEqual(['jobs.deleted']);
  });
});

describe('entityDataKey', () => {
  it.each([
    ['experiments', 'experiment'],
    ['groups', 'group'],
    ['models', 'model'],
    ['policies', 'policy'],
    ['batches', 'batch'],
    ['processes', 'process'],
    ['databases', 'database'],
    ['data', 'data'],
    ['model_versions', 'model_version'],
  ])('finds %s under data.%s', (entity, key) => {
    // Act
    const found = entityDataKey(entity);

    // Assess
    expect(found).toBe(key);
  });
});
