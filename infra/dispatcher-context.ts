import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { formatDurationText, parseDurationText } from './duration-text';
import { InvalidContextError } from './errors';
import { DISPATCHER_LIMITS, cidrProblem, emailProblem, inRange, subscriptionsPathProblem } from './webhook-dispatcher-props';
import type { IntegerRange, WebhookDispatcherProps } from './webhook-dispatcher-props';

/** The context keys (`-c key=value` or `cdk.json` "context") that set a dispatcher option. */
export const DISPATCHER_CONTEXT_KEYS = [
  'subscriptionsPath',
  'retrySchedule',
  'deliveryTimeout',
  'deliveryConcurrency',
  'subscriptionsCacheTtl',
  'cloudEventsTypePrefix',
  'batchSize',
  'maxBatchingWindow',
  'maxConcurrency',
  'memorySize',
  'allowPrivateTargets',
  'allowedTargetCidrs',
  'alarmEmail',
  'logRetention',
  'removalPolicy',
] as const satisfies readonly (keyof WebhookDispatcherProps)[];

/** Retention periods CloudWatch Logs accepts, in days. */
const RETENTION_DAYS: ReadonlySet<number> = new Set(
  Object.values(RetentionDays).filter((days): days is number => typeof days === 'number' && days !== RetentionDays.INFINITE),
);

const REMOVAL_POLICIES = { retain: RemovalPolicy.RETAIN, destroy: RemovalPolicy.DESTROY } as const;

/**
 * Reads the dispatcher options from CDK context. Values from `-c` arrive as strings, those from
 * `cdk.json` may also be numbers, booleans or arrays; both are accepted. Absent keys stay undefined
 * so that the construct's defaults apply.
 * @throws {InvalidContextError} listing every context value that is not valid.
 */
export function dispatcherPropsFromContext(node: Node): WebhookDispatcherProps {
  const problems: string[] = [];
  const read = <T>(key: (typeof DISPATCHER_CONTEXT_KEYS)[number], parse: (text: string) => T): T | undefined => {
    const raw: unknown = node.tryGetContext(key);
    if (raw === undefined || raw === null) return undefined;
    const text = Array.isArray(raw) ? raw.join(',') : String(raw).trim();
    try {
      return parse(text);
    } catch (error) {
      problems.push(`context "${key}" ${(error as Error).message}, got ${JSON.stringify(raw)}`);
      return undefined;
    }
  };

  const props: WebhookDispatcherProps = {
    subscriptionsPath: read('subscriptionsPath', (text) => check(text, subscriptionsPathProblem(text))),
    retrySchedule: read('retrySchedule', parseSchedule),
    deliveryTimeout: read('deliveryTimeout', durationIn(DISPATCHER_LIMITS.deliveryTimeoutMs, 'such as "10s" or "2500ms"')),
    deliveryConcurrency: read('deliveryConcurrency', integerIn(DISPATCHER_LIMITS.deliveryConcurrency)),
    subscriptionsCacheTtl: read('subscriptionsCacheTtl', secondsIn(DISPATCHER_LIMITS.subscriptionsCacheSeconds)),
    cloudEventsTypePrefix: read('cloudEventsTypePrefix', (text) => check(text, /^\S{1,256}$/.test(text) ? undefined : 'must be 1 to 256 characters without spaces')),
    batchSize: read('batchSize', integerIn(DISPATCHER_LIMITS.batchSize)),
    maxBatchingWindow: read('maxBatchingWindow', secondsIn(DISPATCHER_LIMITS.maxBatchingWindowSeconds)),
    maxConcurrency: read('maxConcurrency', integerIn(DISPATCHER_LIMITS.maxConcurrency)),
    memorySize: read('memorySize', integerIn(DISPATCHER_LIMITS.memorySize)),
    allowPrivateTargets: read('allowPrivateTargets', parseBoolean),
    allowedTargetCidrs: read('allowedTargetCidrs', parseCidrs),
    alarmEmail: read('alarmEmail', (text) => check(text, emailProblem(text))),
    logRetention: read('logRetention', parseRetention),
    removalPolicy: read('removalPolicy', parseRemovalPolicy),
  };
  if (problems.length > 0) throw new InvalidContextError(problems.join('; '));
  return props;
}

function check(text: string, problem: string | undefined): string {
  if (problem !== undefined) throw new Error(problem);
  return text;
}

function integerIn(range: IntegerRange): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || !inRange(value, range)) throw new Error(`must be an integer from ${range.min} to ${range.max}`);
    return value;
  };
}

function durationIn(rangeMs: IntegerRange, example: string): (text: string) => Duration {
  const bounds = `from ${formatDurationText(Duration.millis(rangeMs.min))} to ${formatDurationText(Duration.millis(rangeMs.max))}`;
  return (text) => {
    const duration = tryParseDuration(text);
    if (duration === undefined || !inRange(duration.toMilliseconds(), rangeMs)) throw new Error(`must be a duration ${bounds} ${example}`);
    return duration;
  };
}

function secondsIn(rangeSeconds: IntegerRange): (text: string) => Duration {
  const bounds = `whole seconds from ${rangeSeconds.min} to ${rangeSeconds.max}`;
  return (text) => {
    const duration = tryParseDuration(text);
    if (duration === undefined || !inRange(duration.toMilliseconds() / 1000, rangeSeconds)) {
      throw new Error(`must be a duration in ${bounds}, such as "60s", "5m" or "60"`);
    }
    return duration;
  };
}

function parseSchedule(text: string): Duration[] {
  if (text === '') throw new Error('must list at least one delay, such as "5s,5m,30m,2h"');
  return text.split(',').map((entry, index) => {
    const duration = tryParseDuration(entry);
    if (duration === undefined) throw new Error(`entry ${index + 1} "${entry.trim()}" is not a duration; expected a comma list such as "5s,5m,30m,2h" (ms, s, m or h; a bare number is seconds)`);
    return duration;
  });
}

function parseBoolean(text: string): boolean {
  if (/^(true|1|yes)$/i.test(text)) return true;
  if (/^(false|0|no)$/i.test(text)) return false;
  throw new Error('must be true or false');
}

function parseCidrs(text: string): string[] {
  const cidrs = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  cidrs.forEach((cidr, index) => {
    const problem = cidrProblem(cidr);
    if (problem !== undefined) throw new Error(`entry ${index + 1}: ${problem}`);
  });
  return cidrs;
}

function parseRetention(text: string): RetentionDays {
  if (/^infinite$/i.test(text)) return RetentionDays.INFINITE;
  const days = Number(text);
  if (!/^\d+$/.test(text) || !RETENTION_DAYS.has(days)) {
    throw new Error(`must be a number of days CloudWatch Logs accepts (${[...RETENTION_DAYS].sort((a, b) => a - b).join(', ')}) or "infinite"`);
  }
  return days as RetentionDays;
}

function parseRemovalPolicy(text: string): RemovalPolicy {
  const policy = REMOVAL_POLICIES[text.toLowerCase() as keyof typeof REMOVAL_POLICIES] as RemovalPolicy | undefined;
  if (policy === undefined) throw new Error('must be "retain" or "destroy"');
  return policy;
}

function tryParseDuration(text: string): Duration | undefined {
  try {
    return parseDurationText(text);
  } catch {
    return undefined;
  }
}
