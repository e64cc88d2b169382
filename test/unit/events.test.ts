import { EVENT_CATALOGUE, EVENT_TYPES, isEventType, matches, suggestPattern, typesMatchedBy } from '../../lambda/core/inbound/events';

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
