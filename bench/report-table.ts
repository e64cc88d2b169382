import type { CapacityRow } from './capacity';
import { CAPACITY_MEMORY_MB, DEFAULT_STACK } from './capacity';
import type { ClientChoiceRow } from './client-choice';
import type { CliStartResult } from './cli-start';
import type { ColdStartResult } from './cold-start';
import type { BreakerRow } from './dead-endpoints';
import type { DispatchRow } from './dispatch-throughput';
import { FUNCTION_CLIENT, HTTP_CLIENTS } from './http-clients';
import type { FanOutResult } from './measure-process';
import type { SlowRow } from './slow-receivers';
import type { LoadingRow } from './subscription-loading';
import type { TargetResult } from './targets';

/** Everything one `npm run bench` measures, as written to `bench/results.json`. */
export interface BenchResults {
  readonly mode: 'full' | 'quick';
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryGb: number; readonly node: string; readonly platform: string };
  /** 1/5/15-minute load averages before and after the run: other work on the machine makes numbers noisy. */
  readonly load: { readonly before: number[]; readonly after: number[] };
  readonly concurrency: number;
  readonly dispatch: DispatchRow[];
  readonly clientChoice: ClientChoiceRow[];
  readonly slow: SlowRow[];
  readonly fanOut: FanOutResult;
  readonly coldStart: ColdStartResult;
  readonly loading: LoadingRow[];
  readonly cliStart: CliStartResult;
  readonly breaker: BreakerRow[];
  /** Deliveries per vCPU-second and the ceilings they set (section 10), from the CPU per delivery above. */
  readonly capacity: CapacityRow[];
  readonly targets: TargetResult[];
}

const n = (value: number, digits = 0): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const x = (value: number): string => `${value.toFixed(2)}×`;

