import {
  DeleteParameterCommand, DescribeParametersCommand, GetParameterCommand, GetParameterHistoryCommand, GetParametersByPathCommand, InvalidNextToken,
  ListTagsForResourceCommand, PutParameterCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createSsmSubscriptionSource } from '../../lambda/adapters/ssm-subscriptions';
import type { SsmSubscriptionSourceOptions } from '../../lambda/adapters/ssm-subscriptions';
import { SubscriptionSourceError } from '../../lambda/core/errors';
import type { Clock } from '../../lambda/core/ports';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import type { ParameterStoreServer } from '../../local/parameter-store-server';
import { capturingLog, FIXED_NOW, fixedClock, secret, subscription } from '../support/factories';
import { useSilentServer } from '../support/silent-server';

const REAL_CLOCK: Clock = { now: () => Date.now() };
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

let server: ParameterStoreServer;
let testNumber = 0;
let path: string;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startParameterStoreServer({ port: 0 });
});
afterAll(() => server.close());
beforeEach(() => {
  path = `/source-${++testNumber}`;
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A client of the stand-in that counts its calls by command, and runs `after` once each has answered. */
function countingClient(after: (command: string) => void = () => undefined): { client: SSMClient; calls: Record<string, number> } {
  const client = new SSMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  cleanups.push(() => client.destroy());
  const calls: Record<string, number> = {};
  client.middlewareStack.add((next, context) => async (args) => {
    const command = context.commandName ?? '?';
    calls[command] = (calls[command] ?? 0) + 1;
    const output = await next(args);
    after(command);
    return output;
  }, { step: 'initialize', name: 'countCalls' });
  return { client, calls };
}

function source(client: SSMClient, options: Partial<SsmSubscriptionSourceOptions> = {}) {
  const log = capturingLog();
  return { log, source: createSsmSubscriptionSource({ client, path, cacheSeconds: 60, clock: REAL_CLOCK, log, ...options }) };
}

async function put(client: SSMClient, name: string, value: object, type: 'String' | 'SecureString' = 'String'): Promise<void> {
  await client.send(new PutParameterCommand({ Name: `${path}/${name}`, Value: JSON.stringify(value), Type: type, Overwrite: true }));
}

async function seed(client: SSMClient, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await put(client, `s${String(i).padStart(3, '0')}`, { url: `https://h${i}.example.com`, events: ['*'] });
}

function storedValue(name: string): Record<string, unknown> {
  return JSON.parse(server.store.get(`${path}/${name}`, true).value) as Record<string, unknown>;
}

describe('the SSM subscription source, disabling after HTTP 410', () => {
  it('writes nothing when a secret rotation moved the version, so the rotated secret survives; the next try disables', async () => {
    // Prepare: the delivery read version 1, then a rotation wrote version 2
    const { client } = countingClient();
    const { source: subscriptions } = source(client);
    const [oldSecret, rotatedSecret] = [secret(), secret()];
    await put(client, 'ops', { url: 'https://a.example.com', events: ['*'], secret: oldSecret }, 'SecureString');
    const delivered = (await subscriptions.load()).byName('ops');
    await put(client, 'ops', { url: 'https://a.example.com', events: ['*'], secret: rotatedSecret, previousSecret: oldSecret }, 'SecureString');

    // Act
    const first = await subscriptions.disable(delivered!);
    const fresh = await subscriptions.readFresh('ops');
    const second = await subscriptions.disable(fresh.subscription!);

    // Assess
    expect(delivered?.version).toBe(1);
    expect(first).toBe('version-moved');
    expect(second).toBe('disabled');
    expect(server.store.get(`${path}/ops`).type).toBe('SecureString');
    expect(storedValue('ops')).toMatchObject({ enabled: false, secret: rotatedSecret, previousSecret: oldSecret });
    expect((await subscriptions.load()).byName('ops')).toMatchObject({ enabled: false, version: 3 });
  });

  it('learns the stored copy when the version moved, so a subscription another container disabled stops receiving from this one before its refresh', async () => {
    // Prepare: two containers loaded version 1; the first disables it after a 410
    const { client } = countingClient();
    const { client: otherClient, calls } = countingClient();
    const { source: first } = source(client);
    const { source: second } = source(otherClient);
    await put(client, 'ops', { url: 'https://a.example.com', events: ['*'] });
    const delivered = (await first.load()).byName('ops');
    await second.load();
    await first.disable(delivered!);

    // Act: the second container's next delivery gets 410 too
    const result = await second.disable(delivered!);

    // Assess: its cache, still fresh, now holds the disabled subscription the rewrite read, with no more calls
    expect(result).toBe('version-moved');
    expect((await second.load()).byName('ops')).toMatchObject({ enabled: false, version: 2 });
    expect(calls).toEqual({ GetParametersByPathCommand: 1, GetParameterCommand: 1, GetParameterHistoryCommand: 1 });
  });

  it('says gone for a subscription deleted since it was read, and forgets it', async () => {
    // Prepare
    const { client } = countingClient();
    const { source: subscriptions } = source(client);
    await put(client, 'ops', { url: 'https://a.example.com', events: ['*'] });
    const delivered = (await subscriptions.load()).byName('ops');
    await client.send(new DeleteParameterCommand({ Name: `${path}/ops` }));

    // Act
    const result = await subscriptions.disable(delivered!);

    // Assess
    expect(result).toBe('gone');
    expect((await subscriptions.load()).byName('ops')).toBeUndefined();
  });

  it('keeps a customer KMS key, the Advanced tier, the other parameter attributes and the tags', async () => {
    // Prepare
    const { client } = countingClient();
    const { source: subscriptions } = source(client);
    const name = `${path}/ops`;
    const keyId = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const key = secret();
    await client.send(new PutParameterCommand({
      Name: name, Type: 'SecureString', KeyId: keyId, Tier: 'Advanced', Description: 'owned by the ML platform team',
      AllowedPattern: '^\\{.*\\}$', DataType: 'text', Tags: [{ Key: 'team', Value: 'ml-platform' }],
      Value: JSON.stringify({ url: 'https://a.example.com', events: ['*'], secret: key }),
    }));
    const delivered = (await subscriptions.load()).byName('ops');

    // Act
    const result = await subscriptions.disable(delivered!);

    // Assess
    const { Parameters: described = [] } = await client.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [name] }] }));
    const { TagList: tags } = await client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }));
    expect(result).toBe('disabled');
    expect(described[0]).toMatchObject({
      Type: 'SecureString', KeyId: keyId, Tier: 'Advanced', Description: 'owned by the ML platform team',
      AllowedPattern: '^\\{.*\\}$', DataType: 'text', Version: 2,
    });
    expect(tags).toEqual([{ Key: 'team', Value: 'ml-platform' }]);
    expect(storedValue('ops')).toMatchObject({ enabled: false, secret: key });
  });

  // The stand-in keeps a SecureString's key when an overwrite omits KeyId, where SSM falls back to
  // alias/aws/ssm, so only the request itself shows that the key is carried: SSM's answers are canned.
  it('sends the customer KMS key and the tier with the rewrite, and never the policies', async () => {
    // Prepare
    const client = new SSMClient({ region: 'us-east-1', credentials: CREDENTIALS });
    const ssm = mockClient(client);
    cleanups.push(() => ssm.restore(), () => client.destroy());
    const name = `${path}/ops`;
    const keyId = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const key = secret();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: name, Type: 'SecureString', Version: 7, Value: JSON.stringify({ url: 'https://a.example.com', events: ['*'], secret: key }) } });
    ssm.on(GetParameterHistoryCommand).resolves({
      Parameters: [{
        Name: name, Type: 'SecureString', Version: 7, KeyId: keyId, Tier: 'Advanced', Description: 'owned by the ML platform team',
        AllowedPattern: '^\\{.*\\}$', DataType: 'text', Policies: [{ PolicyType: 'NoChangeNotification', PolicyStatus: 'Pending', PolicyText: '{}' }],
      }],
    });
    ssm.on(PutParameterCommand).resolves({ Version: 8, Tier: 'Advanced' });
    const { source: subscriptions } = source(client);

    // Act
    const result = await subscriptions.disable(subscription({ name: 'ops', version: 7 }));

    // Assess
    expect(result).toBe('disabled');
    const [put] = ssm.commandCalls(PutParameterCommand);
    expect(put?.args[0].input).toEqual({
      Name: name, Type: 'SecureString', KeyId: keyId, Tier: 'Advanced', Description: 'owned by the ML platform team',
      AllowedPattern: '^\\{.*\\}$', DataType: 'text', Overwrite: true, Value: expect.any(String),
    });
    expect(JSON.parse(put?.args[0].input.Value ?? '')).toMatchObject({ enabled: false, secret: key });
  });
});

