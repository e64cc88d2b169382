import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import { handlerHarness, ssmClient } from '../support/handler-harness';
import { createQueues, drain, send, sqsClient } from '../support/queues';
import { startReceiver } from '../support/receiver';
import type { Receiver } from '../support/receiver';

const PATH = '/platform-webhooks/subscriptions';

let receiver: Receiver;
let ssmServer: Awaited<ReturnType<typeof startParameterStoreServer>>;
let ssm: SSMClient;
let sqs: SQSClient;

beforeAll(async () => {
  receiver = await startReceiver();
  ssmServer = await startParameterStoreServer({ port: 0 });
  ssm = ssmClient(ssmServer.endpoint);
  sqs = sqsClient();
  await ssm.send(new PutParameterCommand({ Name: `${PATH}/ops`, Type: 'String', Value: JSON.stringify({ url: receiver.url('/ops'), events: ['*'] }) }));
});

afterAll(async () => {
  await receiver.close();
  await ssmServer.close();
  sqs.destroy();
  ssm.destroy();
});

const event = (id: string) => ({ type: 'jobs.failed', id, data: { job: { id: 7 } } });

describe('handler during an SSM outage', () => {
  it('reports the records it cannot settle as batch item failures, dead-lettering nothing, when no subscriptions were ever loaded', async () => {
    // Prepare: SSM throttles every request and nothing is cached yet; the loads try again until the
    // invocation's deadline, so a short one
    const queues = await createQueues(sqs, 'outage');
    const harness = handlerHarness({ sqs, ssm, ...queues, functionTimeoutMs: 8000 });
    await send(sqs, queues.queueUrl, event('evt_outage_1'));
    await send(sqs, queues.queueUrl, event('evt_outage_2'));
    ssmServer.store.injectFaults({ throttle: 1000 });

    // Act
    let result = { received: 0, failed: 0 };
    while (result.received < 2) {
      const polled = await harness.poller.pollOnce();
      result = { received: result.received + polled.received, failed: result.failed + polled.failed };
    }
    ssmServer.store.clearFaults();

    // Assess
    expect(result).toEqual({ received: 2, failed: 2 });
    expect(receiver.requests('/ops')).toHaveLength(0);
    expect(await drain(sqs, queues.dlqUrl)).toHaveLength(0);
    const notSettled = harness.log.lines.filter((line) => line.message.startsWith('record not settled'));
    expect(notSettled).toHaveLength(2);
    expect(String(notSettled[0]?.fields?.error)).toContain('SubscriptionSourceError');
    harness.close();
  });

  it('keeps delivering from the stale cache when a refresh fails, with a warning', async () => {
    // Prepare: one successful load, then SSM fails every request
    const queues = await createQueues(sqs, 'stale');
    const harness = handlerHarness({ sqs, ssm, ...queues });
    await send(sqs, queues.queueUrl, event('evt_stale_1'));
    await harness.poller.pollOnce();
    ssmServer.store.injectFaults({ throttle: 1000 });

    // Act
    await send(sqs, queues.queueUrl, event('evt_stale_2'));
    const result = await harness.poller.pollOnce();
    ssmServer.store.clearFaults();

    // Assess
    expect(result).toEqual({ received: 1, failed: 0 });
    const ids = receiver.requests('/ops').map((request) => JSON.parse(request.body).id);
    expect(ids).toEqual(expect.arrayContaining(['evt_stale_1', 'evt_stale_2']));
    expect(harness.log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'could not refresh subscriptions from SSM; serving the cached copy' }),
    );
    harness.close();
  });
});
