/**
 * Hostile input, property-based (docs/design.md §4: nothing is lost). Over arbitrary batches of event
 * envelopes, retry messages and garbage, arbitrary stored subscription values (many invalid),
 * arbitrary receiver answers and failing SQS or SSM calls, the real handler (with the real SSM
 * adapter over a mocked client) never throws out of the batch, never loses a record, and every
 * rejection names its reason.
 */
import { auditToLog } from '../../lambda/adapters/audit-to-log';
import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Parameter } from '@aws-sdk/client-ssm';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { createSsmSubscriptionSource } from '../../lambda/adapters/ssm-subscriptions';
import { EVENT_TYPES } from '../../lambda/core/inbound/events';
import { DELIVERY_KIND, REDRIVE_KIND, parseQueueMessage } from '../../lambda/core/inbound/messages';
import type { AttemptResult } from '../../lambda/core/delivery/outcome';
import type { DeliveryRequest, HttpSender } from '../../lambda/core/ports';
import { deliveryId } from '../../lambda/core/delivery/signature';
import { indexSubscriptions } from '../../lambda/core/subscriptions/subscription-index';
import { parseSubscription } from '../../lambda/core/subscriptions/subscriptions';
import type { Subscription } from '../../lambda/core/subscriptions/subscriptions';
import { createHandler } from '../../lambda/handler';
import { FIXED_NOW, QUEUE_NAMES, RETRY_QUEUE_URL, capturingLog, countingMetrics, dispatcherConfig, fakeQueue, fixedClock, sqsRecord, trafficControl } from '../support/factories';

const PATH = '/platform-webhooks/properties';
/** Stands for a body past the 256 KiB limit; expanded when the record is built, to keep counterexamples short. */
const OVERSIZED = '<oversized>';
const ssm = mockClient(SSMClient);
const ssmClientOfSource = new SSMClient({});

afterAll(() => ssm.restore());

// ---------------------------------------------------------------- arbitraries

const secretArb = fc.oneof(
  fc.uint8Array({ minLength: 24, maxLength: 64 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`),
  fc.uint8Array({ minLength: 1, maxLength: 23 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`),
  fc.string(),
);

const isoArb = fc.integer({ min: FIXED_NOW - 3_600_000, max: FIXED_NOW + 3_600_000 }).map((ms) => new Date(ms).toISOString());

const validSecretArb = fc.uint8Array({ minLength: 24, maxLength: 64 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);

/** A valid subscription value, optionally rotating its secret. */
const validValueArb = fc
  .record(
    {
      url: fc.constantFrom('https://hooks.example.test/a', 'http://hooks.example.test:8080/b'),
      events: fc.subarray([...EVENT_TYPES, '*', 'jobs.*', '*.failed', 'experiments.done'], { minLength: 1, maxLength: 4 }),
      secret: validSecretArb,
      headers: fc.constantFrom({}, { Authorization: 'Bearer abc' }),
      enabled: fc.boolean(),
      timeoutMs: fc.integer({ min: 1000, max: 30_000 }),
    },
    { requiredKeys: ['url', 'events'] },
  )
  .chain((value) =>
    value.secret === undefined
      ? fc.constant<Record<string, unknown>>(value)
      : fc.record({ previousSecret: validSecretArb, previousSecretExpiresAt: isoArb }, { requiredKeys: [] }).map((rotation) => ({ ...value, ...rotation })),
  );

/** Hostile values for single fields, laid over a valid value. */
const hostileFieldsArb = fc.record(
  {
    url: fc.oneof(fc.constantFrom('ftp://x.test/', 'not a url', 'http://u:p@hooks.example.test/'), fc.webUrl(), fc.string()),
    events: fc.array(fc.oneof(fc.constantFrom('experiment.failed', ''), fc.string()), { maxLength: 3 }),
    secret: secretArb,
    previousSecret: secretArb,
    previousSecretExpiresAt: fc.string(),
    format: fc.constantFrom('nope', 42),
    headers: fc.dictionary(fc.constantFrom('Host', 'webhook-id', 'Bad Name', 'X-Ok'), fc.string(), { maxKeys: 2 }),
    enabled: fc.constant('yes'),
    timeoutMs: fc.integer({ min: -10, max: 40_000 }),
    colour: fc.string(),
  },
  { requiredKeys: [] },
);

/** A stored subscription value: mostly valid, often with hostile fields laid over, sometimes not JSON at all. */
const subscriptionValueArb = fc.oneof(
  { weight: 6, arbitrary: validValueArb.map((value) => JSON.stringify(value)) },
  { weight: 3, arbitrary: fc.tuple(validValueArb, hostileFieldsArb).map(([value, hostile]) => JSON.stringify({ ...value, ...hostile })) },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.json()) },
);

