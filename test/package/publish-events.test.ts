/**
 * `publishEvent` and `publishEvents` (the package's root export) against the fauxqs SQS emulator,
 * through a real SDK client: what arrives on the queue, the checks made before anything is sent
 * (the function's own envelope rules, docs/design.md §1), batching, and what a partial failure says.
 */
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { parseQueueMessage } from '../../lambda/core/inbound/messages';
import { InvalidEventError, PublishEventsError } from '../../lib/errors';
import { publishEvent, publishEvents } from '../../lib/publish-events';
import type { EventEnvelope } from '../../lib/index';
import { createQueues, drain, sqsClient } from '../support/queues';

const client = sqsClient();

/** The client, recording the entries of each SendMessageBatch it sends. */
function recording(inner: SQSClient): { client: Pick<SQSClient, 'send'>; batches: number[] } {
  const batches: number[] = [];
  const send = ((command: { input: { Entries?: unknown[] } }) => {
    if (command.input.Entries !== undefined) batches.push(command.input.Entries.length);
    return inner.send(command as never);
  }) as SQSClient['send'];
  return { client: { send }, batches };
}

function jobEvent(index: number, extra: Partial<EventEnvelope> = {}): EventEnvelope {
  return { type: 'jobs.failed', id: `evt_${index}`, data: { job: { id: index, status: 'failed' } }, ...extra };
}

/** How many messages a queue holds, visible or not. */
async function depth(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
}

afterAll(() => client.destroy());

/**
 * Typed by the catalogue: a type outside it is a compile error unless listed in extraEventTypes.
 * Never called; `npm test`'s type check fails when an expected error is missing.
 */
function typedByTheCatalogue(queueUrl: string): Promise<unknown>[] {
  return [
    // @ts-expect-error "experiment.failed" is not an event type of the catalogue
    publishEvent(client, queueUrl, { type: 'experiment.failed', data: {} }),
    publishEvent(client, queueUrl, { type: 'models.registered', data: {} }, { extraEventTypes: ['models.registered'] }),
  ];
}

