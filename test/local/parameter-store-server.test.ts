import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  InvalidResourceType,
  ListTagsForResourceCommand,
  paginateGetParametersByPath,
  ParameterAlreadyExists,
  ParameterNotFound,
  ParameterPatternMismatchException,
  ParameterVersionNotFound,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-ssm';
import type { Parameter } from '@aws-sdk/client-ssm';

import { SECURE_STRING_PLACEHOLDER } from '../../local/parameter-store';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import type { ParameterStoreServer } from '../../local/parameter-store-server';

const PATH = '/platform-webhooks/subscriptions';

function ssmClient(endpoint: string): SSMClient {
  return new SSMClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1, // so an injected ThrottlingException reaches the test instead of being retried
  });
}

async function putAll(client: SSMClient, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await client.send(new PutParameterCommand({ Name: name, Value: `value of ${name}`, Type: 'String' }));
  }
}

/** The error `request` rejects with (or fails the test), so it can be asserted after other awaits. */
async function failure(request: Promise<unknown>): Promise<Error> {
  return request.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: Error) => error,
  );
}

async function collectByPath(client: SSMClient, path: string, recursive: boolean): Promise<Parameter[][]> {
  const pages: Parameter[][] = [];
  for await (const page of paginateGetParametersByPath({ client }, { Path: path, Recursive: recursive })) {
    pages.push(page.Parameters ?? []);
  }
  return pages;
}

