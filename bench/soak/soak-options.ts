import { parseArgs } from 'node:util';
import { parseSchedule } from '../../lambda/core/delivery/retry-policy';
import { LOCAL_QUEUE_SETTINGS } from '../../local/local-queues';

/** What a soak run does; every field has a command-line option of the same name in kebab-case. */
export interface SoakOptions {
  /** Platform events published, spread over every catalogue type. */
  readonly events: number;
  /** Subscriptions (at least 4: one answering 410, one 404, one disabled, the rest flaky). */
  readonly subscriptions: number;
  /**
   * How many of the subscriptions receive events (at least 4; default all of them). The others are
   * idle: stored, loaded and matched like any other, but their filter keeps every event out, so a
   * scale run can hold thousands of subscriptions with a fan-out the machine can deliver.
   */
  readonly activeSubscriptions?: number;
  /** Seeds every random choice: the plan, the receivers' answers, the faults. */
  readonly seed: number;
  /** Worker processes (each a "Lambda container" host, killed and restarted at random). */
  readonly workers: number;
  /** Concurrent pollers (containers) per worker process, each with its own handler and caches. */
  readonly pollers: number;
  /** Events published per second. */
  readonly rate: number;
  /** The compressed retry schedule given to the handler as RETRY_SCHEDULE. */
  readonly retrySchedule: string;
  /** The queues' visibility timeout: how long a crashed batch stays hidden. */
  readonly visibilitySeconds: number;
  /** The function timeout the handler sees through `getRemainingTimeInMillis`. */
  readonly functionTimeoutMs: number;
  /** The queues' redrive maxReceiveCount; default the stack's (5). */
  readonly maxReceiveCount: number;
  /** Share of invocations that throw mid-batch after some deliveries were made. */
  readonly crashRate: number;
  /** Share of re-enqueue sends (SendMessage to the retry queue) that fail. */
  readonly sendFailureRate: number;
  /** Mean seconds between SIGKILLs of a random worker; 0 never kills. */
  readonly killEverySeconds: number;
  /** Mean seconds between SSM throttling bursts; 0 never throttles. */
  readonly throttleEverySeconds: number;
  /** The handler's SUBSCRIPTIONS_CACHE_SECONDS: how long each container reuses the subscriptions it loaded. */
  readonly cacheSeconds: number;
  /**
   * The Parameter Store's read quota: GetParameter, GetParameters and GetParametersByPath together
   * are answered ThrottlingException above this many a second, as SSM's account quota does; 0: no quota.
   */
  readonly ssmTps: number;
  /**
   * A guard against a hang, not a time budget: the run ends when the queues run empty; if they
   * have not by then, it stops and reports the pairs still in flight as unsettled (not lost).
   */
  readonly maxSeconds: number;
  /** A directory where each worker writes the handler's warnings and errors as JSON lines, to trace a failing run. */
  readonly traceDir?: string;
}

/** The defaults of `npm run soak`. */
export const SOAK_DEFAULTS = {
  events: 10_000,
  subscriptions: 20,
  workers: 4,
  pollers: 8,
  rate: 50,
  retrySchedule: '100ms,200ms,400ms,800ms,1s',
  visibilitySeconds: 10,
  functionTimeoutMs: 8000,
  maxReceiveCount: LOCAL_QUEUE_SETTINGS.maxReceiveCount,
  crashRate: 0.01,
  sendFailureRate: 0.01,
  killEverySeconds: 20,
  throttleEverySeconds: 5,
  cacheSeconds: 1,
  ssmTps: 0,
  maxSeconds: 900,
} as const;

/** What each option does, for `--help`. */
const OPTION_DOCS: Readonly<Record<keyof typeof SOAK_DEFAULTS | 'seed' | 'activeSubscriptions' | 'traceDir', string>> = {
  events: 'platform events published, spread over every catalogue type',
  subscriptions: 'subscriptions stored (at least 4: one answers 410, one 404, one is disabled, the rest fail at random)',
  activeSubscriptions: 'how many of them receive events (default: all); the rest are idle, loaded and matched but filtered out',
  workers: 'worker processes, each killed and restarted at random',
  pollers: 'containers per worker, each with its own handler, caches and a poller per queue',
  rate: 'events published per second',
  retrySchedule: 'the compressed RETRY_SCHEDULE of the handler',
  visibilitySeconds: 'the queues\' visibility timeout',
  functionTimeoutMs: 'the function timeout each invocation sees',
  maxReceiveCount: 'the queues\' redrive maxReceiveCount',
  crashRate: 'share of invocations that crash mid-batch',
  sendFailureRate: 'share of re-enqueue sends that fail',
  killEverySeconds: 'mean seconds between SIGKILLs of a worker (0: never)',
  throttleEverySeconds: 'mean seconds between bursts of SSM ThrottlingException (0: never)',
  cacheSeconds: 'SUBSCRIPTIONS_CACHE_SECONDS of every container',
  ssmTps: 'SSM read quota: reads above this many a second are throttled, as SSM\'s account quota (0: none)',
  maxSeconds: 'a guard against a hang: pairs still in flight then are reported unsettled',
  seed: 'seeds every random choice (default: a random one, printed in the report)',
  traceDir: 'a directory where each worker writes the handler\'s warnings and errors as JSON lines',
};

