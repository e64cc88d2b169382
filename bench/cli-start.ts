import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startLocalStack } from '../local/local-stack';
import type { BenchContext } from './bench-context';
import { quantile } from './workload';

/** One command line timed from spawn to exit. */
export interface CliStartRow {
  readonly subject: string;
  readonly medianMs: number;
  readonly p90Ms: number;
}

export interface CliStartResult {
  readonly runs: number;
  /** `node -e ''` first: the floor every row is read against. */
  readonly rows: CliStartRow[];
}

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'webhooks.js');

/** The subscription `show` reads; it receives what `publish` sends, so each run makes one delivery. */
const SUBSCRIPTION = 'cli-start';

/** What is timed: `node` arguments and the name it is reported under. */
interface Subject {
  readonly name: string;
  readonly args: readonly string[];
}

/**
 * `node -e ''`, then the commands a user runs first. `BENCH_CLI_BEFORE_BIN` adds another bin to
 * compare with, e.g. that of an earlier commit checked out elsewhere (BENCHMARKS.md shows how).
 */
function subjects(beforeBin: string | undefined): Subject[] {
  const commands = (label: string, bin: string): Subject[] => [
    { name: `${label} --version`, args: [bin, '--version'] },
    { name: `${label} --help`, args: [bin, '--help'] },
    { name: `${label} list`, args: [bin, 'list'] },
    { name: `${label} show`, args: [bin, 'show', SUBSCRIPTION] },
    { name: `${label} publish`, args: [bin, 'publish', 'experiments.succeeded', '--data', '{"experiment":{"id":1}}'] },
    // Includes the up to 1 s that a receive waits on an empty queue (long polling, cli/dead-letter-queue.ts).
    { name: `${label} dlq list`, args: [bin, 'dlq', 'list'] },
  ];
  return [{ name: "node -e ''", args: ['-e', ''] }, ...commands('webhooks', BIN), ...(beforeBin === undefined ? [] : commands('before', beforeBin))];
}

/**
 * Section 7: how long a `webhooks` command takes, from spawn to exit, as a user runs it
 * (`npx webhooks` runs bin/webhooks.js), beside `node -e ''` in the same run, interleaved, so that
 * a busy machine slows every row alike. The commands run against the local stack of `npm start`
 * (started here, in process) with no AWS configuration, as in the README's Quick start.
 */
export async function cliStart(ctx: BenchContext): Promise<CliStartResult> {
  // As under npm start (local/start.ts): the function's EMF metric lines would fill the bench's output.
  const metricsDisabled = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const stack = await startLocalStack({ port: 0, receiverPort: 0, dataDir: join(ctx.outDir, 'cli-start') });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_ENDPOINT_URL: stack.endpoint,
    AWS_CONFIG_FILE: join(ctx.outDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(ctx.outDir, 'no-aws-credentials'),
  };
  const timed = subjects(process.env.BENCH_CLI_BEFORE_BIN || undefined);
  const samples = new Map<string, number[]>(timed.map((subject) => [subject.name, []]));
  try {
    // Unmeasured: the bin builds dist/ first if its sources changed, then one round warms the OS's file cache.
    await time({ name: 'webhooks subscribe', args: [BIN, 'subscribe', SUBSCRIPTION, '--url', `${stack.receiverUrl}/${SUBSCRIPTION}`, '--events', '*'] }, env);
    for (const subject of timed) await time(subject, env);
    for (let run = 0; run < ctx.sizes.cliStartRuns; run++) {
      for (const subject of timed) samples.get(subject.name)?.push(await time(subject, env));
    }
  } finally {
    await stack.stop();
    if (metricsDisabled === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = metricsDisabled;
  }
  const rows = timed.map(({ name }) => {
    const sorted = [...(samples.get(name) ?? [])].sort((a, b) => a - b);
    return { subject: name, medianMs: quantile(sorted, 0.5), p90Ms: quantile(sorted, 0.9) };
  });
  ctx.progress(`cli start: ${rows.map((row) => `${row.subject} ${row.medianMs.toFixed(0)} ms`).join(', ')}`);
  return { runs: ctx.sizes.cliStartRuns, rows };
}

/** Milliseconds from spawn to exit. @throws when the command fails: a failed run is no measurement. */
function time(subject: Subject, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, [...subject.args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - startedAt;
      if (code === 0) resolve(ms);
      else reject(new Error(`${subject.name} exited with ${code}: ${stderr}`));
    });
  });
}