describe('startParameterStoreServer with @aws-sdk/client-ssm', () => {
  let server: ParameterStoreServer;
  let client: SSMClient;

  beforeEach(async () => {
    server = await startParameterStoreServer({ port: 0 });
    client = ssmClient(server.endpoint);
  });

  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  it('puts, gets and overwrites a parameter, counting versions', async () => {
    // Prepare
    const name = `${PATH}/ops`;
    const created = await client.send(new PutParameterCommand({ Name: name, Value: '{"v":1}', Type: 'String' }));

    // Act
    const overwritten = await client.send(new PutParameterCommand({ Name: name, Value: '{"v":2}', Overwrite: true }));
    const { Parameter: parameter } = await client.send(new GetParameterCommand({ Name: name }));

    // Assess
    expect(created.Version).toBe(1);
    expect(overwritten.Version).toBe(2);
    expect(parameter).toEqual({
      Name: name,
      Type: 'String',
      Value: '{"v":2}',
      Version: 2,
      LastModifiedDate: expect.any(Date),
      ARN: `arn:aws:ssm:us-east-1:000000000000:parameter${name}`,
      DataType: 'text',
    });
    expect(Math.abs(parameter!.LastModifiedDate!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it('raises ParameterAlreadyExists without Overwrite and ParameterNotFound for a missing name', async () => {
    // Prepare
    await putAll(client, [`${PATH}/ops`]);

    // Act
    const again = await failure(
      client.send(new PutParameterCommand({ Name: `${PATH}/ops`, Value: 'x', Type: 'String' })),
    );
    const missing = await failure(client.send(new GetParameterCommand({ Name: `${PATH}/nope` })));

    // Assess
    expect(again).toBeInstanceOf(ParameterAlreadyExists);
    expect(missing).toBeInstanceOf(ParameterNotFound);
    expect(missing.message).toBe(`Parameter ${PATH}/nope not found.`);
  });

  it('returns a SecureString in plaintext only WithDecryption', async () => {
    // Prepare
    const name = `${PATH}/secret`;
    await client.send(new PutParameterCommand({ Name: name, Value: 'whsec_abc', Type: 'SecureString' }));

    // Act
    const hidden = await client.send(new GetParameterCommand({ Name: name }));
    const decrypted = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));

    // Assess
    expect(hidden.Parameter?.Value).toBe(SECURE_STRING_PLACEHOLDER);
    expect(hidden.Parameter?.Value).not.toContain('whsec_abc');
    expect(decrypted.Parameter).toMatchObject({ Type: 'SecureString', Value: 'whsec_abc' });
  });

  it('lists unknown names of GetParameters in InvalidParameters', async () => {
    // Prepare
    await putAll(client, [`${PATH}/a`, `${PATH}/b`]);

    // Act
    const result = await client.send(new GetParametersCommand({ Names: [`${PATH}/a`, `${PATH}/zz`, `${PATH}/b`] }));

    // Assess
    expect(result.Parameters?.map((parameter) => parameter.Name)).toEqual([`${PATH}/a`, `${PATH}/b`]);
    expect(result.InvalidParameters).toEqual([`${PATH}/zz`]);
  });

  it('pages GetParametersByPath over 25 parameters, each returned once, direct children unless Recursive', async () => {
    // Prepare
    const children = Array.from({ length: 25 }, (_, index) => `${PATH}/sub-${String(index).padStart(2, '0')}`);
    const grandchildren = [`${PATH}/nested/one`, `${PATH}/nested/two`];
    await putAll(client, [...children, ...grandchildren, '/elsewhere/x']);

    // Act
    const direct = await collectByPath(client, PATH, false);
    const recursive = await collectByPath(client, PATH, true);

    // Assess
    expect(direct.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(direct.flat().map((parameter) => parameter.Name)).toEqual(children);
    expect(recursive.every((page) => page.length <= 10)).toBe(true);
    expect(recursive.flat().map((parameter) => parameter.Name)).toEqual([...grandchildren, ...children].sort());
  });

  it('rejects MaxResults 11 on GetParametersByPath with a ValidationException', async () => {
    // Act
    const error = await failure(client.send(new GetParametersByPathCommand({ Path: PATH, MaxResults: 11 })));

    // Assess
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toContain('Member must have value less than or equal to 10');
  });

  it('deletes one parameter, then several, reporting the unknown names', async () => {
    // Prepare
    await putAll(client, [`${PATH}/a`, `${PATH}/b`, `${PATH}/c`]);

    // Act
    await client.send(new DeleteParameterCommand({ Name: `${PATH}/a` }));
    const many = await client.send(new DeleteParametersCommand({ Names: [`${PATH}/b`, `${PATH}/c`, `${PATH}/a`] }));
    const again = await failure(client.send(new DeleteParameterCommand({ Name: `${PATH}/a` })));
    const listed = await client.send(new DescribeParametersCommand({}));

    // Assess
    expect(many.DeletedParameters).toEqual([`${PATH}/b`, `${PATH}/c`]);
    expect(many.InvalidParameters).toEqual([`${PATH}/a`]);
    expect(again).toBeInstanceOf(ParameterNotFound);
    expect(listed.Parameters).toEqual([]);
  });

  it('describes parameters without their values', async () => {
    // Prepare
    await client.send(
      new PutParameterCommand({ Name: `${PATH}/ops`, Value: 'v', Type: 'SecureString', Description: 'ops channel' }),
    );

    // Act
    const { Parameters: listed } = await client.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [PATH] }] }),
    );

    // Assess
    expect(listed).toEqual([
      expect.objectContaining({
        Name: `${PATH}/ops`,
        Type: 'SecureString',
        Description: 'ops channel',
        Version: 1,
        Tier: 'Standard',
      }),
    ]);
    expect(listed?.[0]).not.toHaveProperty('Value');
  });

  it('fails injected requests with ThrottlingException, only for the chosen operations', async () => {
    // Prepare
    await putAll(client, [`${PATH}/a`]);
    server.store.injectFaults({ throttle: 2, operations: ['GetParameter'] });

    // Act
    const first = await failure(client.send(new GetParameterCommand({ Name: `${PATH}/a` })));
    const unaffected = await client.send(new GetParametersByPathCommand({ Path: PATH }));
    const second = await failure(client.send(new GetParameterCommand({ Name: `${PATH}/a` })));
    const third = await client.send(new GetParameterCommand({ Name: `${PATH}/a` }));

    // Assess
    expect(first).toBeInstanceOf(ThrottlingException);
    expect(second).toBeInstanceOf(ThrottlingException);
    expect(second.message).toBe('Rate exceeded');
    expect((second as ThrottlingException).$metadata.httpStatusCode).toBe(400);
    expect(unaffected.Parameters).toHaveLength(1);
    expect(third.Parameter?.Value).toBe(`value of ${PATH}/a`);
  });

  it('lets the SDK recognise an injected fault as throttling and retry it', async () => {
    // Prepare
    await putAll(client, [`${PATH}/a`]);
    const retrying = new SSMClient({ endpoint: server.endpoint, region: 'us-east-1', maxAttempts: 2 });
    server.store.injectFaults({ throttle: 1 });

    // Act
    const result = await retrying
      .send(new GetParameterCommand({ Name: `${PATH}/a` }))
      .finally(() => retrying.destroy());

    // Assess
    expect(result.Parameter?.Name).toBe(`${PATH}/a`);
    expect(result.$metadata.attempts).toBe(2);
  });
});

