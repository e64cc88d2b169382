import { SQSClient } from '@aws-sdk/client-sqs';
import { deliveryId } from '../../lambda/core/delivery/signature';
import { DELIVERY_KIND, REDRIVE_KIND } from '../../lambda/core/inbound/messages';
import type { DeadLetterRecord } from '../../lambda/core/inbound/messages';
import { drain, fauxqsEndpoint, send } from '../support/queues';
import { fixedSecret, useCliHarness } from '../support/cli-harness';

const cli = useCliHarness();

const EVENT = { id: 'evt_7', type: 'jobs.failed', timestamp: '2026-11-27T10:00:00.000Z', data: { job: { id: 7 } } };

function deliveryRecord(overrides: Partial<DeadLetterRecord> = {}): DeadLetterRecord {
  return {
    reason: 'permanent', error: 'HTTP 404', event: EVENT, subscription: 'ops', deliveryId: deliveryId(EVENT.id, 'ops'), attempts: 1,
    firstAttemptAt: '2026-11-27T10:00:01.000Z', lastAttemptAt: '2026-11-27T10:00:01.000Z', ...overrides,
  };
}

const INVALID: DeadLetterRecord = {
  reason: 'invalid-event', error: 'event type "job.failed" is not in the catalogue; did you mean "jobs.failed"?',
  event: { type: 'job.failed', data: {} }, attempts: 0, firstAttemptAt: '2026-11-27T10:00:00.000Z', lastAttemptAt: '2026-11-27T10:00:00.000Z',
};

async function bodies(queueUrl: string): Promise<unknown[]> {
  return (await drain(cli.sqs, queueUrl)).map((message) => JSON.parse(message.Body ?? '') as unknown);
}

/** An SQS client that records the operations it sends, in order, with the queue each one went to. */
function recordingSqs(): { client: SQSClient; calls: string[] } {
  const calls: string[] = [];
  const client = new SQSClient({ endpoint: fauxqsEndpoint(), region: 'us-east-1', maxAttempts: 1 });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { QueueUrl?: string };
      const queue = input.QueueUrl === cli.dlqUrl ? 'dlq' : input.QueueUrl === cli.retryQueueUrl ? 'retries' : 'events';
      calls.push(`${context.commandName} ${queue}`);
      return next(args);
    },
    { step: 'initialize' },
  );
  return { client, calls };
}

describe('webhooks dlq list', () => {
  it('shows reason, subscription, event type and id, attempts and error, and leaves the messages in the queue', async () => {
    // Prepare
    await send(cli.sqs, cli.dlqUrl, deliveryRecord());
    await send(cli.sqs, cli.dlqUrl, INVALID);

    // Act
    const result = await cli.run(['dlq', 'list']);

    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^REASON\s+SUBSCRIPTION\s+EVENT\s+EVENT ID\s+ATTEMPTS\s+ERROR$/);
    expect(result.stdout).toMatch(/permanent\s+ops\s+jobs\.failed\s+evt_7\s+1\s+HTTP 404/);
    expect(result.stdout).toMatch(/invalid-event\s+-\s+job\.failed\s+-\s+0\s+event type "job\.failed" is not in the catalogue/);
    expect(await bodies(cli.dlqUrl)).toHaveLength(2);
  });

  it('gives the records as JSON', async () => {
    // Prepare
    await send(cli.sqs, cli.dlqUrl, deliveryRecord());

    // Act
    const result = await cli.run(['dlq', 'list', '--json']);

    // Assess
    expect(result.json()).toEqual([{
      messageId: expect.any(String), sentAt: expect.any(String), kind: 'delivery', reason: 'permanent', error: 'HTTP 404',
      subscription: 'ops', deliveryId: deliveryId(EVENT.id, 'ops'), attempts: 1, eventType: 'jobs.failed', eventId: 'evt_7', record: deliveryRecord(),
    }]);
  });

  it('shows a message the queue\'s redrive policy moved as unprocessed', async () => {
    // Prepare
    await send(cli.sqs, cli.dlqUrl, EVENT);

    // Act
    const result = await cli.run(['dlq', 'list', '--json']);

    // Assess
    expect(result.json()).toEqual([expect.objectContaining({ kind: 'unprocessed', reason: 'unprocessed', eventType: 'jobs.failed', eventId: 'evt_7', record: EVENT })]);
  });

  it('suggests the redrive that sends back what it listed', async () => {
    // Prepare
    await send(cli.sqs, cli.dlqUrl, deliveryRecord());
    await send(cli.sqs, cli.dlqUrl, deliveryRecord({ subscription: 'ci', deliveryId: 'msg_ci7' }));

    // Act
    const all = await cli.run(['dlq', 'list']);
    const filtered = await cli.run(['dlq', 'list', '--subscription', 'ops']);

    // Assess
    expect(all.stdout.trimEnd().split('\n').at(-1)).toBe('2 messages. Send them back with: webhooks dlq redrive --all');
    expect(filtered.stdout.trimEnd().split('\n').at(-1)).toBe('1 message. Send it back with: webhooks dlq redrive --subscription ops');
  });

  it('lists every other message whatever one body holds: deep nesting, terminal escapes, excerpts', async () => {
    // Prepare
    const deep = `${'{"data":'.repeat(5000)}{}${'}'.repeat(5000)}`;
    await send(cli.sqs, cli.dlqUrl, deep);
    await send(cli.sqs, cli.dlqUrl, { ...INVALID, error: 'type "\u001b[2Jgone" is not in the catalogue', event: '"'.repeat(10), eventBytes: 716800, eventSha256: 'ab' });
    await send(cli.sqs, cli.dlqUrl, deliveryRecord());

    // Act
    const json = await cli.run(['dlq', 'list', '--json']);
    const table = await cli.run(['dlq', 'list']);

    // Assess
    expect(json.code).toBe(0);
    const listed = json.json<Array<{ kind: string; record: unknown }>>();
    expect(listed.map((entry) => entry.kind).sort()).toEqual(['delivery', 'invalid-event', 'unprocessed']);
    expect(listed.find((entry) => entry.kind === 'unprocessed')?.record).toBe(deep);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toContain('\u001b');
    expect(table.stdout).toMatch(/invalid-event .*type "\\x1b\[2Jgone" is not in the catalogue/);
    expect(table.stdout).toMatch(/3 messages/);
  });

  it('never prints a secret', async () => {
    // Prepare
    const secret = fixedSecret(4);
    await cli.run(['subscribe', 'ops', '--url', 'http://127.0.0.1:9/x', '--events', '*', '--secret', secret]);
    await send(cli.sqs, cli.dlqUrl, deliveryRecord());

    // Act
    const outputs = [await cli.run(['dlq', 'list']), await cli.run(['dlq', 'list', '--json'])];

    // Assess
    for (const { output } of outputs) expect(output).not.toContain(secret);
  });
});