describe('publishEvent', () => {
  it('sends the envelope the function reads as that event, and answers with its id', async () => {
    // Prepare
    const { queueUrl } = await createQueues(client, 'publish-one');
    const event = { type: 'experiments.succeeded', id: 'evt_01', timestamp: '2026-11-27T10:00:00.000Z', data: { experiment: { id: 42, status: 'succeeded' } } } as const;

    // Act
    const published = await publishEvent(client, queueUrl, event);

    // Assess
    const [message] = await drain(client, queueUrl, 5);
    expect(published).toEqual({ eventId: 'evt_01', messageId: message!.MessageId });
    expect(JSON.parse(message!.Body!)).toEqual(event);
    expect(parseQueueMessage(message!.Body!, { messageId: message!.MessageId!, sentAt: 0 })).toMatchObject({ kind: 'event', event });
  });

  it('answers with the SQS message id as the event id when the event has none', async () => {
    // Prepare
    const { queueUrl } = await createQueues(client, 'publish-no-id');

    // Act
    const published = await publishEvent(client, queueUrl, { type: 'builds.done', data: { build: { id: 7 } } });

    // Assess
    expect(published.eventId).toBe(published.messageId);
    expect(published.messageId).not.toBe('');
  });

  it.each<[string, EventEnvelope<string>, string]>([
    ['a type outside the catalogue', { type: 'experiment.failed', data: {} }, 'event type "experiment.failed" is not in the catalogue; did you mean "experiments.failed"? Nothing was sent.'],
    ['a timestamp that is no date', { type: 'jobs.failed', timestamp: 'yesterday', data: {} }, 'event "timestamp" must be an ISO-8601 date-time, got "yesterday". Nothing was sent.'],
    ['data that is no object', { type: 'jobs.failed', data: [] as unknown as Record<string, unknown> }, 'event "data" must be a JSON object, got an array. Nothing was sent.'],
    ['data nested too deep', { type: 'jobs.failed', data: JSON.parse(`${'{"a":'.repeat(65)}1${'}'.repeat(65)}`) }, 'event "data" nests more than 64 levels of objects and arrays deep, the limit; flatten it. Nothing was sent.'],
    ['a body over 256 KiB', { type: 'jobs.failed', data: { log: 'x'.repeat(256 * 1024) } }, /^event body is 2621\d\d bytes; the limit is 262144 bytes \(256 KiB\)\. Nothing was sent\.$/.source],
    ['data JSON cannot hold', { type: 'jobs.failed', data: { size: 10n } }, 'event "data" cannot be written as JSON (TypeError: Do not know how to serialize a BigInt); use objects, arrays, strings, numbers, booleans and null. Nothing was sent.'],
  ])('refuses %s with a sentence, before sending anything', async (_case, event, message) => {
    // Prepare
    const { queueUrl } = await createQueues(client, 'publish-invalid');

    // Act
    const publishing = publishEvent<string>(client, queueUrl, event);

    // Assess
    await expect(publishing).rejects.toThrow(InvalidEventError);
    await expect(publishing).rejects.toThrow(message.startsWith('^') ? new RegExp(message) : message);
    expect(await depth(queueUrl)).toBe(0);
  });

  it('accepts a type of the deployment\'s extraEventTypes, and only those', async () => {
    // Prepare
    const { queueUrl } = await createQueues(client, 'publish-extra');
    const extraEventTypes = ['models.registered'];

    // Act
    const published = await publishEvent(client, queueUrl, { type: 'models.registered', data: { model: { id: 3 } } }, { extraEventTypes });
    const refused = publishEvent<string>(client, queueUrl, { type: 'models.deleted', data: {} }, { extraEventTypes });

    // Assess
    expect(published.messageId).not.toBe('');
    await expect(refused).rejects.toThrow('event type "models.deleted" is not in the catalogue');
    expect(await drain(client, queueUrl, 5)).toHaveLength(1);
  });

  it('measures numbers as JSON writes them: 9e20 is sent as 21 digits, so 40,000 of them are over 256 KiB', async () => {
    // Prepare
    const { queueUrl } = await createQueues(client, 'publish-written');
    const data = JSON.parse(`{"numbers":[${Array(40_000).fill('9e20').join(',')}]}`) as Record<string, unknown>;

    // Act
    const published = publishEvent(client, queueUrl, { type: 'jobs.failed', data });

    // Assess
    await expect(published).rejects.toThrow(/^event body is \d+ bytes; the limit is 262144 bytes \(256 KiB\)\. Nothing was sent\.$/);
    expect(await depth(queueUrl)).toBe(0);
  });

  it('refuses data whose toJSON makes it something other than an object, as the function would', async () => {
    // Prepare
    const { queueUrl } = await createQueues(client, 'publish-tojson');
    const data = { toJSON: () => 'oops' } as unknown as Record<string, unknown>;

    // Act
    const published = publishEvent(client, queueUrl, { type: 'jobs.failed', data });

    // Assess
    await expect(published).rejects.toThrow('event "data" must be a JSON object, got "oops". Nothing was sent.');
    expect(await depth(queueUrl)).toBe(0);
  });

  it('refuses extraEventTypes the function would refuse, naming the type, and sends nothing', async () => {
    // Prepare
    const { queueUrl } = await createQueues(client, 'publish-bad-extra');

    // Act
    const builtIn = publishEvent<string>(client, queueUrl, { type: 'jobs.failed', data: {} }, { extraEventTypes: ['jobs.failed'] });
    const misnamed = publishEvent<string>(client, queueUrl, { type: 'Models.Registered', data: {} }, { extraEventTypes: ['Models.Registered'] });

    // Assess
    await expect(builtIn).rejects.toThrow(expect.objectContaining({ name: 'InvalidEventError', message: 'options.extra event type 1 "jobs.failed" is a built-in event type already; list only types beyond the catalogue. Nothing was sent.' }));
    await expect(misnamed).rejects.toThrow(/^options\.extra event type 1 "Models\.Registered" is not an event type "<entity>\.<action>"/);
    expect(await depth(queueUrl)).toBe(0);
  });
});