describe('startParameterStoreServer with tiers, patterns, keys, tags, history and a read quota', () => {
  let server: ParameterStoreServer;
  let client: SSMClient;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2026-11-27T10:00:00.000Z');
    server = await startParameterStoreServer({ readTps: 2, now: () => now });
    client = ssmClient(server.endpoint);
  });

  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  it('describes KeyId, Tier, Version, Description, AllowedPattern and DataType as AWS does', async () => {
    // Prepare
    const name = `${PATH}/ops`;
    const put = { Name: name, Type: 'SecureString', KeyId: 'alias/webhooks', Tier: 'Advanced', AllowedPattern: '^\\{', DataType: 'text' } as const;
    const created = await client.send(new PutParameterCommand({ ...put, Value: `{"v":"${'x'.repeat(5000)}"}`, Description: 'ops' }));

    // Act
    const { Parameters: listed } = await client.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [name] }] }));

    // Assess
    expect(created).toMatchObject({ Version: 1, Tier: 'Advanced' });
    expect(listed).toEqual([
      {
        Name: name,
        ARN: `arn:aws:ssm:us-east-1:000000000000:parameter${name}`,
        Type: 'SecureString',
        KeyId: 'alias/webhooks',
        LastModifiedDate: now,
        Description: 'ops',
        AllowedPattern: '^\\{',
        Version: 1,
        Tier: 'Advanced',
        DataType: 'text',
      },
    ]);
  });

  it('refuses a value the allowed pattern does not match, and members it does not support', async () => {
    // Prepare
    await client.send(new PutParameterCommand({ Name: `${PATH}/n`, Value: '1', Type: 'String', AllowedPattern: '^\\d+$' }));

    // Act
    const mismatch = await failure(client.send(new PutParameterCommand({ Name: `${PATH}/n`, Value: 'whsec_abc', Overwrite: true })));
    const policies = await failure(client.send(new PutParameterCommand({ Name: `${PATH}/p`, Value: 'v', Type: 'String', Policies: '[]' })));

    // Assess
    expect(mismatch).toBeInstanceOf(ParameterPatternMismatchException);
    expect(mismatch.message).not.toContain('whsec_abc');
    expect(policies).toBeInstanceOf(ValidationException);
    expect(policies.message).toContain('PutParameter member Policies is not supported by the local Parameter Store');
  });

  it('adds, lists and removes tags, for parameters only', async () => {
    // Prepare
    const name = `${PATH}/ops`;
    await client.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String', Tags: [{ Key: 'team', Value: 'ml' }] }));

    // Act
    await client.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: [{ Key: 'cost', Value: 'shared' }] }));
    await client.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: name, TagKeys: ['team'] }));
    const { TagList: tags } = await client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }));
    const document = await failure(client.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: name })));

    // Assess
    expect(tags).toEqual([{ Key: 'cost', Value: 'shared' }]);
    expect(document).toBeInstanceOf(InvalidResourceType);
  });

  it('lists the history and reads an earlier version by name:version', async () => {
    // Prepare
    const name = `${PATH}/ops`;
    await client.send(new PutParameterCommand({ Name: name, Value: 'v1', Type: 'String' }));
    await client.send(new PutParameterCommand({ Name: name, Value: 'v2', Overwrite: true }));

    // Act
    const { Parameters: history } = await client.send(new GetParameterHistoryCommand({ Name: name }));
    const { Parameter: first } = await client.send(new GetParameterCommand({ Name: `${name}:1` }));
    const missing = await failure(client.send(new GetParameterCommand({ Name: `${name}:7` })));

    // Assess
    expect(history?.map((version) => [version.Version, version.Value])).toEqual([[1, 'v1'], [2, 'v2']]);
    expect(first).toMatchObject({ Name: name, Value: 'v1', Version: 1, Selector: ':1' });
    expect(missing).toBeInstanceOf(ParameterVersionNotFound);
  });

  it('answers ThrottlingException above the read quota within a second, which the SDK sees as throttling', async () => {
    // Prepare
    await putAll(client, [`${PATH}/a`]);

    // Act
    const allowed = await Promise.all([
      client.send(new GetParameterCommand({ Name: `${PATH}/a` })),
      client.send(new GetParametersByPathCommand({ Path: PATH })),
    ]);
    const throttled = await failure(client.send(new GetParametersCommand({ Names: [`${PATH}/a`] })));
    const write = await client.send(new PutParameterCommand({ Name: `${PATH}/b`, Value: 'v', Type: 'String' }));
    now = new Date('2026-11-27T10:00:01.000Z');
    const nextSecond = await client.send(new GetParameterCommand({ Name: `${PATH}/b` }));

    // Assess
    expect(allowed).toHaveLength(2);
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(throttled.message).toBe('Rate exceeded');
    expect((throttled as ThrottlingException).$metadata.httpStatusCode).toBe(400);
    expect(write.Version).toBe(1);
    expect(nextSecond.Parameter?.Value).toBe('v');
    expect(server.store.operationCounts()).toMatchObject({
      calls: { GetParameter: 2, GetParameters: 1, GetParametersByPath: 1, PutParameter: 2 },
      throttled: { GetParameters: 1, GetParameter: 0 },
    });
  });
});

