import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createAwsRouter } from '../../local/aws-router';
import { LogStore } from '../../local/log-store';
import { createLogsRequestHandler } from '../../local/logs-protocol';
import type { RequestHandler } from '../../local/aws-router';
import { ParameterStore } from '../../local/parameter-store';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import { createSsmRequestHandler } from '../../local/ssm-protocol';

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** A raw POST with the given Host header, which fetch would not let a test set. */
function post(port: number, host: string | undefined, target: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
    if (host !== undefined) headers.host = host;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers, setHost: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => void (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the local endpoint refuses foreign Host headers (DNS rebinding)', () => {
  let store: ParameterStore;
  let server: Server;
  let port: number;
  let sqsRequests: number;

  beforeEach(async () => {
    store = await ParameterStore.open();
    await store.put({ name: '/hooks/ops', value: '{"secret":"whsec_c2VjcmV0"}', type: 'SecureString' });
    sqsRequests = 0;
    const other: RequestHandler = (_req, res) => {
      sqsRequests++;
      res.end('{}');
    };
    server = createServer(createAwsRouter({ ssm: createSsmRequestHandler(store), logs: createLogsRequestHandler(await LogStore.open()), other }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['a decrypted GetParametersByPath', 'AmazonSSM.GetParametersByPath', '{"Path":"/hooks","WithDecryption":true}'],
    ['a PutParameter', 'AmazonSSM.PutParameter', '{"Name":"/hooks/evil","Value":"{}","Type":"String"}'],
    ['an SQS request', 'AmazonSQS.ListQueues', '{}'],
  ])('answers %s addressed to attacker.example with 403, before any service sees it', async (_case, target, body) => {
    // Act
    const answer = await post(port, `attacker.example:${port}`, target, body);

    // Assess
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({
      __type: 'AccessDeniedException',
      message: `The local endpoint answers only requests addressed to 127.0.0.1, localhost or [::1]; use http://127.0.0.1:${port}.`,
    });
    expect(answer.body).not.toContain('whsec_');
    expect(store.describe().items.map((parameter) => parameter.name)).toEqual(['/hooks/ops']);
    expect(Object.values(store.operationCounts().calls).every((calls) => calls === 0)).toBe(true);
    expect(sqsRequests).toBe(0);
  });

  it.each(['127.0.0.2', 'localhost.attacker.example', '127.0.0.1.nip.io', '[::2]', ''])('refuses Host %p', async (host) => {
    // Act
    const answer = await post(port, host, 'AmazonSSM.GetParameter', '{"Name":"/hooks/ops"}');

    // Assess
    expect(answer.status).toBe(403);
    expect(store.operationCounts().calls.GetParameter).toBe(0);
  });

  it('never serves a request without a Host header (Node answers 400 itself)', async () => {
    // Act
    const answer = await post(port, undefined, 'AmazonSSM.GetParameter', '{"Name":"/hooks/ops"}');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).not.toContain('whsec_');
    expect(store.operationCounts().calls.GetParameter).toBe(0);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST'])('serves Host %s, with or without its port', async (name) => {
    // Act
    const answers = await Promise.all([
      post(port, `${name}:${port}`, 'AmazonSSM.GetParameter', '{"Name":"/hooks/ops"}'),
      post(port, name, 'AmazonSQS.ListQueues', '{}'),
    ]);

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(sqsRequests).toBe(1);
  });

  it('guards the standalone Parameter Store server too', async () => {
    // Prepare
    const standalone = await startParameterStoreServer();

    // Act
    const foreign = await post(standalone.port, 'attacker.example', 'AmazonSSM.DescribeParameters', '{}');
    const local = await post(standalone.port, `127.0.0.1:${standalone.port}`, 'AmazonSSM.DescribeParameters', '{}');
    await standalone.close();

    // Assess
    expect([foreign.status, local.status]).toEqual([403, 200]);
  });
});
