import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { formatDuration } from '../lambda/core/delivery/retry-policy';
import { PROP_SETTINGS, SETTINGS, readSettings } from '../lambda/settings';
import type { PropSettingName, Setting, SettingValues } from '../lambda/settings';
import { InvalidPropsError } from './errors';

/**
 * Options of a {@link WebhookDispatcher}, each optional and each also a context key of the app.
 * What each means, its default and the values it accepts are declared once, in `SETTINGS`
 * (lambda/settings.ts), and listed in the README, "Deploy" → "Options".
 */
export interface WebhookDispatcherProps {
  readonly subscriptionsPath?: string;
  /** n delays mean n + 1 attempts. */
  readonly retrySchedule?: readonly Duration[];
  readonly deliveryTimeout?: Duration;
  readonly deliveryConcurrency?: number;
  readonly subscriptionsCacheTtl?: Duration;
  readonly cloudEventsTypePrefix?: string;
  readonly allowPrivateTargets?: boolean;
  readonly allowPrivateNetworkTargets?: boolean;
  readonly allowedTargetCidrs?: readonly string[];
  readonly extraEventTypes?: readonly string[];
  readonly breakerFailures?: number;
  readonly breakerCooldown?: Duration;
  readonly batchSize?: number;
  readonly maxBatchingWindow?: Duration;
  readonly maxConcurrency?: number;
  readonly memorySize?: number;
  readonly alarmEmail?: string;
  readonly receiverAlarmEmail?: string;
  /** `aws:SourceArn` of each topic is a condition of the statement that lets SNS send to the events queue. */
  readonly snsTopicArns?: readonly string[];
  /** `aws:SourceArn` of each rule is a condition of the statement that lets EventBridge send to the events queue. */
  readonly eventBridgeRuleArns?: readonly string[];
  readonly publisherAccountIds?: readonly string[];
  readonly staticEgressIp?: boolean;
  readonly staticEgressIpCount?: 1 | 2;
  readonly queueKmsKeyArn?: string;
  readonly logKmsKeyArn?: string;
  readonly tracing?: boolean;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readonly sourceMaps?: boolean;
  /**
   * Customer managed KMS key to encrypt the alarm topic with. CloudWatch cannot publish to a topic
   * encrypted with the AWS managed `alias/aws/sns` key, so encryption needs a key of your own; when
   * the key is defined in this app the construct adds the statement that lets CloudWatch use it.
   * @default - the topic is not encrypted at rest (alarm notifications carry no secrets)
   */
  readonly alarmTopicKey?: IKey;
  readonly logRetention?: RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
}

/** The props validated, with every default applied, by setting name (`deliveryTimeoutMs` for `deliveryTimeout`). */
export type DispatcherOptions = SettingValues<PropSettingName> & Pick<WebhookDispatcherProps, 'alarmTopicKey'>;

/**
 * Applies the defaults and checks every prop, as the context reader checks context values: each
 * prop is spelled as context would spell it (durations as `1500ms`) and read by its setting.
 * @throws {InvalidPropsError} listing every prop that is not valid.
 */
export function resolveDispatcherProps(props: WebhookDispatcherProps = {}): DispatcherOptions {
  const { values, problems } = readSettings(PROP_SETTINGS, 'cdk', (name) => propAsText(props, name), (name) => SETTINGS[name].key);
  if (problems.length > 0) throw new InvalidPropsError(`WebhookDispatcher: ${problems.join('; ')}`);
  return { ...values, alarmTopicKey: props.alarmTopicKey };
}

/** Props for setting values read from context: the inverse of {@link resolveDispatcherProps}. */
export function propsFromSettings(values: Partial<Record<PropSettingName, unknown>>): WebhookDispatcherProps {
  const props: Record<string, unknown> = {};
  for (const name of PROP_SETTINGS) {
    const value = values[name];
    const { key, type }: Setting<unknown> = SETTINGS[name];
    const asProp = (item: unknown): unknown => (type.unitMs === undefined ? item : Duration.millis(Number(item) * type.unitMs));
    if (value === undefined) continue;
    props[key] = name === 'logRetention' && value === 'infinite' ? RetentionDays.INFINITE : Array.isArray(value) ? value.map(asProp) : asProp(value);
  }
  return props as WebhookDispatcherProps;
}

/** A prop as `-c` would give it: a duration as text in its largest exact unit, infinite retention by name. */
function propAsText(props: WebhookDispatcherProps, name: PropSettingName): unknown {
  const value: unknown = props[SETTINGS[name].key];
  const spell = (item: unknown): unknown => (item instanceof Duration ? formatDuration(item.toMilliseconds()) : item);
  if (name === 'logRetention' && value === RetentionDays.INFINITE) return 'infinite';
  return Array.isArray(value) ? value.map(spell) : spell(value);
}

/** The construct's removal policies by the name context gives them. */
export const REMOVAL_POLICIES = { retain: RemovalPolicy.RETAIN, destroy: RemovalPolicy.DESTROY } as const;
