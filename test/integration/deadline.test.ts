import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SETTLE_MARGIN_MS } from '../../lambda/core/delivery/call-budget';
import { DELIVERY_KIND } from '../../lambda/core/inbound/messages';
import { deliveryId } from '../../lambda/core/delivery/signature';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import { handlerHarness, ssmClient } from '../support/handler-harness';
import type { Harness } from '../support/handler-harness';
import { createQueues, drain, send, sqsClient } from '../support/queues';

const PATH = '/platform-webhooks/deadline';
const DELIVERY_TIMEOUT_MS = 3000;
/** The first delivery fits (with 1.5 s to spare for loading subscriptions); after one, no other does. */
const FUNCTION_TIMEOUT_MS = DELIVERY_TIMEOUT_MS + SETTLE_MARGIN_MS + 1500;
/** Each delivery takes this long: after one, no other fits before the deadline (2000 + 3000 + margin > timeout). */
const RESPONSE_DELAY_MS = 2000;
const SUBSCRIPTIONS = ['alpha', 'bravo', 'charlie'];

interface SlowRequest {
  readonly subscription: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** A receiver that answers 200 after {@link RESPONSE_DELAY_MS}, recording each request. */
async function startSlowReceiver(): Promise<{ url: string; requests: SlowRequest[]; close(): Promise<void> }> {
  const requests: SlowRequest[] = [];
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      requests.push({ subscription: (req.url ?? '').slice(1), headers: req.headers });
      setTimeout(() => res.writeHead(200).end(), RESPONSE_DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let receiver: Awaited<ReturnType<typeof startSlowReceiver>>;
let ssmServer: Awaited<ReturnType<typeof startParameterStoreServer>>;
let ssm: SSMClient;
let sqs: SQSClient;
let harness: Harness | undefined;

beforeAll(async () => {
  receiver = await startSlowReceiver();
  ssmServer = await startParameterStoreServer({ port: 0 });
  ssm = ssmClient(ssmServer.endpoint);
  sqs = sqsClient();
  for (const name of SUBSCRIPTIONS) {
    await ssm.send(new PutParameterCommand({ Name: `${PATH}/${name}`, Type: 'String', Value: JSON.stringify({ url: `${receiver.url}/${name}`, events: ['jobs.*'] }) }));
  }
});

afterAll(async () => {
  harness?.close();
  await receiver.close();
  await ssmServer.close();
  sqs.destroy();
  ssm.destroy();
});

describe('handler near its deadline (getRemainingTimeInMillis)', () => {
  it('re-enqueues the deliveries it has no time to start, unattempted, returns before the deadline, and delivers them on later polls', async () => {
    // Prepare: one event for three subscriptions, delivered one at a time, each taking 2 s
    const queues = await createQueues(sqs, 'deadline');
    harness = handlerHarness({
      sqs,
      ssm,
      ...queues,
      env: { SUBSCRIPTIONS_PATH: PATH, DELIVERY_CONCURRENCY: '1', DELIVERY_TIMEOUT_MS: String(DELIVERY_TIMEOUT_MS) },
      functionTimeoutMs: FUNCTION_TIMEOUT_MS,
    });
    const eventId = 'evt_deadline_1';
    await send(sqs, queues.queueUrl, { type: 'jobs.failed', id: eventId, data: { job: { id: 7 } } });
    expect(RESPONSE_DELAY_MS + DELIVERY_TIMEOUT_MS + SETTLE_MARGIN_MS).toBeGreaterThan(FUNCTION_TIMEOUT_MS);

    // Act: the first invocation
    const startedAt = Date.now();
    const { poller, pollers, log } = harness;
    const first = await pollers.events.pollOnce();
    const tookMs = Date.now() - startedAt;

    // Assess: one delivery made, the record settled, before the deadline
    expect(first).toEqual({ received: 1, failed: 0 });
    expect(tookMs).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(receiver.requests).toHaveLength(1);
    const [delivered] = receiver.requests.map((request) => request.subscription);
    // ... and the other two re-enqueued together on the retry queue: attempt 1 not counted, no attempt made
    const { Messages: requeued = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.retryQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    const messages = requeued.map((message) => JSON.parse(message.Body ?? '{}') as { kind: string; attempt: number; deliveries: Array<Record<string, unknown>> });
    const deferred = SUBSCRIPTIONS.filter((name) => name !== delivered);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: DELIVERY_KIND, attempt: 1 });
    expect(messages[0]?.deliveries.map((delivery) => delivery.subscription).sort()).toEqual(deferred);
    for (const delivery of messages[0]?.deliveries ?? []) expect(delivery).not.toHaveProperty('firstAttemptAt');
    expect(await drain(sqs, queues.queueUrl)).toEqual([]);
    expect(log.lines.filter((line) => line.fields?.outcome === 'deferred')).toHaveLength(2);

    // Act: later invocations, each with the same function timeout
    for (let poll = 0; poll < 6 && receiver.requests.length < SUBSCRIPTIONS.length; poll++) await poller.pollOnce();

    // Assess: every subscription got the event once, at attempt 1, under its own webhook-id; nothing dead-lettered
    expect(receiver.requests.map((request) => request.subscription).sort()).toEqual(SUBSCRIPTIONS);
    for (const request of receiver.requests) {
      expect(request.headers['webhook-attempt']).toBe('1');
      expect(request.headers['webhook-id']).toBe(deliveryId(eventId, request.subscription));
    }
    expect(await drain(sqs, queues.dlqUrl)).toHaveLength(0);
  });
});