const subscriptionsArb = fc.dictionary(
  fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/), fc.constantFrom('ops', 'with space', '')),
  subscriptionValueArb,
  { maxKeys: 6 },
);

const dataArb = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });

/** A queue body for record `i`; every kind carries `i` so that what the handler did can be traced back to it. */
function bodyArb(i: number, names: readonly string[]): fc.Arbitrary<string> {
  const envelope = fc.record(
    {
      type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...EVENT_TYPES) }, { weight: 1, arbitrary: fc.string() }),
      id: fc.constant(`evt_${i}`),
      timestamp: fc.oneof({ weight: 4, arbitrary: isoArb }, { weight: 1, arbitrary: fc.string() }),
      data: dataArb,
    },
    { requiredKeys: ['type', 'data'] },
  );
  return fc.oneof(
    { weight: 6, arbitrary: envelope.map((value) => JSON.stringify({ ...value, _record: i })) },
    {
      weight: 3,
      arbitrary: fc
        .record(
          {
            attempt: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constant(0)),
            event: fc.record({ type: fc.constantFrom(...EVENT_TYPES), id: fc.constant(`evt_${i}`), data: dataArb }),
            dueAt: fc.oneof(isoArb, fc.constant('9999-12-31T00:00:00.000Z')),
            deliveries: fc.array(
              fc.record(
                { subscription: fc.oneof(fc.constantFrom(...names, 'deleted'), fc.string()), firstAttemptAt: isoArb, lastError: fc.string() },
                { requiredKeys: ['subscription'] },
              ),
              { maxLength: 3 },
            ),
          },
          { requiredKeys: ['attempt', 'event', 'deliveries'] },
        )
        .map((value) => JSON.stringify({ kind: DELIVERY_KIND, ...value, _record: i })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          event: fc.record({ type: fc.constantFrom(...EVENT_TYPES), id: fc.constant(`evt_${i}`), data: dataArb }),
          subscriptions: fc.array(fc.oneof(fc.constantFrom(...names, 'deleted'), fc.string()), { maxLength: 3 }),
        })
        .map((value) => JSON.stringify({ kind: REDRIVE_KIND, ...value, _record: i })),
    },
    { weight: 2, arbitrary: fc.record({ type: fc.jsonValue(), data: fc.jsonValue() }, { requiredKeys: [] }).map((value) => JSON.stringify({ ...value, _record: i })) },
    { weight: 2, arbitrary: fc.string().map((text) => `#${i}#${text}`) },
    { weight: 1, arbitrary: fc.constant(`#${i}#${OVERSIZED}`) },
  );
}

