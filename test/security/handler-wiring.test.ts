/**
 * The handler builds its sender behind the target guard from the configuration (docs/design.md §5, §6):
 * the real handler over fauxqs and the Parameter Store stand-in, with a loopback receiver that
 * the default configuration must refuse.
 */
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig } from '../../lambda/config';
import { ConfigurationError } from '../../lambda/core/errors';
import type { ParameterStoreServer } from '../../local/parameter-store-server';
import { handlerHarness, startPeers } from '../support/handler-harness';
import type { Peers } from '../support/handler-harness';
import { createQueues, drain, send } from '../support/queues';
import type { Receiver } from '../support/receiver';
import { installLoopbackTripwire } from './support/loopback-tripwire';

let peers: Peers;
let receiver: Receiver;
let ssmServer: ParameterStoreServer;
let ssm: SSMClient;
let sqs: SQSClient;
let tripwire: ReturnType<typeof installLoopbackTripwire>;
let testNumber = 0;

beforeAll(async () => {
  tripwire = installLoopbackTripwire();
  peers = await startPeers();
  ({ receiver, ssmServer, ssm, sqs } = peers);
});

afterAll(async () => {
  await peers.close();
  tripwire.uninstall();
});

afterEach(() => {
  expect(tripwire.violations).toEqual([]);
});

/** Subscribes `url` under a fresh path, publishes one event and runs one poll with the given environment. */
async function deliver(url: string, env: Record<string, string>) {
  const path = `/platform-webhooks/wiring-${++testNumber}`;
  await ssm.send(new PutParameterCommand({ Name: `${path}/target`, Value: JSON.stringify({ url, events: ['*'] }), Type: 'String' }));
  const queues = await createQueues(sqs, 'wiring');
  const harness = handlerHarness({ sqs, ssm, ...queues, env: { SUBSCRIPTIONS_PATH: path, ...env } });
  await send(sqs, queues.queueUrl, { type: 'groups.failed', id: `evt_wiring_${testNumber}`, data: {} });
  const poll = await harness.poller.pollOnce();
  harness.close();
  const deadLetters = (await drain(sqs, queues.dlqUrl, 1)).map((message) => JSON.parse(message.Body ?? '{}') as Record<string, unknown>);
  return { poll, deadLetters };
}

describe('the handler wires the target guard from its configuration', () => {
  it('refuses a loopback target by default, dead-lettering the delivery with the rule and never connecting', async () => {
    // Act
    const { poll, deadLetters } = await deliver(receiver.url('/default'), { ALLOW_PRIVATE_TARGETS: 'false' });

    // Assess
    expect(poll).toEqual({ received: 1, failed: 0 });
    expect(deadLetters).toEqual([
      expect.objectContaining({
        reason: 'permanent',
        subscription: 'target',
        attempts: 1,
        error: 'refused: 127.0.0.1 is loopback (rule: loopback 127.0.0.0/8)',
      }),
    ]);
    expect(receiver.requests('/default')).toEqual([]);
  });

  it('delivers to a target inside ALLOWED_TARGET_CIDRS', async () => {
    // Act
    const { deadLetters } = await deliver(receiver.url('/cidr'), { ALLOW_PRIVATE_TARGETS: 'false', ALLOWED_TARGET_CIDRS: '10.0.0.0/8, 127.0.0.1/32' });

    // Assess
    expect(deadLetters).toEqual([]);
    expect(receiver.requests('/cidr')).toHaveLength(1);
  });

  it('delivers to a loopback target with ALLOW_PRIVATE_TARGETS=true', async () => {
    // Act
    const { deadLetters } = await deliver(receiver.url('/private'), { ALLOW_PRIVATE_TARGETS: 'true' });

    // Assess
    expect(deadLetters).toEqual([]);
    expect(receiver.requests('/private')).toHaveLength(1);
  });

  it('keeps loopback refused with ALLOW_PRIVATE_NETWORK_TARGETS=true, which opens private networks only', async () => {
    // Act
    const { deadLetters } = await deliver(receiver.url('/private-network'), { ALLOW_PRIVATE_TARGETS: 'false', ALLOW_PRIVATE_NETWORK_TARGETS: 'true' });

    // Assess
    expect(deadLetters).toEqual([expect.objectContaining({ reason: 'permanent', error: 'refused: 127.0.0.1 is loopback (rule: loopback 127.0.0.0/8)' })]);
    expect(receiver.requests('/private-network')).toEqual([]);
  });

  it('refuses to start on an ALLOWED_TARGET_CIDRS entry that is not a CIDR block, naming it', () => {
    // Act
    const load = () => loadConfig({ QUEUE_URL: 'q', RETRY_QUEUE_URL: 'r', DLQ_URL: 'd', ALLOWED_TARGET_CIDRS: '10.0.0.0/8,10.0.0.1/8' });

    // Assess
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(
      'invalid configuration: ALLOWED_TARGET_CIDRS: entry 2 "10.0.0.1/8" has host bits set after the /8 prefix; did you mean 10.0.0.0/8?',
    );
  });

  it('keeps ALLOWED_TARGET_CIDRS in canonical form', () => {
    // Act
    const config = loadConfig({ QUEUE_URL: 'q', RETRY_QUEUE_URL: 'r', DLQ_URL: 'd', ALLOWED_TARGET_CIDRS: ' 10.0.0.0/8 ,FD00:0::/8, 192.168.1.10 ' });

    // Assess
    expect(config.allowedTargetCidrs).toEqual(['10.0.0.0/8', 'fd00::/8', '192.168.1.10/32']);
  });
});
