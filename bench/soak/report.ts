import { pagesFor, refreshCallsPerSecond } from '../scale-model';
import type { InvariantResult } from './invariant';
import type { SoakOptions } from './soak-options';
import type { SsmTraffic } from './ssm-meter';

/** What the Parameter Store received: while events were published, after the first cache period of that, and over the whole run. */
export interface SsmReport {
  readonly publishing: SsmTraffic;
  readonly steady: SsmTraffic;
  readonly run: SsmTraffic;
  /** Containers that ran, restarted ones included. */
  readonly containersStarted: number;
  /** The mean time of an answered GetParametersByPath call, as the containers saw it, in milliseconds. */
  readonly pageMs: number;
  /** GetParametersByPath pages the containers read (answers they got, however many attempts each took). */
  readonly pagesRead: number;
  /** Each container's refresh starts (its first load, then each refresh), epoch milliseconds. */
  readonly refreshStarts: readonly (readonly number[])[];
  /** Seconds from the first event published until the last container had finished its first load. */
  readonly coldFleetSeconds: number;
}

/** Everything a finished run reports. */
export interface SoakReport {
  readonly options: SoakOptions;
  readonly result: InvariantResult;
  readonly faults: {
    readonly crashes: number;
    readonly kills: number;
    readonly throttleBursts: number;
    readonly throttles: number;
    readonly sendFailures: number;
    readonly unexpectedWorkerExits: number;
  };
  /** Handler warnings and errors by message: where the faults showed. */
  readonly effects: Readonly<Record<string, number>>;
  /** Whether the queues ran empty before `--max-seconds`. */
  readonly settled: boolean;
  readonly ssm: SsmReport;
  readonly wallSeconds: number;
}

/** How many lost pairs and unexpected findings are listed one by one. */
const LISTED = 10;

/** The report, one line per item; the last line is {@link summaryLine}. */
export function formatReport(report: SoakReport): string[] {
  const { options, result, faults } = report;
  const latencies = result.firstAttemptLatencies;
  const deadLettered = Object.values(result.deadLettered).reduce((sum, count) => sum + count, 0);
  const row = (label: string, value: number, note = ''): string => `${label.padEnd(24)}${String(value).padStart(8)}${note && `  ${note}`}`;
  return [
    `soak on the local stack: seed ${options.seed} (replay with --seed ${options.seed}), ${options.events} events, ${options.subscriptions} subscriptions, ` +
      `${options.workers} workers × ${options.pollers} pollers, RETRY_SCHEDULE=${options.retrySchedule}, visibility ${options.visibilitySeconds} s, ` +
      `function timeout ${options.functionTimeoutMs} ms, maxReceiveCount ${options.maxReceiveCount}`,
    `faults injected: ${faults.crashes} invocations crashed mid-batch, ${faults.kills} workers killed (SIGKILL), ` +
      `${faults.throttleBursts} SSM throttling bursts (${faults.throttles} requests), ${faults.sendFailures} re-enqueue sends failed`,
    'handler warnings, errors, drops and deferrals, by message:',
    ...Object.entries(report.effects).sort((a, b) => b[1] - a[1]).map(([message, count]) => `  ${String(count).padStart(7)}  ${message}`),
    row('pairs expected', result.pairs),
    row('  delivered', result.delivered, `first attempt ${latencies.length}`),
    row('  dead-lettered', deadLettered, Object.entries(result.deadLettered).map(([reason, count]) => `${reason} ×${count}`).join(', ')),
    row('  dropped by rule', result.droppedByRule, 'subscription disabled after HTTP 410'),
    row('  lost', result.lost.length, 'must be 0'),
    ...(result.unsettled.length > 0 ? [row('  unsettled', result.unsettled.length, 'still in flight when --max-seconds stopped the run')] : []),
    row('duplicate deliveries', result.duplicates, `${rate(result.duplicates, result.delivered)} of delivered pairs`),
    row('also dead-lettered', result.alsoDeadLettered, 'delivered pairs with a dead-letter record too'),
    row('unprocessed in the DLQ', result.unprocessed, 'originals moved by the redrive policy (maxReceiveCount)'),
    row('unexpected', result.unexpected.length, 'must be 0'),
    `latency of first-attempt successes (publish → receiver): p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`,
    ...ssmLines(report),
    `wall time ${report.wallSeconds.toFixed(1)} s${report.settled ? ', until every queue ran empty' : ` (stopped by --max-seconds ${options.maxSeconds} with messages still queued: pairs without an outcome then are unsettled, not lost; the run proves nothing about them)`}`,
    ...(faults.unexpectedWorkerExits > 0 ? [`workers that died on their own: ${faults.unexpectedWorkerExits}`] : []),
    ...listed('lost', result.lost),
    ...listed('unsettled', result.unsettled),
    ...listed('unexpected', result.unexpected),
    summaryLine(result),
  ];
}

/**
 * What SSM received, beside what the scale model (docs/scale.md) says the run's containers should
 * ask of it: the rate of refreshes once every container's first load is behind, and over the whole
 * run the most GetParametersByPath pages the cache lets the containers read (`ssm bound:` line, which
 * test/soak/scale.test.ts reads): each container's first load, one refresh per 0.9 × the cache time
 * (its shortest jittered lifetime), and one refresh left unfinished.
 */
