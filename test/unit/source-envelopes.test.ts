import { loadConfig } from '../../lambda/config';
import { parseQueueMessage } from '../../lambda/core/inbound/messages';
import type { QueueMessage } from '../../lambda/core/inbound/messages';
import { stripPrefix } from '../../lambda/core/inbound/source-envelopes';
import type { SourceOptions } from '../../lambda/core/inbound/source-envelopes';
import { FIXED_NOW } from '../support/factories';

const FACTS = { messageId: 'sqs-message-id', sentAt: FIXED_NOW };
const DATA = { experiment: { id: 42, name: 'resnet-sweep-3', project: 'vision', status: 'succeeded' } };

/** An SNS notification as SQS receives it from a subscription without raw message delivery. */
function snsNotification(message: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: '5b1d2f0e-8e5b-5c3a-9d1e-6f1c1f0b8a11',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:platform-events',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2026-11-27T09:58:00.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE==',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-example.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
    ...overrides,
  };
}

/** An EventBridge event as a rule targeting the queue delivers it. */
function eventBridgeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'experiments.succeeded',
    source: 'com.example.platform',
    account: '123456789012',
    time: '2026-11-27T09:57:00Z',
    region: 'us-east-1',
    resources: [],
    detail: DATA,
    ...overrides,
  };
}

/** A CloudEvents 1.0 event in structured JSON mode. */
function cloudEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specversion: '1.0',
    type: 'experiments.succeeded',
    source: '/platform/vision',
    id: 'ce-42',
    time: '2026-11-27T09:56:00Z',
    datacontenttype: 'application/json',
    data: DATA,
    ...overrides,
  };
}

function parse(body: unknown, options: SourceOptions = {}): QueueMessage {
  return parseQueueMessage(JSON.stringify(body), FACTS, options);
}

