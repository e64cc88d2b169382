import { DEFAULT_DELIVERY_TIMEOUT_MS } from './core/delivery/delivery-request';
import { DEFAULT_RETRY_SCHEDULE, parseSchedule } from './core/delivery/retry-policy';
import { DEFAULT_BREAKER } from './core/delivery/circuit-breaker';
import { checkExtraEventType } from './core/inbound/events';
import { SUBSCRIPTION_LIMITS } from './core/subscriptions/subscriptions';
import { boolean, cidrList, duration, integer, list, oneOf, patternList, schedule, subscriptionsPath, text } from './setting-types';
import type { SettingForm, SettingType } from './setting-types';

/**
 * One setting: the function's environment variable and/or the CDK app's prop and context key, how
 * its value is read, its default and a line of documentation. Declared once in {@link SETTINGS};
 * `loadConfig`, the construct, the context reader, `npm start` and the README all read it from there.
 */
export interface Setting<T> {
  readonly type: SettingType<T>;
  /** One line for the README's tables. */
  readonly doc: string;
  /** The environment variable the function reads (docs/design.md §5). */
  readonly env?: string;
  /** The `WebhookDispatcher` prop and the CDK context key (docs/design.md §12). */
  readonly key?: string;
  /** Set for a key of the app's context that is not a prop of the construct. */
  readonly contextOnly?: true;
  readonly default?: T;
  /** The function refuses to start without it. */
  readonly required?: true;
}

/** A {@link Setting} whose default is checked against its type and whose literal fields stay known to the compiler. */
function setting<T, const S extends Omit<Setting<T>, 'type' | 'default'>>(type: SettingType<T>, spec: S & { readonly default?: NoInfer<T> }): S & { readonly type: SettingType<T> } {
  return { type, ...spec };
}

/** CloudWatch Logs retention periods in days (PutRetentionPolicy). @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const queueUrl = text(/^\S+$/, 'an SQS queue URL');
const email = text(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address such as "ops@example.com"');
const kmsKeyArn = text(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'a KMS key ARN such as "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"');

/**
 * Every setting of the function and of the CDK app. The name of an entry is the field of `Config`
 * (lambda/config.ts) for a setting the function reads, the prop otherwise. Adding a setting is
 * adding an entry; the README's tables follow with `npm run docs:settings`.
 */
