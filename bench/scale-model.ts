/**
 * The scale model of docs/scale.md: what one deployment asks of SSM, Lambda, SQS and KMS for a
 * number of subscriptions and events per second, what it costs a month, and which AWS limit it
 * meets first. Pure functions of their inputs; `bench/scale-tables.ts` prints the document's
 * tables from them, and the soak's report compares its measured SSM rate with {@link refreshCallsPerSecond}.
 */
import { DEFAULT_DELIVERY_TIMEOUT_MS } from '../lambda/core/delivery/delivery-request';
import { DEFAULT_RETRY_SCHEDULE, MAX_SQS_DELAY_SECONDS, parseSchedule } from '../lambda/core/delivery/retry-policy';
import { SETTINGS } from '../lambda/settings';

/**
 * The AWS limits the model checks. Where a figure could not be read from AWS's own pages it says so
 * (docs/scale.md, "Limits", gives the sources and what is confirmed).
 */
export const AWS_LIMITS = {
  /**
   * Parameters a GetParametersByPath page returns at most; a page may hold fewer and still go on.
   * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
   */
  ssmPageSize: 10,
  /**
   * Read transactions a second per account and Region: GetParameter, GetParameters and
   * GetParametersByPath share 40 by default. With the paid higher-throughput setting,
   * GetParametersByPath is quoted at 100 (GetParameter and GetParameters far more): quoted from
   * https://docs.aws.amazon.com/general/latest/gr/ssm.html by third parties; AWS's current
   * throughput page names only GetParameter, GetParameters and PutParameter.
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-throughput.html
   */
  ssmReadTps: { standard: 40, higher: 100 },
  /** @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html */
  standardParameters: 10_000,
  advancedParameters: 100_000,
  /** Memory at which a function has one vCPU; CPU is proportional below. @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html */
  oneVcpuMb: 1769,
  /** Concurrent executions per account and Region, by default. @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html */
  accountConcurrency: 1000,
  /**
   * An SQS event source starts with five concurrent invocations and `MaximumConcurrency` is 2 to 1,000.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
   */
  initialPollers: 5,
  maxConcurrencyPerSource: 1000,
} as const;

/**
 * List prices, us-east-1, as read on 2026-11-30 (docs/scale.md, "Prices", names each source and
 * which were read from third parties). Free tiers are left out.
 */
export const PRICES = {
  region: 'us-east-1',
  readOn: '2026-11-30',
  /** @see https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html */
  lambdaPerRequest: 0.2 / 1e6,
  /** arm64 (the function's architecture): 20% below x86's $0.0000166667. */
  lambdaPerGbSecond: 0.0000133334,
  /** Standard queue, first 100 billion requests a month; a request carries up to 64 KiB. */
  sqsPerRequest: 0.4 / 1e6,
  /** Symmetric requests, such as the Decrypt Parameter Store makes for each SecureString it returns decrypted. */
  kmsPerRequest: 0.03 / 1e4,
  /** Parameter Store API interactions with higher throughput enabled (standard throughput: free). */
  ssmHigherThroughputPerCall: 0.05 / 1e4,
  advancedParameterPerMonth: 0.05,
  /** CloudWatch Logs ingestion, standard class, first 10 TB a month. */
  logsPerGb: 0.5,
} as const;

/** Seconds in a month as AWS bills them: 730 hours. */
export const SECONDS_PER_MONTH = 730 * 3600;

/** The function's timeout and the queues' visibility timeout (infra/webhook-dispatcher.ts). */
const FUNCTION_TIMEOUT_S = 60;
const VISIBILITY_TIMEOUT_S = 6 * FUNCTION_TIMEOUT_S;
/** How long a caller with a cached copy waits for a refresh (lambda/adapters/ssm-subscriptions.ts). */
const REFRESH_WAIT_SECONDS = 1;
/** How long an invocation takes that only sends messages on (hops not yet due): one SQS call. */
const HOP_SECONDS = 0.02;
/** Receives before a message that keeps failing goes to the DLQ (infra/webhook-dispatcher.ts). */
const MAX_RECEIVE_COUNT = 5;
/** The longest a cold fleet may take to load before a record waiting for it has been received five times. */
const COLD_FLEET_LIMIT_S = (MAX_RECEIVE_COUNT - 1) * (VISIBILITY_TIMEOUT_S + FUNCTION_TIMEOUT_S);

