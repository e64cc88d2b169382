import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { lambdaContext } from '../../local/lambda-context';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import type { ParameterStoreServer } from '../../local/parameter-store-server';
import { sqsRecord } from '../support/factories';
import { handlerHarness, ssmClient } from '../support/handler-harness';
import type { Harness } from '../support/handler-harness';
import { createQueues, sqsClient } from '../support/queues';
import { startReceiver } from '../support/receiver';
import type { Receiver } from '../support/receiver';

const PATH = '/platform-webhooks/subscriptions';
/** 100 subscriptions: a refresh reads 10 pages. */
const SUBSCRIPTIONS = 100;
/** Reads a second SSM answers: two cold containers need about 7 seconds of it for their 20 pages. */
const READ_TPS = 3;

let receiver: Receiver;
let server: ParameterStoreServer;
let sqs: SQSClient;
const clients: SSMClient[] = [];
const harnesses: Harness[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startParameterStoreServer({ port: 0 });
  sqs = sqsClient();
  const writer = ssmClient(server.endpoint);
  clients.push(writer);
  for (let index = 0; index < SUBSCRIPTIONS; index++) {
    const name = `quota-${String(index).padStart(3, '0')}`;
    const events = index === 0 ? ['jobs.failed'] : ['builds.done'];
    await writer.send(new PutParameterCommand({ Name: `${PATH}/${name}`, Type: 'String', Value: JSON.stringify({ url: receiver.url(`/${name}`), events }) }));
  }
});

afterAll(async () => {
  for (const harness of harnesses) harness.close();
  for (const client of clients) client.destroy();
  await receiver.close();
  await server.close();
  sqs.destroy();
});

describe('cold containers under SSM\'s read quota (docs/scale.md)', () => {
  it('load the subscriptions within their invocation, resuming each refresh where it was throttled, and settle every record', async () => {
    // Prepare: two cold containers; SSM answers 3 reads a second, fewer than their refreshes ask for
    const queues = await createQueues(sqs, 'quota');
    const containers = [0, 1].map(() => {
      const ssm = ssmClient(server.endpoint);
      clients.push(ssm);
      const harness = handlerHarness({ sqs, ssm, ...queues, env: { SUBSCRIPTIONS_CACHE_SECONDS: '60' }, random: Math.random });
      harnesses.push(harness);
      return harness;
    });
    server.store.throttleReads(READ_TPS);
    const calls = server.store.operationCounts().calls.GetParametersByPath;

    // Act: one event each, at once, with the deployed function's 60 s
    const responses = await Promise.all(
      containers.map((container, index) => container.handler({ Records: [sqsRecord({ type: 'jobs.failed', id: `evt_quota_${index}`, data: { job: { id: index } } })] }, lambdaContext(60_000))),
    );
    server.store.throttleReads(undefined);

    // Assess: SSM did refuse them, and still no record goes back to SQS
    const counts = server.store.operationCounts();
    expect(counts.throttled.GetParametersByPath).toBeGreaterThan(0);
    expect(counts.calls.GetParametersByPath - calls - counts.throttled.GetParametersByPath).toBe(2 * (SUBSCRIPTIONS / 10));
    expect(responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(receiver.requests('/quota-000').map((request) => JSON.parse(request.body).id).sort()).toEqual(['evt_quota_0', 'evt_quota_1']);
  }, 120_000);
});