describe('the SSM subscription source, reading one subscription fresh', () => {
  it('makes one GetParameter for a burst of concurrent callers asking about a deleted subscription', async () => {
    // Prepare
    const { client, calls } = countingClient();
    const { source: subscriptions } = source(client);
    await subscriptions.load();

    // Act
    const reads = await Promise.all(Array.from({ length: 1000 }, () => subscriptions.readFresh('deleted')));

    // Assess
    expect(calls.GetParameterCommand).toBe(1);
    expect(reads.every((read) => read.subscription === undefined && read.readAt > 0)).toBe(true);
  });

  it('sees a subscription created after the cache was loaded, and so do later loads of the container', async () => {
    // Prepare
    const { client, calls } = countingClient();
    const { source: subscriptions } = source(client);
    await put(client, 'ops', { url: 'https://a.example.com', events: ['*'] });
    const before = await subscriptions.load();
    await put(client, 'late', { url: 'https://b.example.com', events: ['jobs.*'] });

    // Act
    const fresh = await subscriptions.readFresh('late');
    const after = await subscriptions.load();

    // Assess
    expect(before.byName('late')).toBeUndefined();
    expect(fresh.subscription).toMatchObject({ name: 'late', url: 'https://b.example.com', version: 1 });
    expect(after.byName('late')).toMatchObject({ version: 1 });
    expect(after.forType('jobs.failed').map((s) => s.name).sort()).toEqual(['late', 'ops']);
    expect(calls.GetParametersByPathCommand).toBe(1);
  });

  it('drops from the cached copy a subscription the store no longer has', async () => {
    // Prepare
    const { client } = countingClient();
    const { source: subscriptions } = source(client);
    await put(client, 'ops', { url: 'https://a.example.com', events: ['*'] });
    await subscriptions.load();
    await client.send(new DeleteParameterCommand({ Name: `${path}/ops` }));

    // Act
    const fresh = await subscriptions.readFresh('ops');

    // Assess
    expect(fresh.subscription).toBeUndefined();
    expect((await subscriptions.load()).byName('ops')).toBeUndefined();
  });

  it('rejects with a SubscriptionSourceError when the store fails', async () => {
    // Prepare
    const { client } = countingClient();
    const { source: subscriptions } = source(client);
    server.store.injectFaults({ throttle: 1, operations: ['GetParameter'] });
    cleanups.push(() => server.store.clearFaults());

    // Act
    const read = subscriptions.readFresh('ops');

    // Assess
    await expect(read).rejects.toThrow(SubscriptionSourceError);
    await expect(read).rejects.toThrow(`could not read subscription ${path}/ops from SSM: ThrottlingException: Rate exceeded`);
  });
});

