/**
 * Prints docs/scale.md's tables from the scale model (bench/scale-model.ts):
 * `npx tsx bench/scale-tables.ts`. The handler's CPU per delivery comes from the last
 * `npm run bench` (bench/results.json, the most any row of its table 1 measured), so the tables
 * follow the benchmark; `--cpu-us`, `--matches`, `--receiver-ms`, `--secure-share` and
 * `--ssm-page-ms` change the workload, `--results <file>` reads another run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AWS_LIMITS, DEFAULT_DEPLOYMENT, DEFAULT_WORKLOAD, PRICES, scaleFigures, tune } from './scale-model';
import type { Deployment, ScaleFigures, Workload } from './scale-model';

const SUBSCRIPTIONS = [100, 1000, 10_000] as const;
const EVENTS_PER_SECOND = [10, 100, 1000] as const;

/** The handler's CPU per delivery, microseconds: the most any row of table 1 of a bench run measured. */
export function benchCpuMicros(resultsFile: string): number {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { dispatch: Array<{ results: { handler: { cpuMicrosPerDelivery: number } } }> };
  return Math.max(...results.dispatch.map((row) => row.results.handler.cpuMicrosPerDelivery));
}

/** The tables, as Markdown lines. */
export function scaleTables(workload: Workload): string[] {
  const configurations = SUBSCRIPTIONS.flatMap((subscriptions) =>
    EVENTS_PER_SECOND.map((eventsPerSecond): Deployment => ({ ...DEFAULT_DEPLOYMENT, subscriptions, eventsPerSecond })),
  );
  const atDefaults = configurations.map((deployment) => scaleFigures(deployment, workload));
  const tuned = configurations.map((deployment) => tune(deployment, workload));
  const defaults = scaleFigures({ ...DEFAULT_DEPLOYMENT, subscriptions: 100, eventsPerSecond: 1000 }, workload);
  const containers = 2 * DEFAULT_DEPLOYMENT.maxConcurrency;
  const subscriptionsWithin = (calls: number): number => Math.floor((calls * DEFAULT_DEPLOYMENT.cacheSeconds) / containers) * AWS_LIMITS.ssmPageSize;
  return [
    `Ceilings at the defaults: every container's refreshes stay within half of SSM's ${AWS_LIMITS.ssmReadTps.standard} reads a second up to ` +
      `${count(subscriptionsWithin(AWS_LIMITS.ssmReadTps.standard / 2))} subscriptions and within all of it up to ${count(subscriptionsWithin(AWS_LIMITS.ssmReadTps.standard))}; ` +
      `the events queue takes at most ${count(Math.floor((DEFAULT_DEPLOYMENT.maxConcurrency * defaults.eventsPerInvocation * 1000) / defaults.invocationMs))} events a second ` +
      `(maxConcurrency × ${defaults.eventsPerInvocation} events an invocation ÷ ${Math.round(defaults.invocationMs)} ms).`,
    '',
    `Workload: ${workload.matchesPerEvent} deliveries an event, receivers answering in ${workload.receiverMs} ms, ${percent(workload.retryShare)} of first attempts retried once, ` +
      `${percent(workload.secureShare)} of subscriptions SecureString, ${workload.cpuMicrosPerDelivery.toFixed(0)} µs of CPU a delivery at one vCPU, ` +
      `${workload.ssmPageMs} ms an SSM page, ${workload.logBytesPerDelivery} bytes of log a delivery. Prices: ${PRICES.region}, read on ${PRICES.readOn}, before free tiers.`,
    '',
    `**At the defaults** (cache ${DEFAULT_DEPLOYMENT.cacheSeconds} s, maxConcurrency ${DEFAULT_DEPLOYMENT.maxConcurrency} per queue, batch ${DEFAULT_DEPLOYMENT.batchSize}, ${DEFAULT_DEPLOYMENT.memoryMb} MB, deliveryConcurrency ${DEFAULT_DEPLOYMENT.deliveryConcurrency}, standard SSM throughput):`,
    '',
    '| subscriptions | events/s | containers | SSM refreshes/s (all containers) | of 40/s | Lambda concurrency (events queue) | invocation ms | GB-s a month | SQS requests/s (events + retries + DLQ) | KMS decrypts/s |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...atDefaults.map(loadRow),
    '',
    '| subscriptions | events/s | Lambda | SQS | KMS | logs | SSM | $ a month | first limit (used) | what moves it |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...atDefaults.map(costRow),
    '',
    '**What it takes** (the smallest changes, in this order: maxConcurrency for the events, the cache time up to 15 minutes for SSM, then SSM\'s higher throughput):',
    '',
    '| subscriptions | events/s | changes | containers | SSM refreshes/s (all containers) | of quota | cold fleet load s | $ a month | tightest limit |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...tuned.map(({ figures, changes, fits }) => {
      const { deployment, ssmRefresh, coldFleetSeconds, monthlyCost, limits } = figures;
      const tightest = limits[0];
      return `| ${count(deployment.subscriptions)} | ${count(deployment.eventsPerSecond)} | ${changes.join(', ') || 'none'} | ${figures.containers} | ` +
        `${fixed(ssmRefresh.expected)} (${fixed(ssmRefresh.worstCase)}) | ${percent(ssmRefresh.worstCase / ssmRefresh.quota)} of ${ssmRefresh.quota} | ${count(Math.round(coldFleetSeconds))} | ` +
        `${money(monthlyCost.total)} | ${fits ? '' : '**does not fit**: '}${tightest === undefined ? '' : `${tightest.limit} ${tightest.verdict}`} |`;
    }),
    '',
    `**Receivers that never answer** (${count(DEAD_RECEIVER_EVENTS)} events a second, ${count(DEAD_RECEIVER_SUBSCRIPTIONS)} subscriptions, the defaults; each attempt to such a receiver waits the whole 10 s delivery timeout, and the default schedule's 8 attempts wait in hops of at most 15 minutes):`,
    '',
    '| deliveries to dead receivers | invocation ms | Lambda concurrency (events + retries) | SQS requests/s (events + retries + DLQ) | $ a month | first limit |',
    '| ---: | ---: | ---: | ---: | ---: | --- |',
    ...DEAD_SHARES.map((deadShare) => {
      const figures = scaleFigures({ ...DEFAULT_DEPLOYMENT, subscriptions: DEAD_RECEIVER_SUBSCRIPTIONS, eventsPerSecond: DEAD_RECEIVER_EVENTS }, { ...workload, deadShare });
      const { concurrency, sqsRequests, limits } = figures;
      const first = limits[0];
      return `| ${percent(deadShare)} | ${count(Math.round(figures.invocationMs))} | ${fixed(concurrency.events)} + ${fixed(concurrency.retries)} | ` +
        `${fixed(sqsRequests.events)} + ${fixed(sqsRequests.retries)} + ${fixed(sqsRequests.deadLetters)} | ${money(figures.monthlyCost.total)} | ${first === undefined ? '' : `${first.limit}: ${first.verdict} (${percent(first.used)})`} |`;
    }),
  ];
}

