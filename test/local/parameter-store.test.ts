import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ParameterStore, SECURE_STRING_PLACEHOLDER } from '../../local/parameter-store';

const PATH = '/platform-webhooks/subscriptions';
const NOW = new Date('2026-11-27T10:00:00.000Z');

/** Matches the `SsmError` with this code. */
function ssmError(code: string): Error {
  return expect.objectContaining({ name: 'SsmError', code }) as Error;
}

function openStore(dataFile?: string): Promise<ParameterStore> {
  return ParameterStore.open({ now: () => NOW, region: 'eu-west-1', ...(dataFile === undefined ? {} : { dataFile }) });
}

async function seed(store: ParameterStore, names: readonly string[]): Promise<void> {
  for (const name of names) await store.put({ name, value: `value of ${name}`, type: 'String' });
}

describe('ParameterStore', () => {
  it('creates a parameter at version 1 with the clock time and a regional ARN', async () => {
    // Prepare
    const store = await openStore();

    // Act
    const { version } = await store.put({ name: `${PATH}/ops`, value: '{}', type: 'String' });

    // Assess
    expect(version).toBe(1);
    expect(store.get(`${PATH}/ops`)).toEqual({
      name: `${PATH}/ops`,
      type: 'String',
      value: '{}',
      version: 1,
      lastModifiedDate: NOW,
      arn: 'arn:aws:ssm:eu-west-1:000000000000:parameter/platform-webhooks/subscriptions/ops',
      dataType: 'text',
    });
  });

  it('hides a SecureString value everywhere unless decrypted', async () => {
    // Prepare
    const store = await openStore();
    await store.put({ name: `${PATH}/s`, value: 'plaintext', type: 'SecureString' });

    // Act
    const views = [
      store.get(`${PATH}/s`),
      store.getMany([`${PATH}/s`]).parameters[0],
      store.getByPath({ path: PATH }).items[0],
    ];

    // Assess
    expect(views.map((view) => view?.value)).toEqual(Array(3).fill(SECURE_STRING_PLACEHOLDER));
    expect(store.getByPath({ path: PATH, withDecryption: true }).items[0]?.value).toBe('plaintext');
  });

  it('lists direct children in name order, and the whole subtree when recursive', async () => {
    // Prepare
    const store = await openStore();
    await seed(store, ['/p/b', '/p/a', '/p/a/deep', '/p', '/pq/x', 'p-flat']);

    // Act
    const direct = store.getByPath({ path: '/p/' });
    const recursive = store.getByPath({ path: '/p', recursive: true });
    const root = store.getByPath({ path: '/' });

    // Assess
    expect(direct.items.map((item) => item.name)).toEqual(['/p/a', '/p/b']);
    expect(recursive.items.map((item) => item.name)).toEqual(['/p/a', '/p/a/deep', '/p/b']);
    expect(root.items.map((item) => item.name)).toEqual(['/p']);
  });

  it('pages by the last name returned, so a deletion between pages skips nothing', async () => {
    // Prepare
    const store = await openStore();
    await seed(store, ['/p/1', '/p/2', '/p/3', '/p/4', '/p/5']);
    const first = store.getByPath({ path: '/p', maxResults: 2 });
    await store.delete('/p/1');

    // Act
    const second = store.getByPath({ path: '/p', maxResults: 2, nextToken: first.nextToken });
    const third = store.getByPath({ path: '/p', maxResults: 2, nextToken: second.nextToken });

    // Assess
    expect(second.items.map((item) => item.name)).toEqual(['/p/3', '/p/4']);
    expect(third.items.map((item) => item.name)).toEqual(['/p/5']);
    expect(third.nextToken).toBeUndefined();
  });

  it.each([0, 11, 2.5])('rejects GetParametersByPath maxResults %p', async (maxResults) => {
    // Prepare
    const store = await openStore();

    // Act
    const read = () => store.getByPath({ path: '/p', maxResults });

    // Assess
    expect(read).toThrow(ssmError('ValidationException'));
  });

  it('rejects a next token it did not issue', async () => {
    // Prepare
    const store = await openStore();

    // Act
    const read = () => store.getByPath({ path: '/p', nextToken: 'not-a-token' });

    // Assess
    expect(read).toThrow(ssmError('InvalidNextToken'));
  });

  it('describes with Name, Path and Type filters, up to 50 per page', async () => {
    // Prepare
    const store = await openStore();
    await seed(store, Array.from({ length: 60 }, (_, index) => `/many/p${String(index).padStart(2, '0')}`));
    await store.put({ name: '/other/secret', value: 's', type: 'SecureString' });

    // Act
    const page = store.describe({ maxResults: 50, filters: [{ key: 'Path', values: ['/many'] }] });
    const secure = store.describe({ filters: [{ key: 'Type', values: ['SecureString'] }] });
    const prefixed = store.describe({ filters: [{ key: 'Name', option: 'BeginsWith', values: ['/many/p5'] }] });

    // Assess
    expect(page.items).toHaveLength(50);
    expect(page.nextToken).toBeDefined();
    expect(secure.items.map((item) => item.name)).toEqual(['/other/secret']);
    expect(prefixed.items).toHaveLength(10);
    expect(() => store.describe({ maxResults: 51 })).toThrow(ssmError('ValidationException'));
    expect(() => store.describe({ filters: [{ key: 'KeyId', values: ['k'] }] })).toThrow('KeyId');
  });

  it('deletes, reporting a missing name as ParameterNotFound', async () => {
    // Prepare
    const store = await openStore();
    await seed(store, ['/a']);

    // Act
    await store.delete('/a');

    // Assess
    expect(() => store.get('/a')).toThrow(ssmError('ParameterNotFound'));
    await expect(store.delete('/a')).rejects.toEqual(ssmError('ParameterNotFound'));
  });

  it('hands out injected throttling faults per operation, then none', async () => {
    // Prepare
    const store = await openStore();
    store.injectFaults({ throttle: 1, operations: ['PutParameter'] });

    // Act
    const faults = ['GetParameter', 'PutParameter', 'PutParameter'].map((operation) => store.takeFault(operation));

    // Assess
    expect(faults[0]).toBeUndefined();
    expect(faults[1]).toEqual(ssmError('ThrottlingException'));
    expect(faults[2]).toBeUndefined();
  });
});

