import { humanize, keyFields } from '../../lambda/core/formats/key-fields';

describe('keyFields', () => {
  it('leaves out omitted keys, empty values, objects and a status the title already says', () => {
    // Act
    const fields = keyFields([{ name: 'x', status: 'failed', empty: '  ', nested: { a: 1 }, nothing: null, ok: true }], new Set(['name']), 'failed');

    // Assess
    expect(fields).toEqual([{ key: 'ok', label: 'Ok', value: 'true' }]);
  });

  it('keeps a status that differs from the title', () => {
    // Act & Assess
    expect(keyFields([{ status: 'running' }], new Set(), 'done')).toEqual([{ key: 'status', label: 'Status', value: 'running' }]);
  });

  it('keeps the first of two keys with the same label, across sources', () => {
    // Act
    const fields = keyFields([{ created_at: 'entity' }, { createdAt: 'data', other: 'y' }], new Set(), 'failed');

    // Assess
    expect(fields.map(({ key, value }) => [key, value])).toEqual([['created_at', 'entity'], ['other', 'y']]);
  });

  it('keeps line breaks in values and turns other control characters into spaces', () => {
    // Act & Assess
    expect(keyFields([{ message: 'line 1\r\nline\t2\u0007' }], new Set(), 'failed')[0]?.value).toBe('line 1\nline 2');
  });
});

describe('humanize', () => {
  it.each([
    ['created_at', 'Created at'],
    ['experimentGroupId', 'Experiment group ID'],
    ['gpu-count', 'GPU count'],
    ['html.url', 'Html URL'],
    ['___', '___'],
  ])('labels %s as "%s"', (key, label) => {
    // Act & Assess
    expect(humanize(key)).toBe(label);
  });
});