const DEAD_RECEIVER_EVENTS = 100;
const DEAD_RECEIVER_SUBSCRIPTIONS = 100;
const DEAD_SHARES = [0, 0.001, 0.01, 0.1] as const;

function loadRow(figures: ScaleFigures): string {
  const { deployment, ssmRefresh, concurrency, sqsRequests } = figures;
  return `| ${count(deployment.subscriptions)} | ${count(deployment.eventsPerSecond)} | ${figures.containers} | ${fixed(ssmRefresh.expected)} (${fixed(ssmRefresh.worstCase)}) | ` +
    `${percent(ssmRefresh.worstCase / ssmRefresh.quota)} | ${fixed(concurrency.events)} | ${count(Math.round(figures.invocationMs))} | ${count(Math.round(figures.gbSecondsPerMonth))} | ` +
    `${fixed(sqsRequests.events)} + ${fixed(sqsRequests.retries)} + ${fixed(sqsRequests.deadLetters)} | ${fixed(figures.kmsDecrypts)} |`;
}

function costRow(figures: ScaleFigures): string {
  const { deployment, monthlyCost: cost, limits } = figures;
  const first = limits[0];
  const limit = first === undefined ? '' : `${first.limit}: ${first.verdict} (${percent(first.used)})`;
  const knob = first === undefined || first.verdict === 'fits' ? '' : first.knob;
  return `| ${count(deployment.subscriptions)} | ${count(deployment.eventsPerSecond)} | ${money(cost.lambda)} | ${money(cost.sqs)} | ${money(cost.kms)} | ${money(cost.logs)} | ${money(cost.ssm)} | **${money(cost.total)}** | ${limit} | ${knob} |`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function fixed(value: number): string {
  return value >= 100 ? count(Math.round(value)) : value.toFixed(1);
}

function percent(share: number): string {
  return share > 0 && share < 0.01 ? `${(share * 100).toFixed(1)}%` : `${Math.round(share * 100).toLocaleString('en-US')}%`;
}

function money(dollars: number): string {
  return `$${dollars >= 100 ? count(Math.round(dollars)) : dollars.toFixed(2)}`;
}

function main(args: readonly string[]): void {
  const { values } = parseArgs({
    args: [...args],
    options: Object.fromEntries(['results', 'cpu-us', 'matches', 'receiver-ms', 'secure-share', 'ssm-page-ms'].map((name) => [name, { type: 'string' as const }])),
    strict: true,
  });
  const number = (name: string, fallback: number): number => {
    const text = values[name];
    const value = Number(text);
    if (text === undefined) return fallback;
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new RangeError(`--${name} must be a non-negative number, got "${text}"`);
    return value;
  };
  const results = values.results ?? path.join(__dirname, 'results.json');
  const workload: Workload = {
    ...DEFAULT_WORKLOAD,
    cpuMicrosPerDelivery: values['cpu-us'] === undefined ? benchCpuMicros(results) : number('cpu-us', 0),
    matchesPerEvent: number('matches', DEFAULT_WORKLOAD.matchesPerEvent),
    receiverMs: number('receiver-ms', DEFAULT_WORKLOAD.receiverMs),
    secureShare: number('secure-share', DEFAULT_WORKLOAD.secureShare),
    ssmPageMs: number('ssm-page-ms', DEFAULT_WORKLOAD.ssmPageMs),
  };
  process.stdout.write(`${scaleTables(workload).join('\n')}\n`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`scale-tables: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
