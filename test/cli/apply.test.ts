import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyDeploymentConfig } from '../../cli/deployment';
import { parseDeploymentFile } from '../../cli/deployment-file';
import { DeploymentConfigError } from '../../cli/errors';
import { fixedSecret, useCliHarness } from '../support/cli-harness';

const OLD = fixedSecret(1);
const NEW = fixedSecret(2);
const mask = (secret: string): string => `whsec_…${secret.slice(-4)}`;

const cli = useCliHarness();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'webhooks-apply-'));
});

async function file(name: string, yaml: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, yaml);
  return file;
}

async function put(name: string, value: object, type: 'String' | 'SecureString' = 'SecureString', keyId?: string): Promise<void> {
  await cli.putParameter(name, value, type, keyId);
}

function stored(name: string): { type: string; keyId?: string; value: Record<string, unknown>; version: number } | undefined {
  try {
    const parameter = cli.ssmServer.store.get(`${cli.path}/${name}`, true);
    const keyId = cli.ssmServer.store.history(`${cli.path}/${name}`).items.at(-1)?.keyId;
    return { type: parameter.type, ...(keyId !== undefined && { keyId }), value: JSON.parse(parameter.value) as Record<string, unknown>, version: parameter.version };
  } catch {
    return undefined;
  }
}

/** Stored: ops (old secret, experiments.*), ci (unchanged), legacy (not in the file). The file: ops changed, ci, new. */
async function prepareDrift(): Promise<string> {
  await put('ops', { url: 'https://hooks.example.com/platform', events: ['experiments.*'], secret: OLD, headers: { Authorization: 'Bearer old-token' } }, 'SecureString');
  await put('ci', { url: 'https://ci.example.com/hook', events: ['builds.done'], enabled: false });
  await put('legacy', { url: 'https://old.example.com/hook', events: ['*'] });
  return file('drift.yaml', `
- name: ops
  url: https://hooks.example.com/platform
  events: [experiments.*, "*.failed"]
  secretEnv: OPS_WEBHOOK_SECRET
  headers:
    Authorization: Bearer new-token
  description: ops channel
- name: ci
  url: https://ci.example.com/hook
  events: [builds.done]
  enabled: false
- name: new
  url: https://new.example.com/hook
  events: ["*"]
  timeoutMs: 5000
`);
}

