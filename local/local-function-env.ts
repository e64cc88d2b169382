import { ENV_SETTINGS, SETTINGS } from '../lambda/settings';

/** Subscriptions are re-read this often locally (the deployed default is 60 s), so a new one applies at once. */
export const LOCAL_SUBSCRIPTIONS_CACHE_SECONDS = 2;

/**
 * The function's environment under `npm start`: every variable the deployed function reads
 * (lambda/settings.ts) passed through from `env` when set, two local defaults (subscriptions
 * cached for {@link LOCAL_SUBSCRIPTIONS_CACHE_SECONDS}, private targets allowed because receivers
 * run on loopback), and the URLs of the local queues.
 */
export function localFunctionEnv(
  env: Readonly<Record<string, string | undefined>>,
  queues: { readonly queueUrl: string; readonly retryQueueUrl: string; readonly dlqUrl: string },
): Record<string, string> {
  const passed = Object.fromEntries(ENV_SETTINGS.map((name) => SETTINGS[name].env).flatMap((name) => (env[name]?.trim() ? [[name, env[name]]] : [])));
  return {
    SUBSCRIPTIONS_CACHE_SECONDS: String(LOCAL_SUBSCRIPTIONS_CACHE_SECONDS),
    ALLOW_PRIVATE_TARGETS: 'true',
    ...passed,
    QUEUE_URL: queues.queueUrl,
    RETRY_QUEUE_URL: queues.retryQueueUrl,
    DLQ_URL: queues.dlqUrl,
  };
}
