import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidSecret } from '../../lambda/core/subscriptions/subscriptions';
import { useCliHarness } from '../support/cli-harness';

const cli = useCliHarness();

/** The `error:` lines of stderr (warnings about unresolvable example hosts depend on the machine's DNS). */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('error:'));
}

function stored(name: string): { type: string; keyId?: string; value: Record<string, unknown> } {
  const parameter = cli.ssmServer.store.get(`${cli.path}/${name}`, true);
  const keyId = cli.ssmServer.store.history(`${cli.path}/${name}`).items.at(-1)?.keyId;
  return { type: parameter.type, ...(keyId !== undefined && { keyId }), value: JSON.parse(parameter.value) as Record<string, unknown> };
}

describe('webhooks subscribe', () => {
  it('writes a subscription without a secret as a SecureString parameter too, under the account\'s default key', async () => {
    // Act
    const result = await cli.run(['subscribe', 'ops', '--url', 'https://hooks.example.com/platform', '--events', 'experiments.*, *.failed', '--description', 'ops channel', '--timeout-ms', '5000']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Created subscription "ops" (${cli.path}/ops, SecureString under alias/aws/ssm)`);
    expect(stored('ops')).toEqual({
      type: 'SecureString',
      keyId: 'alias/aws/ssm',
      value: { url: 'https://hooks.example.com/platform', events: ['experiments.*', '*.failed'], format: 'standard', headers: {}, enabled: true, description: 'ops channel', timeoutMs: 5000 },
    });
  });

  it('generates a whsec_ secret for a bare --secret, stores it as SecureString and prints it once with a warning', async () => {
    // Act
    const result = await cli.run(['subscribe', 'ops', '--url', 'https://hooks.example.com/platform', '--events', '*', '--secret']);

    // Assess
    expect(result.code).toBe(0);
    const { type, value } = stored('ops');
    expect(type).toBe('SecureString');
    expect(isValidSecret(String(value.secret))).toBe(true);
    expect(Buffer.from(String(value.secret).slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(result.stdout.split(String(value.secret))).toHaveLength(2);
    expect(result.stdout).toMatch(/will not be shown again/);
  });

  it('takes a given secret, headers, a format and --disabled', async () => {
    // Prepare
    const secret = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;

    // Act
    const result = await cli.run([
      'subscribe', 'ci', '--url', 'http://ci.example.com/hook', '--events', 'builds.done', '--secret', secret,
      '--header', 'X-Team: ml', '--header', 'Authorization: Bearer abc', '--disabled',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(secret);
    expect(stored('ci')).toEqual({
      type: 'SecureString',
      keyId: 'alias/aws/ssm',
      value: { url: 'http://ci.example.com/hook', events: ['builds.done'], secret, format: 'standard', headers: { 'X-Team': 'ml', Authorization: 'Bearer abc' }, enabled: false },
    });
  });

  it('prints every validation error as one "error:" line, exits 1 and writes nothing', async () => {
    // Act
    const result = await cli.run(['subscribe', 'ops', '--url', 'ftp://x', '--events', 'experiment.failed,jobs.*', '--secret', 'whsec_short', '--header', 'Webhook-Id: x', '--timeout-ms', '50']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(5); // a URL that fails validation is not resolved, so no warning either
    expect(lines.every((line) => line.startsWith('error: subscription "ops": '))).toBe(true);
    expect(result.stderr).toContain('events[0] "experiment.failed" matches no event; did you mean "experiments.failed"?');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(() => cli.ssmServer.store.get(`${cli.path}/ops`)).toThrow();
  });

  it('stores a --filter with the subscription (docs/design.md §10)', async () => {
    // Prepare
    const filter = { data: { experiment: { project: ['vision', 'nlp'] } } };

    // Act
    const result = await cli.run(['subscribe', 'vision', '--url', 'https://hooks.example.com/vision', '--events', 'experiments.*', '--filter', JSON.stringify(filter)]);

    // Assess
    expect(result.code).toBe(0);
    expect(stored('vision').value).toEqual({ url: 'https://hooks.example.com/vision', events: ['experiments.*'], filter, format: 'standard', headers: {}, enabled: true });
  });

  it('reads --filter-file relative to the working directory', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'webhooks-filter-'));
    const filter = { type: [{ suffix: '.failed' }], data: { job: { queue: [{ 'anything-but': { prefix: 'test-' } }] } } };
    await writeFile(join(dir, 'filter.json'), JSON.stringify(filter, null, 2));

    // Act
    const result = await cli.run(['subscribe', 'jobs', '--url', 'https://hooks.example.com/jobs', '--events', 'jobs.*', '--filter-file', 'filter.json'], { cwd: dir });
    await rm(dir, { recursive: true });

    // Assess
    expect(result.code).toBe(0);
    expect(stored('jobs').value.filter).toEqual(filter);
  });

  it('refuses an invalid filter, naming the path of the bad part, and writes nothing', async () => {
    // Act
    const result = await cli.run([
      'subscribe', 'vision', '--url', 'https://hooks.example.com/vision', '--events', 'experiments.*',
      '--filter', '{"data": {"experiment": {"id": [{"numeric": [">"]}]}}, "detail": {"state": ["failed"]}}',
    ]);

    // Assess
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([
      'error: subscription "vision": filter.data.experiment.id[0]: numeric needs an operator and a number, e.g. {"numeric": [">", 0, "<=", 5]}',
      'error: subscription "vision": filter.detail: the delivered body has only id, type, timestamp and data; the event\'s own fields are under "data", e.g. {"data": {"experiment": {"project": ["vision"]}}}',
    ]);
    expect(() => cli.ssmServer.store.get(`${cli.path}/vision`)).toThrow();
  });

  it.each([
    [['--filter', '{data: 1}'], 'error: --filter is not valid JSON (Expected property name or \'}\' in JSON at position 1); pass an EventBridge event pattern such as \'{"data":{"experiment":{"project":["vision"]}}}\''],
    [['--filter-file', 'no-such-filter.json'], 'error: cannot read --filter-file no-such-filter.json (ENOENT); check the path'],
  ])('exits 2 with one line when %j is not a JSON filter', async (args, message) => {
    // Act
    const result = await cli.run(['subscribe', 'ops', '--url', 'https://a.example.com', '--events', '*', ...args]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
  });

  it('rejects an invalid name before calling SSM', async () => {
    // Act
    const result = await cli.run(['subscribe', 'bad/name', '--url', 'https://x.example.com', '--events', '*']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: subscription "bad/name": the name must be 1 to 128 characters of A-Z, a-z, 0-9, "_", "." or "-"\n');
  });

  it('refuses to replace an existing subscription without --overwrite, and replaces it with it keeping SecureString', async () => {
    // Prepare
    await cli.run(['subscribe', 'ops', '--url', 'https://a.example.com', '--events', '*', '--secret']);

    // Act
    const refused = await cli.run(['subscribe', 'ops', '--url', 'https://b.example.com', '--events', '*']);
    const replaced = await cli.run(['subscribe', 'ops', '--url', 'https://b.example.com', '--events', 'jobs.*', '--overwrite']);

    // Assess
    expect(refused.code).toBe(1);
    expect(errorLines(refused.stderr)).toEqual(['error: subscription "ops" already exists; pass --overwrite to replace it (see it with "webhooks show ops")']);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('Replaced subscription "ops"');
    expect(stored('ops').type).toBe('SecureString');
    expect(stored('ops').value).toMatchObject({ url: 'https://b.example.com', events: ['jobs.*'] });
    expect(stored('ops').value).not.toHaveProperty('secret');
  });

  it('prints JSON with the generated secret for scripts', async () => {
    // Act
    const result = await cli.run(['subscribe', 'ops', '--url', 'https://a.example.com', '--events', '*', '--secret', '--json']);

    // Assess
    expect(result.code).toBe(0);
    const json = result.json<Record<string, unknown>>();
    expect(json).toEqual({ name: 'ops', parameter: `${cli.path}/ops`, type: 'SecureString', kmsKeyId: 'alias/aws/ssm', created: true, enabled: true, secret: stored('ops').value.secret });
  });

  it('warns, without failing, when the URL is an address the deployed function refuses', async () => {
    // Act
    const result = await cli.run(['subscribe', 'internal', '--url', 'http://10.1.2.3/hook', '--events', '*']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'warning: subscription "internal": 10.1.2.3 is private (RFC 1918) (rule: private 10.0.0.0/8): the deployed function refuses this target ' +
        'unless ALLOW_PRIVATE_NETWORK_TARGETS=true, ALLOW_PRIVATE_TARGETS=true or ALLOWED_TARGET_CIDRS allows it (the local stack does); written anyway\n',
    );
    expect(stored('internal').value.url).toBe('http://10.1.2.3/hook');
  });

  it('does not resolve the URL\'s host unless asked, so that it works offline without warnings', async () => {
    // Act: .invalid names never resolve (RFC 6761 §6.4).
    const result = await cli.run(['subscribe', 'ops', '--url', 'https://hooks.invalid/platform', '--events', '*']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(stored('ops').value.url).toBe('https://hooks.invalid/platform');
  });

  it('warns about a host that does not resolve with --check-host, and writes the subscription anyway', async () => {
    // Act
    const result = await cli.run(['subscribe', 'ops', '--url', 'https://hooks.invalid/platform', '--events', '*', '--check-host']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: subscription "ops": (the URL's host does not resolve \([A-Z_]+\); deliveries will fail and be retried until it does|could not resolve the URL's host within 3 s; check it if deliveries fail)\n$/);
    expect(stored('ops').value.url).toBe('https://hooks.invalid/platform');
  });

  it('warns about localhost without resolving it: it is loopback by definition', async () => {
    // Act
    const result = await cli.run(['subscribe', 'local', '--url', 'http://localhost:8080/hook', '--events', '*']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: subscription "local": localhost resolves to 127\.0\.0\.1, which is loopback .*the deployed function refuses this target unless ALLOW_PRIVATE_TARGETS=true/);
  });

  it.each([
    ['a loopback address', 'http://127.0.0.1:8080/admin', 'unless ALLOW_PRIVATE_TARGETS=true or ALLOWED_TARGET_CIDRS allows it (the local stack does); written anyway'],
    ['the instance metadata service', 'http://169.254.169.254/latest', 'the delivery function refuses every delivery to this URL; written anyway, but fix the URL'],
  ])('says which setting opens %s, if any', async (_case, url, ending) => {
    // Act
    const result = await cli.run(['subscribe', 'internal', '--url', url, '--events', '*']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: subscription "internal": .* \(rule: [^)]+\): /);
    expect(result.stderr.trimEnd().endsWith(ending)).toBe(true);
  });

  it('encrypts with --kms-key-id, keeps a parameter\'s key on --overwrite without one, and passes it on with the rewrite', async () => {
    // Prepare
    const { client, puts } = cli.recordingSsm();

    // Act
    const created = await cli.run(['subscribe', 'ops', '--url', 'https://a.example.com', '--events', '*', '--kms-key-id', 'alias/webhooks']);
    const replaced = await cli.run(['subscribe', 'ops', '--url', 'https://b.example.com', '--events', '*', '--overwrite', '--json'], { clients: { ssm: client } });
    const rekeyed = await cli.run(['subscribe', 'ops', '--url', 'https://b.example.com', '--events', '*', '--overwrite', '--kms-key-id', 'arn:aws:kms:eu-west-1:123456789012:alias/other']);

    // Assess
    expect(created.stdout).toContain('SecureString under alias/webhooks');
    expect(replaced.json()).toMatchObject({ type: 'SecureString', kmsKeyId: 'alias/webhooks', created: false });
    expect(puts).toEqual([expect.objectContaining({ Type: 'SecureString', KeyId: 'alias/webhooks', Overwrite: true })]);
    expect(rekeyed.stdout).toContain('Replaced subscription "ops"');
    expect(stored('ops').keyId).toBe('arn:aws:kms:eu-west-1:123456789012:alias/other');
  });

  it.each([
    [['subscribe', 'ops', '--events', '*'], /error: required option '--url <url>' not specified/],
    [['subscribe', 'ops', '--url', 'https://a.example.com', '--events', '*', '--header', 'no-colon'], /argument 'no-colon' is invalid\. expected "Name: value"/],
    [['subscribe', 'ops', '--url', 'https://a.example.com', '--events', '*', '--timeout-ms', 'soon'], /argument 'soon' is invalid\. expected a whole number/],
    [['subscribe', 'ops', '--url', 'https://a.example.com', '--events', '*', '--format', 'xml'], /argument 'xml' is invalid\. Allowed choices are standard/],
    [['subscribe', 'ops', '--url', 'https://a.example.com', '--events', '*', '--filter', '{}', '--filter-file', 'f.json'], /option '--filter-file <path>' cannot be used with option '--filter <json>'/],
    [['subscribe', 'ops', '--url', 'https://a.example.com', '--events', '*', '--kms-key-id', 'mine'], /argument 'mine' is invalid\. expected a KMS key id, key ARN, alias name/],
  ])('exits 2 with one usage line for %j', async (args, message) => {
    // Act
    const result = await cli.run(args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('see "webhooks subscribe --help"');
  });
});

describe('subscriptions whose URL or headers are credentials (README "Security model", What is stored encrypted)', () => {
  const slack = 'https://hooks.slack.com/services/T000/B000/XXXX';
  it.each([
    ['the Slack example of the help', ['--url', slack, '--format', 'slack'], ['T000/B000/XXXX']],
    ['a Discord webhook URL', ['--url', 'https://discord.com/api/webhooks/1234567890/kXb9Qz3LmW7vT2pR', '--format', 'discord'], ['1234567890', 'kXb9Qz3LmW7vT2pR']],
    ['a URL with ?token=', ['--url', 'https://ci.example.com/hook?token=letmein42'], ['letmein42']],
    ['an x-functions-key header', ['--url', 'https://fn.example.com/api/hook', '--header', 'x-functions-key: fnkey-abc'], ['fnkey-abc']],
    ['an Ocp-Apim-Subscription-Key header', ['--url', 'https://apim.example.com/hook', '--header', 'Ocp-Apim-Subscription-Key: apimkey-xyz'], ['apimkey-xyz']],
  ])('stores %s as a SecureString, and list and show print none of its credential', async (_case, options, credentials) => {
    // Act
    const written = await cli.run(['subscribe', 'hook', '--events', '*', ...options]);
    const printed = [
      await cli.run(['list']), await cli.run(['list', '--json']), await cli.run(['show', 'hook']), await cli.run(['show', 'hook', '--json']),
    ];

    // Assess
    expect(written.code).toBe(0);
    expect(stored('hook').type).toBe('SecureString');
    for (const result of printed) {
      expect(result.code).toBe(0);
      for (const credential of credentials) expect(result.output).not.toContain(credential);
    }
  });

  it.each([
    ['a header without its colon', ['--url', 'https://a.example.com', '--header', 'Authorization Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc'], 2],
    ['a key given as the timeout', ['--url', 'https://a.example.com', '--timeout-ms', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'], 2],
    ['a key given as the URL', ['--url', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'], 1],
    ['a key given as the secret', ['--url', 'https://a.example.com', '--secret', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'], 1],
    ['a credential given as a header name', ['--url', 'https://a.example.com', '--header', 'Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc: x'], 1],
  ])('does not quote a credential in its errors: %s', async (_case, options, code) => {
    // Act
    const result = await cli.run(['subscribe', 'ops', '--events', '*', ...options]);

    // Assess
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.output).not.toContain('4eC39HqLyjWDarjtT1zdp7dc');
  });
});
