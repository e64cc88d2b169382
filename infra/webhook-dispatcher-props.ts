import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CONFIG_DEFAULTS } from '../lambda/config';
import { parseCidr } from '../lambda/core/targets/ip-address';
import { parseSchedule } from '../lambda/core/delivery/retry-policy';
import { InvalidPropsError } from './errors';

/** Options of a {@link WebhookDispatcher}. Every one has a default; see each for its meaning. */
export interface WebhookDispatcherProps {
  /**
   * SSM Parameter Store path that holds one parameter per subscription (`<path>/<name>`).
   * The function may read and rewrite parameters under this path and nothing else.
   * @default '/platform-webhooks/subscriptions'
   */
  readonly subscriptionsPath?: string;
  /**
   * Delays between delivery attempts (env `RETRY_SCHEDULE`); n delays mean n + 1 attempts, each
   * delay jittered ±20% by the function. At least one delay.
   * @default 5s, 5m, 30m, 2h, 5h, 10h, 10h (8 attempts over about 27.5 hours)
   */
  readonly retrySchedule?: readonly Duration[];
  /**
   * Per-attempt HTTP timeout for subscriptions that set no `timeoutMs` (env `DELIVERY_TIMEOUT_MS`),
   * from 1 to 30 seconds.
   * @default Duration.seconds(10)
   */
  readonly deliveryTimeout?: Duration;
  /**
   * Deliveries one invocation runs at once (env `DELIVERY_CONCURRENCY`), from 1 to 1000.
   * @default 50
   */
  readonly deliveryConcurrency?: number;
  /**
   * How long the function caches the subscriptions it read from SSM (env
   * `SUBSCRIPTIONS_CACHE_SECONDS`), whole seconds up to one day; 0 reads them on every batch.
   * @default Duration.seconds(60)
   */
  readonly subscriptionsCacheTtl?: Duration;
  /**
   * Prefix stripped from CloudEvents `type`s before they are matched (env `CLOUDEVENTS_TYPE_PREFIX`),
   * e.g. `com.example.platform` turns `com.example.platform.experiments.succeeded` into
   * `experiments.succeeded`.
   * @default none: CloudEvents types are used as they stand
   */
  readonly cloudEventsTypePrefix?: string;
  /**
   * Most SQS messages handed to one invocation, from 1 to 10000; above 10 needs a
   * `maxBatchingWindow` of at least 1 second (a Lambda rule).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long Lambda gathers messages before invoking with a partial batch, whole seconds up to 300.
   * Added to the queue's visibility timeout.
   * @default Duration.seconds(0)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most concurrent invocations the SQS event source starts, from 2 to 1000. Bounds the load on
   * receivers and on the account's Lambda concurrency; messages beyond it wait in the queue.
   * @default 10
   */
  readonly maxConcurrency?: number;
  /**
   * Function memory in MB, from 128 to 10240 (CPU scales with it).
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Deliver to targets that resolve to private, loopback or link-local addresses (env
   * `ALLOW_PRIVATE_TARGETS`). Leave off unless the function runs in a VPC with such receivers.
   * @default false
   */
  readonly allowPrivateTargets?: boolean;
  /**
   * Address ranges allowed although non-public, e.g. `['10.20.0.0/16']` (env `ALLOWED_TARGET_CIDRS`);
   * a bare address means that one address.
   * @default - none
   */
  readonly allowedTargetCidrs?: readonly string[];
  /**
   * E-mail address subscribed to the alarm topic (AWS sends a confirmation e-mail first).
   * @default - no subscription; the topic is still created
   */
  readonly alarmEmail?: string;
  /**
   * Customer managed KMS key to encrypt the alarm topic with. CloudWatch cannot publish to a topic
   * encrypted with the AWS managed `alias/aws/sns` key, so encryption needs a key of your own; when
   * the key is defined in this app the construct adds the statement that lets CloudWatch use it.
   * @default - the topic is not encrypted at rest (alarm notifications carry no secrets)
   */
  readonly alarmTopicKey?: IKey;
  /**
   * Retention of the function's log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * What `cdk destroy` does with the queues and the log group (the DLQ may hold undelivered events).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The props with every default applied. */
export type ResolvedDispatcherProps = Required<Omit<WebhookDispatcherProps, 'alarmEmail' | 'alarmTopicKey' | 'cloudEventsTypePrefix'>> &
  Pick<WebhookDispatcherProps, 'alarmEmail' | 'alarmTopicKey' | 'cloudEventsTypePrefix'>;

/** Defaults of {@link WebhookDispatcherProps}; the function's own defaults where it has one. */
export const DISPATCHER_DEFAULTS = {
  subscriptionsPath: CONFIG_DEFAULTS.subscriptionsPath,
  retrySchedule: parseSchedule(CONFIG_DEFAULTS.retrySchedule).map((ms) => Duration.millis(ms)),
  deliveryTimeout: Duration.millis(CONFIG_DEFAULTS.deliveryTimeoutMs),
  deliveryConcurrency: CONFIG_DEFAULTS.deliveryConcurrency,
  subscriptionsCacheTtl: Duration.seconds(CONFIG_DEFAULTS.subscriptionsCacheSeconds),
  batchSize: 10,
  maxBatchingWindow: Duration.seconds(0),
  maxConcurrency: 10,
  memorySize: 256,
  allowPrivateTargets: false,
  allowedTargetCidrs: [],
  logRetention: RetentionDays.ONE_MONTH,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies ResolvedDispatcherProps;

/**
 * Ranges the props must fall in: Lambda's and SQS's own limits, and the function's (docs/design.md §2, §5).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
 */
export const DISPATCHER_LIMITS = {
  batchSize: { min: 1, max: 10_000 },
  /** Lambda requires a batching window of at least 1 s for a batch size above this. */
  batchSizeWithoutWindow: 10,
  maxBatchingWindowSeconds: { min: 0, max: 300 },
  maxConcurrency: { min: 2, max: 1000 },
  memorySize: { min: 128, max: 10_240 },
  deliveryConcurrency: { min: 1, max: 1000 },
  deliveryTimeoutMs: { min: 1000, max: 30_000 },
  subscriptionsCacheSeconds: { min: 0, max: 86_400 },
} as const;

/** An integer range, as in {@link DISPATCHER_LIMITS}. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

/** Whether `value` is an integer within `range`. */
export function inRange(value: number, range: IntegerRange): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

/**
 * What is wrong with a subscriptions path, or `undefined` when it is valid: absolute, no trailing
 * slash, segments of `[A-Za-z0-9_.-]`, not under the reserved `/aws` or `/ssm` prefixes, and at most
 * 14 levels deep so that `<path>/<name>` stays within Parameter Store's 15 levels.
 */
export function subscriptionsPathProblem(path: string): string | undefined {
  if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(path)) {
    return 'must be an absolute SSM path of [A-Za-z0-9_.-] segments without a trailing slash, such as "/platform-webhooks/subscriptions"';
  }
  if (/^\/(aws|ssm)/i.test(path)) return 'may not begin with "/aws" or "/ssm" (reserved by AWS)';
  if (path.split('/').length - 1 > 14) return 'may have at most 14 levels (Parameter Store allows 15 including the name)';
  return undefined;
}

/**
 * What is wrong with an `allowedTargetCidrs` entry, or `undefined` when it is valid. Delegates to
 * the function's own parser, so that an entry accepted here cannot stop the function at start.
 */
export function cidrProblem(cidr: string): string | undefined {
  try {
    parseCidr(cidr);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** What is wrong with an e-mail address, or `undefined` when it looks like one. */
export function emailProblem(email: string): string | undefined {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? undefined : 'must be an e-mail address such as "ops@example.com"';
}

/**
 * Applies the defaults and checks every prop against {@link DISPATCHER_LIMITS}.
 * @throws {InvalidPropsError} listing every prop that is out of range.
 */
export function resolveDispatcherProps(props: WebhookDispatcherProps = {}): ResolvedDispatcherProps {
  const resolved: ResolvedDispatcherProps = { ...DISPATCHER_DEFAULTS, ...withoutUndefined(props) };
  const problems = dispatcherPropsProblems(resolved);
  if (problems.length > 0) throw new InvalidPropsError(`WebhookDispatcher: ${problems.join('; ')}`);
  return resolved;
}

function dispatcherPropsProblems(props: ResolvedDispatcherProps): string[] {
  const limits = DISPATCHER_LIMITS;
  const problems: string[] = [];
  const check = (ok: boolean, message: string): void => {
    if (!ok) problems.push(message);
  };
  const integer = (name: string, value: number, range: IntegerRange): void =>
    check(inRange(value, range), `${name} must be an integer from ${range.min} to ${range.max}, got ${value}`);

  const pathProblem = subscriptionsPathProblem(props.subscriptionsPath);
  check(pathProblem === undefined, `subscriptionsPath ${pathProblem}, got "${props.subscriptionsPath}"`);
  // The function reads an empty RETRY_SCHEDULE as "use the default", so a schedule cannot be empty.
  check(props.retrySchedule.length > 0, 'retrySchedule needs at least one delay');
  const timeoutMs = props.deliveryTimeout.toMilliseconds({ integral: false });
  check(inRange(timeoutMs, limits.deliveryTimeoutMs), `deliveryTimeout must be from 1 to 30 seconds, got ${props.deliveryTimeout.toHumanString()}`);
  integer('deliveryConcurrency', props.deliveryConcurrency, limits.deliveryConcurrency);
  const cacheSeconds = props.subscriptionsCacheTtl.toMilliseconds({ integral: false }) / 1000;
  check(inRange(cacheSeconds, limits.subscriptionsCacheSeconds), `subscriptionsCacheTtl must be whole seconds up to one day, got ${props.subscriptionsCacheTtl.toHumanString()}`);
  integer('batchSize', props.batchSize, limits.batchSize);
  const windowSeconds = props.maxBatchingWindow.toMilliseconds({ integral: false }) / 1000;
  check(inRange(windowSeconds, limits.maxBatchingWindowSeconds), `maxBatchingWindow must be whole seconds up to 300, got ${props.maxBatchingWindow.toHumanString()}`);
  check(
    props.batchSize <= limits.batchSizeWithoutWindow || windowSeconds >= 1,
    `batchSize ${props.batchSize} needs a maxBatchingWindow of at least 1 second (Lambda allows more than ${limits.batchSizeWithoutWindow} messages only with a batching window)`,
  );
  integer('maxConcurrency', props.maxConcurrency, limits.maxConcurrency);
  integer('memorySize', props.memorySize, limits.memorySize);
  props.allowedTargetCidrs.forEach((cidr, index) => {
    const problem = cidrProblem(cidr);
    check(problem === undefined, `allowedTargetCidrs[${index}]: ${problem}`);
  });
  if (props.alarmEmail !== undefined) {
    const problem = emailProblem(props.alarmEmail);
    check(problem === undefined, `alarmEmail ${problem}, got "${props.alarmEmail}"`);
  }
  check(props.removalPolicy !== RemovalPolicy.SNAPSHOT, 'removalPolicy SNAPSHOT does not apply to queues or log groups; use RETAIN or DESTROY');
  return problems;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