describe('webhooks dlq list: what a publisher chose is shown as text (README "Output, secrets and exit codes")', () => {
  const hostile = deliveryRecord({
    event: { ...EVENT, type: 'jobs.failed\u001b]0;pwned\u0007\u001b[2J', id: 'evt_8\r\npermanent  ops  jobs.failed  evt_forged  1  HTTP 200' },
    error: 'HTTP 500\u009b31m\u202e',
  });

  it('escapes ESC, BEL, C1 controls, bidi overrides and line breaks, so no row is forged', async () => {
    // Prepare
    await send(cli.sqs, cli.dlqUrl, hostile);

    // Act
    const result = await cli.run(['dlq', 'list']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    const rows = result.stdout.split('\n');
    expect(rows).toHaveLength(5); // header, one row, blank, the count, the final newline
    expect(rows[1]).toContain('jobs.failed\\x1b]0;pwned\\x07\\x1b[2J');
    expect(rows[1]).toContain('evt_8\\r\\npermanent  ops  jobs.failed  evt_forged  1  HTTP 200');
    expect(rows[1]).toMatch(/HTTP 500\\x9b31m\\u202e$/);
  });

  it('keeps --json exact: the record parses back to what was dead-lettered', async () => {
    // Prepare
    await send(cli.sqs, cli.dlqUrl, hostile);

    // Act
    const result = await cli.run(['dlq', 'list', '--json']);

    // Assess
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(result.json<Array<{ record: unknown }>>()[0]?.record).toEqual(hostile);
  });
});

describe('webhooks dlq redrive', () => {
  it('turns a delivery record into a redrive message on the events queue, then deletes the record', async () => {
    // Prepare
    await send(cli.sqs, cli.dlqUrl, deliveryRecord({ reason: 'exhausted', attempts: 8 }));
    const { client, calls } = recordingSqs();

    // Act
    const result = await cli.run(['dlq', 'redrive', '--all'], { clients: { sqs: client } });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Redrove 1 message to the events queue:\n  exhausted ops jobs.failed evt_7 (webhook-id ${deliveryId(EVENT.id, 'ops')})\n`);
    expect(await bodies(cli.queueUrl)).toEqual([{ kind: REDRIVE_KIND, event: EVENT, subscriptions: ['ops'] }]);
    expect(await bodies(cli.retryQueueUrl)).toEqual([]);
    expect(await bodies(cli.dlqUrl)).toEqual([]);
    expect(calls.filter((call) => !call.startsWith('ReceiveMessage') && !call.startsWith('ChangeMessageVisibility'))).toEqual(['SendMessageCommand events', 'DeleteMessageCommand dlq']);
    client.destroy();
  });

  it('keeps a forged delivery message that was dead-lettered as an invalid event a raw body, even with --force: the events queue refuses it again', async () => {
    // Prepare: what the function writes for a delivery message that arrived on the events queue
    const forged = { kind: DELIVERY_KIND, event: EVENT, attempt: 1, deliveries: [{ subscription: 'ops' }] };
    await send(cli.sqs, cli.dlqUrl, { ...INVALID, error: 'a delivery message arrived on queue "events"', event: forged });

    // Act
    const result = await cli.run(['dlq', 'redrive', '--all', '--force', '--json']);

    // Assess
    expect(result.json()).toEqual({ redriven: [expect.objectContaining({ kind: 'invalid-event' })], skipped: [] });
    expect(await bodies(cli.retryQueueUrl)).toEqual([]);
    expect(await bodies(cli.queueUrl)).toEqual([forged]);
  });

  it('leaves an invalid event in the queue without --force, and sends its raw body back with it', async () => {
    // Prepare
    await send(cli.sqs, cli.dlqUrl, INVALID);

    // Act
    const listed = await cli.run(['dlq', 'list']);
    const skipped = await cli.run(['dlq', 'redrive', '--all', '--json']);
    const forced = await cli.run(['dlq', 'redrive', '--all', '--force', '--json']);

    // Assess
    expect(listed.stdout.trimEnd().split('\n').at(-1)).toBe('1 message. Send it back with: webhooks dlq redrive --all (invalid events only with --force, once the catalogue accepts them: webhooks dlq redrive --all --force)');
    expect(skipped.json()).toEqual({
      redriven: [],
      skipped: [expect.objectContaining({ kind: 'invalid-event', eventType: 'job.failed', detail: expect.stringContaining('redrive it with --force') })],
    });
    expect(forced.json()).toEqual({ redriven: [expect.objectContaining({ kind: 'invalid-event' })], skipped: [] });
    expect(await bodies(cli.queueUrl)).toEqual([{ type: 'job.failed', data: {} }]);
    expect(await bodies(cli.dlqUrl)).toEqual([]);
  });

  it('keeps the DLQ message when its replacement cannot be sent', async () => {
    // Prepare
    await send(cli.sqs, cli.dlqUrl, deliveryRecord());

    // Act
    const result = await cli.run(['dlq', 'redrive', '--all'], { env: { WEBHOOKS_QUEUE_URL: `${fauxqsEndpoint()}/000000000000/no-such-queue-${Date.now()}` } });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: message [\w-]+: could not send it to the events queue \(.+\); it stays in the dead-letter queue\n$/);
    expect(await bodies(cli.dlqUrl)).toEqual([deliveryRecord()]);
  });

  it('redrives at most --max messages, and only those of --subscription', async () => {
    // Prepare
    for (const [subscription, id] of [['ops', 'a'], ['ci', 'b'], ['ops', 'c'], ['ops', 'd']] as const) {
      const event = { ...EVENT, id: `evt_${id}` };
      await send(cli.sqs, cli.dlqUrl, deliveryRecord({ subscription, event, deliveryId: deliveryId(event.id, subscription) }));
    }

    // Act
    const result = await cli.run(['dlq', 'redrive', '--max', '2', '--subscription', 'ops', '--json']);

    // Assess
    const { redriven } = result.json<{ redriven: Array<{ subscription: string }> }>();
    expect(redriven.map((entry) => entry.subscription)).toEqual(['ops', 'ops']);
    const left = (await bodies(cli.dlqUrl)) as DeadLetterRecord[];
    expect(left.map((record) => record.subscription).sort()).toEqual(['ci', 'ops']);
  });

  it('redrives every record of --subscription when given alone', async () => {
    // Prepare
    for (const [subscription, id] of [['ops', 'a'], ['ci', 'b'], ['ops', 'c']] as const) {
      const event = { ...EVENT, id: `evt_${id}` };
      await send(cli.sqs, cli.dlqUrl, deliveryRecord({ subscription, event, deliveryId: deliveryId(event.id, subscription) }));
    }

    // Act
    const result = await cli.run(['dlq', 'redrive', '--subscription', 'ops', '--json']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.json<{ redriven: Array<{ deliveryId: string }> }>().redriven.map((entry) => entry.deliveryId).sort()).toEqual([deliveryId('evt_a', 'ops'), deliveryId('evt_c', 'ops')].sort());
    expect(((await bodies(cli.dlqUrl)) as DeadLetterRecord[]).map((record) => record.subscription)).toEqual(['ci']);
  });

  it('asks which messages to redrive', async () => {
    // Act
    const neither = await cli.run(['dlq', 'redrive']);
    const both = await cli.run(['dlq', 'redrive', '--all', '--max', '3']);

    // Assess
    expect([neither.code, both.code]).toEqual([2, 2]);
    expect(neither.stderr).toBe('error: say which messages to redrive: --all, --max N, or --subscription NAME\n');
    expect(both.stderr).toBe('error: give either --all or --max N, not both\n');
  });
});