describe('webhooks apply', () => {
  it('prints the field-level diff with secrets masked and writes nothing with --dry-run', async () => {
    // Prepare
    const yaml = await prepareDrift();

    // Act
    const result = await cli.run(['apply', '-f', yaml, '--dry-run'], { env: { OPS_WEBHOOK_SECRET: NEW } });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toBe([
      '~ update ops',
      '    events: ["experiments.*"] → ["experiments.*", "*.failed"]',
      `    secret: ${mask(OLD)} → ${mask(NEW)}`,
      '    headers.Authorization: changed (value hidden)',
      '    description: (none) → "ops channel"',
      '= unchanged ci',
      '+ create new',
      '    url: "https://new.example.com/hook"',
      '    events: ["*"]',
      '    format: "standard"',
      '    enabled: true',
      '    timeoutMs: 5000',
      '! keep legacy (not in the file; --prune removes it)',
      'Dry run: 1 to create, 1 to update, 0 to remove, 1 unchanged, 1 kept (not in the file). Nothing was written; run without --dry-run to apply.',
      '',
    ].join('\n'));
    for (const secret of [OLD, NEW, 'old-token', 'new-token']) expect(result.output).not.toContain(secret);
    expect(stored('ops')?.version).toBe(1);
    expect(stored('new')).toBeUndefined();
  });

  it('applies creates and updates, keeps what the file does not name, and is then unchanged', async () => {
    // Prepare
    const yaml = await prepareDrift();
    const env = { OPS_WEBHOOK_SECRET: NEW };

    // Act
    const first = await cli.run(['apply', '-f', yaml], { env });
    const second = await cli.run(['apply', '-f', yaml, '--json'], { env });

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe(`Applied to ${cli.path}: 1 created, 1 updated, 0 removed, 1 unchanged, 1 kept (not in the file).`);
    expect(stored('ops')).toMatchObject({ type: 'SecureString', value: { secret: NEW, events: ['experiments.*', '*.failed'], headers: { Authorization: 'Bearer new-token' } } });
    expect(stored('new')).toMatchObject({ type: 'SecureString', value: { url: 'https://new.example.com/hook', timeoutMs: 5000 } });
    expect(stored('legacy')).toBeDefined();
    expect(second.json()).toEqual({
      dryRun: false, path: cli.path, warnings: expect.any(Array),
      changes: [{ name: 'ops', action: 'unchanged' }, { name: 'ci', action: 'unchanged' }, { name: 'new', action: 'unchanged' }, { name: 'legacy', action: 'keep' }],
    });
  });

  it('removes what the file no longer names only with --prune', async () => {
    // Prepare
    const yaml = await prepareDrift();

    // Act
    const result = await cli.run(['apply', '-f', yaml, '--prune'], { env: { OPS_WEBHOOK_SECRET: NEW } });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('- remove legacy\n');
    expect(stored('legacy')).toBeUndefined();
    expect(stored('ci')?.version).toBe(1);
  });

  it('keeps a rotation in progress while the file\'s secret is the current one', async () => {
    // Prepare
    await put('ops', { url: 'https://a.example.com/x', events: ['*'], secret: NEW, previousSecret: OLD, previousSecretExpiresAt: '2099-01-01T00:00:00Z' }, 'SecureString');
    const yaml = await file('rotation.yaml', '- name: ops\n  url: https://a.example.com/x\n  events: ["*"]\n  secretEnv: OPS_WEBHOOK_SECRET\n');

    // Act
    const result = await cli.run(['apply', '-f', yaml], { env: { OPS_WEBHOOK_SECRET: NEW } });

    // Assess
    expect(result.stdout).toContain('= unchanged ops');
    expect(stored('ops')?.value.previousSecret).toBe(OLD);
  });

  it.each([
    ['a literal secret', '- name: ops\n  url: https://a.example.com\n  events: ["*"]\n  secret: whsec_abc\n',
      [':1: subscription "ops": do not write the secret in the file; put it in an environment variable and name that with "secretEnv: OPS_WEBHOOK_SECRET"']],
    ['an unset secretEnv', '- name: ops\n  url: https://a.example.com\n  events: ["*"]\n  secretEnv: NOT_SET_ANYWHERE\n',
      [':1: subscription "ops": the environment variable NOT_SET_ANYWHERE (secretEnv) is not set; export it, e.g. export NOT_SET_ANYWHERE="whsec_$(openssl rand -base64 32)"']],
    ['an unknown field and a duplicate name', '# subscriptions\n- name: ops\n  url: https://a.example.com\n  events: ["*"]\n  colour: red\n- name: ops\n  url: https://b.example.com\n  events: ["*"]\n',
      [
        ':2: subscription "ops": "colour" is not a known field (known: name, url, events, filter, maxPerSecond, secretEnv, format, routingKeyEnv, headers, enabled, description, timeoutMs, kmsKeyId)',
        ':6: subscription "ops" is listed twice (first at line 2); give each subscription a unique name',
      ]],
    ['a YAML syntax error', '- name: ops: x\n  url: https://a.example.com\n', [':1: invalid YAML at column 9: Nested mappings are not allowed in compact mappings']],
    ['an unclosed YAML list', '- name: ops\n  events: [unclosed\n', [':3: invalid YAML at column 1: Flow sequence in block collection must be sufficiently indented and end with a ]']],
    ['a mapping instead of a list', 'ops:\n  url: https://a.example.com\n', [': expected a YAML list of subscriptions ("- name: ops" items), got an object']],
    ['an empty file', '\n', [' is empty; list the subscriptions in it (write [] to declare none, e.g. to remove them all with --prune)']],
  ])('refuses %s with one "error: bad.yaml…" line per problem, writing nothing', async (_case, yaml, messages) => {
    // Prepare
    await file('bad.yaml', yaml);
    await put('keep-me', { url: 'https://a.example.com', events: ['*'] });

    // Act
    const result = await cli.run(['apply', '-f', 'bad.yaml', '--prune'], { cwd: dir });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.every((line) => line.startsWith('error: bad.yaml'))).toBe(true);
    expect(lines.map((line) => line.slice('error: bad.yaml'.length))).toEqual(messages);
    expect(stored('keep-me')).toBeDefined();
  });

  it('applies a filter written as YAML and shows its change in the diff (docs/design.md §10)', async () => {
    // Prepare
    await put('vision', { url: 'https://hooks.example.com/vision', events: ['experiments.*'] });
    const yaml = await file('filter.yaml', `
- name: vision
  url: https://hooks.example.com/vision
  events: [experiments.*]
  filter:
    data:
      experiment:
        project: [vision, nlp]
        id: [{ numeric: [">", 40] }]
`);

    // Act
    const result = await cli.run(['apply', '-f', yaml]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('~ update vision\n    filter: (none) → {"data":{"experiment":{"project":["vision","nlp"],"id":[{"numeric":[">",40]}]}}}\n');
    expect(stored('vision')?.value.filter).toEqual({ data: { experiment: { project: ['vision', 'nlp'], id: [{ numeric: ['>', 40] }] } } });
  });

  it('refuses a filter with a bad part, naming the line of its subscription and the path in the filter', async () => {
    // Prepare
    await file('bad-filter.yaml', '- name: vision\n  url: https://hooks.example.com/vision\n  events: ["*"]\n  filter:\n    data:\n      experiment:\n        project: vision\n');

    // Act
    const result = await cli.run(['apply', '-f', 'bad-filter.yaml'], { cwd: dir });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: bad-filter.yaml:1: subscription "vision": filter.data.experiment.project: must be a list of values to match, e.g. ["vision"], or an object of fields; got a string\n');
    expect(stored('vision')).toBeUndefined();
  });

  it('resolves the hosts of new URLs only with --check-host', async () => {
    // Prepare: .invalid names never resolve (RFC 6761 §6.4).
    await file('offline.yaml', '- name: ops\n  url: https://hooks.invalid/platform\n  events: ["*"]\n');

    // Act
    const offline = await cli.run(['apply', '-f', 'offline.yaml', '--dry-run'], { cwd: dir });
    const checked = await cli.run(['apply', '-f', 'offline.yaml', '--dry-run', '--check-host'], { cwd: dir });

    // Assess
    expect([offline.code, checked.code]).toEqual([0, 0]);
    expect(offline.stderr).toBe('');
    expect(checked.stderr).toMatch(/^warning: subscription "ops": (the URL's host does not resolve|could not resolve the URL's host within 3 s)/);
  });

  it('reports every problem of an invalid file at once', async () => {
    // Prepare
    await file('many.yaml', '- name: ops\n  url: ftp://x\n  events: ["experiment.done"]\n- name: ops\n  url: https://b.example.com\n  events: ["*"]\n- url: https://c.example.com\n');

    // Act
    const result = await cli.run(['apply', '-f', 'many.yaml'], { cwd: dir });

    // Assess
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'error: many.yaml:1: subscription "ops": url must be an absolute http: or https: URL, got a URL with scheme "ftp:"',
      'error: many.yaml:1: subscription "ops": events[0] "experiment.done" matches no event; did you mean "experiments.done"?',
      'error: many.yaml:4: subscription "ops" is listed twice (first at line 1); give each subscription a unique name',
      'error: many.yaml:7: item 3 needs a "name" (1 to 128 characters of A-Z a-z 0-9 _ . -)',
    ]);
  });
});

