import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ParameterStore } from '../../local/parameter-store';
import { startLocalStack } from '../../local/local-stack';

/** The local stack as the soak uses it. */
export interface SoakStack {
  /** The one loopback endpoint serving SQS (fauxqs) and SSM (the Parameter Store stand-in). */
  readonly endpoint: string;
  /** The Parameter Store's state, for throttling bursts. */
  readonly store: ParameterStore;
  stop(): Promise<void>;
}

/**
 * Starts the local stack (`npm start`'s) on free loopback ports with a throw-away data directory.
 * The soak creates its own queues on it (`createSoakQueues`), so the stack's own event source,
 * which polls `platform-webhooks-events`, stays idle and every consumer is a soak worker.
 */
export async function startSoakStack(): Promise<SoakStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'platform-webhooks-soak-'));
  try {
    const stack = await startLocalStack({ port: 0, receiverPort: 0, dataDir, env: {} });
    return {
      endpoint: stack.endpoint,
      store: stack.store,
      async stop() {
        await stack.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
