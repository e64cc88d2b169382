import { mkdtemp, rm } from 'node:fs/promises';
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
});