/** One line per option with its default and what it does, for `--help` and option errors. */
export function soakUsage(): string {
  const line = (name: keyof typeof OPTION_DOCS, value: string): string => `  ${`--${kebab(name)} ${value}`.padEnd(46)}${OPTION_DOCS[name]}`;
  const options = Object.entries(SOAK_DEFAULTS).map(([name, value]) => line(name as keyof typeof SOAK_DEFAULTS, String(value)));
  return [
    'usage: npm run soak -- [options]   (defaults shown)',
    ...options,
    line('activeSubscriptions', '<n>'),
    line('seed', '<n>'),
    line('traceDir', '<dir>'),
    '',
    'A scale run (docs/scale.md): many idle subscriptions, a steady rate, no faults, SSM at its quota, e.g.',
    '  npm run soak -- --events 2400 --rate 20 --subscriptions 1000 --active-subscriptions 8 --workers 2 --pollers 4 \\',
    '    --cache-seconds 20 --ssm-tps 40 --function-timeout-ms 60000 --visibility-seconds 360 \\',
    '    --crash-rate 0 --send-failure-rate 0 --kill-every-seconds 0 --throttle-every-seconds 0',
  ].join('\n');
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

const INTEGERS = ['events', 'subscriptions', 'active-subscriptions', 'seed', 'workers', 'pollers', 'visibility-seconds', 'function-timeout-ms', 'max-receive-count', 'cache-seconds', 'ssm-tps'] as const;
const NUMBERS = ['rate', 'crash-rate', 'send-failure-rate', 'kill-every-seconds', 'throttle-every-seconds', 'max-seconds'] as const;

/**
 * Reads the options from command-line arguments, e.g. `--events 500 --seed 7`; the seed defaults
 * to a random one (printed in the report, so the run can be replayed).
 * @throws {RangeError} naming the option that is invalid.
 */
export function parseSoakOptions(args: readonly string[]): SoakOptions {
  const names = [...INTEGERS, ...NUMBERS, 'retry-schedule', 'trace-dir'] as const;
  const { values } = parseArgs({
    args: [...args],
    options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
    strict: true,
  });
  const number = (name: (typeof names)[number], fallback: number, integer: boolean): number => {
    const text = values[name];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      throw new RangeError(`--${name} must be a non-negative ${integer ? 'integer' : 'number'}, got "${text}"`);
    }
    return value;
  };
  const options: SoakOptions = {
    events: number('events', SOAK_DEFAULTS.events, true),
    subscriptions: number('subscriptions', SOAK_DEFAULTS.subscriptions, true),
    ...(values['active-subscriptions'] !== undefined && { activeSubscriptions: number('active-subscriptions', 0, true) }),
    seed: number('seed', Math.floor(Math.random() * 1_000_000), true),
    workers: number('workers', SOAK_DEFAULTS.workers, true),
    pollers: number('pollers', SOAK_DEFAULTS.pollers, true),
    rate: number('rate', SOAK_DEFAULTS.rate, false),
    retrySchedule: values['retry-schedule'] ?? SOAK_DEFAULTS.retrySchedule,
    visibilitySeconds: number('visibility-seconds', SOAK_DEFAULTS.visibilitySeconds, true),
    functionTimeoutMs: number('function-timeout-ms', SOAK_DEFAULTS.functionTimeoutMs, true),
    maxReceiveCount: number('max-receive-count', SOAK_DEFAULTS.maxReceiveCount, true),
    crashRate: number('crash-rate', SOAK_DEFAULTS.crashRate, false),
    sendFailureRate: number('send-failure-rate', SOAK_DEFAULTS.sendFailureRate, false),
    killEverySeconds: number('kill-every-seconds', SOAK_DEFAULTS.killEverySeconds, false),
    throttleEverySeconds: number('throttle-every-seconds', SOAK_DEFAULTS.throttleEverySeconds, false),
    cacheSeconds: number('cache-seconds', SOAK_DEFAULTS.cacheSeconds, true),
    ssmTps: number('ssm-tps', SOAK_DEFAULTS.ssmTps, true),
    maxSeconds: number('max-seconds', SOAK_DEFAULTS.maxSeconds, false),
    ...(values['trace-dir'] !== undefined && { traceDir: values['trace-dir'] }),
  };
  validate(options);
  return options;
}

function validate(options: SoakOptions): void {
  const problems: string[] = [];
  if (options.events < 1) problems.push('--events must be at least 1');
  if (options.subscriptions < 4) problems.push('--subscriptions must be at least 4 (one answering 410, one 404, one disabled, one flaky)');
  const active = options.activeSubscriptions;
  if (active !== undefined && (active < 4 || active > options.subscriptions)) {
    problems.push('--active-subscriptions must be from 4 (one answering 410, one 404, one disabled, one flaky) to --subscriptions');
  }
  if (options.workers < 1 || options.pollers < 1) problems.push('--workers and --pollers must be at least 1');
  if (options.rate <= 0) problems.push('--rate must be above 0 events per second');
  if (options.crashRate > 1 || options.sendFailureRate > 1) problems.push('--crash-rate and --send-failure-rate are shares from 0 to 1');
  if (options.maxReceiveCount < 1) problems.push('--max-receive-count must be at least 1');
  if (options.throttleEverySeconds > 0 && options.throttleEverySeconds < 2) problems.push('--throttle-every-seconds must be 0 (never) or at least 2');
  if (options.functionTimeoutMs > options.visibilitySeconds * 1000) {
    problems.push('--function-timeout-ms must not exceed --visibility-seconds (a batch would reappear while still running)');
  }
  try {
    parseSchedule(options.retrySchedule);
  } catch (error) {
    problems.push(`--retry-schedule: ${(error as Error).message}`);
  }
  if (problems.length > 0) throw new RangeError(problems.join('; '));
}