describe('startParameterStoreServer with a data file', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'parameter-store-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps parameters across a restart and leaves no temp file behind', async () => {
    // Prepare
    const dataFile = join(directory, 'ssm.json');
    const first = await startParameterStoreServer({ dataFile });
    const firstClient = ssmClient(first.endpoint);
    try {
      await firstClient.send(new PutParameterCommand({ Name: `${PATH}/ops`, Value: 's3cret', Type: 'SecureString' }));
      await firstClient.send(new PutParameterCommand({ Name: `${PATH}/ops`, Value: 's3cret-2', Overwrite: true }));
    } finally {
      firstClient.destroy();
      await first.close();
    }

    // Act
    const second = await startParameterStoreServer({ dataFile });
    const secondClient = ssmClient(second.endpoint);
    try {
      const { Parameter: parameter } = await secondClient.send(
        new GetParameterCommand({ Name: `${PATH}/ops`, WithDecryption: true }),
      );

      // Assess
      expect(parameter).toMatchObject({ Type: 'SecureString', Value: 's3cret-2', Version: 2 });
      expect(await readdir(directory)).toEqual(['ssm.json']);
    } finally {
      secondClient.destroy();
      await second.close();
    }
  });

  it('refuses a non-loopback host', async () => {
    // Act
    const start = startParameterStoreServer({ host: '0.0.0.0', dataFile: join(directory, 'never.json') });

    // Assess
    await expect(start).rejects.toThrow('Expected `host` to be a loopback address');
    expect(existsSync(join(directory, 'never.json'))).toBe(false);
  });
});