describe('the SSM subscription source, loading by a deadline', () => {
  /** Each GetParametersByPath takes a minute of the clock: the deadline then falls between pages, whatever the machine's speed. */
  const PAGE_MS = 60_000;

  it('stops paging at the deadline, leaves the record to SQS, and the next load resumes from the saved token', async () => {
    // Prepare: 45 subscriptions, five pages
    const clock = fixedClock();
    const { client, calls } = countingClient((command) => command === 'GetParametersByPathCommand' && clock.advance(PAGE_MS));
    await seed(client, 45);
    const { source: subscriptions } = source(client, { clock });

    // Act
    const cutOff = subscriptions.load({ deadline: clock.now() + 3 * PAGE_MS });
    await expect(cutOff).rejects.toThrow(SubscriptionSourceError);
    const pagesBefore = calls.GetParametersByPathCommand;
    const resumed = await subscriptions.load({ deadline: clock.now() + 10 * PAGE_MS });

    // Assess
    await expect(cutOff).rejects.toThrow('before the deadline 2026-11-27T10:03:00.000Z (the 3 pages read are kept: the next load resumes after them)');
    expect(pagesBefore).toBe(3);
    expect(calls.GetParametersByPathCommand).toBe(5);
    expect(resumed.all).toHaveLength(45);
  });

  it('serves the stale copy while a refresh is unfinished, and finishes it at the next load', async () => {
    // Prepare: 25 subscriptions (three pages) loaded, one more added, the cache expired
    const clock = fixedClock();
    const { client, calls } = countingClient((command) => command === 'GetParametersByPathCommand' && clock.advance(PAGE_MS));
    await seed(client, 25);
    const { source: subscriptions, log } = source(client, { clock, random: () => 0.5 });
    await subscriptions.load();
    await put(client, 'zz-late', { url: 'https://late.example.com', events: ['*'] });
    clock.advance(60_001);

    // Act
    const whileUnfinished = await subscriptions.load({ deadline: clock.now() + PAGE_MS });
    const finished = await subscriptions.load();

    // Assess
    expect(whileUnfinished.all).toHaveLength(25);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'subscription refresh not finished by the deadline; serving the cached copy' }));
    expect(finished.byName('zz-late')).toBeDefined();
    expect(finished.all).toHaveLength(26);
    expect(calls.GetParametersByPathCommand).toBe(3 + 1 + 2);
  });

  it('serves the cached copy after a short wait while a long refresh goes on beside the deliveries, and keeps it once finished', async () => {
    // Prepare: 25 subscriptions loaded, one more added, the cache expired; the refresh's pages wait until let through
    const clock = fixedClock();
    let letThrough: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (letThrough = resolve));
    const { client, calls } = countingClient();
    await seed(client, 25);
    const { source: subscriptions, log } = source(client, { clock, random: () => 0.5 });
    await subscriptions.load();
    client.middlewareStack.add((next) => async (args) => {
      await gate;
      return next(args);
    }, { step: 'initialize', name: 'slowPages' });
    await put(countingClient().client, 'zz-late', { url: 'https://late.example.com', events: ['*'] });
    clock.advance(60_001);

    // Act: a caller with a minute left, then the refresh let through
    const meanwhile = await subscriptions.load({ deadline: clock.now() + 60_000 });
    letThrough();
    const finished = await subscriptions.load();
    const next = await subscriptions.load({ deadline: clock.now() + 60_000 });

    // Assess: one refresh, not started over, whose result later loads keep
    expect(meanwhile.byName('zz-late')).toBeUndefined();
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'info', message: 'subscription refresh goes on beside the deliveries; serving the cached copy meanwhile' }));
    expect(finished.byName('zz-late')).toBeDefined();
    expect(next).toBe(finished);
    expect(calls.GetParametersByPathCommand).toBe(3 + 3);
  });

  it('starts over from the first page when SSM refuses the saved token', async () => {
    // Prepare: canned pages, as the stand-in's tokens never expire; the first load stops after one page
    const clock = fixedClock();
    const client = new SSMClient({ region: 'us-east-1', credentials: CREDENTIALS });
    const ssm = mockClient(client);
    cleanups.push(() => ssm.restore(), () => client.destroy());
    const parameter = (name: string, url: string) => ({ Name: `${path}/${name}`, Type: 'String' as const, Version: 1, Value: JSON.stringify({ url, events: ['*'] }) });
    let listings = 0;
    ssm.on(GetParametersByPathCommand).callsFake(async (input: { NextToken?: string }) => {
      await new Promise((resolve) => setImmediate(resolve)); // answered after the call was made, as over a network
      clock.advance(PAGE_MS);
      if (input.NextToken === undefined) return { Parameters: [parameter('a', `https://a${++listings}.example.com`)], NextToken: `token-${listings}` };
      if (input.NextToken === 'token-1') throw new InvalidNextToken({ message: 'The specified token is not valid.', $metadata: {} });
      return { Parameters: [parameter('b', 'https://b.example.com')] };
    });
    const { source: subscriptions, log } = source(client, { clock });
    await expect(subscriptions.load({ deadline: clock.now() + PAGE_MS })).rejects.toThrow('(the page read is kept: the next load resumes after them)');

    // Act
    const index = await subscriptions.load();

    // Assess
    expect(ssm.commandCalls(GetParametersByPathCommand).map((call) => call.args[0].input.NextToken)).toEqual([undefined, 'token-1', undefined, 'token-2']);
    expect(index.all.map((s) => [s.name, s.url])).toEqual([['a', 'https://a2.example.com'], ['b', 'https://b.example.com']]);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'SSM refused the saved NextToken; reading the subscriptions from the first page again' }));
  });

  it('refreshes at its own time, within ±10% of the cache lifetime', async () => {
    // Prepare: two containers, drawing the lowest and the highest jitter
    const clock = fixedClock();
    const { client, calls } = countingClient();
    const early = source(client, { clock, random: () => 0 }).source;
    const late = source(client, { clock, random: () => 0.999 }).source;
    await early.load();
    await late.load();

    const loadsAt = async (elapsedMs: number): Promise<number> => {
      clock.advance(elapsedMs - (clock.now() - FIXED_NOW));
      await early.load();
      await late.load();
      return calls.GetParametersByPathCommand ?? 0;
    };

    // Act: the cache lifetime is 60 s, so the two refresh at 54 s and at about 66 s
    const counts = [await loadsAt(53_000), await loadsAt(55_000), await loadsAt(65_000), await loadsAt(66_000)];

    // Assess
    expect(counts).toEqual([2, 3, 3, 4]);
  });
});