describe('ParameterStore tiers, patterns, keys, tags and history', () => {
  it('holds 8192 characters in the Advanced tier, picks it for Intelligent-Tiering, and keeps it on overwrite', async () => {
    // Prepare
    const store = await openStore();
    const large = 'v'.repeat(5000);

    // Act
    const advanced = await store.put({ name: '/big', value: 'v'.repeat(8192), type: 'String', tier: 'Advanced' });
    const intelligent = await store.put({ name: '/auto', value: large, type: 'String', tier: 'Intelligent-Tiering' });
    const small = await store.put({ name: '/small', value: 'v', type: 'String', tier: 'Intelligent-Tiering' });
    const kept = await store.put({ name: '/big', value: 'short now', overwrite: true });

    // Assess
    expect([advanced.tier, intelligent.tier, small.tier, kept.tier]).toEqual(['Advanced', 'Advanced', 'Standard', 'Advanced']);
    expect(store.describe({ filters: [{ key: 'Name', values: ['/big'] }] }).items[0]?.tier).toBe('Advanced');
  });

  it.each([
    ['a Standard value over 4096 characters', { tier: 'Standard', value: 'v'.repeat(4097) }, 'set Tier to Advanced for up to 8192'],
    ['an Advanced value over 8192 characters', { tier: 'Advanced', value: 'v'.repeat(8193) }, 'an Advanced tier parameter holds at most 8192'],
  ] as const)('refuses %s', async (_case, request, message) => {
    // Prepare
    const store = await openStore();

    // Act
    const put = store.put({ name: '/p', type: 'String', ...request });

    // Assess
    await expect(put).rejects.toEqual(ssmError('ValidationException'));
    await expect(put).rejects.toThrow(message);
  });

  it('refuses to take an Advanced parameter back to Standard', async () => {
    // Prepare
    const store = await openStore();
    await store.put({ name: '/p', value: 'v', type: 'String', tier: 'Advanced' });

    // Act
    const put = store.put({ name: '/p', value: 'v2', overwrite: true, tier: 'Standard' });

    // Assess
    await expect(put).rejects.toThrow('/p is an Advanced parameter, and a parameter cannot go back to the Standard tier');
    expect(store.get('/p').version).toBe(1);
  });

  it('checks every value against the allowed pattern, kept on overwrite, without quoting the value', async () => {
    // Prepare
    const store = await openStore();
    await store.put({ name: '/port', value: '8080', type: 'String', allowedPattern: '^\\d+$' });

    // Act
    const mismatch = store.put({ name: '/port', value: 'whsec_not-a-port', overwrite: true });
    const invalid = store.put({ name: '/other', value: 'x', type: 'String', allowedPattern: '(' });

    // Assess
    await expect(mismatch).rejects.toEqual(ssmError('ParameterPatternMismatchException'));
    await expect(mismatch).rejects.toThrow('The value of /port does not match its AllowedPattern ^\\d+$.');
    await expect(mismatch).rejects.not.toThrow('whsec_');
    await expect(invalid).rejects.toEqual(ssmError('InvalidAllowedPatternException'));
    expect(store.describe({ filters: [{ key: 'Name', values: ['/port'] }] }).items[0]).toMatchObject({ allowedPattern: '^\\d+$', version: 1 });
  });

  it('describes a SecureString with its KMS key, the default one unless given, and keeps it on overwrite', async () => {
    // Prepare
    const store = await openStore();
    await store.put({ name: '/default', value: 's', type: 'SecureString' });
    await store.put({ name: '/custom', value: 's', type: 'SecureString', keyId: 'alias/webhooks', description: 'ops' });
    await store.put({ name: '/custom', value: 's2', overwrite: true });

    // Act
    const described = store.describe({ filters: [{ key: 'Type', values: ['SecureString'] }] }).items;

    // Assess
    expect(described).toEqual([
      expect.objectContaining({ name: '/custom', keyId: 'alias/webhooks', tier: 'Standard', version: 2, description: 'ops', dataType: 'text' }),
      expect.objectContaining({ name: '/default', keyId: 'alias/aws/ssm', version: 1 }),
    ]);
    await expect(store.put({ name: '/plain', value: 'v', type: 'String', keyId: 'alias/webhooks' })).rejects.toThrow(
      'KeyId applies only to SecureString parameters',
    );
  });

  it('accepts a type change on overwrite, as AWS does, and keeps the old type in the history', async () => {
    // Prepare
    const store = await openStore();
    await store.put({ name: '/p', value: 'v', type: 'String' });

    // Act
    await store.put({ name: '/p', value: 'secret', type: 'SecureString', overwrite: true });

    // Assess
    expect(store.get('/p')).toMatchObject({ type: 'SecureString', value: SECURE_STRING_PLACEHOLDER, version: 2 });
    expect(store.history('/p').items.map((version) => version.type)).toEqual(['String', 'SecureString']);
  });

  it('tags a parameter when it is created or later, and refuses tags with Overwrite', async () => {
    // Prepare
    const store = await openStore();
    await store.put({ name: '/p', value: 'v', type: 'String', tags: { team: 'ml', tier: 'gold' } });

    // Act
    await store.tag('/p', { add: { team: 'platform', cost: 'shared' }, remove: ['tier'] });
    const withOverwrite = store.put({ name: '/p', value: 'v2', overwrite: true, tags: { team: 'x' } });

    // Assess
    expect(store.tags('/p')).toEqual({ team: 'platform', cost: 'shared' });
    await expect(withOverwrite).rejects.toThrow('Tags and Overwrite cannot be used together (/p)');
    expect(() => store.tags('/missing')).toThrow(ssmError('InvalidResourceId'));
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 'v']));
    await expect(store.tag('/p', { add: many })).rejects.toEqual(ssmError('TooManyTagsError'));
  });

  it('keeps earlier versions, readable as name:version, up to the last 100', async () => {
    // Prepare
    const store = await openStore();
    for (let version = 1; version <= 102; version++) {
      await store.put({ name: '/p', value: `value ${version}`, type: 'SecureString', overwrite: version > 1 });
    }

    // Act
    const history = store.history('/p', { withDecryption: true, maxResults: 50 });
    const old = store.get('/p:3', true);
    const many = store.getMany(['/p:102', '/p:1', '/missing']);

    // Assess
    expect(history.items.map((version) => version.version)).toEqual(Array.from({ length: 50 }, (_, index) => index + 3));
    expect(history.items[0]).toMatchObject({ value: 'value 3', keyId: 'alias/aws/ssm', labels: [] });
    expect(store.history('/p', { nextToken: history.nextToken }).items.at(-1)?.version).toBe(102);
    expect(old).toMatchObject({ name: '/p', value: 'value 3', version: 3, selector: ':3' });
    expect(many.parameters.map((parameter) => parameter.version)).toEqual([102]);
    expect(many.invalidParameters).toEqual(['/p:1', '/missing']);
    expect(() => store.get('/p:1')).toThrow('/p has no version 1; its versions are 3 to 102.');
    expect(() => store.get('/p:stable')).toThrow(ssmError('ValidationException'));
  });

  it('throttles the reads together above the quota within each second of its clock, and counts every request', async () => {
    // Prepare
    let now = new Date('2026-11-27T10:00:00.100Z');
    const store = await ParameterStore.open({ now: () => now });
    store.throttleReads(2);
    const read = ['GetParameter', 'GetParametersByPath', 'GetParameters'] as const;

    // Act
    const first = read.map((operation) => store.takeFault(operation)?.code);
    const write = store.takeFault('PutParameter');
    now = new Date('2026-11-27T10:00:01.000Z');
    const next = store.takeFault('GetParameters');

    // Assess
    expect(first).toEqual([undefined, undefined, 'ThrottlingException']);
    expect(write).toBeUndefined();
    expect(next).toBeUndefined();
    expect(store.operationCounts()).toMatchObject({
      calls: { GetParameter: 1, GetParametersByPath: 1, GetParameters: 2, PutParameter: 1, DeleteParameter: 0 },
      throttled: { GetParameter: 0, GetParameters: 1, PutParameter: 0 },
    });
    expect(() => store.throttleReads(0)).toThrow(TypeError);
  });
});

