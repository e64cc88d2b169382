import { ConfigurationError } from './core/errors';
import { formatCidr, parseCidr } from './core/targets/ip-address';
import { DEFAULT_DELIVERY_TIMEOUT_MS } from './core/delivery/delivery-request';
import { DEFAULT_RETRY_SCHEDULE, parseSchedule } from './core/delivery/retry-policy';

/** The function's configuration (docs/design.md §5), read from the environment once per container. */
export interface Config {
  readonly subscriptionsPath: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** Delays between attempts, milliseconds. */
  readonly retrySchedule: readonly number[];
  readonly deliveryTimeoutMs: number;
  readonly subscriptionsCacheSeconds: number;
  /** Opens every non-public target, loopback included, except the credential endpoints (README "Security model"). Default false. */
  readonly allowPrivateTargets: boolean;
  /** Opens private-network targets only: RFC 1918, CGNAT, unique-local (`ALLOW_PRIVATE_NETWORK_TARGETS`). Default false. */
  readonly allowPrivateNetworkTargets: boolean;
  /** CIDR blocks opened deliberately, validated and in canonical form, e.g. `10.1.0.0/16`. Default none. */
  readonly allowedTargetCidrs: readonly string[];
  /** Concurrent deliveries per invocation (and pooled connections per origin). */
  readonly deliveryConcurrency: number;
  /** Stripped from CloudEvents types, e.g. `com.example.platform` (`CLOUDEVENTS_TYPE_PREFIX`). Default none. */
  readonly cloudEventsTypePrefix?: string;
}

export const CONFIG_DEFAULTS = {
  subscriptionsPath: '/platform-webhooks/subscriptions',
  retrySchedule: DEFAULT_RETRY_SCHEDULE,
  deliveryTimeoutMs: DEFAULT_DELIVERY_TIMEOUT_MS,
  subscriptionsCacheSeconds: 60,
  deliveryConcurrency: 50,
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the configuration.
 * @throws {ConfigurationError} listing every variable that is missing or invalid.
 */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const read = <T>(name: string, fallback: T, parse: (text: string) => T): T => {
    const text = env[name];
    if (text === undefined || text.trim() === '') return fallback;
    try {
      return parse(text.trim());
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      return fallback;
    }
  };
  const required = (name: string): string => {
    const text = env[name]?.trim();
    if (!text) problems.push(`${name} is required`);
    return text ?? '';
  };
  const cloudEventsTypePrefix = read<string | undefined>('CLOUDEVENTS_TYPE_PREFIX', undefined, parseTypePrefix);
  const config: Config = {
    subscriptionsPath: read('SUBSCRIPTIONS_PATH', CONFIG_DEFAULTS.subscriptionsPath, parsePath),
    queueUrl: required('QUEUE_URL'),
    deadLetterQueueUrl: required('DLQ_URL'),
    retrySchedule: read('RETRY_SCHEDULE', parseSchedule(CONFIG_DEFAULTS.retrySchedule), parseSchedule),
    deliveryTimeoutMs: read('DELIVERY_TIMEOUT_MS', CONFIG_DEFAULTS.deliveryTimeoutMs, integerIn(100, 30_000)),
    subscriptionsCacheSeconds: read('SUBSCRIPTIONS_CACHE_SECONDS', CONFIG_DEFAULTS.subscriptionsCacheSeconds, integerIn(0, 86_400)),
    allowPrivateTargets: read('ALLOW_PRIVATE_TARGETS', false, parseBoolean),
    allowPrivateNetworkTargets: read('ALLOW_PRIVATE_NETWORK_TARGETS', false, parseBoolean),
    allowedTargetCidrs: read('ALLOWED_TARGET_CIDRS', [], parseCidrList),
    deliveryConcurrency: read('DELIVERY_CONCURRENCY', CONFIG_DEFAULTS.deliveryConcurrency, integerIn(1, 1000)),
    ...(cloudEventsTypePrefix !== undefined && { cloudEventsTypePrefix }),
  };
  if (problems.length > 0) throw new ConfigurationError(`invalid configuration: ${problems.join('; ')}`);
  return config;
}

function parseTypePrefix(text: string): string {
  if (!/^[\x21-\x7e]{1,256}$/.test(text)) throw new Error(`must be a CloudEvents type prefix such as "com.example.platform" (1 to 256 characters, no spaces), got "${text}"`);
  return text;
}

function parsePath(text: string): string {
  if (!/^\/[A-Za-z0-9_.\-/]+$/.test(text)) throw new Error(`must be an SSM path such as "/platform-webhooks/subscriptions", got "${text}"`);
  return text.replace(/\/+$/, '');
}

function integerIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) throw new Error(`must be an integer from ${min} to ${max}, got "${text}"`);
    return value;
  };
}

function parseBoolean(text: string): boolean {
  if (/^(true|1|yes)$/i.test(text)) return true;
  if (/^(false|0|no)$/i.test(text)) return false;
  throw new Error(`must be true or false, got "${text}"`);
}

function parseList(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** A comma list of CIDR blocks (a bare address is one host); the message names the bad entry. */
function parseCidrList(text: string): string[] {
  return parseList(text).map((entry, index) => {
    try {
      return formatCidr(parseCidr(entry));
    } catch (error) {
      throw new Error(`entry ${index + 1} ${(error as Error).message}`, { cause: error });
    }
  });
}