/** The results as the plain-text tables `npm run bench` prints and BENCHMARKS.md quotes. */
export function formatTables(results: BenchResults): string {
  const lines: string[] = [];
  lines.push(`platform-webhooks bench (${results.mode}) — ${results.machine.cpus}× ${results.machine.cpuModel}, node ${results.machine.node}, load ${results.load.before.join(' ')} → ${results.load.after.join(' ')}`);
  lines.push('', '1. Dispatch throughput: batches of 10 events × S subscriptions (deliveries/s; latency per delivery ms; peak RSS MB; CPU µs per delivery)');
  lines.push(`  (a) is the function's own HTTP client (${HTTP_CLIENTS[FUNCTION_CLIENT].label}) alone; "own" is ours − (a) in CPU µs per delivery`);
  lines.push('  S conc |  ours/s   p50   p99 RSS  CPU | (a) client/s  CPU  own | (b) Pool/s CPU | (c) autocannon/s | naive/s | work alone/s  CPU | ours÷a ours÷b ours÷c ours÷naive');
  for (const row of results.dispatch) {
    const { handler, sender, pool, autocannon, naive, work } = row.results;
    lines.push(
      `${String(row.subscriptions).padStart(3)} ${String(row.concurrency).padStart(4)} | ${n(handler.rate).padStart(7)} ${handler.p50.toFixed(1).padStart(5)} ${handler.p99.toFixed(1).padStart(5)} ${n(handler.rssMb).padStart(3)} ${n(handler.cpuMicrosPerDelivery).padStart(4)} | ` +
        `${n(sender.rate).padStart(12)} ${n(sender.cpuMicrosPerDelivery).padStart(4)} ${n(handler.cpuMicrosPerDelivery - sender.cpuMicrosPerDelivery).padStart(4)} | ${n(pool.rate).padStart(10)} ${n(pool.cpuMicrosPerDelivery).padStart(3)} | ${n(autocannon.rate).padStart(16)} | ${n(naive.rate).padStart(7)} | ` +
        `${n(work.rate).padStart(12)} ${n(work.cpuMicrosPerDelivery).padStart(4)} | ` +
        `${x(handler.rate / sender.rate).padStart(6)} ${x(handler.rate / pool.rate).padStart(6)} ${x(handler.rate / autocannon.rate).padStart(6)} ${x(handler.rate / naive.rate).padStart(9)}`,
    );
  }
  const rounds = results.dispatch.map((row) => `S=${row.subscriptions}: ours ${row.rounds.handler.map((r) => n(r)).join('/')}, (a) ${row.rounds.sender.map((r) => n(r)).join('/')}`);
  const quiet = results.dispatch.map((row) => `S=${row.subscriptions}: ${n(row.workWithoutInfoLogs.rate)}/s, ${n(row.workWithoutInfoLogs.cpuMicrosPerDelivery)} µs CPU`);
  lines.push(`  work alone without the INFO audit line per delivery (POWERTOOLS_LOG_LEVEL=WARN): ${quiet.join('; ')}`);
  lines.push(`  ours and (a): median of alternating rounds (${rounds.join('; ')})`);
  lines.push('', '2. Slow receivers (answer after 100 ms): wall time per batch, ms');
  lines.push('  S  deliveries | ideal   ours  ours÷ideal | (a) sender  ours÷(a) | naive        naive÷ours');
  for (const row of results.slow) {
    lines.push(
      `${String(row.subscriptions).padStart(3)} ${String(row.deliveries).padStart(11)} | ${n(row.idealMs).padStart(5)} ${n(row.oursMs).padStart(6)} ${x(row.oursMs / row.idealMs).padStart(10)} | ${n(row.senderMs).padStart(10)} ${x(row.oursMs / row.senderMs).padStart(9)} | ${(n(row.naiveMs) + (row.naiveExtrapolated ? '*' : '')).padStart(8)}  ${x(row.naiveMs / row.oursMs).padStart(13)}`,
    );
  }
  if (results.slow.some((row) => row.naiveExtrapolated)) lines.push('  * naive timed on a prefix of the batch and scaled (it delivers strictly in turn)');
  lines.push('', '4. Fan-out: one event matching N subscriptions');
  lines.push('      N | index build ms  match µs | dispatch ms  deliveries/s');
  for (const row of results.fanOut.rows) {
    lines.push(`${n(row.subscriptions).padStart(7)} | ${row.indexBuildMs.toFixed(2).padStart(14)} ${row.matchMicros.toFixed(3).padStart(9)} | ${n(row.dispatchMs, 1).padStart(11)} ${n(row.rate).padStart(13)}`);
  }
  lines.push(`  peak RSS ${n(results.fanOut.rssMb)} MB`);
  const cold = results.coldStart;
  const bare = cold.subjects.find((subject) => subject.subject === 'bare');
  lines.push('', `5. Cold start (median of ${cold.runs} interleaved runs each; ms from process start to the handler's answer, and the CPU (all threads) it took by then and once the process settled; bundles built as deployed by default: minified, no source map)`);
  for (const subject of cold.subjects) {
    const name = subject.subject === 'bare' ? "node -e ''" : subject.subject === 'floor' ? 'floor' : `handler, ${HTTP_CLIENTS[subject.subject].label}${subject.subject === FUNCTION_CLIENT ? ' (ours)' : ''}`;
    const above = subject === bare || bare === undefined ? '' : ` (+${n(subject.readyMs - bare.readyMs, 1)})`;
    const size = subject.bundleBytes === undefined ? '' : `  bundle ${n(subject.bundleBytes / 1024)} KiB`;
    lines.push(`  ${name.padEnd(34)} ${n(subject.readyMs, 1).padStart(6)} ms${above.padEnd(9)} CPU ${n(subject.cpuMs).padStart(4)} ms, settled ${n(subject.settledCpuMs).padStart(4)} ms${size}`);
  }
  lines.push(`  ours÷floor: size ${x(cold.sizeRatio)}, time above bare node ${x(cold.timeAboveBareRatio)}`);
  lines.push('', '6. Subscription loading from the Parameter Store stand-in (pages of 10)');
  lines.push('      N | cold load ms  SSM calls | warm loads  SSM calls  µs/load');
  for (const row of results.loading) {
    lines.push(`${n(row.subscriptions).padStart(7)} | ${n(row.coldLoadMs, 1).padStart(12)} ${String(row.ssmCalls).padStart(10)} | ${String(row.warmLoads).padStart(10)} ${String(row.warmSsmCalls).padStart(10)} ${row.warmLoadMicros.toFixed(2).padStart(8)}`);
  }
  const bareCli = results.cliStart.rows[0];
  lines.push('', `7. CLI start time: spawn to exit, ms (${results.cliStart.runs} interleaved runs each; commands against the local stack; read against node -e '' of the same run)`);
  lines.push('  command                 median    p90 | median above node -e \'\'');
  for (const row of results.cliStart.rows) {
    const above = row === bareCli || bareCli === undefined ? '' : `+${n(row.medianMs - bareCli.medianMs)}`;
    lines.push(`  ${row.subject.padEnd(22)} ${n(row.medianMs).padStart(7)} ${n(row.p90Ms).padStart(6)} | ${above.padStart(6)}`);
  }
  const [first] = results.breaker;
  if (first !== undefined) {
    lines.push('', `8. Dead endpoints: batches of 10 events × 20 subscriptions, 5 endpoints never answer (DELIVERY_TIMEOUT_MS ${n(first.deliveryTimeoutMs)}), ${first.batches} batches in one container`);
    lines.push('  circuit breaker                  | first batch ms  later batches ms (median) | Lambda-seconds, all batches | delivered per batch');
    for (const row of results.breaker) {
      const label = row.breaker ? 'on (BREAKER_FAILURES=5)' : 'off (BREAKER_FAILURES=0)';
      lines.push(`  ${label.padEnd(32)} | ${n(row.firstBatchMs).padStart(14)} ${n(row.laterBatchMs).padStart(26)} | ${n(row.lambdaSeconds, 1).padStart(27)} | ${String(row.delivered).padStart(19)}`);
    }
  }
  lines.push('', '9. Choosing the HTTP client: the batches of section 1, each client through the real handler and alone, in alternating rounds (median); cold start and bundle from section 5');
  lines.push('  S | client                 | handler/s  CPU | alone/s  CPU | handler − alone µs | cold start above bare ms  bundle KiB');
  for (const row of results.clientChoice) {
    const subject = cold.subjects.find((s) => s.subject === row.client);
    const coldAbove = subject === undefined || bare === undefined ? '' : n(subject.readyMs - bare.readyMs, 1);
    lines.push(
      `${String(row.subscriptions).padStart(3)} | ${HTTP_CLIENTS[row.client].label.padEnd(22)} | ${n(row.handler.rate).padStart(9)} ${n(row.handler.cpuMicrosPerDelivery).padStart(4)} | ${n(row.alone.rate).padStart(7)} ${n(row.alone.cpuMicrosPerDelivery).padStart(4)} | ` +
        `${n(row.handler.cpuMicrosPerDelivery - row.alone.cpuMicrosPerDelivery).padStart(18)} | ${coldAbove.padStart(24)} ${n((subject?.bundleBytes ?? 0) / 1024).padStart(11)}`,
    );
  }
  const memory = CAPACITY_MEMORY_MB.map((mb) => `${n(mb)} MB`.padStart(9)).join(' ');
  const stack = `${DEFAULT_STACK.containersPerQueue} × ${DEFAULT_STACK.memoryMb} MB`;
  lines.push('', `10. Capacity: deliveries per vCPU-second (10⁶ ÷ CPU µs per delivery) and the ceiling it sets, CPU alone, for one container by memory (Lambda: 1,769 MB = 1 vCPU) and for the default stack (${stack} per queue: events queue; with the retry queue's)`);
  lines.push(`  ${'client'.padEnd(36)}   S  CPU µs   /vCPU-s | ${memory} | stack: events  both queues`);
  for (const row of results.capacity) {
    const containers = CAPACITY_MEMORY_MB.map((mb) => n(row.perContainer[mb]).padStart(9)).join(' ');
    lines.push(`  ${row.label.padEnd(36)} ${String(row.subscriptions).padStart(3)} ${n(row.cpuMicrosPerDelivery, 1).padStart(7)} ${n(row.perVcpuSecond).padStart(9)} | ${containers} | ${n(row.defaultStack).padStart(13)} ${n(row.defaultStackBothQueues).padStart(12)}`);
  }
  lines.push('', 'Targets (measured, never asserted)');
  for (const target of results.targets) {
    const value = Number.isInteger(target.bound) && target.bound >= 5 ? n(target.measured, 1) : target.measured.toFixed(2);
    lines.push(`  ${target.met ? 'met   ' : 'MISSED'} ${target.target}: ${value} (${target.kind === 'at-most' ? '≤' : '≥'} ${target.bound})`);
  }
  return lines.join('\n');
}
