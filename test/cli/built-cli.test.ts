import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv } from '../support/cli-harness';

/**
 * `--stack` as users run it: the built CLI (`bin/webhooks.js`, which runs `dist/cli.mjs`, where the
 * CloudFormation client is a chunk loaded at run time), its CloudFormation and SSM clients sent to
 * a loopback server that answers as the two services would (no CloudFormation can run here).
 */
const ROOT = path.resolve(__dirname, '..', '..');

const DESCRIBE_STACKS = `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult><Stacks><member>
    <StackName>MlPlatform</StackName><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-11-30T10:00:00Z</CreationTime>
    <Outputs>
      <member><OutputKey>QueueUrl</OutputKey><OutputValue>https://sqs.eu-west-1.amazonaws.com/123456789012/events</OutputValue></member>
      <member><OutputKey>DeadLetterQueueUrl</OutputKey><OutputValue>https://sqs.eu-west-1.amazonaws.com/123456789012/dlq</OutputValue></member>
      <member><OutputKey>SubscriptionsPath</OutputKey><OutputValue>/ml-platform/webhooks</OutputValue></member>
    </Outputs>
  </member></Stacks></DescribeStacksResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</DescribeStacksResponse>`;

describe('the built webhooks CLI with --stack', () => {
  let server: http.Server;
  let endpoint: string;
  const asked: { target: string; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const target = String(req.headers['x-amz-target'] ?? '');
        asked.push({ target, body });
        if (target === 'AmazonSSM.GetParametersByPath') {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"Parameters":[]}');
        } else if (body.includes('Action=DescribeStacks')) {
          res.writeHead(200, { 'content-type': 'text/xml' }).end(DESCRIBE_STACKS);
        } else {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads the stack\'s outputs and uses its subscriptions path', async () => {
    // Prepare
    const env = {
      ...cleanEnv(),
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
      AWS_ENDPOINT_URL_SSM: endpoint,
    };

    // Act
    const run = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin', 'webhooks.js'), '--stack', 'MlPlatform', 'list', '--json'], { cwd: ROOT, env });

    // Assess
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(asked.map((request) => request.target || 'DescribeStacks')).toEqual(['DescribeStacks', 'AmazonSSM.GetParametersByPath']);
    expect(JSON.parse(asked[1]?.body ?? '{}')).toMatchObject({ Path: '/ml-platform/webhooks' });
  }, 60_000);
});

describe('the built webhooks CLI writing to a reader that stopped early', () => {
  it('ends quietly, as `webhooks --help | head -1` expects, instead of with an unhandled EPIPE', async () => {
    // Prepare
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'webhooks.js'), '--help'], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));

    // Act: the reader goes away before the help is written.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));

    // Assess
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  }, 60_000);
});
