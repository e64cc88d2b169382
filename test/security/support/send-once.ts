/**
 * Child-process entry for the TLS test: Node reads NODE_EXTRA_CA_CERTS only at start, so trusting
 * a test CA needs a fresh process. Run as `node --import tsx send-once.ts '<json>'` with
 * `{ urls, allowedCidrs, names }`; builds the real sender behind a guard opened for `allowedCidrs`,
 * sends one POST to each URL in turn and prints the results as JSON on stdout.
 */
import { createHttpSender } from '../../../lambda/adapters/http-sender';
import { createTargetGuard } from '../../../lambda/adapters/target-guard';
import type { AttemptResult } from '../../../lambda/core/delivery/outcome';
import { fakeResolver } from './fake-resolver';

interface SendOnceInput {
  readonly urls: readonly string[];
  readonly allowedCidrs: readonly string[];
  readonly names: Readonly<Record<string, readonly string[]>>;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as SendOnceInput;
  const sender = createHttpSender({ maxSockets: 1, guard: createTargetGuard({ allowedCidrs: input.allowedCidrs, resolve: fakeResolver(input.names) }) });
  const results: AttemptResult[] = [];
  for (const url of input.urls) {
    results.push(await sender.send({ url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 3000 }));
  }
  sender.close();
  process.stdout.write(JSON.stringify(results));
}

void main();