describe('publishEvents', () => {
  it('sends 23 events in batches of 10, 10 and 3 and answers in their order', async () => {
    // Prepare
    const { queueUrl } = await createQueues(client, 'publish-many');
    const { client: counting, batches } = recording(client);
    const events = Array.from({ length: 23 }, (_, index) => jobEvent(index));

    // Act
    const published = await publishEvents(counting, queueUrl, events);

    // Assess
    expect(batches).toEqual([10, 10, 3]);
    expect(published.map((result) => result.eventId)).toEqual(events.map((event) => event.id));
    const received = await drain(client, queueUrl, 5);
    expect(received.map((message) => JSON.parse(message.Body!).id).sort()).toEqual(events.map((event) => event.id).sort());
  });

  it('keeps each batch within SQS\'s 1 MiB for all its messages', async () => {
    // Prepare: five bodies of about 250 KiB; four fit in one batch.
    const { queueUrl } = await createQueues(client, 'publish-large');
    const { client: counting, batches } = recording(client);
    const events = Array.from({ length: 5 }, (_, index) => jobEvent(index, { data: { log: 'x'.repeat(250 * 1024) } }));

    // Act
    const published = await publishEvents(counting, queueUrl, events);

    // Assess
    expect(batches).toEqual([4, 1]);
    expect(published).toHaveLength(5);
  });

  it('names the first invalid event and sends none of them', async () => {
    // Prepare
    const { queueUrl } = await createQueues(client, 'publish-one-bad');
    const events: EventEnvelope<string>[] = [jobEvent(0), jobEvent(1), { type: 'job.failed', data: {} }, jobEvent(3)];

    // Act
    const publishing = publishEvents<string>(client, queueUrl, events);

    // Assess
    await expect(publishing).rejects.toThrow('events[2]: event type "job.failed" is not in the catalogue; did you mean "jobs.failed"? Nothing was sent.');
    expect(await depth(queueUrl)).toBe(0);
  });

  it('publishes what SQS takes and lists, by index, what it refused', async () => {
    // Prepare: a queue that refuses messages over 1,024 bytes; events 1 and 3 are larger.
    const { QueueUrl: queueUrl = '' } = await client.send(new CreateQueueCommand({ QueueName: `publish-partial-${process.pid}-${Date.now()}`, Attributes: { MaximumMessageSize: '1024' } }));
    const events = [0, 1, 2, 3].map((index) => jobEvent(index, index % 2 === 1 ? { data: { log: 'x'.repeat(2000) } } : {}));

    // Act
    const error = await publishEvents(client, queueUrl, events).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(PublishEventsError);
    expect((error as PublishEventsError).unpublished.map((entry) => entry.index)).toEqual([1, 3]);
    expect((error as PublishEventsError).unpublished[0]!.error).toMatch(/^InvalidParameterValue: /);
    expect((error as Error).message).toMatch(/^2 of 4 events were not published \(events\[1\]: InvalidParameterValue: .*\); the others were\. Publish the events listed in "unpublished" again\.$/);
    const received = await drain(client, queueUrl, 5);
    expect(received.map((message) => JSON.parse(message.Body!).id).sort()).toEqual(['evt_0', 'evt_2']);
  });

  it('stops at a batch the SDK could not send, listing it and every later event', async () => {
    // Prepare: no queue at this URL.
    const { queueUrl } = await createQueues(client, 'publish-gone');
    const missing = `${queueUrl}-missing`;
    const events = Array.from({ length: 12 }, (_, index) => jobEvent(index));

    // Act
    const error = await publishEvents(client, missing, events).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(PublishEventsError);
    const { unpublished, cause } = error as PublishEventsError;
    expect(unpublished.map((entry) => entry.index)).toEqual(events.map((_, index) => index));
    expect(unpublished[10]!.error).toBe('not sent after an earlier batch failed');
    expect(cause).toBeInstanceOf(Error);
  });
});