export function ssmLines(report: SoakReport): string[] {
  const { options, ssm } = report;
  const containers = options.workers * options.pollers;
  const pages = pagesFor(options.subscriptions);
  const model = refreshCallsPerSecond({ containers, subscriptions: options.subscriptions, cacheSeconds: options.cacheSeconds });
  // A container's cache time counts from the end of its refresh: the period is the refresh's time longer.
  const refreshSeconds = (pages * ssm.pageMs) / 1000;
  const withRefreshTime = refreshCallsPerSecond({ containers, subscriptions: options.subscriptions, cacheSeconds: options.cacheSeconds + refreshSeconds });
  const byPath = ssm.steady.byOperation.GetParametersByPath;
  const traffic = (window: SsmTraffic): string => {
    const operations = Object.entries(window.byOperation).map(
      ([name, t]) => `${name} ${t.perSecond.toFixed(1)}/s (peak ${t.peakPerSecond.toFixed(0)}/s, ${t.throttled} of ${t.calls} throttled)`,
    );
    return operations.join(', ') || 'no calls';
  };
  const bound = Math.ceil(ssm.containersStarted * pages * (2 + ssm.run.seconds / (0.9 * options.cacheSeconds)));
  const quota = options.ssmTps > 0 ? `read quota ${options.ssmTps}/s` : 'no read quota';
  return [
    `SSM while publishing (${ssm.publishing.seconds.toFixed(0)} s, ${quota}): ${traffic(ssm.publishing)}`,
    `SSM refreshes after the first cache period (${ssm.steady.seconds.toFixed(0)} s): ${byPath === undefined ? 'none' : `${byPath.perSecond.toFixed(1)}/s`}; ` +
      `model: ${containers} containers × ${pages} pages / ${options.cacheSeconds} s = ${model.toFixed(1)}/s at most, ` +
      `${withRefreshTime.toFixed(1)}/s with the refresh's own ${refreshSeconds.toFixed(2)} s (${ssm.pageMs.toFixed(1)} ms a page)` +
      `${byPath === undefined ? '' : `; measured ÷ model ${(byPath.perSecond / withRefreshTime).toFixed(2)}`}`,
    ...waveLines(ssm.refreshStarts, options.cacheSeconds),
    `SSM cold fleet: every container had loaded the subscriptions ${ssm.coldFleetSeconds.toFixed(1)} s after the first event` +
      (options.ssmTps > 0 ? `; model at the read quota: ${containers} containers × ${pages} pages / ${options.ssmTps}/s = ${((containers * pages) / options.ssmTps).toFixed(1)} s` : ''),
    `ssm bound: ${ssm.pagesRead} GetParametersByPath pages read over ${ssm.run.seconds.toFixed(0)} s, at most ${bound} (${ssm.containersStarted} containers: first load, a refresh per 0.9 × ${options.cacheSeconds} s, one unfinished)`,
  ];
}

/**
 * How far apart the containers' n-th loads started: the 0th are their first loads, which begin
 * together when the containers do; each later one follows a cache time jittered ±10%, so the
 * spread grows with every refresh rather than the fleet refreshing in one burst.
 */
export function waveSpreads(refreshStarts: readonly (readonly number[])[]): number[] {
  const containers = refreshStarts.filter((starts) => starts.length > 0);
  const waves = Math.min(...containers.map((starts) => starts.length));
  if (containers.length < 2 || !Number.isFinite(waves)) return [];
  return Array.from({ length: waves }, (_, wave) => {
    const starts = containers.map((times) => times[wave] as number);
    return (Math.max(...starts) - Math.min(...starts)) / 1000;
  });
}

function waveLines(refreshStarts: readonly (readonly number[])[], cacheSeconds: number): string[] {
  const spreads = waveSpreads(refreshStarts);
  if (spreads.length < 2) return [];
  const shown = spreads.map((spread, wave) => `#${wave} ${spread.toFixed(1)} s`).join(', ');
  return [`SSM refresh starts, spread over the ${refreshStarts.filter((starts) => starts.length > 0).length} containers (#0 their first loads; cache ${cacheSeconds} s ±10%): ${shown}`];
}

/**
 * The one-line verdict, e.g. `soak: 200000 pairs, 0 lost, 312 duplicates (0.16%), 0 unexpected`;
 * `, 12 unsettled` follows the lost count when the wall-clock guard stopped the run.
 */
export function summaryLine(result: InvariantResult): string {
  const unsettled = result.unsettled.length > 0 ? `, ${result.unsettled.length} unsettled` : '';
  return `soak: ${result.pairs} pairs, ${result.lost.length} lost${unsettled}, ${result.duplicates} duplicates (${rate(result.duplicates, result.delivered)}), ${result.unexpected.length} unexpected`;
}

/** Whether the run kept the promise and proved it: nothing lost, nothing unexpected, nothing left unsettled. */
export function passed(result: InvariantResult): boolean {
  return result.lost.length === 0 && result.unexpected.length === 0 && result.unsettled.length === 0;
}

/** The nearest-rank percentile of ascending values; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function rate(part: number, whole: number): string {
  return `${whole === 0 ? '0.00' : ((part / whole) * 100).toFixed(2)}%`;
}

function listed(label: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  const more = items.length > LISTED ? [`  … and ${items.length - LISTED} more`] : [];
  return [`${label}:`, ...items.slice(0, LISTED).map((item) => `  ${item}`), ...more];
}
