import { formatTable } from '../../cli/format-table';

describe('formatTable', () => {
  it('aligns columns two spaces apart and leaves the last one unpadded', () => {
    // Act
    const lines = formatTable(['NAME', 'EVENTS', 'URL'], [['ops', 'jobs.*', 'https://a.example.com/'], ['incidents', '*', 'https://b.example.com/']]);

    // Assess
    expect(lines).toEqual([
      'NAME       EVENTS  URL',
      'ops        jobs.*  https://a.example.com/',
      'incidents  *       https://b.example.com/',
    ]);
  });

  it('shows control characters and line breaks in a cell as escapes, and aligns by what is shown', () => {
    // Act
    const lines = formatTable(['TYPE', 'ID'], [['jobs.failed\u001b[31m', 'evt_1\r\nforged  row'], ['jobs.done', 'evt_2']]);

    // Assess
    expect(lines).toEqual([
      'TYPE                 ID',
      'jobs.failed\\x1b[31m  evt_1\\r\\nforged  row',
      'jobs.done            evt_2',
    ]);
  });
});
