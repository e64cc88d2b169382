import { loadConfig } from '../../lambda/config';
import { SETTINGS } from '../../lambda/settings';
import { ConfigurationError } from '../../lambda/core/errors';
import { DEFAULT_RETRY_SCHEDULE, parseSchedule } from '../../lambda/core/delivery/retry-policy';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/platform-webhooks-events';
const RETRY_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/platform-webhooks-retries';
const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/platform-webhooks-dlq';

function env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { QUEUE_URL, RETRY_QUEUE_URL, DLQ_URL, ...overrides };
}

function errorOf(environment: Record<string, string | undefined>): Error {
  try {
    loadConfig(environment);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies the defaults to everything but the queue URLs', () => {
    // Act
    const config = loadConfig(env());

    // Assess
    expect(config).toEqual({
      subscriptionsPath: '/platform-webhooks/subscriptions',
      queueUrl: QUEUE_URL,
      retryQueueUrl: RETRY_QUEUE_URL,
      deadLetterQueueUrl: DLQ_URL,
      retrySchedule: parseSchedule(DEFAULT_RETRY_SCHEDULE),
      deliveryTimeoutMs: 10_000,
      subscriptionsCacheSeconds: 60,
      allowPrivateTargets: false,
      allowPrivateNetworkTargets: false,
      allowedTargetCidrs: [],
      extraEventTypes: [],
      breakerFailures: 5,
      breakerCooldown: 60,
      functionMaxConcurrency: 1,
      deliveryConcurrency: SETTINGS.deliveryConcurrency.default,
    });
  });

  it('treats empty variables as unset', () => {
    // Act
    const config = loadConfig(env({ RETRY_SCHEDULE: '', DELIVERY_TIMEOUT_MS: '  ', ALLOW_PRIVATE_TARGETS: '' }));

    // Assess
    expect(config).toEqual(loadConfig(env()));
  });

  it('reads every variable it is given', () => {
    // Act
    const config = loadConfig(
      env({
        SUBSCRIPTIONS_PATH: '/team/hooks/',
        RETRY_SCHEDULE: '1s,2m',
        DELIVERY_TIMEOUT_MS: '2500',
        SUBSCRIPTIONS_CACHE_SECONDS: '0',
        ALLOW_PRIVATE_TARGETS: 'true',
        ALLOW_PRIVATE_NETWORK_TARGETS: 'yes',
        ALLOWED_TARGET_CIDRS: '10.0.0.0/8, 192.168.1.0/24,,fd00::/8',
        DELIVERY_CONCURRENCY: '8',
        EXTRA_EVENT_TYPES: 'jobs.deleted, models.registered',
        BREAKER_FAILURES: '0',
        BREAKER_COOLDOWN: '2m',
        FUNCTION_MAX_CONCURRENCY: '20',
      }),
    );

    // Assess
    expect(config).toEqual({
      subscriptionsPath: '/team/hooks',
      queueUrl: QUEUE_URL,
      retryQueueUrl: RETRY_QUEUE_URL,
      deadLetterQueueUrl: DLQ_URL,
      retrySchedule: [1000, 120_000],
      deliveryTimeoutMs: 2500,
      subscriptionsCacheSeconds: 0,
      allowPrivateTargets: true,
      allowPrivateNetworkTargets: true,
      allowedTargetCidrs: ['10.0.0.0/8', '192.168.1.0/24', 'fd00::/8'],
      extraEventTypes: ['jobs.deleted', 'models.registered'],
      breakerFailures: 0,
      breakerCooldown: 120,
      functionMaxConcurrency: 20,
      deliveryConcurrency: 8,
    });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads ALLOW_PRIVATE_TARGETS=%s as %s', (text, expected) => {
    // Act
    const config = loadConfig(env({ ALLOW_PRIVATE_TARGETS: text }));

    // Assess
    expect(config.allowPrivateTargets).toBe(expected);
  });

  it.each([
    ['QUEUE_URL', undefined, 'QUEUE_URL is required'],
    ['DLQ_URL', ' ', 'DLQ_URL is required'],
    ['RETRY_QUEUE_URL', undefined, 'RETRY_QUEUE_URL is required'],
    ['SUBSCRIPTIONS_PATH', 'platform-webhooks/subscriptions', 'SUBSCRIPTIONS_PATH: must be an SSM path'],
    ['SUBSCRIPTIONS_PATH', '/with space', 'SUBSCRIPTIONS_PATH: must be an SSM path'],
    ['RETRY_SCHEDULE', '5s,5x', 'RETRY_SCHEDULE: entry 2 "5x" is not a duration'],
    ['DELIVERY_TIMEOUT_MS', '10s', 'DELIVERY_TIMEOUT_MS: must be an integer from 1000 to 30000, got "10s"'],
    ['DELIVERY_TIMEOUT_MS', '30001', 'DELIVERY_TIMEOUT_MS: must be an integer from 1000 to 30000, got "30001"'],
    ['SUBSCRIPTIONS_CACHE_SECONDS', '-1', 'SUBSCRIPTIONS_CACHE_SECONDS: must be an integer from 0 to 86400, got "-1"'],
    ['ALLOW_PRIVATE_TARGETS', 'maybe', 'ALLOW_PRIVATE_TARGETS: must be true or false, got "maybe"'],
    ['ALLOWED_TARGET_CIDRS', '10.0.0.0/8,10.0.0/33', 'ALLOWED_TARGET_CIDRS'],
    ['ALLOWED_TARGET_CIDRS', 'localhost', 'ALLOWED_TARGET_CIDRS'],
    ['DELIVERY_CONCURRENCY', '0', 'DELIVERY_CONCURRENCY: must be an integer from 1 to 1000, got "0"'],
    ['EXTRA_EVENT_TYPES', 'jobs.deleted,jobs.failed', 'EXTRA_EVENT_TYPES: entry 2 "jobs.failed" is a built-in event type already; list only types beyond the catalogue, got "jobs.deleted,jobs.failed"'],
    ['EXTRA_EVENT_TYPES', 'models.registered,Models.Archived', 'EXTRA_EVENT_TYPES: entry 2 "Models.Archived" is not an event type "<entity>.<action>"'],
    ['EXTRA_EVENT_TYPES', 'models', 'EXTRA_EVENT_TYPES: entry 1 "models" is not an event type'],
    ['ALLOWED_TARGET_CIDRS', Array.from({ length: 100 }, (_, index) => `10.${index}.0.0/16`).join(','), 'ALLOWED_TARGET_CIDRS: is 1289 characters as a comma list; at most 1000 fit beside'],
    ['BREAKER_FAILURES', '-1', 'BREAKER_FAILURES: must be an integer from 0 to 1000, got "-1"'],
    ['BREAKER_COOLDOWN', '0s', 'BREAKER_COOLDOWN: must be a duration from 1s to 15m in whole seconds, such as "60s" or "5m", got "0s"'],
    ['BREAKER_COOLDOWN', '16m', 'BREAKER_COOLDOWN: must be a duration from 1s to 15m in whole seconds'],
  ])('names %s=%j in the error', (name, value, expected) => {
    // Act
    const error = errorOf(env({ [name]: value }));

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.name).toBe('ConfigurationError');
    expect(error.message).toContain(expected);
  });

  it('lists every problem at once', () => {
    // Prepare
    const environment = { RETRY_SCHEDULE: 'often', DELIVERY_TIMEOUT_MS: 'ten', ALLOW_PRIVATE_TARGETS: 'perhaps' };

    // Act
    const error = errorOf(environment);

    // Assess
    expect(error.message).toMatch(/^invalid configuration: /);
    for (const name of ['QUEUE_URL', 'DLQ_URL', 'RETRY_SCHEDULE', 'DELIVERY_TIMEOUT_MS', 'ALLOW_PRIVATE_TARGETS']) expect(error.message).toContain(name);
  });
});
