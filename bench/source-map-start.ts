/**
 * What `-c sourceMaps=true` costs at cold start (README "Options", Source maps): the time from a
 * new node process to the function's module loaded and its handler exported, for the code
 * deployed without source maps (`dist/handler/`) and with them (`dist/handler-source-maps/`,
 * loaded with `--enable-source-maps` as the stack sets it), the two interleaved run by run so that
 * a busy machine weighs on both alike. Run `npx tsx bench/source-map-start.ts [runs]` after
 * `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { median } from './workload';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 20);

/** The environment the function reads when its module loads (the values are not contacted). */
const ENV = {
  ...process.env,
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/events',
  RETRY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/retries',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface Variant {
  readonly name: string;
  readonly file: string;
  readonly nodeOptions: readonly string[];
}

const VARIANTS: readonly Variant[] = [
  { name: 'without source maps (the default)', file: 'dist/handler/index.js', nodeOptions: [] },
  { name: 'with source maps (--enable-source-maps)', file: 'dist/handler-source-maps/index.js', nodeOptions: ['--enable-source-maps'] },
];

/** Milliseconds to load the module and find its handler, measured inside a new node process. */
function loadMs(variant: Variant): number {
  const file = JSON.stringify(path.join(ROOT, variant.file));
  const script = `const t=performance.now();const m=require(${file});if(typeof m.handler!=='function')process.exit(2);process.stdout.write(String(performance.now()-t))`;
  const run = spawnSync(process.execPath, [...variant.nodeOptions, '-e', script], { env: ENV, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${variant.file} did not load (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
  return Number(run.stdout);
}

/** KiB of the variant's files: the code, and its map when it has one. */
function kib(file: string): number {
  const sizes = [file, `${file}.map`].map((name) => {
    try {
      return statSync(path.join(ROOT, name)).size;
    } catch {
      return 0;
    }
  });
  return Math.round(sizes.reduce((sum, size) => sum + size, 0) / 1024);
}

const samples = VARIANTS.map(() => [] as number[]);
for (let run = 0; run < RUNS; run++) VARIANTS.forEach((variant, index) => samples[index]?.push(loadMs(variant)));

console.log(`source maps at cold start, node ${process.version}, median of ${RUNS} interleaved runs (module load and handler export)`);
VARIANTS.forEach((variant, index) => {
  console.log(`  ${variant.name.padEnd(42)} ${median(samples[index] ?? []).toFixed(1).padStart(7)} ms   ${kib(variant.file)} KiB of code and map`);
});
