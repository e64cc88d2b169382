import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyPut } from '../../local/apply-put';
import type { PutParameterInput } from '../../local/apply-put';
import { ParameterDataFile } from '../../local/parameter-data-file';
import type { ParameterStore } from '../../local/parameter-store';
import { startLocalStack } from '../../local/local-stack';

/** The local stack as the soak uses it. */
export interface SoakStack {
  /** The one loopback endpoint serving SQS (fauxqs) and SSM (the Parameter Store stand-in). */
  readonly endpoint: string;
  /** The Parameter Store's state, for throttling bursts, its read quota and its request counts. */
  readonly store: ParameterStore;
  stop(): Promise<void>;
}

/**
 * Starts the local stack (`npm start`'s) on free loopback ports with a throw-away data directory,
 * its Parameter Store holding `parameters` from the start: they are written to its data file in one
 * go, by the stand-in's own PutParameter rules, because the stand-in rewrites that file on every
 * PutParameter and a scale run stores thousands. The soak creates its own queues on the stack
 * (`createSoakQueues`), so the stack's own event source, which polls `platform-webhooks-events`,
 * stays idle and every consumer is a soak worker.
 */
export async function startSoakStack(parameters: readonly PutParameterInput[]): Promise<SoakStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'platform-webhooks-soak-'));
  try {
    const now = Date.now();
    await new ParameterDataFile(path.join(dataDir, 'parameters.json')).save(parameters.map((input) => applyPut(undefined, input, now)));
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