const resultArb: fc.Arbitrary<AttemptResult | 'throw'> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('response' as const), status: fc.integer({ min: 100, max: 599 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('response' as const), status: fc.constantFrom(301, 410, 429, 503), location: fc.string(), retryAfter: fc.string() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('network-error' as const), code: fc.constantFrom('ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND'), message: fc.string() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refused' as const), rule: fc.constantFrom('loopback 127.0.0.0/8', 'scheme'), message: fc.string({ minLength: 1 }) }) },
  // Violates the sender's contract (it never throws), to show the handler still loses nothing.
  { weight: 1, arbitrary: fc.constant('throw' as const) },
);

const scenarioArb = subscriptionsArb.chain((stored) => {
  const names = Object.keys(stored);
  return fc.record({
    stored: fc.constant(stored),
    bodies: fc.integer({ min: 1, max: 10 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => bodyArb(i, names)))),
    // Which records come from the retry queue (the rest from the events queue, as a publisher could send them).
    fromRetryQueue: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    results: fc.array(resultArb, { minLength: 1, maxLength: 8 }),
    // About one SQS send in ten fails, and SSM is down in about one batch in ten.
    sqsFailures: fc.array(fc.integer({ min: 0, max: 9 }).map((n) => n === 0), { minLength: 1, maxLength: 12 }),
    ssmDown: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    remainingMs: fc.oneof({ weight: 3, arbitrary: fc.constant(900_000) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 40_000 }) }),
    random: fc.double({ min: 0, max: 0.999, noNaN: true }),
  });
});

// ---------------------------------------------------------------- the property

interface Sent {
  readonly request: DeliveryRequest;
  readonly result: AttemptResult | 'throw';
}

function scriptedSender(results: readonly (AttemptResult | 'throw')[]): HttpSender & { readonly sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async send(request) {
      const result = results[sent.length % results.length]!;
      sent.push({ request, result });
      if (result === 'throw') throw new Error('sender bug');
      return result;
    },
  };
}

