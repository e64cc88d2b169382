import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutParameterCommand } from '@aws-sdk/client-ssm';

import type { ReceivedDelivery } from '../../local/demo-receiver';
import type { LocalStack } from '../../local/local-stack';
import { startBanner } from '../../local/start-banner';
import { secret } from '../support/factories';
import { md5OfBody, md5OfMessageAttributes } from './sqs-md5';
import { removeDataDirs, startTestStack, waitFor } from './test-stack';

/**
 * Real clients that send SQS requests in the query protocol: Debian 12's AWS CLI 2.9 and its boto3
 * 1.26 (botocore 1.29). `.ci/run` installs both; the paths are absolute because a newer `aws` or
 * `python3` (speaking SQS's JSON protocol) may come first on PATH.
 */
const AWS_CLI = '/usr/bin/aws';
const PYTHON = '/usr/bin/python3';
const INSTALL = "install Debian's packages as .ci/run does: apt-get install --no-install-recommends awscli python3-boto3";
const CHILD_TIMEOUT_MS = 60_000;
/** Each test runs several CLI processes (about a second each on an idle machine, more on a busy one). */
const TEST_TIMEOUT_MS = 300_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: CHILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') return reject(error);
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

/** The Python block of the README's "How the platform publishes" section. */
async function readmePythonPublisher(): Promise<string> {
  const readme = await readFile(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### How the platform publishes'));
  const block = /```python\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md: no ```python block under "How the platform publishes"');
  return block;
}

describe("query-protocol clients against the local endpoint: Debian's AWS CLI 2.9 and boto3 1.26", () => {
  let stack: LocalStack;
  let home: string;
  const deliveries: ReceivedDelivery[] = [];
  let env: NodeJS.ProcessEnv;

  const aws = (...args: string[]): Promise<Run> => run(AWS_CLI, ['--endpoint-url', stack.endpoint, '--output', 'json', ...args], env);
  const awsJson = async (...args: string[]): Promise<Record<string, any>> => {
    const result = await aws(...args);
    if (result.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, any>);
  };
  const python = (script: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> => run(PYTHON, ['-c', script], { ...env, ...extraEnv });

  beforeAll(async () => {
    await access(AWS_CLI, constants.X_OK).catch((error: Error) => {
      throw new Error(`${AWS_CLI} is missing; ${INSTALL}`, { cause: error });
    });
    stack = await startTestStack({ onDelivery: (delivery) => deliveries.push(delivery) });
    home = await mkdtemp(join(tmpdir(), 'query-clients-'));
    // Any credentials and any region: the endpoint checks no signatures and serves one region.
    env = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      PYTHONNOUSERSITE: '1',
    };
    const boto = await python('import boto3, botocore.session; print(botocore.session.get_session().get_service_model("sqs").protocol)');
    if (boto.code !== 0 || boto.stdout.trim() !== 'query') {
      throw new Error(`boto3 at ${PYTHON} must speak SQS's query protocol; it answered ${JSON.stringify(boto.stdout + boto.stderr)}; ${INSTALL}`);
    }
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await stack?.stop();
    await removeDataDirs();
    if (home !== undefined) await rm(home, { recursive: true, force: true });
  }, TEST_TIMEOUT_MS);

  it("runs the start banner's AWS CLI line, sending SQS's query protocol", async () => {
    // Prepare
    const line = /^\s+((?:AWS_\w+=\S+ )+)aws --endpoint-url (\S+) (sqs list-queues)\b/m.exec(startBanner(stack));
    const assigned = Object.fromEntries((line?.[1] ?? '').trim().split(' ').map((assignment) => assignment.split('=') as [string, string]));
    // Only what the banner's line sets: no credentials or region of the test's own.
    const bare = Object.fromEntries(Object.entries(env).filter(([key]) => !/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|REGION|DEFAULT_REGION|PROFILE)$/.test(key)));

    // Act
    const result = await run(AWS_CLI, ['--endpoint-url', line?.[2] ?? '', ...(line?.[3] ?? '').split(' '), '--debug'], { ...bare, ...assigned });

    // Assess
    expect(Object.keys(assigned).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_DEFAULT_REGION', 'AWS_SECRET_ACCESS_KEY']);
    expect(line?.[2]).toBe(stack.endpoint);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).QueueUrls).toEqual(expect.arrayContaining([stack.queueUrl, stack.dlqUrl]));
    expect(result.stderr).toContain("'Action': 'ListQueues', 'Version': '2012-11-05'");
  }, TEST_TIMEOUT_MS);

  it('sends a message with attributes and receives it whole, then changes its visibility and deletes it', async () => {
    // Prepare
    const { QueueUrl: queueUrl } = await awsJson('sqs', 'create-queue', '--queue-name', 'cli-messages');
    const body = '{"type":"jobs.failed","log":"line 1\r\nline 2 <&> ✓"}';
    const attributes = {
      source: { DataType: 'String', StringValue: 'platform' },
      attempt: { DataType: 'Number', StringValue: '3' },
      raw: { DataType: 'Binary', BinaryValue: 'AAH+/w==' },
    };

    // Act
    const sent = await awsJson('sqs', 'send-message', '--queue-url', queueUrl, '--message-body', body, '--message-attributes', JSON.stringify(attributes));
    const first = await awsJson('sqs', 'receive-message', '--queue-url', queueUrl, '--message-attribute-names', 'All', '--attribute-names', 'All', '--wait-time-seconds', '5');
    const receipt = first.Messages?.[0]?.ReceiptHandle as string;
    await awsJson('sqs', 'change-message-visibility', '--queue-url', queueUrl, '--receipt-handle', receipt, '--visibility-timeout', '0');
    const again = await awsJson('sqs', 'receive-message', '--queue-url', queueUrl, '--attribute-names', 'ApproximateReceiveCount', '--wait-time-seconds', '5');
    await awsJson('sqs', 'delete-message', '--queue-url', queueUrl, '--receipt-handle', again.Messages?.[0]?.ReceiptHandle as string);
    const after = await awsJson('sqs', 'get-queue-attributes', '--queue-url', queueUrl, '--attribute-names', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible');

    // Assess
    expect(sent).toMatchObject({ MD5OfMessageBody: md5OfBody(body), MD5OfMessageAttributes: md5OfMessageAttributes(attributes) });
    expect(first.Messages).toEqual([
      expect.objectContaining({ MessageId: sent.MessageId, Body: body, MD5OfBody: md5OfBody(body), MD5OfMessageAttributes: sent.MD5OfMessageAttributes, MessageAttributes: attributes }),
    ]);
    expect(again.Messages?.[0]).toMatchObject({ MessageId: sent.MessageId, Attributes: { ApproximateReceiveCount: '2' } });
    expect(after.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  }, TEST_TIMEOUT_MS);

  it('sends a batch with a delayed entry and message attributes, deletes in a batch and purges', async () => {
    // Prepare
    const { QueueUrl: queueUrl } = await awsJson('sqs', 'create-queue', '--queue-name', 'cli-batches');
    const attributes = { kind: { DataType: 'String', StringValue: 'batch' } };
    const entries = [
      { Id: 'now', MessageBody: 'now', MessageAttributes: attributes },
      { Id: 'later', MessageBody: 'later', DelaySeconds: 900 },
    ];

    // Act
    const sent = await awsJson('sqs', 'send-message-batch', '--queue-url', queueUrl, '--entries', JSON.stringify(entries));
    const counts = await awsJson('sqs', 'get-queue-attributes', '--queue-url', queueUrl, '--attribute-names', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed');
    const received = await awsJson('sqs', 'receive-message', '--queue-url', queueUrl, '--max-number-of-messages', '10', '--wait-time-seconds', '5');
    const deleted = await awsJson('sqs', 'delete-message-batch', '--queue-url', queueUrl, '--entries', JSON.stringify([{ Id: 'now', ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }]));
    await awsJson('sqs', 'purge-queue', '--queue-url', queueUrl);
    const purged = await awsJson('sqs', 'get-queue-attributes', '--queue-url', queueUrl, '--attribute-names', 'ApproximateNumberOfMessagesDelayed');

    // Assess
    expect(sent.Successful).toEqual([
      expect.objectContaining({ Id: 'now', MD5OfMessageBody: md5OfBody('now'), MD5OfMessageAttributes: md5OfMessageAttributes(attributes) }),
      expect.objectContaining({ Id: 'later', MD5OfMessageBody: md5OfBody('later') }),
    ]);
    expect(counts.Attributes).toEqual({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesDelayed: '1' });
    expect(received.Messages?.map((message: { Body: string }) => message.Body)).toEqual(['now']);
    expect(deleted).toEqual({ Successful: [{ Id: 'now' }] });
    expect(purged.Attributes).toEqual({ ApproximateNumberOfMessagesDelayed: '0' });
  }, TEST_TIMEOUT_MS);

  it("changes a queue's attributes and deletes the queue", async () => {
    // Prepare
    const { QueueUrl: queueUrl } = await awsJson('sqs', 'create-queue', '--queue-name', 'cli-short-lived');

    // Act
    await awsJson('sqs', 'set-queue-attributes', '--queue-url', queueUrl, '--attributes', 'DelaySeconds=5');
    const changed = await awsJson('sqs', 'get-queue-attributes', '--queue-url', queueUrl, '--attribute-names', 'DelaySeconds');
    await awsJson('sqs', 'delete-queue', '--queue-url', queueUrl);
    const listed = await awsJson('sqs', 'list-queues', '--queue-name-prefix', 'cli-short');

    // Assess
    expect(changed.Attributes).toEqual({ DelaySeconds: '5' });
    expect(listed.QueueUrls ?? []).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it("lists the DLQ's source queues and reports a missing queue with SQS's query error code", async () => {
    // Act
    const sources = await awsJson('sqs', 'list-dead-letter-source-queues', '--queue-url', stack.dlqUrl);
    const missing = await aws('sqs', 'get-queue-url', '--queue-name', 'no-such-queue');

    // Assess
    expect(sources.queueUrls).toEqual([stack.queueUrl, stack.retryQueueUrl]);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain('An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation');
  }, TEST_TIMEOUT_MS);

  it("delivers an event published with the README's boto3 publisher", async () => {
    // Prepare
    await stack.clients.ssm.send(new PutParameterCommand({
      Name: `${stack.config.subscriptionsPath}/python`,
      Type: 'SecureString',
      Value: JSON.stringify({ url: `${stack.receiverUrl}/python`, events: ['experiments.*'], secret: secret() }),
    }));
    const script = [
      await readmePythonPublisher(),
      'bodies = []',
      'sqs.meta.events.register("before-send.sqs.SendMessage", lambda request, **_: bodies.append(request.body))',
      'publish_event("experiments.succeeded", {"experiment": {"id": 42, "name": "resnet-sweep-3"}})',
      'print(json.dumps({"protocol": sqs.meta.service_model.protocol, "body": bodies[0] if isinstance(bodies[0], str) else bodies[0].decode()}))',
    ].join('\n');

    // Act
    const result = await python(script, { AWS_ENDPOINT_URL: stack.endpoint, WEBHOOKS_QUEUE_URL: stack.queueUrl });
    const [delivery] = await waitFor(() => deliveries.filter((received) => received.subscription === 'python'), 1, 'deliveries', 60_000);

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toMatchObject({ protocol: 'query', body: expect.stringMatching(/^Action=SendMessage&Version=2012-11-05&QueueUrl=/) });
    expect(delivery).toMatchObject({ event: 'experiments.succeeded', signature: { result: 'verified' } });
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
      type: 'experiments.succeeded',
      id: expect.stringMatching(/^evt_[0-9a-f-]{36}$/),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: { experiment: { id: 42, name: 'resnet-sweep-3' } },
    });
  }, TEST_TIMEOUT_MS);

  it("raises boto3's modelled QueueDoesNotExist for a missing queue", async () => {
    // Act
    const result = await python(
      'import boto3, os\n' +
        'sqs = boto3.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL"])\n' +
        'try:\n    sqs.get_queue_url(QueueName="no-such-queue")\n' +
        'except sqs.exceptions.QueueDoesNotExist as error:\n    print(error.response["Error"]["Code"])\n',
      { AWS_ENDPOINT_URL: stack.endpoint },
    );

    // Assess
    expect(result).toMatchObject({ code: 0, stdout: 'AWS.SimpleQueueService.NonExistentQueue\n' });
  }, TEST_TIMEOUT_MS);
});