export const SETTINGS = {
  subscriptionsPath: setting(subscriptionsPath, {
    env: 'SUBSCRIPTIONS_PATH', key: 'subscriptionsPath', default: '/platform-webhooks/subscriptions',
    doc: 'where the subscription parameters live; the function can read and rewrite only under it',
  }),
  queueUrl: setting(queueUrl, { env: 'QUEUE_URL', required: true, doc: 'the events queue the function consumes' }),
  retryQueueUrl: setting(queueUrl, { env: 'RETRY_QUEUE_URL', required: true, doc: 'the internal retry queue only the function sends to; retries go there, and delivery messages are trusted only from it (docs/design.md §4)' }),
  deadLetterQueueUrl: setting(queueUrl, { env: 'DLQ_URL', required: true, doc: 'the dead-letter queue' }),
  retrySchedule: setting(schedule({ minDelayMs: 1000, maxDelayMs: 12 * 3_600_000, maxDelays: 20 }), {
    env: 'RETRY_SCHEDULE', key: 'retrySchedule', default: parseSchedule(DEFAULT_RETRY_SCHEDULE),
    doc: 'delays between attempts (n delays, n + 1 attempts), each jittered ±20%',
  }),
  deliveryTimeoutMs: setting(duration({ min: SUBSCRIPTION_LIMITS.timeoutMinMs, max: SUBSCRIPTION_LIMITS.timeoutMaxMs, envCount: true }), {
    env: 'DELIVERY_TIMEOUT_MS', key: 'deliveryTimeout', default: DEFAULT_DELIVERY_TIMEOUT_MS,
    doc: 'per-attempt HTTP timeout of subscriptions without `timeoutMs` (the same range as `timeoutMs`)',
  }),
  deliveryConcurrency: setting(integer(1, 1000), {
    env: 'DELIVERY_CONCURRENCY', key: 'deliveryConcurrency', default: 50,
    doc: 'deliveries one invocation runs at once (and pooled connections per origin)',
  }),
  subscriptionsCacheSeconds: setting(duration({ unit: 's', max: 86_400, envCount: true }), {
    env: 'SUBSCRIPTIONS_CACHE_SECONDS', key: 'subscriptionsCacheTtl', default: 60,
    doc: 'how long loaded subscriptions are reused (0: read on every batch); a failed refresh keeps serving the stale copy',
  }),
  cloudEventsTypePrefix: setting(text(/^[\x21-\x7e]{1,256}$/, 'a CloudEvents type prefix such as "com.example.platform" (1 to 256 characters, no spaces)'), {
    env: 'CLOUDEVENTS_TYPE_PREFIX', key: 'cloudEventsTypePrefix',
    doc: 'stripped from CloudEvents types before matching (see "Other envelopes")',
  }),
  allowPrivateTargets: setting(boolean, {
    env: 'ALLOW_PRIVATE_TARGETS', key: 'allowPrivateTargets', default: false,
    doc: 'allow targets on every non-public address, loopback included (never the credential endpoints; see "Security model")',
  }),
  allowPrivateNetworkTargets: setting(boolean, {
    env: 'ALLOW_PRIVATE_NETWORK_TARGETS', key: 'allowPrivateNetworkTargets', default: false,
    doc: 'allow targets on private-network addresses only: RFC 1918, CGNAT, unique-local (see "Security model")',
  }),
  allowedTargetCidrs: setting(cidrList, {
    env: 'ALLOWED_TARGET_CIDRS', key: 'allowedTargetCidrs', default: [],
    doc: 'non-public ranges allowed anyway; a bare address is one host',
  }),
  extraEventTypes: setting(list('event types "<entity>.<action>" such as "models.registered"', checkExtraEventType, 2000), {
    env: 'EXTRA_EVENT_TYPES', key: 'extraEventTypes', default: [],
    doc: 'event types accepted beside the 15 built-in ones, e.g. `jobs.deleted,models.registered`: each part `[a-z][a-z0-9_-]*`, none a built-in type (see "Traffic control")',
  }),
  breakerFailures: setting(integer(0, 1000), {
    env: 'BREAKER_FAILURES', key: 'breakerFailures', default: DEFAULT_BREAKER.failures,
    doc: 'consecutive retryable failures of one subscription in a container that open its circuit; 0 turns the breaker off (see "Traffic control")',
  }),
  breakerCooldown: setting(duration({ unit: 's', min: 1, max: DEFAULT_BREAKER.maxCooldownMs / 1000 }), {
    env: 'BREAKER_COOLDOWN', key: 'breakerCooldown', default: DEFAULT_BREAKER.cooldownMs / 1000,
    doc: 'how long an open circuit defers its subscription\'s deliveries before one probes; doubled after each failed probe, up to 15 minutes',
  }),
  functionMaxConcurrency: setting(integer(1, 20_000), {
    env: 'FUNCTION_MAX_CONCURRENCY', default: 1,
    doc: 'set by the stack: the most function instances at once, both event sources together (docs/design.md §10)',
  }),
  // CDK-only options: Lambda's and SQS's own limits on them are checked by CDK.
  // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
  batchSize: setting(integer(), { key: 'batchSize', default: 10, doc: 'SQS messages per invocation: 1 to 10000, above 10 only with a batching window' }),
  maxBatchingWindow: setting(duration({ unit: 's' }), { key: 'maxBatchingWindow', default: 0, doc: 'how long Lambda gathers a batch, up to 300 s; added to the visibility timeout' }),
  maxConcurrency: setting(integer(), {
    key: 'maxConcurrency', default: 10,
    doc: 'most concurrent invocations per queue (events, retries), 2 to 1000; bounds the load on receivers and on the account\'s Lambda concurrency',
  }),
  memorySize: setting(integer(128, 10_240), { key: 'memorySize', default: 256, doc: 'function memory in MB (CPU scales with it)' }),
  alarmEmail: setting(email, {
    key: 'alarmEmail', doc: 'subscribed to the system alarms\' topic: faults of the platform (AWS sends a confirmation e-mail first)',
  }),
  receiverAlarmEmail: setting(email, {
    key: 'receiverAlarmEmail', doc: 'subscribed to the receiver alarms\' topic: deliveries a receiver refused or never accepted',
  }),
  snsTopicArns: setting(patternList('SNS topic ARNs', /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'an SNS topic ARN such as "arn:aws:sns:eu-west-1:123456789012:platform-events"'), {
    key: 'snsTopicArns', default: [], doc: 'SNS topics that may send to the events queue (see "Other envelopes")',
  }),
  eventBridgeRuleArns: setting(patternList('EventBridge rule ARNs', /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:rule\/([A-Za-z0-9._-]+\/)?[A-Za-z0-9._-]{1,64}$/, 'an EventBridge rule ARN such as "arn:aws:events:eu-west-1:123456789012:rule/platform-webhooks"'), {
    key: 'eventBridgeRuleArns', default: [], doc: 'EventBridge rules that may send to the events queue (see "Other envelopes")',
  }),
  publisherAccountIds: setting(patternList('AWS account ids', /^\d{12}$/, 'an AWS account id of 12 digits'), {
    key: 'publisherAccountIds', default: [], doc: 'other AWS accounts whose roles may send to the events queue (their own IAM must allow it too)',
  }),
  staticEgressIp: setting(boolean, {
    key: 'staticEgressIp', default: false, doc: 'deliver from fixed Elastic IPs (output `EgressIps`) through NAT gateways; costs about $36 a month per IP',
  }),
  staticEgressIpCount: setting(oneOf([1, 2]), {
    key: 'staticEgressIpCount', default: 2, doc: 'with `staticEgressIp`: Availability Zones, each with a NAT gateway and an IP; 1 halves the cost and loses egress if that zone fails',
  }),
  queueKmsKeyArn: setting(kmsKeyArn, {
    key: 'queueKmsKeyArn', doc: 'customer managed key for the three queues instead of SSE-SQS; its key policy must let the senders use it',
  }),
  logKmsKeyArn: setting(kmsKeyArn, {
    key: 'logKmsKeyArn', doc: 'customer managed key for the function\'s log group; its key policy must let CloudWatch Logs use it',
  }),
  tracing: setting(boolean, { key: 'tracing', default: false, doc: 'AWS X-Ray active tracing of the function' }),
  logLevel: setting(oneOf(['debug', 'info', 'warn', 'error']), {
    key: 'logLevel', default: 'info', doc: 'the lowest level of the function\'s log lines kept (Lambda\'s application log level)',
  }),
  sourceMaps: setting(boolean, {
    key: 'sourceMaps', default: false, doc: 'ship the source map in the function package, so stack traces name the TypeScript lines (about 13 ms more at cold start, see below)',
  }),
  logRetention: setting(oneOf([...RETENTION_DAYS, 'infinite'], `a number of days CloudWatch Logs accepts (${RETENTION_DAYS.join(', ')}) or "infinite"`), {
    key: 'logRetention', default: 30, doc: 'retention of the function\'s log group, in days',
  }),
  removalPolicy: setting(oneOf(['retain', 'destroy']), {
    key: 'removalPolicy', default: 'retain', doc: 'what `cdk destroy` does with the queues and the log group (the DLQ may hold undelivered events)',
  }),
  stackName: setting(text(/^\S+$/, 'a CloudFormation stack name'), {
    key: 'stackName', contextOnly: true, default: 'PlatformWebhooks', doc: 'the stack\'s name; deploy several copies under different names',
  }),
} as const;