/** The knobs of one deployment, as the stack's options name them (README, "Deploy" → "Options"). */
export interface Deployment {
  readonly subscriptions: number;
  readonly eventsPerSecond: number;
  /** `subscriptionsCacheTtl`, in seconds. */
  readonly cacheSeconds: number;
  /** `maxConcurrency`: invocations at once per event source (events, retries). */
  readonly maxConcurrency: number;
  readonly batchSize: number;
  readonly memoryMb: number;
  readonly deliveryConcurrency: number;
  /** SSM's higher-throughput setting on the account and Region. */
  readonly ssmHigherThroughput: boolean;
}

/** What the events and receivers are like; every figure is an assumption docs/scale.md states. */
export interface Workload {
  /** Subscriptions each event matches: the deliveries of one event. */
  readonly matchesPerEvent: number;
  /** How long a receiver takes to answer. */
  readonly receiverMs: number;
  /** Share of first attempts that fail and are delivered by the first retry. */
  readonly retryShare: number;
  /**
   * Share of deliveries whose receiver never answers: each attempt waits the whole delivery timeout
   * (10 s), the retry schedule runs out (8 attempts over about 27.5 hours, every wait in hops of at
   * most 15 minutes) and the delivery is dead-lettered.
   */
  readonly deadShare: number;
  /** Share of subscriptions stored as SecureString (the CLI's default when there is a secret or headers). */
  readonly secureShare: number;
  /** Log written per delivery attempt (the audit line and its share of START/END/REPORT). */
  readonly logBytesPerDelivery: number;
  /** The handler's CPU per delivery at one full vCPU, microseconds (`npm run bench`, table 1). */
  readonly cpuMicrosPerDelivery: number;
  /** How long SSM takes to answer one GetParametersByPath page. */
  readonly ssmPageMs: number;
}

export const DEFAULT_DEPLOYMENT: Omit<Deployment, 'subscriptions' | 'eventsPerSecond'> = {
  cacheSeconds: SETTINGS.subscriptionsCacheSeconds.default,
  maxConcurrency: SETTINGS.maxConcurrency.default,
  batchSize: SETTINGS.batchSize.default,
  memoryMb: SETTINGS.memorySize.default,
  deliveryConcurrency: SETTINGS.deliveryConcurrency.default,
  ssmHigherThroughput: false,
};

export const DEFAULT_WORKLOAD: Omit<Workload, 'cpuMicrosPerDelivery'> = {
  matchesPerEvent: 2,
  receiverMs: 200,
  retryShare: 0.02,
  deadShare: 0,
  secureShare: 1,
  logBytesPerDelivery: 500,
  ssmPageMs: 30,
};

/** Share of a limit used, and how it reads. */
export type Verdict = 'fits' | 'tight' | 'over';

/** One limit of one configuration: how much of it is used, and what moves it. */
export interface LimitCheck {
  readonly limit: string;
  /** Used ÷ available. */
  readonly used: number;
  readonly verdict: Verdict;
  readonly knob: string;
}