describe('webhooks apply: what is stored encrypted and what the plan shows (README "Security model")', () => {
  it('writes every subscription as a SecureString, rewriting a String one, and says so in the plan', async () => {
    // Prepare
    await put('plain', { url: 'https://hooks.example.com/plain', events: ['*'] }, 'String');
    const yaml = await file('plain.yaml', '- name: plain\n  url: https://hooks.example.com/plain\n  events: ["*"]\n- name: fresh\n  url: https://hooks.example.com/fresh\n  events: ["*"]\n');

    // Act
    const result = await cli.run(['apply', '-f', yaml]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('~ update plain\n    parameter type: String → SecureString\n');
    expect(stored('plain')).toMatchObject({ type: 'SecureString', keyId: 'alias/aws/ssm' });
    expect(stored('fresh')).toMatchObject({ type: 'SecureString', keyId: 'alias/aws/ssm' });
  });

  it('encrypts with the kmsKeyId of an entry, else --kms-key-id, and shows a key that changes', async () => {
    // Prepare
    await put('ops', { url: 'https://hooks.example.com/ops', events: ['*'] });
    await put('ci', { url: 'https://hooks.example.com/ci', events: ['*'] }, 'SecureString', 'alias/webhooks');
    const yaml = await file('keys.yaml', `
- name: ops
  url: https://hooks.example.com/ops
  events: ["*"]
- name: ci
  url: https://hooks.example.com/ci
  events: ["*"]
- name: audit
  url: https://hooks.example.com/audit
  events: ["*"]
  kmsKeyId: alias/audit
`);

    // Act
    const dryRun = await cli.run(['apply', '-f', yaml, '--kms-key-id', 'alias/webhooks', '--dry-run']);
    const applied = await cli.run(['apply', '-f', yaml, '--kms-key-id', 'alias/webhooks', '--json']);
    const again = await cli.run(['apply', '-f', yaml, '--kms-key-id', 'alias/webhooks', '--dry-run']);

    // Assess
    expect(dryRun.stdout).toContain('~ update ops\n    kmsKeyId: alias/aws/ssm → alias/webhooks\n= unchanged ci\n+ create audit\n');
    expect(dryRun.stdout).toContain('    kmsKeyId: alias/audit\n');
    expect(applied.json<{ changes: unknown[] }>().changes).toEqual([
      expect.objectContaining({ name: 'ops', action: 'update', type: 'SecureString', kmsKeyId: 'alias/webhooks' }),
      { name: 'ci', action: 'unchanged' },
      expect.objectContaining({ name: 'audit', action: 'create', type: 'SecureString', kmsKeyId: 'alias/audit' }),
    ]);
    expect([stored('ops')?.keyId, stored('ci')?.keyId, stored('audit')?.keyId]).toEqual(['alias/webhooks', 'alias/webhooks', 'alias/audit']);
    expect(again.stdout).toContain('Dry run: 0 to create, 0 to update, 0 to remove, 3 unchanged.');
  });

  it('keeps the key a parameter has when nothing names one, passing it on with the rewrite', async () => {
    // Prepare
    await put('ops', { url: 'https://hooks.example.com/ops', events: ['*'] }, 'SecureString', 'alias/webhooks');
    const yaml = await file('keep-key.yaml', '- name: ops\n  url: https://hooks.example.com/ops\n  events: [jobs.*]\n');
    const { client, puts } = cli.recordingSsm();

    // Act
    const result = await cli.run(['apply', '-f', yaml], { clients: { ssm: client } });

    // Assess
    expect(result.code).toBe(0);
    expect(puts).toEqual([expect.objectContaining({ Name: `${cli.path}/ops`, Type: 'SecureString', KeyId: 'alias/webhooks', Overwrite: true })]);
    expect(stored('ops')).toMatchObject({ keyId: 'alias/webhooks', value: { events: ['jobs.*'] } });
  });

  it('refuses a kmsKeyId that names no key', async () => {
    // Prepare
    await file('bad-key.yaml', '- name: ops\n  url: https://hooks.example.com/ops\n  events: ["*"]\n  kmsKeyId: my key\n');

    // Act
    const result = await cli.run(['apply', '-f', 'bad-key.yaml'], { cwd: dir });
    const flag = await cli.run(['apply', '-f', 'bad-key.yaml', '--kms-key-id', 'secret key'], { cwd: dir });

    // Assess
    expect(result.stderr).toBe('error: bad-key.yaml:1: subscription "ops": kmsKeyId must be a KMS key id, key ARN, alias name such as "alias/webhooks" or alias ARN\n');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^error: option '--kms-key-id <key>' argument 'secret key' is invalid\. expected a KMS key id/);
  });

  it('masks URLs, header values and header names that look like credentials in the plan, text and JSON', async () => {
    // Prepare
    const slackToken = 'Q7mZ2kR9vX4pL8nW1tY6bH3c';
    const pasted = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
    await put('chat', { url: 'https://hooks.slack.com/services/T000/B000/OLDTOKENOLDTOKEN0001', events: ['*'], headers: { 'x-functions-key': 'old-key-value' } });
    const yaml = await file('chat.yaml', `
- name: chat
  url: https://hooks.slack.com/services/T000/B000/${slackToken}
  events: ["*"]
  headers:
    x-functions-key: new-key-value
    ${pasted}: x
`);

    // Act
    const text = await cli.run(['apply', '-f', yaml, '--dry-run']);
    const json = await cli.run(['apply', '-f', yaml, '--dry-run', '--json']);

    // Assess
    expect(text.stdout).toContain('~ update chat\n    url: changed (value hidden)\n    headers.x-functions-key: changed (value hidden)\n    headers.sk_live_…p7dc: (none) → ****\n');
    for (const secret of [slackToken, 'OLDTOKENOLDTOKEN0001', 'old-key-value', 'new-key-value', pasted]) {
      expect(text.output).not.toContain(secret);
      expect(json.output).not.toContain(secret);
    }
  });
});

