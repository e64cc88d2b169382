import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { PortInUseError } from '../../local/local-stack-errors';
import { secret } from '../support/factories';
import { freePort, holdPort, portOf, release } from './held-port';
import { dataDir, removeDataDirs, startTestStack } from './test-stack';

const PATH = '/platform-webhooks/subscriptions';
const region = 'us-east-1';

afterAll(removeDataDirs);

describe('startLocalStack, starting and stopping', () => {
  it('keeps subscriptions across a restart with the same data directory', async () => {
    // Prepare
    const dir = await dataDir();
    const first = await startTestStack({ dataDir: dir });
    const value = JSON.stringify({ url: 'http://127.0.0.1:9/kept', events: ['*'], secret: secret() });
    await new SSMClient({ endpoint: first.endpoint, region }).send(new PutParameterCommand({ Name: `${PATH}/kept`, Type: 'SecureString', Value: value }));
    await first.stop();

    // Act
    const second = await startTestStack({ dataDir: dir });
    try {
      const { Parameter: parameter } = await new SSMClient({ endpoint: second.endpoint, region }).send(
        new GetParameterCommand({ Name: `${PATH}/kept`, WithDecryption: true }),
      );

      // Assess
      expect(parameter).toMatchObject({ Type: 'SecureString', Value: value });
    } finally {
      await second.stop();
    }
  });

  it('stops within the poll wait, idempotently, and frees its ports', async () => {
    // Prepare
    const stack = await startTestStack();
    const ports = { port: Number(new URL(stack.endpoint).port), receiverPort: Number(new URL(stack.receiverUrl).port) };

    // Act
    const startedAt = Date.now();
    const stopping = stack.stop();
    await Promise.all([stopping, stack.stop()]);
    const tookMs = Date.now() - startedAt;

    // Assess
    expect(tookMs).toBeLessThan(3000);
    expect(stack.stop()).toBe(stopping);
    const again = await startTestStack(ports);
    await again.stop();
  });

  it('fails with PortInUseError when the endpoint port is taken', async () => {
    // Prepare
    const held = await holdPort();
    try {
      // Act
      const starting = startTestStack({ port: portOf(held) });

      // Assess
      await expect(starting).rejects.toThrow(PortInUseError);
      await expect(starting).rejects.toMatchObject({ message: `port ${portOf(held)} is already in use`, server: 'endpoint' });
    } finally {
      await release(held);
    }
  });

  it('fails with PortInUseError when the receiver port is taken, and releases the endpoint port', async () => {
    // Prepare
    const held = await holdPort();
    const endpointPort = await freePort();
    try {
      // Act
      const starting = startTestStack({ port: endpointPort, receiverPort: portOf(held) });

      // Assess
      await expect(starting).rejects.toMatchObject({ name: 'PortInUseError', server: 'receiver' });
      const again = await startTestStack({ port: endpointPort });
      await again.stop();
    } finally {
      await release(held);
    }
  });
});
