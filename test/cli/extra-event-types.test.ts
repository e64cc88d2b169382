import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { drain } from '../support/queues';
import { startReceiver } from '../support/receiver';
import { useCliHarness } from '../support/cli-harness';

/**
 * The open catalogue and maxPerSecond in the CLI (docs/design.md §10): the extra event types come
 * from --extra-event-types, else the --stack outputs, else EXTRA_EVENT_TYPES as npm start reads it.
 */

const cli = useCliHarness();

function stored(name: string): Record<string, unknown> {
  return JSON.parse(cli.ssmServer.store.get(`${cli.path}/${name}`, true).value) as Record<string, unknown>;
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('error:'));
}

/** A CloudFormation client answering for stack PlatformWebhooks with these outputs. */
function stack(outputs: Record<string, string>): CloudFormationClient {
  const client = new CloudFormationClient({ region: 'us-east-1' });
  mockClient(client)
    .on(DescribeStacksCommand, { StackName: 'PlatformWebhooks' })
    .resolves({ Stacks: [{ StackName: 'PlatformWebhooks', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }] });
  return client;
}

const SUBSCRIBE_DELETIONS = ['subscribe', 'deletions', '--url', 'https://hooks.example.com/deletions', '--events', 'jobs.deleted,models.*'];

describe('extra event types in the CLI', () => {
  it('refuses patterns of types the deployment has not added, saying where to add them', async () => {
    // Act
    const result = await cli.run(SUBSCRIBE_DELETIONS);

    // Assess
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([
      'error: subscription "deletions": events[0] "jobs.deleted" matches no event; to use an event type beyond the built-in catalogue, add it to the deployment\'s extra event types (README "Traffic control")',
      'error: subscription "deletions": events[1] "models.*" matches no event; to use an event type beyond the built-in catalogue, add it to the deployment\'s extra event types (README "Traffic control")',
    ]);
  });

  it.each([
    ['--extra-event-types', { args: ['--extra-event-types', 'jobs.deleted,models.registered'], env: {} }],
    ['EXTRA_EVENT_TYPES, as npm start reads it', { args: [], env: { EXTRA_EVENT_TYPES: 'jobs.deleted, models.registered' } }],
  ])('accepts them from %s, and list shows the subscription as valid', async (_source, { args, env }) => {
    // Act
    const subscribed = await cli.run([...SUBSCRIBE_DELETIONS, ...args], { env });
    const listed = await cli.run(['list', '--json', ...args], { env });

    // Assess
    expect(subscribed.code).toBe(0);
    expect(stored('deletions').events).toEqual(['jobs.deleted', 'models.*']);
    expect(listed.json()).toEqual([expect.objectContaining({ name: 'deletions', valid: true, events: ['jobs.deleted', 'models.*'] })]);
  });

  it('takes them from the deployed stack\'s ExtraEventTypes output, over EXTRA_EVENT_TYPES', async () => {
    // Prepare
    const env = { WEBHOOKS_STACK: 'PlatformWebhooks', EXTRA_EVENT_TYPES: 'experiments.archived' };
    const clients = { cloudFormation: stack({ SubscriptionsPath: cli.path, QueueUrl: cli.queueUrl, ExtraEventTypes: 'jobs.deleted,models.registered' }) };

    // Act
    const accepted = await cli.run(SUBSCRIBE_DELETIONS, { env, clients });
    const refused = await cli.run(['subscribe', 'archive', '--url', 'https://hooks.example.com/a', '--events', 'experiments.archived'], { env, clients });

    // Assess
    expect(accepted.code).toBe(0);
    expect(refused.code).toBe(1);
    expect(errorLines(refused.stderr)).toEqual([expect.stringContaining('events[0] "experiments.archived" matches no event')]);
  });

  it('takes none from a stack deployed without extra types', async () => {
    // Prepare
    const clients = { cloudFormation: stack({ SubscriptionsPath: cli.path, QueueUrl: cli.queueUrl }) };

    // Act
    const result = await cli.run(SUBSCRIBE_DELETIONS, { env: { WEBHOOKS_STACK: 'PlatformWebhooks', EXTRA_EVENT_TYPES: 'jobs.deleted,models.registered' }, clients });

    // Assess
    expect(result.code).toBe(1);
  });

  it.each([
    [['--extra-event-types', 'jobs.deleted,jobs.failed'], {}, 'error: --extra-event-types entry 2 "jobs.failed" is a built-in event type already; list only types beyond the catalogue, got "jobs.deleted,jobs.failed"'],
    [[], { EXTRA_EVENT_TYPES: 'Models.Registered' }, 'error: EXTRA_EVENT_TYPES entry 1 "Models.Registered" is not an event type "<entity>.<action>" whose parts are lowercase words of a-z, 0-9, "_" and "-" starting with a letter, such as "models.registered", got "Models.Registered"'],
  ])('refuses an invalid list %j %j as a usage error naming the entry', async (args, env, message) => {
    // Act
    const result = await cli.run([...SUBSCRIBE_DELETIONS, ...args], { env });

    // Assess
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([message]);
  });

  it('publishes an extra type only when the deployment accepts it', async () => {
    // Act
    const refused = await cli.run(['publish', 'models.registered', '--data', '{"model":{"id":1}}']);
    const published = await cli.run(['publish', 'models.registered', '--data', '{"model":{"id":1}}', '--extra-event-types', 'models.registered']);

    // Assess
    expect(refused.code).toBe(1);
    expect(errorLines(refused.stderr)).toEqual(['error: event type "models.registered" is not in the catalogue']);
    expect(published.code).toBe(0);
    expect((await drain(cli.sqs, cli.queueUrl)).map((message) => JSON.parse(message.Body ?? ''))).toEqual([{ type: 'models.registered', data: { model: { id: 1 } } }]);
  });

  it('applies a deployment file that subscribes to extra types', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'webhooks-extra-'));
    await writeFile(join(dir, 'webhooks.yaml'), '- name: models\n  url: https://hooks.example.com/models\n  events: ["models.*"]\n  maxPerSecond: 20\n');

    // Act
    const result = await cli.run(['apply', '-f', 'webhooks.yaml', '--extra-event-types', 'models.registered'], { cwd: dir });

    // Assess
    expect(result.code).toBe(0);
    expect(stored('models')).toMatchObject({ events: ['models.*'], maxPerSecond: 20 });
  });

  it('sends a test delivery of an extra type, its sample data under the entity in the singular', async () => {
    // Prepare
    const receiver = await startReceiver();
    await cli.putParameter('models', { url: receiver.url('/models'), events: ['models.registered'] }, 'String');

    // Act
    const result = await cli.run(['test', 'models', '--json', '--allow-private', '--extra-event-types', 'models.registered']);
    await receiver.close();

    // Assess
    expect(result.code).toBe(0);
    const [request] = receiver.requests('/models');
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ type: 'models.registered', data: { test: true, model: { name: 'webhooks-test', status: 'registered' } } });
  });
});

describe('maxPerSecond in the CLI', () => {
  it('stores --max-per-second', async () => {
    // Act
    const result = await cli.run(['subscribe', 'paced', '--url', 'https://hooks.example.com/p', '--events', '*', '--max-per-second', '25']);

    // Assess
    expect(result.code).toBe(0);
    expect(stored('paced').maxPerSecond).toBe(25);
  });

  it.each(['0', '1001'])('refuses --max-per-second %s, naming the field', async (value) => {
    // Act
    const result = await cli.run(['subscribe', 'paced', '--url', 'https://hooks.example.com/p', '--events', '*', '--max-per-second', value]);

    // Assess
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual(['error: subscription "paced": maxPerSecond must be from 1 to 1000 deliveries per second']);
  });
});