type Table = typeof SETTINGS;
export type SettingName = keyof Table;
type ValueOf<K extends SettingName> = Table[K]['type'] extends SettingType<infer T> ? T : never;
type NamesWhere<Shape> = { [K in SettingName]: Table[K] extends Shape ? K : never }[SettingName];
/** Settings that always have a value: a default, or required. */
type Always = NamesWhere<{ readonly default: unknown } | { readonly required: true }>;

/** Settings the function reads from its environment. */
export type EnvSettingName = NamesWhere<{ readonly env: string }>;
/** Settings of the CDK app: the construct's props and the context keys. */
export type CdkSettingName = NamesWhere<{ readonly key: string }>;
/** Settings of the CDK app that are props of the construct (all but the context-only ones). */
export type PropSettingName = Exclude<CdkSettingName, NamesWhere<{ readonly contextOnly: true }>>;
/** The values of the settings `K`, by name; present when defaulted or required, optional otherwise. */
export type SettingValues<K extends SettingName> = { readonly [P in K & Always]: ValueOf<P> } & { readonly [P in Exclude<K, Always>]?: ValueOf<P> };

const NAMES = Object.keys(SETTINGS) as SettingName[];
export const ENV_SETTINGS = NAMES.filter((name) => 'env' in SETTINGS[name]) as EnvSettingName[];
export const CDK_SETTINGS = NAMES.filter((name) => 'key' in SETTINGS[name]) as CdkSettingName[];
export const PROP_SETTINGS = CDK_SETTINGS.filter((name) => !('contextOnly' in SETTINGS[name])) as PropSettingName[];

/**
 * Reads the settings `names` in `form`: `input` gives each one's raw value (undefined or null,
 * and blank text in the environment, mean not given: the default applies), `where` names it in messages.
 * @returns the values, and one sentence per problem: `<where> <what is wrong>, got <input>`, or
 * `<VARIABLE> is required`.
 */
export function readSettings<K extends SettingName>(
  names: readonly K[],
  form: SettingForm,
  input: (name: K) => unknown,
  where: (name: K) => string,
): { values: SettingValues<K>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of names) {
    const entry: Setting<unknown> = SETTINGS[name];
    const raw = input(name);
    const given = typeof raw === 'string' ? raw.trim() : raw;
    // A blank variable counts as unset (README, "The Lambda"); a blank `-c key=` is refused as a mistake.
    if (given === undefined || given === null || (given === '' && form === 'env')) {
      if (entry.default !== undefined) values[name] = entry.default;
      else if (entry.required) problems.push(`${entry.env ?? name} is required`);
      continue;
    }
    try {
      values[name] = entry.type.read(given, form);
    } catch (error) {
      problems.push(`${where(name)} ${(error as Error).message}, got ${JSON.stringify(given)}`);
    }
  }
  return { values: values as SettingValues<K>, problems };
}

/** The function's environment for `values`, as the construct sets it; settings without a value are left out. */
export function settingsEnvironment(values: Partial<Record<SettingName, unknown>>): Record<string, string> {
  return Object.fromEntries(
    ENV_SETTINGS.flatMap((name) => {
      const entry: Setting<unknown> = SETTINGS[name];
      const value = values[name];
      return value === undefined ? [] : [[SETTINGS[name].env, entry.type.write(value, 'env')]];
    }),
  );
}
