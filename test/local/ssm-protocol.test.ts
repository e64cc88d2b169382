import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ParameterStore } from '../../local/parameter-store';
import { createSsmRequestHandler } from '../../local/ssm-protocol';

interface RawRequest {
  readonly target?: string;
  readonly body?: string;
  readonly method?: string;
}

async function serve(store: ParameterStore): Promise<{ url: string; server: Server }> {
  const server = createServer(createSsmRequestHandler(store));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

// `any` body: the tests read members of whatever JSON came back.
async function call(url: string, request: RawRequest): Promise<{ status: number; type: string | null; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', authorization: 'anything' };
  if (request.target !== undefined) headers['x-amz-target'] = request.target;
  const method = request.method ?? 'POST';
  const body = method === 'GET' ? undefined : (request.body ?? '{}');
  const response = await fetch(url, { method, headers, body });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

describe('createSsmRequestHandler', () => {
  let store: ParameterStore;
  let url: string;
  let server: Server;

  beforeEach(async () => {
    store = await ParameterStore.open({ now: () => new Date('2026-11-27T10:00:00.500Z') });
    ({ url, server } = await serve(store));
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers in AWS JSON 1.1 with LastModifiedDate as epoch seconds', async () => {
    // Prepare
    await store.put({ name: '/a', value: 'v', type: 'String' });

    // Act
    const response = await call(url, { target: 'AmazonSSM.GetParameter', body: '{"Name":"/a"}' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/x-amz-json-1.1');
    expect(response.body.Parameter.LastModifiedDate).toBe(1795773600.5);
  });

  it('sends an SSM error as HTTP 400 with __type and message', async () => {
    // Act
    const response = await call(url, { target: 'AmazonSSM.GetParameter', body: '{"Name":"/missing"}' });

    // Assess
    expect(response).toEqual({
      status: 400,
      type: 'application/x-amz-json-1.1',
      body: { __type: 'ParameterNotFound', message: 'Parameter /missing not found.' },
    });
  });

  it.each([
    ['an unsupported operation', { target: 'AmazonSSM.LabelParameterVersion' }, 'LabelParameterVersion is not supported'],
    ['another service', { target: 'AmazonSQS.SendMessage' }, 'X-Amz-Target "AmazonSQS.SendMessage"'],
    ['no target', {}, 'X-Amz-Target null'],
    ['a GET', { method: 'GET', target: 'AmazonSSM.GetParameter' }, 'got GET'],
  ] as const)('refuses %s as UnknownOperationException', async (_case, request, message) => {
    // Act
    const response = await call(url, request);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.__type).toBe('UnknownOperationException');
    expect(response.body.message).toContain(message);
  });

  it.each([
    ['a body that is not JSON', '{"Name":', 'SerializationException'],
    ['a body that is not an object', '[]', 'SerializationException'],
    ['a member of the wrong type', '{"Name":7}', 'SerializationException'],
    ['a missing required member', '{}', 'ValidationException'],
  ])('refuses %s', async (_case, body, code) => {
    // Act
    const response = await call(url, { target: 'AmazonSSM.GetParameter', body });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.__type).toBe(code);
  });

  it.each([
    ['a Value of the wrong type', '{"Name":"/a","Value":{"secret":"whsec_c2VjcmV0"},"Type":"String"}', 'SerializationException', 'Value must be a string; got an object.'],
    ['a Type that is not one', '{"Name":"/a","Value":"v","Type":"whsec_c2VjcmV0"}', 'ValidationException', 'Type must be one of String, StringList, SecureString.'],
    ['a list of the wrong items', '{"Name":"/a","Value":"v","Type":"String","Tags":["whsec_c2VjcmV0"]}', 'SerializationException', 'Tags must be a list of { Key, Value } strings; got a list.'],
  ])('never echoes the value of %s', async (_case, body, code, message) => {
    // Act
    const response = await call(url, { target: 'AmazonSSM.PutParameter', body });

    // Assess
    expect(response.body).toEqual({ __type: code, message });
    expect(JSON.stringify(response.body)).not.toContain('whsec_');
  });

  it('refuses a member the stand-in does not support instead of ignoring it', async () => {
    // Act
    const response = await call(url, {
      target: 'AmazonSSM.GetParametersByPath',
      body: '{"Path":"/a","ParameterFilters":[{"Key":"Type","Values":["SecureString"]}]}',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      __type: 'ValidationException',
      message:
        'GetParametersByPath member ParameterFilters is not supported by the local Parameter Store; ' +
        'it supports Path, Recursive, WithDecryption, MaxResults, NextToken.',
    });
  });

  it('answers 500 InternalServerError when the data file cannot be written', async () => {
    // Prepare
    const directory = await mkdtemp(join(tmpdir(), 'ssm-protocol-'));
    const failing = await ParameterStore.open({ dataFile: join(directory, 'gone', 'ssm.json') });
    const other = await serve(failing);

    // Act
    const response = await call(other.url, {
      target: 'AmazonSSM.PutParameter',
      body: '{"Name":"/a","Value":"v","Type":"String"}',
    }).finally(async () => {
      await new Promise((resolve) => other.server.close(resolve));
      await rm(directory, { recursive: true, force: true });
    });

    // Assess
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      __type: 'InternalServerError',
      message: expect.stringContaining('Cannot write the Parameter Store data file'),
    });
  });
});