/** Everything the model says about one configuration; rates are per second unless named. */
export interface ScaleFigures {
  readonly deployment: Deployment;
  readonly deliveriesPerSecond: number;
  /** Pages one refresh reads. */
  readonly pages: number;
  /** Events per invocation of the events queue. */
  readonly eventsPerInvocation: number;
  /** Milliseconds one invocation of the events queue takes. */
  readonly invocationMs: number;
  /** Concurrent invocations the events queue needs, and the retry queue. */
  readonly concurrency: { readonly events: number; readonly retries: number };
  /** Containers that stay warm (and refresh): the concurrency the load needs, at least five, at most both sources' maximum. */
  readonly containers: number;
  /**
   * GetParametersByPath calls a second from refreshes: `expected` at `containers`, each period its cache time and its
   * refresh's; `worstCase` with every container the two sources allow warm, each period its cache time alone.
   */
  readonly ssmRefresh: { readonly expected: number; readonly worstCase: number; readonly quota: number };
  /** Seconds for a whole cold fleet to load the subscriptions at the whole quota. */
  readonly coldFleetSeconds: number;
  /** Seconds one refresh takes when SSM answers at once (`ssmPageMs` a page). */
  readonly refreshSeconds: number;
  readonly kmsDecrypts: number;
  /** SQS requests a second: events (published, received, deleted, idle polls), retry messages, dead letters. */
  readonly sqsRequests: { readonly events: number; readonly retries: number; readonly deadLetters: number; readonly total: number };
  readonly lambdaRequests: number;
  readonly gbSecondsPerMonth: number;
  /** US dollars a month, before free tiers. */
  readonly monthlyCost: { readonly lambda: number; readonly sqs: number; readonly kms: number; readonly ssm: number; readonly logs: number; readonly total: number };
  /** Every limit, the tightest first. */
  readonly limits: readonly LimitCheck[];
}

/**
 * GetParametersByPath calls a second that `containers` warm containers make to refresh
 * `subscriptions` every `cacheSeconds` (each refresh pages through all of them, 10 a page). An upper
 * bound: a container refreshes only when invoked after its cache expired, and a refresh's own time
 * lengthens the period.
 */
export function refreshCallsPerSecond(options: { readonly containers: number; readonly subscriptions: number; readonly cacheSeconds: number }): number {
  return (options.containers * pagesFor(options.subscriptions)) / Math.max(1, options.cacheSeconds);
}

/** GetParametersByPath pages one refresh of `subscriptions` reads, at least one. */
export function pagesFor(subscriptions: number): number {
  return Math.max(1, Math.ceil(subscriptions / AWS_LIMITS.ssmPageSize));
}