describe('applyDeploymentConfig', () => {
  it('returns what it did by name, with warnings, for the local stack', async () => {
    // Prepare
    const yaml = await prepareDrift();

    // Act
    const summary = await applyDeploymentConfig({ ssm: cli.ssm, path: cli.path, file: yaml, env: { OPS_WEBHOOK_SECRET: NEW } });

    // Assess
    expect(summary).toEqual({
      create: ['new'], update: ['ops'], remove: [], unchanged: ['ci'],
      warnings: expect.arrayContaining([`subscription "legacy" is not in ${yaml}; kept (apply with --prune to remove it)`]),
    });
    expect(stored('new')).toBeDefined();
  });

  it('with dryRun and prune, says what it would remove and writes nothing', async () => {
    // Prepare
    const yaml = await prepareDrift();

    // Act
    const summary = await applyDeploymentConfig({ ssm: cli.ssm, path: cli.path, file: yaml, dryRun: true, prune: true, env: { OPS_WEBHOOK_SECRET: NEW } });

    // Assess
    expect(summary).toMatchObject({ create: ['new'], update: ['ops'], remove: ['legacy'], unchanged: ['ci'] });
    expect(stored('legacy')).toBeDefined();
    expect(stored('new')).toBeUndefined();
  });

  it('throws a DeploymentConfigError listing the problems of an invalid file', async () => {
    // Prepare
    const yaml = await file('secret.yaml', '- name: ops\n  url: https://a.example.com\n  events: ["*"]\n  secret: whsec_abc\n');

    // Act
    const applying = applyDeploymentConfig({ ssm: cli.ssm, path: cli.path, file: yaml, env: {} });

    // Assess
    await expect(applying).rejects.toBeInstanceOf(DeploymentConfigError);
    await expect(applying).rejects.toMatchObject({ lines: [expect.stringContaining('do not write the secret in the file')] });
  });
});

