import { DeleteParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { InvalidStoredSubscriptionError, SubscriptionExistsError } from '../../lambda/adapters/errors';
import { createSubscriptionStore } from '../../lambda/adapters/subscription-store';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import type { ParameterStoreServer } from '../../local/parameter-store-server';
import { secret, subscription } from '../support/factories';
import { ssmClient } from '../support/handler-harness';

let server: ParameterStoreServer;
let ssm: SSMClient;
let testNumber = 0;
let path: string;

beforeAll(async () => {
  server = await startParameterStoreServer({ port: 0 });
  ssm = ssmClient(server.endpoint);
});
afterAll(async () => {
  ssm.destroy();
  await server.close();
});
beforeEach(() => {
  path = `/store-${++testNumber}`;
});

function stored(name: string): { type: string; version: number; description?: string; value: Record<string, unknown> } {
  const parameter = server.store.get(`${path}/${name}`, true);
  const metadata = server.store.describe({ filters: [{ key: 'Name', values: [`${path}/${name}`] }] }).items[0];
  return { type: parameter.type, version: parameter.version, description: metadata?.description, value: JSON.parse(parameter.value) as Record<string, unknown> };
}

async function putRaw(name: string, value: unknown, extra: { Type?: 'String' | 'SecureString'; Description?: string } = {}): Promise<void> {
  await ssm.send(new PutParameterCommand({ Name: `${path}/${name}`, Value: typeof value === 'string' ? value : JSON.stringify(value), Type: 'String', Overwrite: true, ...extra }));
}

describe('the subscription store', () => {
  it('writes SecureString by default, and the type it is given otherwise', async () => {
    // Prepare
    const store = createSubscriptionStore({ client: ssm, path });

    // Act
    await store.put(subscription({ name: 'default', url: 'https://a.example.com/hook' }), { overwrite: false });
    await store.put(subscription({ name: 'plain', url: 'https://b.example.com/hook' }), { overwrite: false, storage: { type: 'String' } });

    // Assess
    expect(stored('default')).toMatchObject({ type: 'SecureString', value: { url: 'https://a.example.com/hook', enabled: true } });
    expect(stored('plain').type).toBe('String');
    expect(stored('plain').value).not.toHaveProperty('name');
  });

  it('refuses to replace a subscription without overwrite, and replaces it with it', async () => {
    // Prepare
    const store = createSubscriptionStore({ client: ssm, path });
    await store.put(subscription({ name: 'ops', url: 'https://old.example.com' }), { overwrite: false });

    // Act
    const refused = store.put(subscription({ name: 'ops', url: 'https://new.example.com' }), { overwrite: false });
    await expect(refused).rejects.toThrow(SubscriptionExistsError);
    const version = await store.put(subscription({ name: 'ops', url: 'https://new.example.com' }), { overwrite: true });

    // Assess
    expect(version).toBe(2);
    expect(stored('ops').value.url).toBe('https://new.example.com');
  });

  it('lists every parameter under the path across pages, sorted, with the valid ones parsed and versioned', async () => {
    // Prepare: 23 subscriptions (three pages) and one invalid value
    const store = createSubscriptionStore({ client: ssm, path: `${path}/` });
    for (let i = 0; i < 23; i++) await putRaw(`s${String(i).padStart(2, '0')}`, { url: `https://h${i}.example.com`, events: ['*'] });
    await putRaw('broken', 'not json');

    // Act
    const all = await store.list();

    // Assess
    expect(all.map((entry) => entry.name)).toEqual(['broken', ...Array.from({ length: 23 }, (_, i) => `s${String(i).padStart(2, '0')}`)]);
    expect(all[0]?.result.ok).toBe(false);
    expect(all[1]?.result).toMatchObject({ ok: true, subscription: { name: 's00', version: 1 } });
  });

  it('gets one subscription, and nothing for a missing one or a name no subscription can have', async () => {
    // Prepare
    const store = createSubscriptionStore({ client: ssm, path });
    await putRaw('ops', { url: 'https://a.example.com', events: ['jobs.*'] });

    // Act
    const [found, missing, outside] = await Promise.all([store.get('ops'), store.get('nobody'), store.get('../ops')]);

    // Assess
    expect(found).toMatchObject({ name: 'ops', parameterName: `${path}/ops`, type: 'String', version: 1, result: { ok: true } });
    expect(missing).toBeUndefined();
    expect(outside).toBeUndefined();
  });

  it('removes a subscription, and says when there was none', async () => {
    // Prepare
    const store = createSubscriptionStore({ client: ssm, path });
    await putRaw('ops', { url: 'https://a.example.com', events: ['*'] });

    // Act
    const first = await store.remove('ops');
    const second = await store.remove('ops');

    // Assess
    expect([first, second]).toEqual([true, false]);
  });

  it('sets enabled at the expected version, keeping the type and the description', async () => {
    // Prepare
    const store = createSubscriptionStore({ client: ssm, path });
    const key = secret();
    await putRaw('ops', { url: 'https://a.example.com', events: ['*'], secret: key }, { Type: 'SecureString', Description: 'owned by the ML platform team' });

    // Act
    const result = await store.setEnabled('ops', false, 1);

    // Assess
    expect(result).toEqual({ outcome: 'written', subscription: expect.objectContaining({ name: 'ops', enabled: false, secret: key, version: 2 }) });
    expect(stored('ops')).toMatchObject({ type: 'SecureString', version: 2, description: 'owned by the ML platform team', value: { enabled: false, secret: key } });
  });

  it('writes nothing when the stored version is not the expected one, or the subscription is gone', async () => {
    // Prepare
    const store = createSubscriptionStore({ client: ssm, path });
    await putRaw('moved', { url: 'https://a.example.com', events: ['*'] });
    await putRaw('moved', { url: 'https://b.example.com', events: ['*'] });
    await putRaw('deleted', { url: 'https://c.example.com', events: ['*'] });
    await ssm.send(new DeleteParameterCommand({ Name: `${path}/deleted` }));

    // Act
    const moved = await store.setEnabled('moved', false, 1);
    const unknownVersion = await store.setEnabled('moved', false, undefined);
    const gone = await store.setEnabled('deleted', false, 1);

    // Assess: a moved version comes with the parameter as read
    const asRead = { outcome: 'version-moved', stored: expect.objectContaining({ name: 'moved', version: 2, result: expect.objectContaining({ ok: true }) }) };
    expect([moved, unknownVersion, gone]).toEqual([asRead, asRead, { outcome: 'gone' }]);
    expect(stored('moved')).toMatchObject({ version: 2, value: { url: 'https://b.example.com' } });
  });

  it('refuses to rewrite a stored value that is not a valid subscription, naming it', async () => {
    // Prepare
    const store = createSubscriptionStore({ client: ssm, path });
    await putRaw('broken', { url: 'ftp://nope', events: ['*'] });

    // Act
    const rewrite = store.setEnabled('broken', false, 1);

    // Assess
    await expect(rewrite).rejects.toThrow(InvalidStoredSubscriptionError);
    await expect(rewrite).rejects.toThrow(/subscription "broken" is stored with an invalid value/);
    expect(stored('broken').version).toBe(1);
  });
});
