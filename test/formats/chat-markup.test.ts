import { breakCardLinks, escapeMarkdown, truncateEscaped } from '../../lambda/core/formats/chat-markup';

const ZWSP = '\u200b';

describe('escapeMarkdown', () => {
  it.each([
    ['a masked link', '[Action required](https://evil.example/login)', '\\[Action required\\](https://evil.example/login)'],
    ['an autolink', '<https://evil.example>', '\\<https://evil.example\\>'],
    ['a user mention', '<@123456789012345678>', `\\<@${ZWSP}123456789012345678\\>`],
    ['@everyone and @here', 'ping @everyone and @here', `ping @${ZWSP}everyone and @${ZWSP}here`],
    ['a heading', '# Outage', '\\# Outage'],
    ['a heading on a later line', 'ok\n## Outage', 'ok\n\\## Outage'],
    ['a quote, a list and a numbered list', '> q\n- a\n+ b\n1. c', '\\> q\n\\- a\n\\+ b\n1\\. c'],
    ['emphasis, strike, spoilers and code', '**b** _i_ ~~s~~ ||x|| `c`', '\\*\\*b\\*\\* \\_i\\_ \\~\\~s\\~\\~ \\|\\|x\\|\\| \\`c\\`'],
    ['a backslash', 'a\\b', 'a\\\\b'],
  ])('escapes %s', (_what, text, escaped) => {
    // Act & Assess
    expect(escapeMarkdown(text)).toBe(escaped);
  });

  it.each(['resnet-sweep-3', 'alice@example.com', 'OOMKilled: exit 137 (limit 2.5 GiB)', 'vision'])('leaves %j as it is', (text) => {
    // Act & Assess
    expect(escapeMarkdown(text)).toBe(text);
  });
});

describe('truncateEscaped', () => {
  it('never ends with a lone backslash before the ellipsis', () => {
    // Prepare
    const escaped = escapeMarkdown('abc[def');

    // Act
    const cut = truncateEscaped(escaped, 5);

    // Assess
    expect(cut).toBe('abc…');
  });

  it('keeps an escaped backslash whole', () => {
    // Act & Assess
    expect(truncateEscaped('ab\\\\cd', 5)).toBe('ab\\\\…');
  });
});

describe('breakCardLinks', () => {
  it('leaves no inline link, reference link or link definition', () => {
    // Act
    const text = breakCardLinks('[Action](https://evil.example) [see][r]\n[r]: https://evil.example');

    // Assess
    expect(text).toBe(`[Action]${ZWSP}(https://evil.example) [see]${ZWSP}[r]\n[r]${ZWSP}: https://evil.example`);
  });
});