describe('webhooks.example.yaml', () => {
  const root = join(__dirname, '..', '..');
  const example = readFileSync(join(root, 'webhooks.example.yaml'), 'utf8');

  it('is a valid deployment config file', () => {
    // Act
    const desired = parseDeploymentFile(example, 'webhooks.example.yaml', { OPS_WEBHOOK_SECRET: fixedSecret() });

    // Assess
    expect(desired.map((entry) => entry.subscription.name)).toEqual([...example.matchAll(/^- name: (\S+)/gm)].map(([, name]) => name));
    expect(desired.length).toBeGreaterThan(0);
  });

  it('points at documents and sections that exist', () => {
    // Prepare
    const headings = readFileSync(join(root, 'README.md'), 'utf8').split('\n').filter((line) => line.startsWith('#')).map((line) => line.replace(/^#+\s*/, '').replaceAll('`', ''));

    // Act
    const cited = [...example.matchAll(/([\w./-]+\.md)(?:, "([^"]+)")?/g)].map(([, document = '', section]) => ({ document, section }));

    // Assess
    expect(cited.length).toBeGreaterThan(0);
    for (const { document, section } of cited) {
      expect(existsSync(join(root, document))).toBe(true);
      if (section !== undefined && document === 'README.md') expect(headings).toContain(section);
    }
  });
});
