/**
 * The delivery history end to end: the real handler run by the local stack writes its audit lines
 * to the CloudWatch Logs stand-in, and `webhooks deliveries`, pointed at the stack's endpoint as an
 * operator would, finds a delivered, a retried and a dead-lettered attempt by each filter.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';

import type { DeliveryRecord } from '../../cli/delivery-record';
import { run } from '../../cli/program';
import type { LocalStack } from '../../local/local-stack';
import { removeDataDirs, startTestStack } from '../local/test-stack';
import { cleanEnv } from '../support/cli-harness';
import { publishedEvent } from '../support/factories';
import { startReceiver } from '../support/receiver';
import type { Receiver } from '../support/receiver';

const EVENT_ID = 'evt_history_e2e';

let stack: LocalStack;
let receiver: Receiver;

/** `webhooks deliveries ARGS --json` against the stack, as an operator runs it locally. */
async function deliveries(...args: string[]): Promise<DeliveryRecord[]> {
  let stdout = '';
  let stderr = '';
  const code = await run(['--endpoint-url', stack.endpoint, 'deliveries', '--json', ...args], { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env: cleanEnv() });
  if (code !== 0) throw new Error(`webhooks deliveries exited ${code}: ${stderr}`);
  return JSON.parse(stdout) as DeliveryRecord[];
}

const steps = (records: readonly DeliveryRecord[]): string[] => records.map((record) => `${record.subscription}#${record.attempt} ${record.outcome}${record.status === null ? '' : ` ${record.status}`}`);

beforeAll(async () => {
  // Two attempts a second apart, so a delivery that keeps failing is dead-lettered within the test.
  stack = await startTestStack({ env: { RETRY_SCHEDULE: '1s' } });
  receiver = await startReceiver();
  receiver.script('/ok', { status: 200 });
  receiver.script('/flaky', { status: 503 }, { status: 200 });
  receiver.script('/down', { status: 503 });
  for (const name of ['ok', 'flaky', 'down']) {
    const value = JSON.stringify({ url: receiver.url(`/${name}`), events: ['experiments.*'] });
    await stack.clients.ssm.send(new PutParameterCommand({ Name: `${stack.config.subscriptionsPath}/${name}`, Type: 'String', Value: value }));
  }
  await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: JSON.stringify(publishedEvent({ id: EVENT_ID, type: 'experiments.succeeded' })) }));
  // The five steps: ok delivered; flaky retried, then delivered; down retried, then dead-lettered.
  const until = Date.now() + 60_000;
  while ((await deliveries('--event', EVENT_ID)).length < 5) {
    if (Date.now() > until) throw new Error(`expected 5 audit lines of ${EVENT_ID}, got ${steps(await deliveries('--event', EVENT_ID)).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
  await removeDataDirs();
});

describe('webhooks deliveries against the local stack', () => {
  it('finds every step of an event\'s deliveries by --event, newest first, each attempt with its own line', async () => {
    // Act
    const records = await deliveries('--event', EVENT_ID);

    // Assess
    expect(steps(records).sort()).toEqual(['down#1 retry 503', 'down#2 dead-lettered 503', 'flaky#1 retry 503', 'flaky#2 delivered 200', 'ok#1 delivered 200']);
    expect(records.map((record) => record.time)).toEqual([...records.map((record) => record.time)].sort().reverse());
    expect(records.every((record) => record.eventType === 'experiments.succeeded' && record.deliveryId?.startsWith('msg_'))).toBe(true);
    expect(records.find((record) => record.outcome === 'dead-lettered')).toMatchObject({ reason: 'exhausted', error: 'HTTP 503', url: receiver.url('/down') });
  });

  it.each([
    ['a delivered one by --subscription', ['--subscription', 'ok'], ['ok#1 delivered 200']],
    ['a retried one by --subscription', ['--subscription', 'flaky'], ['flaky#2 delivered 200', 'flaky#1 retry 503']],
    ['a dead-lettered one by --subscription', ['--subscription', 'down'], ['down#2 dead-lettered 503', 'down#1 retry 503']],
    ['the retries by --outcome', ['--event', EVENT_ID, '--outcome', 'retry'], ['down#1 retry 503', 'flaky#1 retry 503']],
    ['the dead letter by --outcome', ['--outcome', 'dead-lettered'], ['down#2 dead-lettered 503']],
    ['the deliveries by --outcome', ['--event', EVENT_ID, '--outcome', 'delivered'], ['flaky#2 delivered 200', 'ok#1 delivered 200']],
    ['all of them by --since', ['--since', '10m'], ['down#1 retry 503', 'down#2 dead-lettered 503', 'flaky#1 retry 503', 'flaky#2 delivered 200', 'ok#1 delivered 200']],
  ])('finds %s', async (_case, args, expected) => {
    // Act
    const records = await deliveries(...args);

    // Assess: attempts of one subscription come newest first; those of different ones may share a millisecond
    expect([...steps(records)].sort()).toEqual([...expected].sort());
    expect(records.map((record) => record.time)).toEqual([...records.map((record) => record.time)].sort().reverse());
    if (args.includes('--subscription')) expect(steps(records)).toEqual(expected);
  });

  it('keeps to the newest by --limit', async () => {
    // Act
    const all = await deliveries('--event', EVENT_ID);
    const newest = await deliveries('--event', EVENT_ID, '--limit', '2');

    // Assess
    expect(newest).toEqual(all.slice(0, 2));
  });
});
