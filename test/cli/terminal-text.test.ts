import { terminalJson, terminalText } from '../../cli/terminal-text';

describe('terminalText', () => {
  it.each([
    ['an ANSI sequence and BEL', 'a\u001b[2Jb\u0007', 'a\\x1b[2Jb\\x07'],
    ['line breaks and a tab', 'one\r\ntwo\tthree', 'one\\r\\ntwo\\tthree'],
    ['DEL and a C1 CSI', 'x\u007fy\u009b31m', 'x\\x7fy\\x9b31m'],
    ['bidi overrides, isolates and line separators', 'a\u202eb\u2066c\u2028d', 'a\\u202eb\\u2066c\\u2028d'],
    ['printable text, backslashes and non-Latin letters', 'jobs.failed C:\\x ünïcødé 実験', 'jobs.failed C:\\x ünïcødé 実験'],
  ])('shows %s as escapes', (_case, text, shown) => {
    // Act
    const result = terminalText(text);

    // Assess
    expect(result).toBe(shown);
  });
});

describe('terminalJson', () => {
  it('writes every control character as an escape and parses back to the same value', () => {
    // Prepare
    const value = { type: 'a\u001b[2J\u0007', id: 'b\r\nc', error: 'd\u009b\u202e\u2028', nested: [{ ok: true }] };

    // Act
    const json = terminalJson(value);

    // Assess
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/);
    expect(JSON.parse(json)).toEqual(value);
    expect(json.split('\n')).toHaveLength(JSON.stringify(value, null, 2).split('\n').length);
  });
});
