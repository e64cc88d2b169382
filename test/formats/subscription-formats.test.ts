import { SUBSCRIPTION_FORMATS, parseSubscription } from '../../lambda/core/subscriptions/subscriptions';
import { subscriptionInput } from '../support/factories';

const ROUTING_KEY = 'R0123456789ABCDEFGHIJKLMNOPQRSTU';

function errorsOf(name: string, value: Record<string, unknown>): readonly string[] {
  const result = parseSubscription(name, value);
  return result.ok ? [] : result.errors;
}

describe('subscription formats', () => {
  it.each(SUBSCRIPTION_FORMATS.filter((format) => format !== 'pagerduty'))('accepts format "%s"', (format) => {
    // Act
    const result = parseSubscription('chat', subscriptionInput({ format }));

    // Assess
    expect(result).toMatchObject({ ok: true, subscription: { format } });
  });

  it('lists the six formats when the format is unknown', () => {
    // Act & Assess
    expect(errorsOf('chat', subscriptionInput({ format: 'msteams' }))).toEqual([
      'subscription "chat": format must be one of "standard", "slack", "discord", "mattermost", "teams", "pagerduty"',
    ]);
  });

  it('accepts format "pagerduty" with a routing key and keeps the key', () => {
    // Act
    const result = parseSubscription('pd', subscriptionInput({ format: 'pagerduty', routingKey: ROUTING_KEY }));

    // Assess
    expect(result).toMatchObject({ ok: true, subscription: { name: 'pd', format: 'pagerduty', routingKey: ROUTING_KEY } });
  });

  it('requires routingKey when format is "pagerduty"', () => {
    // Act & Assess
    expect(errorsOf('pd', subscriptionInput({ format: 'pagerduty' }))).toEqual(['subscription "pd": routingKey is required when format is "pagerduty"']);
  });

  it.each(['standard', 'slack', undefined])('refuses routingKey with format %s', (format) => {
    // Act & Assess
    expect(errorsOf('pd', subscriptionInput({ routingKey: ROUTING_KEY, ...(format && { format }) }))).toEqual([
      'subscription "pd": routingKey is only allowed when format is "pagerduty"',
    ]);
  });

  it.each([
    ['31 characters', ROUTING_KEY.slice(1)],
    ['33 characters', `${ROUTING_KEY}X`],
    ['punctuation', `${ROUTING_KEY.slice(1)}-`],
  ])('refuses a routing key of %s without echoing it', (_name, routingKey) => {
    // Act
    const errors = errorsOf('pd', subscriptionInput({ format: 'pagerduty', routingKey }));

    // Assess
    expect(errors).toEqual(['subscription "pd": routingKey must be the 32-character integration key of a PagerDuty Events API v2 integration']);
  });

  it('refuses a routing key that is not a string', () => {
    // Act & Assess
    expect(errorsOf('pd', subscriptionInput({ format: 'pagerduty', routingKey: 42 }))).toEqual(['subscription "pd": routingKey must be a string']);
  });

  it('reports a format problem alongside the others', () => {
    // Act
    const errors = errorsOf('pd', subscriptionInput({ url: 'ftp://x', format: 'pagerduty' }));

    // Assess
    expect(errors).toEqual([
      expect.stringMatching(/^subscription "pd": url must be an absolute http: or https: URL/),
      'subscription "pd": routingKey is required when format is "pagerduty"',
    ]);
  });
});
