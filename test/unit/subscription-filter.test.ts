import { filterProblems, passesFilter } from '../../lambda/core/subscriptions/subscription-filter';
import { platformEvent } from '../support/factories';

describe('filterProblems', () => {
  it('accepts a filter on the fields of the delivered body', () => {
    // Act
    const problems = filterProblems({ type: [{ suffix: '.failed' }], id: [{ prefix: 'evt_' }], timestamp: [{ exists: true }], data: { experiment: { project: ['vision'] } } });

    // Assess
    expect(problems).toEqual([]);
  });

  it('prefixes each problem with the path from "filter"', () => {
    // Act
    const problems = filterProblems({ data: { experiment: { id: [{ numeric: ['>'] }] } } });

    // Assess
    expect(problems).toEqual(['filter.data.experiment.id[0]: numeric needs an operator and a number, e.g. {"numeric": [">", 0, "<=", 5]}']);
  });

  it.each<[string, object, string]>([
    ['a field the body does not have (an EventBridge envelope field)', { detail: { state: ['failed'] } }, 'filter.detail: the delivered body has only id, type, timestamp and data; the event\'s own fields are under "data", e.g. {"data": {"experiment": {"project": ["vision"]}}}'],
    ['data matched as a value', { data: [{ exists: true }] }, 'filter.data: data is an object in the delivered body; match its fields, e.g. {"data": {"experiment": {"project": ["vision"]}}}'],
    ['type matched as an object', { type: { entity: ['jobs'] } }, 'filter.type: type is a string in the delivered body; give a list of values to match, e.g. {"type": [{"prefix": "…"}]}'],
    ['an inherited name', { constructor: ['x'] }, 'filter.constructor: the delivered body has only id, type, timestamp and data; the event\'s own fields are under "data", e.g. {"data": {"experiment": {"project": ["vision"]}}}'],
  ])('refuses %s, which could never match', (_what, filter, expected) => {
    // Act
    const problems = filterProblems(filter);

    // Assess
    expect(problems).toEqual([expected]);
  });

  it('names the whole filter when it is not an object', () => {
    // Act
    const problems = filterProblems('experiments');

    // Assess
    expect(problems).toEqual(['filter: must be a JSON object of fields to match, e.g. {"data": {"experiment": {"project": ["vision"]}}}; got a string']);
  });
});

describe('passesFilter', () => {
  const event = platformEvent({ id: 'evt_42', type: 'experiments.failed', data: { experiment: { id: 42, project: 'vision', tags: ['gpu', 'nightly'] } } });

  it('lets every event through without a filter', () => {
    // Act / Assess
    expect(passesFilter(undefined, event)).toBe(true);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ['a data field among listed values', { data: { experiment: { project: ['vision', 'nlp'] } } }, true],
    ['a data field outside the listed values', { data: { experiment: { project: ['nlp'] } } }, false],
    ['the event type by suffix', { type: [{ suffix: '.failed' }] }, true],
    ['the event id', { id: ['evt_41'] }, false],
    ['the timestamp by prefix', { timestamp: [{ prefix: '2026-11-27' }] }, true],
    ['an element of an array in data', { data: { experiment: { tags: ['nightly'] } } }, true],
    ['a numeric range on data', { data: { experiment: { id: [{ numeric: ['>=', 40, '<', 42] }] } } }, false],
    ['a field the data lacks', { data: { job: [{ exists: false }] } }, true],
  ])('matches %s against the delivered body', (_what, filter, expected) => {
    // Prepare
    expect(filterProblems(filter)).toEqual([]);

    // Act
    const passes = passesFilter(filter, event);

    // Assess
    expect(passes).toBe(expected);
  });

  it('lets nothing through for a filter that was never validated and does not compile', () => {
    // Act / Assess
    expect(passesFilter({ data: { experiment: { project: 'vision' } } }, event)).toBe(false);
  });

  it('gives the same verdict every time for the same filter object', () => {
    // Prepare
    const filter = { data: { experiment: { project: ['vision'] } } };

    // Act
    const verdicts = [passesFilter(filter, event), passesFilter(filter, event), passesFilter(filter, platformEvent({ data: {} }))];

    // Assess
    expect(verdicts).toEqual([true, true, false]);
  });
});
