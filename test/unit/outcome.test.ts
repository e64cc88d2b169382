import { classify } from '../../lambda/core/delivery/outcome';
import { networkError, refused, response } from '../support/factories';

describe('classify', () => {
  it.each([200, 201, 202, 204, 299])('counts HTTP %i as delivered', (status) => {
    // Act
    const outcome = classify(response(status));

    // Assess
    expect(outcome).toEqual({ kind: 'delivered' });
  });

  it.each([301, 302, 307, 308])('fails HTTP %i permanently, naming the location and not following it', (status) => {
    // Prepare
    const location = 'https://new.example.com/hooks';

    // Act
    const outcome = classify(response(status, { location }));

    // Assess
    expect(outcome).toEqual({ kind: 'permanent', error: expect.stringContaining(`HTTP ${status}`), disableSubscription: false });
    expect(outcome.kind === 'permanent' && outcome.error).toContain(location);
  });

  it('says when a redirect has no location', () => {
    // Act
    const outcome = classify(response(302));

    // Assess
    expect(outcome.kind === 'permanent' && outcome.error).toContain('without a location');
  });

  it.each([400, 401, 403, 404, 405, 413, 422])('fails HTTP %i permanently without disabling the subscription', (status) => {
    // Act
    const outcome = classify(response(status));

    // Assess
    expect(outcome).toEqual({ kind: 'permanent', error: `HTTP ${status}`, disableSubscription: false });
  });

  it('fails HTTP 410 Gone permanently and disables the subscription', () => {
    // Act
    const outcome = classify(response(410));

    // Assess
    expect(outcome).toEqual({ kind: 'permanent', error: expect.stringContaining('HTTP 410'), disableSubscription: true });
  });

  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
    // Act
    const outcome = classify(response(status));

    // Assess
    expect(outcome).toEqual({ kind: 'retryable', error: `HTTP ${status}` });
  });

  it.each([429, 503])('carries Retry-After of HTTP %i to the retry', (status) => {
    // Act
    const outcome = classify(response(status, { retryAfter: '120' }));

    // Assess
    expect(outcome).toEqual({ kind: 'retryable', error: `HTTP ${status}`, retryAfter: '120' });
  });

  it.each([500, 408])('ignores Retry-After on HTTP %i', (status) => {
    // Act
    const outcome = classify(response(status, { retryAfter: '120' }));

    // Assess
    expect(outcome).toEqual({ kind: 'retryable', error: `HTTP ${status}` });
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'CERT_HAS_EXPIRED'])('retries the network error %s, naming it', (code) => {
    // Act
    const outcome = classify(networkError(code));

    // Assess
    expect(outcome).toEqual({ kind: 'retryable', error: expect.stringMatching(new RegExp(`^${code}\\b`)) });
  });

  it('fails a target the guard refused permanently, with the reason', () => {
    // Act
    const outcome = classify(refused('10.0.0.5 is a private address (RFC 1918)'));

    // Assess
    expect(outcome).toEqual({ kind: 'permanent', error: expect.stringContaining('10.0.0.5 is a private address'), disableSubscription: false });
  });
});
