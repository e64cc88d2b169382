import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';

import { LOCAL_LOG_GROUP_NAME } from '../../cli/aws-context';
import type { LocalStack } from '../../local/local-stack';
import { publishedEvent } from '../support/factories';
import { dataDir, removeDataDirs, startTestStack } from './test-stack';

const FILTER = '{ $.message = "no subscription matches the event" }';

let stack: LocalStack | undefined;

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});
afterAll(removeDataDirs);

function logsClient(endpoint: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** The events FilterLogEvents finds in the local function's log group, once there are `count`. */
async function waitForLines(client: CloudWatchLogsClient, filterPattern: string, count: number): Promise<FilteredLogEvent[]> {
  const until = Date.now() + 20_000;
  for (;;) {
    const { events = [] } = await client.send(new FilterLogEventsCommand({ logGroupName: LOCAL_LOG_GROUP_NAME, filterPattern }));
    if (events.length >= count) return events;
    if (Date.now() > until) throw new Error(`expected ${count} log lines matching ${filterPattern}, got ${events.length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the local stack keeps the function\'s log', () => {
  it('as the JSON lines the deployed function writes, served by FilterLogEvents at its one endpoint', async () => {
    // Prepare
    stack = await startTestStack();
    const client = logsClient(stack.endpoint);

    // Act
    await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: JSON.stringify(publishedEvent({ id: 'evt_logs_1' })) }));
    const [event] = await waitForLines(client, FILTER, 1);

    // Assess
    expect(event?.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(JSON.parse(event?.message ?? '')).toEqual({
      level: 'INFO', message: 'no subscription matches the event', timestamp: new Date(event?.timestamp ?? 0).toISOString(), service: 'platform-webhooks',
      eventId: 'evt_logs_1', eventType: expect.any(String),
    });
    client.destroy();
  });

  it('between runs with the same data directory', async () => {
    // Prepare
    const dir = await dataDir();
    stack = await startTestStack({ dataDir: dir });
    const first = logsClient(stack.endpoint);
    await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: JSON.stringify(publishedEvent({ id: 'evt_kept' })) }));
    await waitForLines(first, '{ $.eventId = "evt_kept" }', 1);
    first.destroy();
    await stack.stop();

    // Act
    stack = await startTestStack({ dataDir: dir });
    const second = logsClient(stack.endpoint);
    const { events = [] } = await second.send(new FilterLogEventsCommand({ logGroupName: LOCAL_LOG_GROUP_NAME, filterPattern: '{ $.eventId = "evt_kept" }' }));

    // Assess
    expect(events).toHaveLength(1);
    second.destroy();
  });
});
