import { maskForDisplay, maskSecret, maskUrl, scrubSecrets } from '../../cli/mask-secrets';
import { fixedSecret } from '../support/cli-harness';

describe('masking', () => {
  it('shows a secret as its prefix and last four characters', () => {
    expect(maskSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe('whsec_…LaSw');
    expect(maskSecret('whsec_short')).toBe('whsec_****');
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz012345')).toBe('…2345');
  });

  it('masks secrets, routing keys and every header value in a value, and secret-shaped text anywhere', () => {
    // Prepare
    const secret = fixedSecret(6);
    const value = { url: 'https://a.example.com', secret, previousSecret: secret, routingKey: 'abcdefghijklmnopqrstuvwxyz012345', headers: { Authorization: 'Bearer t', 'X-Api-Key': 'k', 'X-Team': 'ml' }, note: `typo ${secret}` };

    // Act
    const masked = JSON.stringify(maskForDisplay(value));

    // Assess
    expect(masked).not.toContain(secret.slice(6, -4));
    expect(JSON.parse(masked)).toEqual({
      url: 'https://a.example.com/', secret: maskSecret(secret), previousSecret: maskSecret(secret), routingKey: '…2345',
      headers: { Authorization: '****', 'X-Api-Key': '****', 'X-Team': '****' }, note: `typo ${maskSecret(secret)}`,
    });
    expect(scrubSecrets(`got "${secret}"`)).toBe(`got "${maskSecret(secret)}"`);
  });

  it.each([
    ['https://hooks.slack.com/services/T000/B000/XXXX', 'https://hooks.slack.com/services/****'],
    ['https://discord.com/api/webhooks/1234567890/kXb9Qz3LmW7vT2pR', 'https://discord.com/api/webhooks/****'],
    ['https://ci.example.com/hook?token=letmein42&page=2', 'https://ci.example.com/hook?token=****&page=****'],
    ['https://hooks.example.com/platform', 'https://hooks.example.com/platform'],
  ])('shows the URL %s as %s', (url, shown) => {
    // Act
    const masked = maskUrl(url);

    // Assess
    expect(masked).toBe(shown);
  });
});
