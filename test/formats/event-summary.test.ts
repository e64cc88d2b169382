import { SUMMARY_LIMITS, eventSummary } from '../../lambda/core/formats/event-summary';
import { platformEvent } from '../support/factories';

describe('eventSummary', () => {
  it('titles an event with the entity kind, its name and the status', () => {
    // Act
    const summary = eventSummary(platformEvent({ type: 'experiments.failed', data: { experiment: { id: 42, name: 'resnet-sweep-3', status: 'failed' } } }));

    // Assess
    expect(summary).toMatchObject({ kind: 'experiment', name: 'resnet-sweep-3', id: '42', identity: '42', status: 'failed', entityFound: true });
    expect(summary.title).toBe('Experiment resnet-sweep-3 failed');
    expect(summary.subject).toBe('Experiment resnet-sweep-3');
  });

  it.each([
    ['groups.stopped', { group: { id: 9, name: 'lr-search' } }, 'Experiment group lr-search stopped'],
    ['groups.failed', { experiment_group: { id: 9, name: 'lr-search' } }, 'Experiment group lr-search failed'],
    ['jobs.succeeded', { job: { id: 'job_7f3a' } }, 'Job job_7f3a succeeded'],
    ['builds.stopped', { build: { unique_name: 'vision.builds.318' } }, 'Build vision.builds.318 stopped'],
    ['builds.failed', {}, 'Build failed'],
    ['jobs.failed', { id: 77, name: 'nightly' }, 'Job nightly failed'],
    ['experiments.failed', { experiment: { name: 'multi\nline\tname' } }, 'Experiment multi line name failed'],
  ])('titles %s with data %j as "%s"', (type, data, title) => {
    // Act & Assess
    expect(eventSummary(platformEvent({ type, data })).title).toBe(title);
  });

  it.each([
    [{ experiment: { id: 42, status: 'failed' } }, 'failed', 'Experiment 42 failed'],
    [{ experiment: { id: 42, status: 'SUCCEEDED' } }, 'succeeded', 'Experiment 42 succeeded'],
    [{ status: 'stopped' }, 'stopped', 'Experiment stopped'],
    [{ experiment: { id: 42, status: 'running' } }, 'done', 'Experiment 42 finished'],
    [{ experiment: { id: 42 } }, 'done', 'Experiment 42 finished'],
  ] as const)('takes the status of an explicit .done from the data %j', (data, status, title) => {
    // Act
    const summary = eventSummary(platformEvent({ type: 'experiments.done', data }));

    // Assess
    expect(summary.status).toBe(status);
    expect(summary.title).toBe(title);
  });

  it.each([
    ['jobs.deleted', { job: { id: 'job_7f3a', name: 'preprocess-imagenet', status: 'failed' } }, 'Job preprocess-imagenet deleted', 'job'],
    ['models.registered', { model: { id: 7, name: 'resnet50-v2' } }, 'Model resnet50-v2 registered', 'model'],
    ['models.registered', { models: { id: 7, name: 'resnet50-v2' } }, 'Model resnet50-v2 registered', 'model'],
    ['models.registered', { name: 'resnet50-v2', version: 3 }, 'Model resnet50-v2 registered', 'model'],
    ['model_versions.promoted', { model_version: { id: 'mv-1' } }, 'Model version mv-1 promoted', 'model_version'],
    ['jobs.oom_killed', { job: { id: 17 } }, 'Job 17 oom killed', 'job'],
    ['datasets.re-indexed', {}, 'Dataset re indexed', 'dataset'],
  ])('titles the extra type %s with data %j as "%s", status "other" whatever the data says', (type, data, title, kind) => {
    // Act
    const summary = eventSummary(platformEvent({ type, data }));

    // Assess
    expect(summary).toMatchObject({ title, kind, status: 'other' });
  });

  it('leaves out a status of an extra type\'s entity that repeats the action', () => {
    // Act
    const summary = eventSummary(platformEvent({ type: 'models.archived', data: { model: { id: 7, name: 'resnet', status: 'archived', stage: 'production' } } }));

    // Assess
    expect(summary.fields.map((field) => field.key)).toEqual(['id', 'stage']);
    expect(summary.linkLabel).toBe('Open model');
  });

  it('identifies the entity by its id, else data.id, else the event id', () => {
    // Act
    const identities = [
      eventSummary(platformEvent({ data: { id: 'data-id', experiment: { id: 42 } } })).identity,
      eventSummary(platformEvent({ data: { id: 'data-id', experiment: { name: 'x' } } })).identity,
      eventSummary(platformEvent({ id: 'evt_1', data: { experiment: { name: 'x' } } })).identity,
    ];

    // Assess
    expect(identities).toEqual(['42', 'data-id', 'evt_1']);
  });

  it('lists the scalar fields of the entity then of the data, labelled, without name, links or a repeated status', () => {
    // Prepare
    const data = {
      experiment: { id: 42, name: 'resnet', status: 'succeeded', project: 'vision', created_at: '2026-11-27', gpuCount: 8, tags: ['a', 'b'], params: { lr: 0.1 }, html_url: 'https://x.example/42', empty: '' },
      triggeredBy: 'alice',
      nothing: null,
    };

    // Act
    const { fields } = eventSummary(platformEvent({ data }));

    // Assess
    expect(fields.map(({ label, value }) => [label, value])).toEqual([
      ['ID', '42'],
      ['Project', 'vision'],
      ['Created at', '2026-11-27'],
      ['GPU count', '8'],
      ['Tags', 'a, b'],
      ['Triggered by', 'alice'],
    ]);
  });

  it('keeps at most 10 fields, each value at most 500 characters', () => {
    // Prepare
    const experiment = Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`field_${index}`, 'v'.repeat(2000)]));

    // Act
    const { fields } = eventSummary(platformEvent({ data: { experiment } }));

    // Assess
    expect(fields).toHaveLength(SUMMARY_LIMITS.maxFields);
    for (const field of fields) expect(field.value.length).toBeLessThanOrEqual(SUMMARY_LIMITS.valueLength);
  });

  it.each([
    [{ experiment: { html_url: 'https://a.example/page', url: 'https://a.example/api' } }, 'https://a.example/page'],
    [{ experiment: { web_url: 'https://a.example/web' } }, 'https://a.example/web'],
    [{ experiment: { link: 'http://a.example/link' } }, 'http://a.example/link'],
    [{ experiment: { id: 1 }, url: 'https://a.example/from-data' }, 'https://a.example/from-data'],
    [{ experiment: { url: 'javascript:alert(1)', link: 'https://a.example/ok' } }, 'https://a.example/ok'],
    [{ experiment: { url: '/relative/path' } }, undefined],
    [{ experiment: { url: `https://a.example/${'p'.repeat(2100)}` } }, undefined],
  ])('finds the link of %j', (data, link) => {
    // Act & Assess
    expect(eventSummary(platformEvent({ data })).link).toBe(link);
  });
});
