import { ENV_SETTINGS, SETTINGS } from '../../lambda/settings';
import { localFunctionEnv } from '../../local/local-function-env';

const queues = {
  queueUrl: 'http://127.0.0.1:4566/000000000000/platform-webhooks-events',
  retryQueueUrl: 'http://127.0.0.1:4566/000000000000/platform-webhooks-retries',
  dlqUrl: 'http://127.0.0.1:4566/000000000000/platform-webhooks-dlq',
};

describe('localFunctionEnv', () => {
  it('sets the queue URLs, a 2 s subscription cache and private targets allowed by default', () => {
    // Act
    const env = localFunctionEnv({}, queues);

    // Assess
    expect(env).toEqual({ QUEUE_URL: queues.queueUrl, RETRY_QUEUE_URL: queues.retryQueueUrl, DLQ_URL: queues.dlqUrl, SUBSCRIPTIONS_CACHE_SECONDS: '2', ALLOW_PRIVATE_TARGETS: 'true' });
  });

  it("passes the function's variables through and ignores others, and the queue URLs given", () => {
    // Act
    const env = localFunctionEnv(
      { RETRY_SCHEDULE: '1s,2s', SUBSCRIPTIONS_CACHE_SECONDS: '0', DELIVERY_CONCURRENCY: '5', QUEUE_URL: 'elsewhere', HOME: '/root', DELIVERY_TIMEOUT_MS: ' ' },
      queues,
    );

    // Assess
    expect(env).toEqual({
      QUEUE_URL: queues.queueUrl,
      RETRY_QUEUE_URL: queues.retryQueueUrl,
      DLQ_URL: queues.dlqUrl,
      RETRY_SCHEDULE: '1s,2s',
      SUBSCRIPTIONS_CACHE_SECONDS: '0',
      DELIVERY_CONCURRENCY: '5',
      ALLOW_PRIVATE_TARGETS: 'true',
    });
  });

  it('passes through every variable the deployed function reads, CLOUDEVENTS_TYPE_PREFIX included', () => {
    // Prepare
    const variables = ENV_SETTINGS.map((name) => SETTINGS[name].env).filter((name) => !['QUEUE_URL', 'RETRY_QUEUE_URL', 'DLQ_URL'].includes(name));

    // Act
    const env = localFunctionEnv(Object.fromEntries(variables.map((name) => [name, `${name}-value`])), queues);

    // Assess
    for (const name of variables) expect(env[name]).toBe(`${name}-value`);
    expect(env.CLOUDEVENTS_TYPE_PREFIX).toBe('CLOUDEVENTS_TYPE_PREFIX-value');
  });
});
