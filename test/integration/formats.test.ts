import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { Webhook } from 'standardwebhooks';
import { useHandlerTestStack } from '../support/handler-harness';
import { drain, send } from '../support/queues';
import type { ReceivedRequest } from '../support/receiver';

const PATH = '/platform-webhooks/formats';
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const ROUTING_KEY = 'R0123456789ABCDEFGHIJKLMNOPQRSTU';
const DATA = { experiment: { id: 42, name: 'resnet-sweep-3', project: 'vision', status: 'succeeded', html_url: 'https://platform.example.com/vision/experiments/42' } };

const stack = useHandlerTestStack({ name: 'formats', path: PATH, env: { CLOUDEVENTS_TYPE_PREFIX: 'com.example.platform' } });

async function subscribe(name: string, value: object): Promise<string> {
  const path = `/${name}-${stack.testNumber}`;
  await stack.ssm.send(new PutParameterCommand({ Name: `${PATH}${stack.testNumber}/${name}`, Value: JSON.stringify({ url: stack.receiver.url(path), ...value }), Type: 'SecureString', Overwrite: true }));
  return path;
}

async function deliverOne(body: object, path: string): Promise<ReceivedRequest> {
  await send(stack.sqs, stack.queues.queueUrl, body);
  await stack.harness.poller.pollOnce();
  const [request] = await stack.receiver.waitFor(1, path);
  return request!;
}

function verified(request: ReceivedRequest): unknown {
  return new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>);
}

