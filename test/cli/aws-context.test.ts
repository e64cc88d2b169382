import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsContext } from '../../cli/aws-context';
import { LOCAL_QUEUE_NAMES } from '../../cli/aws-context';
import { drain, fauxqsEndpoint, sqsClient } from '../support/queues';
import { cleanEnv } from '../support/cli-harness';
import { run } from '../../cli/program';

function io(env: NodeJS.ProcessEnv, cloudFormation?: CloudFormationClient) {
  return { stdout: () => undefined, stderr: () => undefined, env: { ...cleanEnv(), ...env }, ...(cloudFormation && { clients: { cloudFormation } }) };
}

function stackWithOutputs(): CloudFormationClient {
  const client = new CloudFormationClient({ region: 'us-east-1' });
  mockClient(client)
    .on(DescribeStacksCommand)
    .rejects(Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' }))
    .on(DescribeStacksCommand, { StackName: 'PlatformWebhooks' })
    .resolves({
      Stacks: [{
        StackName: 'PlatformWebhooks', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE',
        Outputs: [
          { OutputKey: 'QueueUrl', OutputValue: 'https://sqs.eu-west-1.amazonaws.com/1/events' },
          { OutputKey: 'DeadLetterQueueUrl', OutputValue: 'https://sqs.eu-west-1.amazonaws.com/1/dlq' },
          { OutputKey: 'SubscriptionsPath', OutputValue: '/team/webhooks' },
        ],
      }],
    });
  return client;
}

describe('where the CLI finds the queues and the subscriptions', () => {
  it('prefers the option, then the environment variable, then the stack outputs', async () => {
    // Prepare
    const cloudFormation = stackWithOutputs();
    const fromOption = createAwsContext({ stack: 'PlatformWebhooks', queueUrl: 'https://option/q', path: '/option/path' }, io({ WEBHOOKS_QUEUE_URL: 'https://env/q' }, cloudFormation));
    const fromEnv = createAwsContext({ stack: 'PlatformWebhooks' }, io({ WEBHOOKS_QUEUE_URL: 'https://env/q', WEBHOOKS_SUBSCRIPTIONS_PATH: '/env/path/' }, cloudFormation));
    const fromStack = createAwsContext({}, io({ WEBHOOKS_STACK: 'PlatformWebhooks' }, cloudFormation));

    // Act
    const resolved = await Promise.all([fromOption, fromEnv, fromStack].map(async (context) => [await context.queueUrl(), await context.subscriptionsPath()]));
    const dlq = await fromStack.deadLetterQueueUrl();

    // Assess
    expect(resolved).toEqual([
      ['https://option/q', '/option/path'],
      ['https://env/q', '/env/path'],
      ['https://sqs.eu-west-1.amazonaws.com/1/events', '/team/webhooks'],
    ]);
    expect(dlq).toBe('https://sqs.eu-west-1.amazonaws.com/1/dlq');
  });

  it('defaults the path and says what to do about a missing stack', async () => {
    // Prepare
    const context = createAwsContext({ stack: 'Nope' }, io({}, stackWithOutputs()));

    // Act
    const path = createAwsContext({}, io({})).subscriptionsPath();
    const queue = context.queueUrl();

    // Assess
    await expect(path).resolves.toBe('/platform-webhooks/subscriptions');
    await expect(queue).rejects.toThrow('stack "Nope" does not exist in this account and region; check --stack, --region and --profile');
  });

  it('looks the local stack\'s queues up by name when an endpoint URL is set', async () => {
    // Prepare
    const sqs = sqsClient();
    const { QueueUrl: queueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: LOCAL_QUEUE_NAMES.events }));
    await drain(sqs, queueUrl);

    // Act
    const code = await run(['publish', 'jobs.failed', '--data', '{"job":{"id":1}}', '--endpoint-url', fauxqsEndpoint()], io({}));

    // Assess
    expect(code).toBe(0);
    const messages = await drain(sqs, queueUrl);
    expect(messages.map((message) => JSON.parse(message.Body ?? ''))).toEqual([{ type: 'jobs.failed', data: { job: { id: 1 } } }]);
    sqs.destroy();
  });
});
