import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient, SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { describeError } from '../lambda/core/errors';
import { SQS_MAX_MESSAGE_BYTES, parseEnvelope } from '../lambda/core/inbound/envelope';
import { parseQueueMessage } from '../lambda/core/inbound/messages';
import { eventCatalogue } from '../lambda/core/inbound/events';
import type { EventCatalogue } from '../lambda/core/inbound/events';
import type { EventEnvelope } from '../lambda/core/inbound/envelope';
import { bodyBytes, queueBody } from '../lambda/core/inbound/queue-body';
import { InvalidEventError, PublishEventsError } from './errors';
import type { UnpublishedEvent } from './errors';

/**
 * SendMessageBatch takes at most 10 entries, and at most 1 MiB for all of them together.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
const MAX_BATCH_ENTRIES = 10;

/** Options of {@link publishEvent} and {@link publishEvents}. */
export interface PublishOptions<Extra extends string = never> {
  /**
   * Event types the deployment accepts beside the catalogue: its `extraEventTypes` option
   * (docs/design.md §10). An event of any other type outside the catalogue is refused.
   * @default - none: the catalogue only
   */
  readonly extraEventTypes?: readonly Extra[];
}

/** An event SQS accepted. */
export interface PublishedEvent {
  /** The event's `id`, or the SQS message id when it has none (the id the function gives it, docs/design.md §1). */
  readonly eventId: string;
  readonly messageId: string;
}

/** The client's only method used here: any `SQSClient` (with its region, credentials, endpoint). */
type SendingClient = Pick<SQSClient, 'send'>;

/**
 * Sends one event to the events queue (the `QueueUrl` output), checked first by the rules the
 * function applies (docs/design.md §1): a type from the catalogue or `extraEventTypes`, `data` a
 * JSON object at most 64 levels deep, an ISO-8601 `timestamp`, a body of at most 256 KiB.
 * A type that only a deployment knows is spelled in `extraEventTypes`, which also admits it to the
 * compiler: `publishEvent(sqs, url, { type: 'models.registered', data }, { extraEventTypes: ['models.registered'] })`.
 * @throws {InvalidEventError} when the event breaks a rule; nothing is sent.
 * @throws the SDK's error when SQS refuses the message or cannot be reached.
 */
export async function publishEvent<const Extra extends string = never>(
  client: SendingClient,
  queueUrl: string,
  event: EventEnvelope<NoInfer<Extra>>,
  options: PublishOptions<Extra> = {},
): Promise<PublishedEvent> {
  const body = eventBody(event, catalogueOf(options), '');
  const { MessageId: messageId = '' } = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  return { eventId: event.id ?? messageId, messageId };
}

/**
 * Sends events to the events queue in batches of up to 10 (SendMessageBatch), after checking every
 * one as {@link publishEvent} does. Resolves with one result per event, in order.
 * @throws {InvalidEventError} naming the first event that breaks a rule (`events[3]: …`); nothing is sent.
 * @throws {PublishEventsError} listing the events SQS did not take, after every batch was tried;
 *   the others were published. A batch the SDK could not send at all ends the call: its events
 *   and the later ones are listed.
 */
export async function publishEvents<const Extra extends string = never>(
  client: SendingClient,
  queueUrl: string,
  events: readonly EventEnvelope<NoInfer<Extra>>[],
  options: PublishOptions<Extra> = {},
): Promise<PublishedEvent[]> {
  const catalogue = catalogueOf(options);
  const bodies = events.map((event, index) => eventBody(event, catalogue, `events[${index}]: `));
  const published: PublishedEvent[] = [];
  const unpublished: UnpublishedEvent[] = [];
  let failure: unknown;
  for (const batch of batches(bodies)) {
    if (failure !== undefined) {
      unpublished.push(...batch.map((index) => ({ index, error: 'not sent after an earlier batch failed' })));
      continue;
    }
    const entries: SendMessageBatchRequestEntry[] = batch.map((index) => ({ Id: String(index), MessageBody: bodies[index] }));
    try {
      const { Successful = [], Failed = [] } = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      for (const { Id, MessageId = '' } of Successful) published[Number(Id)] = { eventId: events[Number(Id)]?.id ?? MessageId, messageId: MessageId };
      for (const { Id, Code, Message } of Failed) unpublished.push({ index: Number(Id), error: `${Code ?? 'Error'}: ${Message ?? 'no message'}` });
    } catch (error) {
      failure = error;
      unpublished.push(...batch.map((index) => ({ index, error: describeError(error) })));
    }
  }
  if (unpublished.length > 0) {
    unpublished.sort((a, b) => a.index - b.index);
    const first = unpublished[0]!;
    throw new PublishEventsError(
      `${unpublished.length} of ${events.length} events were not published (events[${first.index}]: ${first.error}); the others were. Publish the events listed in "unpublished" again.`,
      unpublished,
      { cause: failure },
    );
  }
  return published;
}

/**
 * The SQS message body of an event, checked by the envelope's rules (docs/design.md §1) and
 * serialized as the function's own messages are (queue-body.ts): only the envelope's fields.
 * @throws {InvalidEventError} prefixed with `where`.
 */
function eventBody(event: EventEnvelope<string>, catalogue: EventCatalogue, where: string): string {
  const parsed = parseEnvelope(event, { messageId: 'unsent', sentAt: 0 }, catalogue);
  if (!parsed.ok) throw new InvalidEventError(nothingSent(`${where}${parsed.error}`));
  const { type, id, timestamp, data } = event;
  let body: string;
  try {
    body = queueBody({ type, ...(id !== undefined && { id }), ...(timestamp !== undefined && { timestamp }), data });
  } catch (error) {
    throw new InvalidEventError(nothingSent(`${where}event "data" cannot be written as JSON (${describeError(error)}); use objects, arrays, strings, numbers, booleans and null`), { cause: error });
  }
  // The body as the function will read it: a `toJSON` in `data` can make it differ from the object checked above.
  const read = parseQueueMessage(body, { messageId: 'unsent', sentAt: 0 }, { catalogue });
  if (read.kind !== 'event') throw new InvalidEventError(nothingSent(`${where}${read.kind === 'invalid' ? read.error : `the event is written as a ${read.kind} message`}`));
  return body;
}

/**
 * The catalogue the events are checked against: the built-in events and `extraEventTypes`, named by
 * the function's rule (docs/design.md §10).
 * @throws {InvalidEventError} naming the first extra type that breaks the rule.
 */
function catalogueOf(options: PublishOptions<string>): EventCatalogue {
  try {
    return eventCatalogue(options.extraEventTypes ?? []);
  } catch (error) {
    throw new InvalidEventError(nothingSent(`options.${(error as Error).message}`), { cause: error });
  }
}

/** Indexes of `bodies` grouped into SendMessageBatch calls, in order. */
function batches(bodies: readonly string[]): number[][] {
  const all: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  bodies.forEach((body, index) => {
    const size = bodyBytes(body);
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + size > SQS_MAX_MESSAGE_BYTES)) {
      all.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) all.push(current);
  return all;
}

/** A rule's sentence, ending with what happened to the call. */
function nothingSent(problem: string): string {
  return `${problem}${/[.?!]$/.test(problem) ? '' : '.'} Nothing was sent.`;
}
