/**
 * A credential pasted into the wrong field (README "Security model", What is masked): the validation
 * message names the field and what is wrong with its shape, never the value, in the function's log
 * (through the real SSM adapter) and in what the CLI prints of a stored parameter.
 */
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { maskForDisplay, scrubSecrets } from '../../cli/mask-secrets';
import { createSsmSubscriptionSource } from '../../lambda/adapters/ssm-subscriptions';
import { parseSubscription } from '../../lambda/core/subscriptions/subscriptions';
import { capturingLog, fixedClock, subscriptionInput } from '../support/factories';

const ROUTING_KEY = 'R0UTINGKEY9f8e7d6c5b4a39281706f5';
const STRIPE_KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
const ssm = mockClient(SSMClient);

afterAll(() => ssm.restore());

function errorsOf(value: Record<string, unknown>): readonly string[] {
  const result = parseSubscription('ops', value);
  if (result.ok) throw new Error('expected validation errors');
  return result.errors;
}

describe('a credential pasted into the wrong field', () => {
  it.each([
    ['a PagerDuty routing key as the url', { url: ROUTING_KEY }, 'subscription "ops": url must be an absolute http: or https: URL; the value is not one (32 characters, not shown in case it is a credential)'],
    ['a routing key after a scheme of its own', { url: `${ROUTING_KEY}:x` }, 'subscription "ops": url must be an absolute http: or https: URL, got a URL with another scheme'],
    [
      'a PagerDuty routing key in events',
      { events: ['jobs.*', ROUTING_KEY] },
      'subscription "ops": events[1] matches no event and is not shaped like an event pattern such as "experiments.failed", "jobs.*" or "*.failed" (32 characters, not shown in case it is a credential)',
    ],
    [
      'a whole Authorization header as a header name',
      { headers: { [`Authorization: Bearer ${STRIPE_KEY}`]: 'x' } },
      'subscription "ops": headers has a name that is not a valid header name (54 characters, not shown in case it is a credential)',
    ],
    [
      'a Stripe key as a header name that is a valid token',
      { headers: { [STRIPE_KEY]: 7 } },
      'subscription "ops": headers[a name of 32 characters, not shown in case it is a credential] must be a string',
    ],
    ['a routing key as an unknown field name', { [ROUTING_KEY]: true }, expect.stringMatching(/^subscription "ops": a field name \(32 characters, not shown in case it is a credential\) is not a known field \(known: url, /)],
    ['a routing key as the whole value', ROUTING_KEY, 'subscription "ops": the value must be a JSON object, got a string (32 characters, not shown in case it is a credential)'],
  ] as const)('names the field and not the value: %s', (_what, overrides, message) => {
    // Act
    const result = parseSubscription('ops', typeof overrides === 'string' ? JSON.stringify(overrides) : subscriptionInput(overrides));
    const errors = result.ok ? [] : result.errors;

    // Assess
    expect(errors).toEqual([message]);
    expect(errors.join('\n')).not.toContain(ROUTING_KEY);
    expect(errors.join('\n')).not.toContain(STRIPE_KEY.slice(8));
  });

  it('keeps quoting a pattern that is only mistyped, with its suggestion', () => {
    // Act
    const errors = errorsOf(subscriptionInput({ events: ['experiment.failed'] }));

    // Assess
    expect(errors).toEqual(['subscription "ops": events[0] "experiment.failed" matches no event; did you mean "experiments.failed"?']);
  });

  it('suggests the URL meant when the scheme is missing, with its token masked', () => {
    // Act
    const errors = errorsOf(subscriptionInput({ url: 'hooks.slack.com/services/T0/B0/XXXXXXXXXXXXXXXXXXXXXXXX' }));

    // Assess
    expect(errors).toEqual(['subscription "ops": url must be an absolute http: or https: URL; did you mean "https://hooks.slack.com/services/****"?']);
  });

  it('writes none of them to the function log or to what the CLI prints of the stored value', async () => {
    // Prepare
    const path = '/platform-webhooks/misplaced';
    const values = {
      'key-in-url': subscriptionInput({ url: ROUTING_KEY }),
      'key-in-events': subscriptionInput({ events: [ROUTING_KEY] }),
      'bearer-as-header-name': subscriptionInput({ headers: { [`Authorization: Bearer ${STRIPE_KEY}`]: 'x' } }),
      'key-as-field-name': subscriptionInput({ [ROUTING_KEY]: 1 }),
    };
    ssm.on(GetParametersByPathCommand).resolves({
      Parameters: Object.entries(values).map(([name, value]) => ({ Name: `${path}/${name}`, Value: JSON.stringify(value), Type: 'SecureString' })),
    });
    const log = capturingLog();
    const source = createSsmSubscriptionSource({ client: new SSMClient({}), path, cacheSeconds: 0, clock: fixedClock(), log });

    // Act
    const index = await source.load();
    const printed = Object.entries(values).flatMap(([name, value]) => {
      const result = parseSubscription(name, value);
      return [JSON.stringify(maskForDisplay(value)), ...(result.ok ? [] : result.errors.map(scrubSecrets))];
    });

    // Assess
    expect(index.forType('jobs.failed')).toEqual([]);
    expect(log.lines.filter((line) => line.message === 'invalid subscription parameter skipped')).toHaveLength(4);
    const everything = [log.text(), ...printed].join('\n');
    expect(everything).not.toContain(ROUTING_KEY);
    expect(everything).not.toContain(STRIPE_KEY.slice(8));
  });
});