describe('formats and other envelopes through the handler', () => {
  it('sends a Slack-format subscription a Slack message with the webhook-* headers and a verifiable signature', async () => {
    // Prepare
    const path = await subscribe('slack', { events: ['experiments.*'], format: 'slack', secret: SECRET });
    const event = { type: 'experiments.failed', id: `evt_slack_${stack.testNumber}`, timestamp: '2026-11-27T10:00:00.000Z', data: { experiment: { ...DATA.experiment, status: 'failed' } } };

    // Act
    const request = await deliverOne(event, path);

    // Assess
    const message = JSON.parse(request.body);
    expect(message.text).toBe(':x: Experiment resnet-sweep-3 failed');
    expect(message.blocks.map((block: { type: string }) => block.type)).toEqual(['header', 'section', 'actions', 'context']);
    expect(message.blocks[2].elements[0].url).toBe(DATA.experiment.html_url);
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': expect.stringMatching(/^msg_/),
      'webhook-timestamp': expect.stringMatching(/^\d+$/),
      'webhook-event': 'experiments.failed',
      'webhook-attempt': '1',
    });
    expect(() => verified(request)).not.toThrow();
  });

  it('renders the same Slack body again for a retry, signed anew', async () => {
    // Prepare
    const path = await subscribe('flaky', { events: ['*'], format: 'slack', secret: SECRET });
    stack.receiver.script(path, { status: 503 }, { status: 200 });
    await send(stack.sqs, stack.queues.queueUrl, { type: 'jobs.failed', id: `evt_retry_${stack.testNumber}`, data: { job: { id: 7, name: 'etl' } } });

    // Act
    await stack.harness.poller.pollOnce();
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await stack.harness.poller.pollOnce();

    // Assess
    const [first, second] = await stack.receiver.waitFor(2, path);
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.headers['webhook-attempt']).toBe('2');
    expect(JSON.parse(second!.body).text).toBe(':x: Job etl failed');
    expect(() => verified(second!)).not.toThrow();
  });

  it('sends one event to standard, Slack and PagerDuty subscriptions, each in its format', async () => {
    // Prepare
    const standard = await subscribe('standard', { events: ['*'] });
    const slack = await subscribe('chat', { events: ['*'], format: 'slack' });
    const pagerduty = await subscribe('pd', { events: ['*.failed', '*.succeeded'], format: 'pagerduty', routingKey: ROUTING_KEY });
    const event = { type: 'experiments.succeeded', id: `evt_fan_${stack.testNumber}`, timestamp: '2026-11-27T10:00:00.000Z', data: DATA };

    // Act
    await send(stack.sqs, stack.queues.queueUrl, event);
    await stack.harness.poller.pollOnce();

    // Assess
    const [standardRequest, slackRequest, pagerdutyRequest] = await Promise.all([standard, slack, pagerduty].map(async (path) => (await stack.receiver.waitFor(1, path))[0]));
    expect(JSON.parse(standardRequest!.body)).toEqual(event);
    expect(JSON.parse(slackRequest!.body).text).toBe(':white_check_mark: Experiment resnet-sweep-3 succeeded');
    expect(JSON.parse(pagerdutyRequest!.body)).toMatchObject({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'platform-webhooks:experiment:42' });
    expect(pagerdutyRequest!.headers['webhook-event']).toBe('experiments.succeeded');
  });

  describe('events from other envelopes, delivered in standard format', () => {
    it('unwraps an SNS notification (no raw message delivery)', async () => {
      // Prepare
      const path = await subscribe('sns', { events: ['jobs.*'], secret: SECRET });
      const notification = {
        Type: 'Notification',
        MessageId: `sns-${stack.testNumber}`,
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:platform-events',
        Message: JSON.stringify({ type: 'jobs.failed', data: { job: { id: 7 } } }),
        Timestamp: '2026-11-27T09:58:00.000Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE==',
      };

      // Act
      const request = await deliverOne(notification, path);

      // Assess
      expect(verified(request)).toEqual({ id: `sns-${stack.testNumber}`, type: 'jobs.failed', timestamp: '2026-11-27T09:58:00.000Z', data: { job: { id: 7 } } });
    });

    it('unwraps an EventBridge event', async () => {
      // Prepare
      const path = await subscribe('eventbridge', { events: ['builds.*'], secret: SECRET });
      const event = {
        version: '0',
        id: `eb-${stack.testNumber}`,
        'detail-type': 'builds.succeeded',
        source: 'com.example.platform',
        account: '123456789012',
        time: '2026-11-27T09:57:00Z',
        region: 'us-east-1',
        resources: [],
        detail: { build: { id: 318, name: 'cuda-12-base' } },
      };

      // Act
      const request = await deliverOne(event, path);

      // Assess
      expect(verified(request)).toEqual({ id: `eb-${stack.testNumber}`, type: 'builds.succeeded', timestamp: '2026-11-27T09:57:00Z', data: { build: { id: 318, name: 'cuda-12-base' } } });
    });

    it('unwraps a CloudEvent, stripping the configured type prefix', async () => {
      // Prepare
      const path = await subscribe('cloudevents', { events: ['groups.*'], secret: SECRET });
      const event = {
        specversion: '1.0',
        type: 'com.example.platform.groups.stopped',
        source: '/platform/vision',
        id: `ce-${stack.testNumber}`,
        time: '2026-11-27T09:56:00Z',
        datacontenttype: 'application/json',
        data: { group: { id: 9, name: 'lr-search' } },
      };

      // Act
      const request = await deliverOne(event, path);

      // Assess
      expect(verified(request)).toEqual({ id: `ce-${stack.testNumber}`, type: 'groups.stopped', timestamp: '2026-11-27T09:56:00Z', data: { group: { id: 9, name: 'lr-search' } } });
      expect(request.headers['webhook-event']).toBe('groups.stopped');
    });

    it('dead-letters an invalid SNS-wrapped event with the raw body and an error naming the envelope', async () => {
      // Prepare
      await subscribe('any', { events: ['*'] });
      const notification = { Type: 'Notification', MessageId: 'sns-bad', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: JSON.stringify({ type: 'experiment.failed', data: {} }) };

      // Act
      await send(stack.sqs, stack.queues.queueUrl, notification);
      await stack.harness.poller.pollOnce();

      // Assess
      const [record] = (await drain(stack.sqs, stack.queues.dlqUrl, 1)).map((message) => JSON.parse(message.Body ?? '{}'));
      expect(record).toMatchObject({
        reason: 'invalid-event',
        error: 'SNS notification: event type "experiment.failed" is not in the catalogue; did you mean "experiments.failed"?',
        event: notification,
        attempts: 0,
      });
      expect(stack.receiver.requests(`/any-${stack.testNumber}`)).toHaveLength(0);
    });
  });
});