function recordIndexOfRaw(raw: unknown): number | undefined {
  if (typeof raw === 'string') return Number(/^#(\d+)#/.exec(raw)?.[1] ?? Number.NaN);
  if (typeof raw === 'object' && raw !== null && '_record' in raw) return Number((raw as { _record: unknown })._record);
  return undefined;
}

describe('the handler under hostile input', () => {
  it('never throws out of the batch, never loses a record, and names the reason of every rejection', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        // Prepare
        const parameters: Parameter[] = Object.entries(scenario.stored).map(([name, value]) => ({ Name: `${PATH}/${name}`, Value: value, Type: 'SecureString' }));
        ssm.reset();
        if (scenario.ssmDown) ssm.on(GetParametersByPathCommand).rejects(new Error('ThrottlingException'));
        else ssm.on(GetParametersByPathCommand).resolves({ Parameters: parameters });
        ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => ({ Parameter: parameters.find((p) => p.Name === input.Name) }));
        ssm.on(PutParameterCommand).resolves({});
        let sqsCalls = 0;
        const queue = fakeQueue({ enqueue: () => scenario.sqsFailures[sqsCalls++ % scenario.sqsFailures.length]!, deadLetter: () => scenario.sqsFailures[sqsCalls++ % scenario.sqsFailures.length]! });
        const http = scriptedSender(scenario.results);
        const log = capturingLog();
        const clock = fixedClock();
        const handler = createHandler({
          subscriptions: createSsmSubscriptionSource({ client: ssmClientOfSource, path: PATH, cacheSeconds: 0, clock, log }),
          queue,
          http,
          clock,
          random: () => scenario.random,
          log,
          audit: auditToLog(log),
          metrics: countingMetrics(),
          traffic: trafficControl(),
          config: dispatcherConfig(),
          concurrency: 3,
          retryQueueUrl: RETRY_QUEUE_URL,
        });
        const records: SQSRecord[] = scenario.bodies.map((body, i) =>
          sqsRecord(body.replace(OVERSIZED, 'x'.repeat(256 * 1024)), {
            messageId: `m-${i}`,
            ...(scenario.fromRetryQueue[i] === true && { eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${QUEUE_NAMES.retries}` }),
          }),
        );

        // Act
        const response = await handler({ Records: records }, { getRemainingTimeInMillis: () => scenario.remainingMs } as never);

        // Assess: the batch answer names only records of the batch, each once, each with a logged reason.
        const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
        expect(failed.size).toBe(response.batchItemFailures.length);
        for (const id of failed) {
          expect(records.map((record) => record.messageId)).toContain(id);
          const line = log.lines.find((l) => l.message.startsWith('record not settled') && l.fields?.messageId === id);
          expect(String(line?.fields?.error ?? '')).not.toBe('');
        }

        // Every rejection names its reason.
        for (const record of queue.deadLettered) {
          expect(['exhausted', 'permanent', 'invalid-event']).toContain(record.reason);
          expect(record.error.trim()).not.toBe('');
        }
        const valid: Subscription[] = [];
        const invalidNames: string[] = [];
        for (const [name, value] of Object.entries(scenario.stored)) {
          const parsed = parseSubscription(name, value);
          if (parsed.ok) valid.push(parsed.subscription);
          else invalidNames.push(name);
        }
        for (const line of log.lines.filter((l) => l.message === 'invalid subscription parameter skipped')) {
          expect(invalidNames.map((name) => `${PATH}/${name}`)).toContain(line.fields?.parameter);
          const errors = line.fields?.errors as string[];
          expect(errors.length).toBeGreaterThan(0);
          for (const error of errors) expect(error).toMatch(/^subscription ".*": .*\w/);
        }

        // Nothing is lost: every record not reported failed was settled, every matching subscription of it.
        const index = indexSubscriptions(valid);
        const delivered = new Set(
          http.sent.filter(({ result }) => result !== 'throw' && result.kind === 'response' && result.status >= 200 && result.status < 300).map(({ request }) => request.headers['webhook-id']),
        );
        const enqueued = new Set(queue.enqueued.flatMap(({ message }) => message.deliveries.map((delivery) => deliveryId(message.event.id, delivery.subscription))));
        const deadLettered = new Set(queue.deadLettered.map((record) => record.deliveryId));
        const settled = (id: string) => delivered.has(id) || enqueued.has(id) || deadLettered.has(id);
        records.forEach((record, i) => {
          if (failed.has(record.messageId)) return;
          const message = parseQueueMessage(record.body, { messageId: record.messageId, sentAt: FIXED_NOW });
          const forged = message.kind === 'delivery' && scenario.fromRetryQueue[i] !== true;
          if (message.kind === 'invalid' || forged) {
            const dead = queue.deadLettered.filter((d) => d.reason === 'invalid-event' && recordIndexOfRaw(d.event) === i);
            expect(dead).toHaveLength(1);
            if (message.kind === 'invalid') expect(dead[0]!.error).toBe(message.error);
            else expect(http.sent.some(({ request }) => request.headers['webhook-id'] === deliveryId(message.delivery.event.id, message.delivery.deliveries[0]?.subscription ?? ''))).toBe(false);
          } else if (message.kind === 'event') {
            const matching = index.forType(message.event.type);
            if (matching.length === 0) {
              expect(log.lines.some((l) => l.message === 'no subscription matches the event' && l.fields?.eventId === message.event.id)).toBe(true);
            }
            for (const subscription of matching) expect(settled(deliveryId(message.event.id, subscription.name))).toBe(true);
          } else if (message.kind === 'delivery' && message.delivery.dueAt === '9999-12-31T00:00:00.000Z') {
            expect(queue.deadLettered.filter((d) => d.reason === 'invalid-event' && recordIndexOfRaw(d.event) === i)).toHaveLength(1);
          } else {
            const { event, names } = message.kind === 'delivery'
              ? { event: message.delivery.event, names: message.delivery.deliveries.map((delivery) => delivery.subscription) }
              : { event: message.redrive.event, names: message.redrive.subscriptions };
            for (const subscription of names) {
              const id = deliveryId(event.id, subscription);
              const dropped = log.lines.some((l) => l.fields?.outcome === 'dropped' && l.fields?.deliveryId === id);
              expect(dropped || settled(id)).toBe(true);
            }
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});
