import { maskForDisplay, maskSecret, scrubSecrets } from '../../cli/mask-secrets';
import { fixedSecret } from './cli-harness';

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
});
