import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FauxqsModule } from '../../local/load-fauxqs';
import { startLocalStack } from '../../local/local-stack';
import type { LocalStack, LocalStackOptions } from '../../local/local-stack';
import { importEsm } from './import-esm';

const dataDirs: string[] = [];

/** A fresh temporary data directory, removed by {@link removeDataDirs}. */
export async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'local-stack-'));
  dataDirs.push(dir);
  return dir;
}

export async function removeDataDirs(): Promise<void> {
  await Promise.all(dataDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/**
 * `startLocalStack` for a jest test: free ports, a fresh data directory, an empty environment (the
 * function's defaults), and fauxqs loaded natively (see {@link importEsm}); override any option.
 */
export async function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const loadFauxqs = (): Promise<FauxqsModule> => importEsm<FauxqsModule>('fauxqs');
  return startLocalStack({ port: 0, receiverPort: 0, dataDir: await dataDir(), loadFauxqs, env: {}, ...options });
}

/** Resolves with `read()` once it holds `count` items; rejects after `timeoutMs`. */
export async function waitFor<T>(read: () => T[], count: number, what: string, timeoutMs = 15_000): Promise<T[]> {
  const until = Date.now() + timeoutMs;
  while (read().length < count) {
    if (Date.now() > until) throw new Error(`expected ${count} ${what}, got ${read().length}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return read();
}