/** The model's figures for one deployment under one workload. */
export function scaleFigures(deployment: Deployment, workload: Workload): ScaleFigures {
  const { subscriptions, eventsPerSecond, cacheSeconds, maxConcurrency, batchSize, memoryMb } = deployment;
  const { matchesPerEvent: matches, deadShare, retryShare } = workload;
  const pages = pagesFor(subscriptions);
  const deliveriesPerSecond = eventsPerSecond * matches;
  const cpuSecondsPerDelivery = workload.cpuMicrosPerDelivery / 1e6 / Math.min(1, memoryMb / AWS_LIMITS.oneVcpuMb);
  // An invocation waits for its slowest delivery, in rounds of `deliveryConcurrency`; its CPU adds up.
  const invocationSeconds = (deliveries: number, slowestMs: number): number =>
    Math.max(1, Math.ceil(deliveries / deployment.deliveryConcurrency)) * (slowestMs / 1000) + deliveries * cpuSecondsPerDelivery;

  // A long poll returns as soon as messages are there: at low rates the five first pollers share them.
  const eventsPerInvocation = Math.min(batchSize, Math.max(1, eventsPerSecond / AWS_LIMITS.initialPollers));
  const perInvocation = eventsPerInvocation * matches;
  // An invocation holding a delivery to a dead receiver lasts that delivery's timeout.
  const holdsDead = 1 - (1 - deadShare) ** perInvocation;
  const invocationMs =
    1000 * ((1 - holdsDead) * invocationSeconds(perInvocation, workload.receiverMs) + holdsDead * invocationSeconds(perInvocation, DEFAULT_DELIVERY_TIMEOUT_MS));
  const eventInvocations = eventsPerSecond / eventsPerInvocation;

  // A retry message carries the failed deliveries of one event that are due together.
  const flakyMessages = eventsPerSecond * (1 - (1 - retryShare) ** matches);
  const deadEvents = eventsPerSecond * (1 - (1 - deadShare) ** matches);
  const schedule = parseSchedule(DEFAULT_RETRY_SCHEDULE);
  // A dead delivery waits through every delay of the schedule in hops of at most 15 minutes, each a message; 7 of them are attempts.
  const hopsPerDeadDelivery = schedule.reduce((sum, delayMs) => sum + Math.ceil(delayMs / 1000 / MAX_SQS_DELAY_SECONDS), 0);
  const deadAttempts = deadEvents * schedule.length;
  const retryMessages = flakyMessages + deadEvents * hopsPerDeadDelivery;
  // The retry queue is batched like the events queue; an invocation lasts as long as its slowest attempt.
  const messagesPerRetryInvocation = Math.min(batchSize, Math.max(1, retryMessages / AWS_LIMITS.initialPollers));
  const retryInvocations = retryMessages / messagesPerRetryInvocation;
  const share = (part: number): number => (retryMessages === 0 ? 0 : part / retryMessages);
  const holdsDeadAttempt = 1 - (1 - share(deadAttempts)) ** messagesPerRetryInvocation;
  const holdsAttempt = 1 - (1 - share(deadAttempts + flakyMessages)) ** messagesPerRetryInvocation;
  const retryDeliveries = messagesPerRetryInvocation * share(deadAttempts + flakyMessages * Math.max(1, (matches * retryShare) / Math.max(1e-9, 1 - (1 - retryShare) ** matches)));
  const retryInvocationSeconds =
    holdsDeadAttempt * invocationSeconds(retryDeliveries, DEFAULT_DELIVERY_TIMEOUT_MS) +
    (holdsAttempt - holdsDeadAttempt) * invocationSeconds(retryDeliveries, workload.receiverMs) +
    (1 - holdsAttempt) * HOP_SECONDS;
  const retryBusy = retryInvocations * retryInvocationSeconds;

  const refreshSeconds = (pages * workload.ssmPageMs) / 1000;
  const busy = { events: (eventInvocations * invocationMs) / 1000, retries: retryBusy };
  const containersFor = (waiting: number): number =>
    Math.min(2 * maxConcurrency, Math.max(Math.min(AWS_LIMITS.initialPollers, maxConcurrency), Math.ceil(busy.events + busy.retries + waiting)));
  // A container waits for its own refresh once per cache period, at most a second when it has a copy to serve meanwhile.
  const refreshing = (containersFor(0) * Math.min(refreshSeconds, REFRESH_WAIT_SECONDS)) / cacheSeconds;
  const containers = containersFor(refreshing);
  const concurrency = { events: busy.events + refreshing, retries: busy.retries };

  const quota = deployment.ssmHigherThroughput ? AWS_LIMITS.ssmReadTps.higher : AWS_LIMITS.ssmReadTps.standard;
  const ssmRefresh = {
    // A cache time counts from the end of a refresh: the period is the refresh's time longer.
    expected: refreshCallsPerSecond({ containers, subscriptions, cacheSeconds: cacheSeconds + refreshSeconds }),
    worstCase: refreshCallsPerSecond({ containers: 2 * maxConcurrency, subscriptions, cacheSeconds }),
    quota,
  };
  // Every SecureString a refresh returns is one KMS Decrypt that SSM makes on the account's behalf.
  const kmsDecrypts = (ssmRefresh.expected / pages) * subscriptions * workload.secureShare;
  const lambdaRequests = eventInvocations + retryInvocations;
  // Lambda's pollers long-poll both queues: about five 20-second polls each when idle (README, "What it costs").
  const idlePolls = (2 * AWS_LIMITS.initialPollers) / 20;
  // Publishing (one SendMessage an event), then one receive and one batch delete per invocation; a retry message is sent, then received and deleted with its batch.
  const events = eventsPerSecond + 2 * eventInvocations + idlePolls;
  const retries = retryMessages + 2 * retryInvocations;
  const deadLetters = deliveriesPerSecond * deadShare;
  const sqsRequests = { events, retries, deadLetters, total: events + retries + deadLetters };
  const gbSecondsPerMonth = (concurrency.events + concurrency.retries) * (memoryMb / 1024) * SECONDS_PER_MONTH;
  const attempts = deliveriesPerSecond * (1 + retryShare + deadShare * (schedule.length + 1));
  const month = (perSecond: number, price: number): number => perSecond * SECONDS_PER_MONTH * price;
  const parts = {
    lambda: month(lambdaRequests, PRICES.lambdaPerRequest) + gbSecondsPerMonth * PRICES.lambdaPerGbSecond,
    sqs: month(sqsRequests.total, PRICES.sqsPerRequest),
    kms: month(kmsDecrypts, PRICES.kmsPerRequest),
    ssm: (deployment.ssmHigherThroughput ? month(ssmRefresh.expected, PRICES.ssmHigherThroughputPerCall) : 0) +
      (subscriptions > AWS_LIMITS.standardParameters ? subscriptions * PRICES.advancedParameterPerMonth : 0),
    logs: month((attempts * workload.logBytesPerDelivery) / 1e9, PRICES.logsPerGb),
  };
  const monthlyCost = { ...parts, total: Object.values(parts).reduce((sum, value) => sum + value, 0) };
  const figures = {
    deployment, deliveriesPerSecond, pages, eventsPerInvocation, invocationMs, concurrency, containers, ssmRefresh,
    coldFleetSeconds: (2 * maxConcurrency * pages) / quota, refreshSeconds, kmsDecrypts, sqsRequests, lambdaRequests, gbSecondsPerMonth, monthlyCost,
  };
  return { ...figures, limits: limitChecks(figures) };
}