describe('ParameterStore with a data file', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'parameter-store-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('persists every change before it resolves, so a reopened store sees the latest state', async () => {
    // Prepare
    const dataFile = join(directory, 'ssm.json');
    const store = await openStore(dataFile);

    // Act
    const names = Array.from({ length: 12 }, (_, index) => `/p/${index}`);
    await Promise.all(names.map((name) => store.put({ name, value: 'v', type: 'String' })));
    await store.put({ name: '/p/1', value: 'v2', overwrite: true });
    await store.deleteMany(['/p/0', '/p/nope']);
    const reopened = await openStore(dataFile);

    // Assess
    expect(reopened.describe({ maxResults: 50 }).items).toHaveLength(11);
    expect(reopened.get('/p/1')).toMatchObject({ value: 'v2', version: 2, lastModifiedDate: NOW });
  });

  it('loads a data file of the first format, written before tiers, tags and history', async () => {
    // Prepare
    const dataFile = join(directory, 'ssm.json');
    const entry = { name: '/a', type: 'SecureString', value: 's', version: 3, lastModified: NOW.toISOString() };
    await writeFile(dataFile, JSON.stringify({ format: 'platform-webhooks/local-parameter-store@1', parameters: [entry] }));

    // Act
    const store = await openStore(dataFile);

    // Assess
    expect(store.describe().items).toEqual([expect.objectContaining({ name: '/a', version: 3, tier: 'Standard', keyId: 'alias/aws/ssm' })]);
  });

  it('keeps tiers, keys, patterns, tags and history across a reopen', async () => {
    // Prepare
    const dataFile = join(directory, 'ssm.json');
    const store = await openStore(dataFile);
    await store.put({ name: '/s', value: '1', type: 'SecureString', keyId: 'alias/k', tier: 'Advanced', allowedPattern: '^\\d$', tags: { a: 'b' } });
    await store.put({ name: '/s', value: '2', overwrite: true });

    // Act
    const reopened = await openStore(dataFile);

    // Assess
    expect(reopened.describe().items[0]).toMatchObject({ keyId: 'alias/k', tier: 'Advanced', allowedPattern: '^\\d$', version: 2 });
    expect(reopened.tags('/s')).toEqual({ a: 'b' });
    expect(reopened.get('/s:1', true).value).toBe('1');
  });
});
