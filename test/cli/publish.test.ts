import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drain } from '../support/queues';
import { useCliHarness } from '../support/cli-harness';

const cli = useCliHarness();

async function published(): Promise<Array<{ messageId: string; body: unknown }>> {
  return (await drain(cli.sqs, cli.queueUrl)).map((message) => ({ messageId: message.MessageId ?? '', body: JSON.parse(message.Body ?? '') as unknown }));
}

describe('webhooks publish', () => {
  it('sends the envelope of docs/design.md §1 and prints the message id', async () => {
    // Act
    const result = await cli.run(['publish', 'experiments.succeeded', '--data', '{"experiment":{"id":42}}', '--id', 'evt_42', '--timestamp', '2026-11-27T10:00:00.000Z']);

    // Assess
    expect(result.code).toBe(0);
    const [message] = await published();
    expect(message?.body).toEqual({ type: 'experiments.succeeded', id: 'evt_42', timestamp: '2026-11-27T10:00:00.000Z', data: { experiment: { id: 42 } } });
    expect(result.stdout).toBe(`Published experiments.succeeded (message ${message?.messageId}, event id evt_42).\n`);
  });

  it('reads --data @file relative to the working directory and prints JSON', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'webhooks-publish-'));
    await writeFile(join(dir, 'job.json'), '{"job":{"id":7,"status":"failed"}}');

    // Act
    const result = await cli.run(['publish', 'jobs.failed', '--data', '@job.json', '--json'], { cwd: dir });

    // Assess
    expect(result.code).toBe(0);
    const [message] = await published();
    expect(message?.body).toEqual({ type: 'jobs.failed', data: { job: { id: 7, status: 'failed' } } });
    expect(result.json()).toEqual({ messageId: message?.messageId, eventId: message?.messageId, type: 'jobs.failed' });
  });

  it.each([
    [['publish', 'experiment.succeeded', '--data', '{}'], 1, 'error: event type "experiment.succeeded" is not in the catalogue; did you mean "experiments.succeeded"?'],
    [['publish', 'jobs.failed', '--data', '[1]'], 1, 'error: event "data" must be a JSON object, got an array'],
    [['publish', 'jobs.failed', '--data', '{}', '--timestamp', 'yesterday'], 1, 'error: event "timestamp" must be an ISO-8601 date-time, got "yesterday"'],
    [['publish', 'jobs.failed', '--data', '{oops'], 2, /^error: --data is not valid JSON \(.*\); pass a JSON object such as/],
    [['publish', 'jobs.failed', '--data', '@missing.json'], 2, 'error: cannot read --data file missing.json (ENOENT); check the path'],
    [['publish', 'jobs.failed'], 2, /^error: required option '--data <json>' not specified/],
  ])('refuses %j with one line and exit %i, sending nothing', async (args, code, message) => {
    // Act
    const result = await cli.run(args);

    // Assess
    expect(result.code).toBe(code);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    if (typeof message === 'string') expect(result.stderr.trimEnd()).toBe(message);
    else expect(result.stderr).toMatch(message);
    expect(await published()).toEqual([]);
  });

  it('says how to name the queue when none is given', async () => {
    // Act
    const result = await cli.run(['publish', 'jobs.failed', '--data', '{}'], { env: { WEBHOOKS_QUEUE_URL: '' } });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: no events queue given; pass --queue-url, set WEBHOOKS_QUEUE_URL, name the deployed stack with --stack, or point --endpoint-url at the local stack\n');
  });
});