/** Used ÷ available → verdict: up to half is room left for bursts and other callers. */
function verdictOf(used: number): Verdict {
  return used <= 0.5 ? 'fits' : used <= 1 ? 'tight' : 'over';
}

function limitChecks(figures: Omit<ScaleFigures, 'limits'>): LimitCheck[] {
  const { deployment, ssmRefresh, concurrency } = figures;
  const { maxConcurrency, subscriptions } = deployment;
  const busiest = Math.max(concurrency.events, concurrency.retries);
  const checks: LimitCheck[] = [
    {
      limit: `SSM reads (${ssmRefresh.quota}/s)`,
      used: ssmRefresh.worstCase / ssmRefresh.quota,
      verdict: verdictOf(ssmRefresh.worstCase / ssmRefresh.quota),
      knob: `subscriptionsCacheTtl ≥ ${cacheSecondsFor(deployment, ssmRefresh.quota)} s, fewer containers (maxConcurrency), or SSM higher throughput`,
    },
    {
      limit: `maxConcurrency (${maxConcurrency})`,
      used: busiest / maxConcurrency,
      verdict: busiest > maxConcurrency ? 'over' : busiest > 0.8 * maxConcurrency ? 'tight' : 'fits',
      knob: `maxConcurrency ≥ ${Math.ceil(busiest / 0.8)}, or batchSize and deliveryConcurrency up (fewer invocations)`,
    },
    {
      limit: `account concurrency (${AWS_LIMITS.accountConcurrency})`,
      used: (2 * maxConcurrency) / AWS_LIMITS.accountConcurrency,
      verdict: verdictOf((2 * maxConcurrency) / AWS_LIMITS.accountConcurrency),
      knob: 'a Service Quotas increase, or maxConcurrency down',
    },
    {
      limit: `standard parameters (${AWS_LIMITS.standardParameters.toLocaleString('en-US')} a Region)`,
      used: subscriptions / AWS_LIMITS.standardParameters,
      verdict: subscriptions > AWS_LIMITS.standardParameters ? 'over' : verdictOf(subscriptions / AWS_LIMITS.standardParameters),
      knob: 'advanced parameters ($0.05 each a month), or fewer subscriptions in this account',
    },
    {
      limit: `cold fleet load (${FUNCTION_TIMEOUT_S} s an invocation)`,
      used: figures.coldFleetSeconds / FUNCTION_TIMEOUT_S,
      // Past one invocation records wait a visibility timeout; past the receives the redrive policy allows, they reach the DLQ unprocessed.
      verdict: figures.coldFleetSeconds <= FUNCTION_TIMEOUT_S / 2 ? 'fits' : figures.coldFleetSeconds <= COLD_FLEET_LIMIT_S ? 'tight' : 'over',
      knob: 'fewer subscriptions or containers (maxConcurrency); SSM higher throughput',
    },
  ];
  const severity = { over: 2, tight: 1, fits: 0 } as const;
  return checks.sort((a, b) => severity[b.verdict] - severity[a.verdict] || b.used - a.used);
}