describe('the SSM subscription source against a store that accepts and never answers', () => {
  const silent = useSilentServer();

  function silentClient(): SSMClient {
    // Budgets far beyond the deadlines below: only the source's own race can end these calls in time.
    const client = new SSMClient({
      endpoint: silent.url(), region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1,
      requestHandler: { connectionTimeout: 120_000, requestTimeout: 120_000, throwOnRequestTimeout: true },
    });
    cleanups.push(() => client.destroy());
    return client;
  }

  it('rejects a load by its deadline', async () => {
    // Prepare
    const { source: subscriptions } = source(silentClient());
    const deadline = Date.now() + 300;

    // Act
    const load = subscriptions.load({ deadline });

    // Assess
    await expect(load).rejects.toThrow(SubscriptionSourceError);
    await expect(load).rejects.toThrow(`before the deadline ${new Date(deadline).toISOString()}`);
  });

  it('rejects a fresh read by its deadline', async () => {
    // Prepare
    const { source: subscriptions } = source(silentClient());
    const deadline = Date.now() + 300;

    // Act
    const read = subscriptions.readFresh('ops', { deadline });

    // Assess
    await expect(read).rejects.toThrow(SubscriptionSourceError);
    await expect(read).rejects.toThrow(`before the deadline ${new Date(deadline).toISOString()}`);
  });
});
