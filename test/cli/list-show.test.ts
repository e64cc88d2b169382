import { fixedSecret, useCliHarness } from '../support/cli-harness';

const SECRET = fixedSecret(9);
const MASKED = `whsec_…${SECRET.slice(-4)}`;
const ROUTING_KEY = 'abcdefghijklmnopqrstuvwxyz012345';

const cli = useCliHarness();

async function put(name: string, value: unknown, type: 'String' | 'SecureString' = 'String'): Promise<void> {
  await cli.putParameter(name, value, type);
}

async function seed(): Promise<void> {
  await put('ops', { url: 'https://hooks.example.com/platform', events: ['experiments.*', '*.failed'], secret: SECRET, headers: { Authorization: 'Bearer tok-123', 'X-Team': 'ml' } }, 'SecureString');
  await put('pager', { url: 'https://events.pagerduty.com/v2/enqueue', events: ['*.failed'], format: 'pagerduty', routingKey: ROUTING_KEY, enabled: false }, 'SecureString');
  await put('broken', { url: 'ftp://nope', events: ['*'], secret: SECRET, extra: true }, 'SecureString');
}

describe('webhooks list', () => {
  it('lists name, enabled, events, filter, format, masked secret and url, and invalid parameters with their errors', async () => {
    // Prepare
    await seed();

    // Act
    const result = await cli.run(['list']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toBe([
      'NAME   ENABLED  EVENTS                  FILTER  FORMAT     SECRET       URL',
      `ops    yes      experiments.*,*.failed  -       standard   ${MASKED}  https://hooks.example.com/platform`,
      'pager  no       *.failed                -       pagerduty  -            https://events.pagerduty.com/v2/enqueue',
      '',
      '1 invalid subscription parameter (the delivery function skips it; fix with "webhooks subscribe NAME --overwrite" or remove):',
      '  broken: url must be an absolute http: or https: URL, got a URL with scheme "ftp:"; extra is not a known field (known: url, events, filter, maxPerSecond, secret, previousSecret, previousSecretExpiresAt, format, routingKey, headers, enabled, description, timeoutMs)',
      '',
    ].join('\n'));
  });

  it('prints JSON entries for scripts, masked', async () => {
    // Prepare
    await seed();

    // Act
    const result = await cli.run(['list', '--json']);

    // Assess
    expect(result.json()).toEqual([
      { name: 'broken', type: 'SecureString', valid: false, errors: expect.arrayContaining([expect.stringMatching(/^url must be/)]) },
      { name: 'ops', type: 'SecureString', valid: true, enabled: true, events: ['experiments.*', '*.failed'], url: 'https://hooks.example.com/platform', format: 'standard', secret: MASKED },
      { name: 'pager', type: 'SecureString', valid: true, enabled: false, events: ['*.failed'], url: 'https://events.pagerduty.com/v2/enqueue', format: 'pagerduty' },
    ]);
  });

  it('never prints a secret, a routing key or a credential header, in text or JSON', async () => {
    // Prepare
    await seed();
    await put('not-an-object', JSON.stringify(SECRET), 'SecureString');

    // Act
    const outputs = [
      await cli.run(['list']), await cli.run(['list', '--json']),
      await cli.run(['show', 'ops']), await cli.run(['show', 'ops', '--json']),
      await cli.run(['show', 'pager']), await cli.run(['show', 'broken', '--json']), await cli.run(['show', 'not-an-object']),
    ].map((result) => result.output).join('\n');

    // Assess
    for (const secret of [SECRET, SECRET.slice('whsec_'.length, -4), ROUTING_KEY, 'tok-123']) expect(outputs).not.toContain(secret);
  });

  it('shows a filter as compact JSON, clipped in the table and whole in JSON', async () => {
    // Prepare
    const filter = { data: { experiment: { project: ['vision', 'nlp'], id: [{ numeric: ['>', 40] }] } } };
    await put('vision', { url: 'https://hooks.example.com/vision', events: ['experiments.*'], filter });

    // Act
    const text = await cli.run(['list']);
    const json = await cli.run(['list', '--json']);

    // Assess
    expect(text.stdout.split('\n')[1]).toContain(` ${JSON.stringify(filter).slice(0, 47)}… `);
    expect(json.json()).toEqual([expect.objectContaining({ name: 'vision', filter })]);
  });

  it('says how to add one when there are none', async () => {
    // Act
    const result = await cli.run(['list']);

    // Assess
    expect(result.stdout).toBe(`No subscriptions under ${cli.path}. Add one with: webhooks subscribe NAME --url URL --events LIST\n`);
  });
});

describe('webhooks show', () => {
  it('shows the whole value with secrets and credential headers masked', async () => {
    // Prepare
    await seed();

    // Act
    const result = await cli.run(['show', 'ops', '--json']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({
      name: 'ops', parameter: `${cli.path}/ops`, type: 'SecureString', version: 1, valid: true,
      value: { url: 'https://hooks.example.com/platform', events: ['experiments.*', '*.failed'], secret: MASKED, format: 'standard', headers: { Authorization: '****', 'X-Team': '****' }, enabled: true },
    });
  });

  it('shows the filter whole', async () => {
    // Prepare
    const filter = { type: [{ suffix: '.failed' }], data: { job: { queue: [{ 'anything-but': { prefix: 'test-' } }] } } };
    await put('jobs', { url: 'https://hooks.example.com/jobs', events: ['jobs.*'], filter });

    // Act
    const text = await cli.run(['show', 'jobs']);
    const json = await cli.run(['show', 'jobs', '--json']);

    // Assess
    expect(text.stdout).toContain(JSON.stringify({ filter }, null, 2).slice(2, -2));
    expect(json.json<{ value: unknown }>().value).toEqual(expect.objectContaining({ filter }));
  });

  it('shows an invalid value masked, with its errors', async () => {
    // Prepare
    await seed();

    // Act
    const result = await cli.run(['show', 'broken']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`"secret": "${MASKED}"`);
    expect(result.stdout).toContain('invalid: the delivery function skips this subscription:\n  subscription "broken": url must be an absolute http: or https: URL');
  });

  it('prints the value unmasked with --reveal, in text and JSON', async () => {
    // Prepare
    const url = 'https://hooks.slack.com/services/T000/B000/Q7mZ2kR9vX4pL8nW1tY6bH3c';
    await put('chat', { url, events: ['*'], format: 'slack', secret: SECRET, headers: { 'x-functions-key': 'fnkey-abc' } }, 'SecureString');
    await put('pager', { url: 'https://events.pagerduty.com/v2/enqueue', events: ['*.failed'], format: 'pagerduty', routingKey: ROUTING_KEY }, 'SecureString');

    // Act
    const text = await cli.run(['show', 'chat', '--reveal']);
    const json = await cli.run(['show', 'pager', '--reveal', '--json']);

    // Assess
    expect(text.code).toBe(0);
    for (const shown of [url, SECRET, '"x-functions-key": "fnkey-abc"']) expect(text.stdout).toContain(shown);
    expect(json.json<{ value: unknown }>().value).toMatchObject({ routingKey: ROUTING_KEY });
  });

  it('prints a stored value that is not JSON only with --reveal', async () => {
    // Prepare
    await put('garbled', `{"url": "https://a.example.com", "secret": "${SECRET}"`, 'SecureString');

    // Act
    const hidden = await cli.run(['show', 'garbled']);
    const revealed = await cli.run(['show', 'garbled', '--reveal']);
    const json = await cli.run(['show', 'garbled', '--reveal', '--json']);

    // Assess
    expect(hidden.stdout).toContain('(the stored value is not JSON; not shown, as it may hold a secret: --reveal shows it)');
    expect(hidden.output).not.toContain(SECRET.slice(6, -4));
    expect(revealed.stdout).toContain(SECRET);
    expect(json.json<{ value: unknown }>().value).toBe(`{"url": "https://a.example.com", "secret": "${SECRET}"`);
  });

  it('exits 1 with one line when the subscription does not exist', async () => {
    // Act
    const result = await cli.run(['show', 'nobody']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: subscription "nobody" does not exist under ${cli.path}; run "webhooks list" to see the subscriptions there\n`);
  });
});
