import { randomBytes } from 'node:crypto';
import { eventCatalogue } from '../../lambda/core/inbound/events';
import { SUBSCRIPTION_LIMITS, isValidSecret, parseSubscription, subscriptionValue } from '../../lambda/core/subscriptions/subscriptions';
import { secret, subscription, subscriptionInput } from '../support/factories';

const KNOWN =
  '(known: url, events, filter, maxPerSecond, secret, previousSecret, previousSecretExpiresAt, format, routingKey, headers, enabled, description, timeoutMs)';

function errorsOf(value: unknown, name = 'ops'): readonly string[] {
  const result = parseSubscription(name, value);
  if (result.ok) throw new Error(`expected validation errors, got ${JSON.stringify(result.subscription)}`);
  return result.errors;
}

describe('parseSubscription', () => {
  describe('valid values', () => {
    it('applies the defaults: format standard, enabled, no headers', () => {
      // Prepare
      const value = subscriptionInput();

      // Act
      const result = parseSubscription('ops', value);

      // Assess
      expect(result).toEqual({
        ok: true,
        subscription: { name: 'ops', url: value.url, events: value.events, format: 'standard', enabled: true, headers: {} },
      });
    });

    it('keeps every field it is given, from the parameter JSON text', () => {
      // Prepare
      const key = secret();
      const value = subscriptionInput({
        secret: key,
        format: 'standard',
        headers: { Authorization: 'Bearer abc' },
        enabled: false,
        description: 'ops channel',
        timeoutMs: 2500,
      });

      // Act
      const result = parseSubscription('team.ops-1_a', JSON.stringify(value));

      // Assess
      expect(result).toEqual({ ok: true, subscription: { name: 'team.ops-1_a', ...value } });
    });

    it.each([1000, 30000])('accepts timeoutMs %i at the bounds', (timeoutMs) => {
      // Act
      const result = parseSubscription('ops', subscriptionInput({ timeoutMs }));

      // Assess
      expect(result.ok && result.subscription.timeoutMs).toBe(timeoutMs);
    });

    it('accepts an http: URL and a 128-character name', () => {
      // Prepare
      const name = 'n'.repeat(128);

      // Act
      const result = parseSubscription(name, subscriptionInput({ url: 'http://10.0.0.5:8080/hook' }));

      // Assess
      expect(result.ok).toBe(true);
    });
  });

  describe('errors', () => {
    it.each(['', 'a/b', 'with space', 'n'.repeat(129), 'ops!'])('rejects the name %j', (name) => {
      // Act
      const errors = errorsOf(subscriptionInput(), name);

      // Assess
      expect(errors).toEqual([`subscription "${name}": the name must be 1 to 128 characters of A-Z, a-z, 0-9, "_", "." or "-"`]);
    });

    it('rejects a value that is not JSON', () => {
      // Act
      const errors = errorsOf('{"url": ');

      // Assess
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^subscription "ops": the value is not valid JSON \(.+\)$/);
    });

    it.each([
      ['an array', '["https://a.example"]', 'an array'],
      ['a string', '"https://a.example"', 'a string (17 characters, not shown in case it is a credential)'],
      ['null', 'null', 'null'],
      ['a number', '7', 'number 7'],
    ])('rejects %s as the value', (_what, text, described) => {
      // Act
      const errors = errorsOf(text);

      // Assess
      expect(errors).toEqual([`subscription "ops": the value must be a JSON object, got ${described}`]);
    });

    it.each(['url', 'events'])('says a missing %s is required', (field) => {
      // Prepare
      const { [field]: _missing, ...value } = subscriptionInput();

      // Act
      const errors = errorsOf(value);

      // Assess
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^subscription "ops": ${field} is (required|missing)`));
      expect(errors[0]).not.toContain('not a known field');
    });

    it.each([
      ['ftp://files.example.com/x', 'url must be an absolute http: or https: URL, got a URL with scheme "ftp:"'],
      ['mailto:ops@example.com', 'url must be an absolute http: or https: URL, got a URL with scheme "mailto:"'],
      ['hooks.example.com/platform', 'url must be an absolute http: or https: URL; did you mean "https://hooks.example.com/platform"?'],
      ['/relative', 'url must be an absolute http: or https: URL; the value is not one (9 characters, not shown in case it is a credential)'],
      ['https://', 'url must be an absolute http: or https: URL; the value is not one (8 characters, not shown in case it is a credential)'],
      ['not a url', 'url must be an absolute http: or https: URL; the value is not one (9 characters, not shown in case it is a credential)'],
    ])('rejects the URL %j, saying what is wrong with its shape', (url, message) => {
      // Act
      const errors = errorsOf(subscriptionInput({ url }));

      // Assess
      expect(errors).toEqual([`subscription "ops": ${message}`]);
    });

    it('rejects an empty events list', () => {
      // Act
      const errors = errorsOf(subscriptionInput({ events: [] }));

      // Assess
      expect(errors).toEqual(['subscription "ops": events must list at least one event pattern']);
    });

    it('rejects events that are not a list', () => {
      // Act
      const errors = errorsOf(subscriptionInput({ events: 'jobs.*' }));

      // Assess
      expect(errors).toEqual(['subscription "ops": events must be an array of event patterns']);
    });

    it('names a pattern that matches no event, with its position and a suggestion', () => {
      // Act
      const errors = errorsOf(subscriptionInput({ events: ['jobs.*', 'experiment.failed'] }));

      // Assess
      expect(errors).toEqual(['subscription "ops": events[1] "experiment.failed" matches no event; did you mean "experiments.failed"?']);
    });

    it('rejects a status the entity does not have', () => {
      // Act
      const errors = errorsOf(subscriptionInput({ events: ['groups.succeeded'] }));

      // Assess
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^subscription "ops": events\[0\] "groups.succeeded" matches no event/);
    });

    it('rejects a pattern that is not a string', () => {
      // Act
      const errors = errorsOf(subscriptionInput({ events: [42] }));

      // Assess
      expect(errors).toEqual(['subscription "ops": events[0] must be a string']);
    });

    it.each([
      ['a wrong prefix', `whsk_${randomBytes(32).toString('base64')}`],
      ['no prefix', randomBytes(32).toString('base64')],
      ['non-base64 text', `whsec_${'!@#$'.repeat(11)}`],
      ['base64url characters', `whsec_${'-_'.repeat(22)}`],
      ['23 bytes', `whsec_${randomBytes(23).toString('base64')}`],
      ['65 bytes', `whsec_${randomBytes(65).toString('base64')}`],
      ['nothing after the prefix', 'whsec_'],
    ])('rejects a secret of %s', (_what, key) => {
      // Act
      const errors = errorsOf(subscriptionInput({ secret: key }));

      // Assess
      expect(errors).toEqual(['subscription "ops": secret must be "whsec_" followed by base64 of 24 to 64 random bytes']);
    });

    it('never repeats a rejected secret in its message', () => {
      // Prepare
      const key = `whsec_${randomBytes(16).toString('base64')}`;

      // Act
      const errors = errorsOf(subscriptionInput({ secret: key }));

      // Assess
      expect(errors.join('\n')).not.toContain(key.slice('whsec_'.length));
    });

    it.each(['content-type', 'Content-Type', 'HOST', 'Content-Length', 'webhook-id', 'Webhook-Signature', 'WEBHOOK-ANYTHING'])(
      'forbids the header %s, whatever its case',
      (header) => {
        // Act
        const errors = errorsOf(subscriptionInput({ headers: { [header]: 'x' } }));

        // Assess
        expect(errors).toEqual([`subscription "ops": headers "${header}" is set by the sender and may not be overridden`]);
      },
    );

    it.each([
      ['CR LF', 'Bearer abc\r\nX-Injected: 1'],
      ['a lone LF', 'a\nb'],
      ['a lone CR', 'a\rb'],
    ])('rejects %s in a header value', (_what, value) => {
      // Act
      const errors = errorsOf(subscriptionInput({ headers: { Authorization: value } }));

      // Assess
      expect(errors).toEqual(['subscription "ops": headers.Authorization must not contain CR, LF or other control characters']);
    });

    it.each(['X Team', 'X:Team', ''])('rejects the header name %j', (header) => {
      // Act
      const errors = errorsOf(subscriptionInput({ headers: { [header]: 'x' } }));

      // Assess
      expect(errors).toEqual([`subscription "ops": headers "${header}" is not a valid header name`]);
    });

    it('rejects a header name with control characters without quoting it', () => {
      // Act
      const errors = errorsOf(subscriptionInput({ headers: { 'X-Team\r\n': 'x' } }));

      // Assess
      expect(errors).toEqual(['subscription "ops": headers has a name that is not a valid header name (8 characters, not shown in case it is a credential)']);
    });

    it('rejects a header value that is not a string', () => {
      // Act
      const errors = errorsOf(subscriptionInput({ headers: { 'X-Retries': 3 } }));

      // Assess
      expect(errors).toEqual(['subscription "ops": headers.X-Retries must be a string']);
    });

    it(`rejects more than ${SUBSCRIPTION_LIMITS.maxHeaders} headers`, () => {
      // Prepare
      const headers = Object.fromEntries(Array.from({ length: SUBSCRIPTION_LIMITS.maxHeaders + 1 }, (_, i) => [`X-Header-${i}`, 'v']));

      // Act
      const errors = errorsOf(subscriptionInput({ headers }));

      // Assess
      expect(errors).toEqual([`subscription "ops": headers may set at most ${SUBSCRIPTION_LIMITS.maxHeaders} headers`]);
    });

    it('rejects an unknown key, naming it and the known ones', () => {
      // Act
      const errors = errorsOf(subscriptionInput({ colour: 'red' }));

      // Assess
      expect(errors).toEqual([`subscription "ops": colour is not a known field ${KNOWN}`]);
    });

    it.each([
      [1500.5, 'must be a whole number of milliseconds'],
      [999, 'must be from 1000 to 30000'],
      [30001, 'must be from 1000 to 30000'],
      ['5000', 'must be a number'],
    ])('rejects timeoutMs %j', (timeoutMs, message) => {
      // Act
      const errors = errorsOf(subscriptionInput({ timeoutMs }));

      // Assess
      expect(errors).toEqual([`subscription "ops": timeoutMs ${message}`]);
    });

    it.each([
      [0, 'must be from 1 to 1000 deliveries per second'],
      [1001, 'must be from 1 to 1000 deliveries per second'],
      [2.5, 'must be a whole number of deliveries per second'],
      ['5', 'must be a number'],
    ])('rejects maxPerSecond %j, naming the field', (maxPerSecond, message) => {
      // Act
      const errors = errorsOf(subscriptionInput({ maxPerSecond }));

      // Assess
      expect(errors).toEqual([`subscription "ops": maxPerSecond ${message}`]);
    });

    it.each(['true', 1, null])('rejects enabled %j', (enabled) => {
      // Act
      const errors = errorsOf(subscriptionInput({ enabled }));

      // Assess
      expect(errors).toEqual(['subscription "ops": enabled must be true or false']);
    });

    it.each(['hipchat', 'Standard', 42])('rejects format %j', (format) => {
      // Act
      const errors = errorsOf(subscriptionInput({ format }));

      // Assess
      expect(errors).toEqual([
        'subscription "ops": format must be one of "standard", "slack", "discord", "mattermost", "teams", "pagerduty"',
      ]);
    });

    it('rejects a description that is not a string', () => {
      // Act
      const errors = errorsOf(subscriptionInput({ description: ['ops'] }));

      // Assess
      expect(errors).toEqual(['subscription "ops": description must be a string']);
    });

    it('names the path of a bad part of the filter (docs/design.md §10)', () => {
      // Act
      const errors = errorsOf(subscriptionInput({ filter: { data: { experiment: { id: [{ numeric: ['>'] }], project: 'vision' } } } }));

      // Assess
      expect(errors).toEqual([
        'subscription "ops": filter.data.experiment.id[0]: numeric needs an operator and a number, e.g. {"numeric": [">", 0, "<=", 5]}',
        'subscription "ops": filter.data.experiment.project: must be a list of values to match, e.g. ["vision"], or an object of fields; got a string',
      ]);
    });

    it('never repeats a secret pasted into a filter', () => {
      // Prepare
      const key = secret();

      // Act
      const errors = errorsOf(subscriptionInput({ filter: { data: { [key]: 'x' } } }));

      // Assess
      expect(errors.join('\n')).not.toContain(key.slice('whsec_'.length, 'whsec_'.length + 12));
    });

    it('lists every problem at once', () => {
      // Act
      const errors = errorsOf({ url: 'ftp://x', events: ['jobs.*', 'job.failed'], enabled: 'yes', extra: 1, filter: { detail: {} } });

      // Assess
      expect(errors).toHaveLength(6);
      expect(errors.every((error) => error.startsWith('subscription "ops": '))).toBe(true);
      expect(errors.map((error) => error.split(' ')[2])).toEqual(expect.arrayContaining(['url', 'events[1]', 'enabled', 'extra', 'filter.detail:']));
    });
  });
});

const NEW_TYPE_HINT = '; to use an event type beyond the built-in catalogue, add it to the deployment\'s extra event types (README "Traffic control")';

describe('parseSubscription with maxPerSecond and extra event types', () => {
  it.each([1, 1000])('accepts maxPerSecond %i at the bounds', (maxPerSecond) => {
    // Act
    const result = parseSubscription('ops', subscriptionInput({ maxPerSecond }));

    // Assess
    expect(result.ok && result.subscription.maxPerSecond).toBe(maxPerSecond);
  });

  it('accepts patterns of the deployment\'s extra event types, which the built-in catalogue refuses', () => {
    // Prepare
    const value = subscriptionInput({ events: ['jobs.deleted', 'models.*', '*.registered'] });
    const catalogue = eventCatalogue(['jobs.deleted', 'models.registered']);

    // Act
    const withExtras = parseSubscription('ops', value, catalogue);
    const builtInOnly = parseSubscription('ops', value);

    // Assess
    expect(withExtras.ok && withExtras.subscription.events).toEqual(['jobs.deleted', 'models.*', '*.registered']);
    expect(builtInOnly.ok ? [] : builtInOnly.errors).toEqual([
      `subscription "ops": events[0] "jobs.deleted" matches no event${NEW_TYPE_HINT}`,
      `subscription "ops": events[1] "models.*" matches no event${NEW_TYPE_HINT}`,
      `subscription "ops": events[2] "*.registered" matches no event${NEW_TYPE_HINT}`,
    ]);
  });
});

describe('subscriptionValue', () => {
  it('round-trips through the stored JSON and parseSubscription', () => {
    // Prepare
    const original = subscription({
      secret: secret(),
      headers: { Authorization: 'Bearer abc' },
      description: 'ops channel',
      timeoutMs: 5000,
      maxPerSecond: 5,
      enabled: false,
      filter: { data: { experiment: { project: ['vision', 'nlp'], id: [{ numeric: ['>', 40] }] } } },
    });

    // Act
    const stored = JSON.stringify(subscriptionValue(original));
    const reparsed = parseSubscription(original.name, stored);

    // Assess
    expect(reparsed).toEqual({ ok: true, subscription: original });
    expect(JSON.parse(stored)).not.toHaveProperty('name');
  });

  it('round-trips a subscription with only the defaults', () => {
    // Prepare
    const original = subscription();

    // Act
    const reparsed = parseSubscription(original.name, subscriptionValue(original));

    // Assess
    expect(reparsed).toEqual({ ok: true, subscription: original });
  });
});

describe('isValidSecret', () => {
  it.each([24, 32, 64])('accepts base64 of %i bytes', (bytes) => {
    // Act
    const valid = isValidSecret(secret(bytes));

    // Assess
    expect(valid).toBe(true);
  });
});

describe('parseSubscription error paths', () => {
  it('names an empty unknown key as "" rather than as nothing', () => {
    // Act
    const result = parseSubscription('ops', { url: 'https://hooks.example.com/x', events: ['*'], '': 1 });

    // Assess
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([expect.stringMatching(/^subscription "ops": "" is not a known field/)]);
  });
});