describe('parseQueueMessage with other envelopes', () => {
  describe('SNS notifications', () => {
    it('unwraps the platform envelope in Message, keeping its own id and timestamp', () => {
      // Act
      const message = parse(snsNotification({ type: 'jobs.failed', id: 'evt_1', timestamp: '2026-11-27T09:00:00.000Z', data: { job: { id: 7 } } }));

      // Assess
      expect(message).toEqual({ kind: 'event', event: { id: 'evt_1', type: 'jobs.failed', timestamp: '2026-11-27T09:00:00.000Z', data: { job: { id: 7 } } } });
    });

    it('defaults the event id and timestamp to the SNS MessageId and Timestamp', () => {
      // Act
      const message = parse(snsNotification({ type: 'jobs.failed', data: {} }));

      // Assess
      expect(message).toMatchObject({ kind: 'event', event: { id: '5b1d2f0e-8e5b-5c3a-9d1e-6f1c1f0b8a11', timestamp: '2026-11-27T09:58:00.000Z' } });
    });

    it.each([
      ['an EventBridge event', eventBridgeEvent(), '6a7e8feb-b491-4cf7-a9f1-bf3703467718'],
      ['a CloudEvent', cloudEvent(), 'ce-42'],
    ])('unwraps %s carried in Message', (_name, inner, id) => {
      // Act
      const message = parse(snsNotification(inner));

      // Assess
      expect(message).toMatchObject({ kind: 'event', event: { id, type: 'experiments.succeeded', data: DATA } });
    });

    it('names the envelope in the error of an invalid event and keeps the raw body', () => {
      // Prepare
      const body = snsNotification({ type: 'experiment.succeeded', data: {} });

      // Act
      const message = parse(body);

      // Assess
      expect(message).toEqual({
        kind: 'invalid',
        error: 'SNS notification: event type "experiment.succeeded" is not in the catalogue; did you mean "experiments.succeeded"?',
        raw: body,
      });
    });

    it('names both envelopes when the inner one is invalid', () => {
      // Act
      const message = parse(snsNotification(cloudEvent({ type: 'nope' })));

      // Assess
      expect(message).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/^SNS notification > CloudEvent: event type "nope" is not in the catalogue/) });
    });

    it('says when Message is not JSON', () => {
      // Act
      const message = parse(snsNotification('plain text'));

      // Assess
      expect(message).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/^SNS notification: "Message" is not valid JSON/) });
    });

    it('explains a subscription confirmation instead of calling it an unknown event', () => {
      // Prepare
      const body = snsNotification('You have chosen to subscribe…', { Type: 'SubscriptionConfirmation', SubscribeURL: 'https://sns.example/confirm' });

      // Act
      const message = parse(body);

      // Assess
      expect(message).toEqual({
        kind: 'invalid',
        error: 'SNS notification: a message of Type "SubscriptionConfirmation" holds no event; confirm the subscription by opening its SubscribeURL',
        raw: body,
      });
    });
  });

  describe('EventBridge events', () => {
    it('takes detail-type as the type and detail as the data, keeping id and time', () => {
      // Act
      const message = parse(eventBridgeEvent());

      // Assess
      expect(message).toEqual({
        kind: 'event',
        event: { id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', type: 'experiments.succeeded', timestamp: '2026-11-27T09:57:00Z', data: DATA },
      });
    });

    it.each([
      ['an unknown detail-type', { 'detail-type': 'Experiment Succeeded' }, 'EventBridge event: event type "Experiment Succeeded" is not in the catalogue; did you mean "experiments.succeeded"?'],
      ['a detail that is not an object', { detail: [1] }, 'EventBridge event: "detail" must be a JSON object, got an array'],
      ['a missing detail', { detail: undefined }, 'EventBridge event: "detail" is missing; expected the event data as a JSON object'],
    ])('refuses %s', (_name, overrides, error) => {
      // Act & Assess
      expect(parse(eventBridgeEvent(overrides))).toMatchObject({ kind: 'invalid', error });
    });
  });

  describe('CloudEvents', () => {
    it('takes type, id, time and data', () => {
      // Act
      const message = parse(cloudEvent());

      // Assess
      expect(message).toEqual({ kind: 'event', event: { id: 'ce-42', type: 'experiments.succeeded', timestamp: '2026-11-27T09:56:00Z', data: DATA } });
    });

    it('defaults the id and time to the SQS message id and sent time', () => {
      // Act
      const message = parse(cloudEvent({ id: undefined, time: undefined }));

      // Assess
      expect(message).toMatchObject({ kind: 'event', event: { id: 'sqs-message-id', timestamp: new Date(FIXED_NOW).toISOString() } });
    });

    it('strips the configured type prefix', () => {
      // Act
      const message = parse(cloudEvent({ type: 'com.example.platform.experiments.failed' }), { cloudEventsTypePrefix: 'com.example.platform' });

      // Assess
      expect(message).toMatchObject({ kind: 'event', event: { type: 'experiments.failed' } });
    });

    it('takes the type as it stands when no prefix is configured', () => {
      // Act
      const message = parse(cloudEvent({ type: 'com.example.platform.experiments.failed' }));

      // Assess
      expect(message).toMatchObject({ kind: 'invalid', error: 'CloudEvent: event type "com.example.platform.experiments.failed" is not in the catalogue' });
    });

    it('decodes JSON data in data_base64', () => {
      // Act
      const message = parse(cloudEvent({ data: undefined, data_base64: Buffer.from(JSON.stringify(DATA)).toString('base64') }));

      // Assess
      expect(message).toMatchObject({ kind: 'event', event: { data: DATA } });
    });

    it.each([
      ['binary data_base64', { data: undefined, data_base64: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]).toString('base64') }, 'CloudEvent: "data_base64" does not hold JSON; only JSON data can be delivered'],
      ['text data_base64', { data: undefined, data_base64: Buffer.from('plain text').toString('base64') }, 'CloudEvent: "data_base64" does not hold JSON; only JSON data can be delivered'],
      ['data_base64 that is not base64', { data: undefined, data_base64: 'not base64!' }, 'CloudEvent: "data_base64" must be base64, got "not base64!"; only JSON data can be delivered'],
      ['both data and data_base64', { data_base64: 'e30=' }, 'CloudEvent: "data" and "data_base64" are both present; a CloudEvent carries one of them'],
      ['specversion 0.3', { specversion: '0.3' }, 'CloudEvent: "specversion" must be "1.0", got "0.3"'],
      ['string data', { data: 'text' }, 'CloudEvent: event "data" must be a JSON object, got "text"'],
      ['no data', { data: undefined }, 'CloudEvent: event "experiments.succeeded" has no "data"; expected a JSON object'],
    ])('refuses %s with a clear error', (_name, overrides, error) => {
      // Act & Assess
      expect(parse(cloudEvent(overrides))).toMatchObject({ kind: 'invalid', error });
    });
  });

  it('leaves the platform envelope as it is', () => {
    // Act
    const message = parse({ type: 'experiments.succeeded', id: 'evt_9', data: DATA });

    // Assess
    expect(message).toMatchObject({ kind: 'event', event: { id: 'evt_9', type: 'experiments.succeeded', data: DATA } });
  });
});

describe('stripPrefix', () => {
  it.each([
    ['com.example.platform.experiments.failed', 'com.example.platform', 'experiments.failed'],
    ['com.example.platform.experiments.failed', 'com.example.platform.', 'experiments.failed'],
    ['experiments.failed', 'com.example.platform', 'experiments.failed'],
    ['com.example.platform.experiments.failed', undefined, 'com.example.platform.experiments.failed'],
  ])('turns %s with prefix %s into %s', (type, prefix, expected) => {
    // Act & Assess
    expect(stripPrefix(type, prefix)).toBe(expected);
  });
});

describe('CLOUDEVENTS_TYPE_PREFIX', () => {
  const env = (prefix?: string) => ({ QUEUE_URL: 'https://sqs.example/q', RETRY_QUEUE_URL: 'https://sqs.example/r', DLQ_URL: 'https://sqs.example/dlq', ...(prefix !== undefined && { CLOUDEVENTS_TYPE_PREFIX: prefix }) });

  it('is read into the configuration when set, and absent otherwise', () => {
    // Act & Assess
    expect(loadConfig(env('com.example.platform')).cloudEventsTypePrefix).toBe('com.example.platform');
    expect(loadConfig(env())).not.toHaveProperty('cloudEventsTypePrefix');
  });

  it('is refused with a sentence when it holds spaces', () => {
    // Act & Assess
    expect(() => loadConfig(env('com example'))).toThrow('CLOUDEVENTS_TYPE_PREFIX: must be a CloudEvents type prefix such as "com.example.platform" (1 to 256 characters, no spaces), got "com example"');
  });
});
