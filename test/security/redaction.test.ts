import { CREDENTIAL_URLS } from '../../lambda/core/secrets/credential-urls';
import { MASK, isSafeToQuote, isTokenShaped, maskSecret, redactHeaders, redactText, redactUrl } from '../../lambda/core/secrets/redaction';

const SLACK_TOKEN = 'XXXXXXXXXXXXXXXXXXXXXXXX';
const HEX_32 = '0123456789abcdef0123456789abcdef';
const UUID = 'a1b2c3d4-e5f6-4789-abcd-ef1234567890';

describe('redactUrl', () => {
  it.each([
    ['Slack', `https://hooks.slack.com/services/T00000000/B00000000/${SLACK_TOKEN}`, 'https://hooks.slack.com/services/****'],
    ['Slack workflows', 'https://hooks.slack.com/workflows/T0/A0/123/abc', 'https://hooks.slack.com/workflows/****'],
    ['Discord', 'https://discord.com/api/webhooks/123456789012345678/abcDEF_ghi-JKL', 'https://discord.com/api/webhooks/****'],
    ['Discord, versioned API on a subdomain', 'https://canary.discord.com/api/v10/webhooks/1/abc', 'https://canary.discord.com/api/v10/webhooks/****'],
    ['Discord, old domain', 'https://discordapp.com/api/webhooks/1/abc', 'https://discordapp.com/api/webhooks/****'],
    ['Teams connector', `https://acme.webhook.office.com/webhookb2/${UUID}@${UUID}/IncomingWebhook/${HEX_32}/${UUID}`, 'https://acme.webhook.office.com/webhookb2/****'],
    [
      'Teams workflow (Logic Apps)',
      'https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=AbCd',
      'https://prod-12.westus.logic.azure.com/workflows/****?api-version=****&sp=****&sv=****&sig=****',
    ],
    ['Power Automate', 'https://default1.ab.environment.api.powerplatform.com/powerautomate/automations/direct/x?sig=1', 'https://default1.ab.environment.api.powerplatform.com/powerautomate/****?sig=****'],
    ['Google Chat', 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=AIzaSyD&token=abc%3D', 'https://chat.googleapis.com/v1/spaces/****?key=****&token=****'],
    ['PagerDuty integration URL', `https://events.pagerduty.com/integration/${HEX_32}/enqueue`, 'https://events.pagerduty.com/integration/****'],
    ['PagerDuty Events API v2 (no credential in the path)', 'https://events.pagerduty.com/v2/enqueue', 'https://events.pagerduty.com/v2/enqueue'],
    ['Mattermost', 'https://chat.example.com/hooks/xxx-generatedkey-xxx', 'https://chat.example.com/hooks/****'],
    ['Zapier', 'https://hooks.zapier.com/hooks/catch/123/abc/', 'https://hooks.zapier.com/hooks/****'],
    ['any /webhooks/<token>', 'https://ci.example.com/api/webhooks/abc', 'https://ci.example.com/api/webhooks/****'],
    ['Telegram', 'https://api.telegram.org/bot123456:ABC-DEF1234ghIkl/sendMessage', 'https://api.telegram.org/****'],
    ['an ordinary receiver', 'https://hooks.example.com/platform/events', 'https://hooks.example.com/platform/events'],
    ['a token-shaped path segment on any host', `https://webhook.site/${UUID}`, 'https://webhook.site/****'],
    ['a token-shaped host label', `https://${HEX_32}.lambda-url.eu-west-1.on.aws/`, 'https://****.lambda-url.eu-west-1.on.aws/'],
    ['query values on any host', 'https://example.com/in?token=abc&key=def&sig=ghi&code=jkl&page=2', 'https://example.com/in?token=****&key=****&sig=****&code=****&page=****'],
    ['a query part without a name', 'https://example.com/in?abcdef', 'https://example.com/in?****'],
    ['user:password and a fragment', 'https://user:pass@example.com:8443/a#frag', 'https://****@example.com:8443/a#****'],
    ['an IPv6 literal', 'http://[::ffff:7f00:1]:8080/x', 'http://[::ffff:7f00:1]:8080/x'],
    ['a relative location', '/moved/here?token=abc', '/moved/here?token=****'],
    ['another scheme', 'mailto:ops@example.com', 'mailto:****'],
    ['text that is not a URL', `R0UTINGKEY${HEX_32.slice(10)}`, MASK],
  ])('shows %s as scheme, host, port and the safe part of the path', (_what, url, shown) => {
    // Act
    const redacted = redactUrl(url);

    // Assess
    expect(redacted).toBe(shown);
  });

  it('is idempotent, so that text redacted twice reads the same', () => {
    // Prepare
    const once = redactUrl(`https://user:p@hooks.slack.com/services/T0/B0/${SLACK_TOKEN}?a=1#f`);

    // Act
    const twice = redactUrl(once);

    // Assess
    expect(twice).toBe(once);
  });

  it('lists every service of the table with a shown path that ends at a slash', () => {
    // Act
    const shapes = CREDENTIAL_URLS.map((entry) => entry.shown.source);

    // Assess
    expect(CREDENTIAL_URLS.map((entry) => entry.service)).toEqual(expect.arrayContaining(['Slack', 'Discord', 'Google Chat', 'Telegram']));
    for (const shape of shapes) expect(shape).toMatch(/\\\/$/);
  });
});

describe('redactText', () => {
  it.each([
    ['a URL in a sentence', `HTTP 308 redirect to https://hooks.slack.com/services/T0/B0/${SLACK_TOKEN}.`, 'HTTP 308 redirect to https://hooks.slack.com/services/****.'],
    ['a URL without its scheme', `posted to hooks.slack.com/services/T0/B0/${SLACK_TOKEN} today`, 'posted to hooks.slack.com/services/**** today'],
    ['a Bearer credential', 'Authorization: Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'Authorization: Bearer sk_live_****'],
    ['a Basic credential', 'Basic dXNlcjpwYXNzd29yZA==', 'Basic ****'],
    ['a Standard Webhooks secret', 'got "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"', 'got "whsec_****"'],
    ['a Slack bot token', 'xoxb-1234-5678-abcdefghij', 'xoxb-****'],
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_****'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', '****'],
    ['a PagerDuty routing key', `key ${HEX_32} pasted`, `key **** pasted`],
    ['a key=value pair', 'password=hunter22, api_key: abc12345', 'password=****, api_key: ****'],
    ['a JSON pair', '{"routingKey":"R0123456789ABCDEFGHIJKLMNOPQRSTU"}', '{"routingKey":"****"}'],
    ['a token-shaped word', 'token-ish a9F3kQ7zP2mX8vB4nL6w here', 'token-ish **** here'],
    ['a UUID', `id ${UUID}`, 'id ****'],
  ])('masks %s', (_what, text, shown) => {
    // Act
    const redacted = redactText(text);

    // Assess
    expect(redacted).toBe(shown);
  });

  it.each([
    'subscription "ml-platform-alerts-2024-prod": url must be an absolute http: or https: URL',
    'could not resolve my-very-long-hostname-1234.example.com (ENOTFOUND)',
    'refused: ::ffff:7f00:1 is loopback (it embeds 127.0.0.1) (rule: loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96)',
    'connect ECONNREFUSED 2001:0:4136:e378:8000:63bf:80ff:fffe:443',
    'Basic authentication failed; the token is invalid',
    'secret must be "whsec_" followed by base64 of 24 to 64 random bytes',
    'evt_01JDQ6X1V4K3M8 experiments.succeeded',
  ])('leaves text with nothing secret-shaped as it is: %s', (text) => {
    // Act
    const redacted = redactText(text);

    // Assess
    expect(redacted).toBe(text);
  });

  it('adds the last four characters of a long secret in the hint presentation, and only there', () => {
    // Prepare
    const text = 'secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc';

    // Act
    const [log, hint] = [redactText(text), redactText(text, 'hint')];

    // Assess
    expect(log).toBe('secret whsec_****, Bearer sk_live_****');
    expect(hint).toBe('secret whsec_…LaSw, Bearer sk_live_…p7dc');
  });

  it('is idempotent in both presentations, so a masked secret keeps its hint when redacted again', () => {
    // Prepare
    const text = '{"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw","note":"Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc","key":"0123456789abcdef0123456789abcdef"}';

    // Act
    const [log, hint] = [redactText(text), redactText(text, 'hint')];

    // Assess
    expect(redactText(log)).toBe(log);
    expect(redactText(hint, 'hint')).toBe(hint);
    expect(hint).toBe('{"secret":"whsec_…LaSw","note":"Bearer sk_live_…p7dc","key":"…cdef"}');
  });

  it('keeps JSON valid', () => {
    // Prepare
    const json = JSON.stringify({ note: 'password="abc\\"defghij"', url: `https://hooks.slack.com/services/T/B/${SLACK_TOKEN}`, key: HEX_32 });

    // Act
    const parse = () => JSON.parse(redactText(json)) as unknown;

    // Assess
    expect(parse).not.toThrow();
  });
});

describe('the header rule', () => {
  it('never shows a header value, and masks a name that holds a credential', () => {
    // Act
    const shown = redactHeaders({ 'X-Team': 'ml', Authorization: 'Bearer abc', 'Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc': 'x' });

    // Assess
    expect(shown).toEqual({ 'X-Team': MASK, Authorization: MASK, 'Bearer sk_live_****': MASK });
  });
});

describe('maskSecret, isTokenShaped and isSafeToQuote', () => {
  it.each([
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'log', 'whsec_****'],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'hint', 'whsec_…LaSw'],
    ['whsec_short', 'hint', 'whsec_****'],
    ['abcdefghijklmnopqrstuvwxyz012345', 'hint', '…2345'],
  ] as const)('masks %s as %s → %s', (secret, presentation, shown) => {
    // Act & Assess
    expect(maskSecret(secret, presentation)).toBe(shown);
  });

  it.each([
    [UUID, true], [HEX_32, true], ['a9F3kQ7zP2mX8vB4', true], ['abcdefghijklmnopqrstuvwxyzabcdefgh', true],
    ['experiments.failed', false], ['ml-platform-alerts-2024-prod', false], ['resnet50-v2-run3-lr0001', false], ['evt_01JDQ6X1V4K3M8', false],
  ] as const)('judges %s token-shaped: %s', (word, shaped) => {
    // Act & Assess
    expect(isTokenShaped(word)).toBe(shaped);
  });

  it('quotes only short text with nothing secret-shaped and no control characters', () => {
    // Act
    const verdicts = ['experiment.failed', 'X Team', HEX_32, 'a\r\nb', 'x'.repeat(65)].map((text) => isSafeToQuote(text));

    // Assess
    expect(verdicts).toEqual([true, true, false, false, false]);
  });
});