/** The shortest cache that keeps every container's refreshes within half the quota, in whole seconds. */
export function cacheSecondsFor(deployment: Pick<Deployment, 'maxConcurrency' | 'subscriptions'>, quota: number): number {
  return Math.ceil((2 * deployment.maxConcurrency * pagesFor(deployment.subscriptions)) / (quota / 2));
}

/** Cache times `tune` tries, shortest first: up to 15 minutes before paying for SSM's higher throughput. */
const CACHE_LADDER_SECONDS = [60, 120, 300, 600, 900, 1800, 3600] as const;
const FREE_CACHE_LIMIT_SECONDS = 900;

/** A deployment `tune` arrived at, and what it changed. */
export interface Tuned {
  readonly figures: ScaleFigures;
  /** The options changed, as `-c key=value`. */
  readonly changes: readonly string[];
  /** Whether every limit fits or is tight (none over). */
  readonly fits: boolean;
}

/**
 * The smallest changes that bring a deployment within every limit, in this order: `maxConcurrency`
 * for the events (at most 80% busy), then the cache time for SSM's reads (half the quota at every
 * container the sources allow), up to 15 minutes, then SSM's higher throughput with the cache the
 * higher quota needs, up to an hour. Beyond that the configuration does not fit this design.
 */
export function tune(base: Deployment, workload: Workload): Tuned {
  const changes: string[] = [];
  let deployment = base;
  let figures = scaleFigures(deployment, workload);
  const busiest = Math.max(figures.concurrency.events, figures.concurrency.retries);
  if (busiest > 0.8 * deployment.maxConcurrency) {
    const maxConcurrency = Math.min(AWS_LIMITS.maxConcurrencyPerSource, Math.ceil(busiest / 0.8));
    deployment = { ...deployment, maxConcurrency };
    changes.push(`maxConcurrency=${maxConcurrency}`);
    figures = scaleFigures(deployment, workload);
  }
  const cacheFor = (quota: number, limit: number): number | undefined =>
    CACHE_LADDER_SECONDS.find((seconds) => seconds >= Math.max(deployment.cacheSeconds, cacheSecondsFor(deployment, quota)) && seconds <= limit);
  if (figures.ssmRefresh.worstCase > figures.ssmRefresh.quota / 2) {
    const free = cacheFor(AWS_LIMITS.ssmReadTps.standard, FREE_CACHE_LIMIT_SECONDS);
    const paid = free === undefined ? cacheFor(AWS_LIMITS.ssmReadTps.higher, 3600) : undefined;
    const cacheSeconds = free ?? paid ?? 3600;
    deployment = { ...deployment, cacheSeconds, ssmHigherThroughput: free === undefined };
    changes.push(`subscriptionsCacheTtl=${cacheSeconds}s`);
    if (free === undefined) changes.push('SSM higher throughput');
    figures = scaleFigures(deployment, workload);
  }
  if (deployment.subscriptions > AWS_LIMITS.standardParameters) changes.push('advanced parameters');
  return { figures, changes, fits: figures.limits.every((check) => check.verdict !== 'over') };
}
