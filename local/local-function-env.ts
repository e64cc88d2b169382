/** Subscriptions are re-read this often locally (the deployed default is 60 s), so a new one applies at once. */
export const LOCAL_SUBSCRIPTIONS_CACHE_SECONDS = 2;

/** The variables passed through from the environment, as the deployed function reads them (docs/design.md §5). */
const PASSED_THROUGH = [
  'SUBSCRIPTIONS_PATH',
  'RETRY_SCHEDULE',
  'DELIVERY_TIMEOUT_MS',
  'SUBSCRIPTIONS_CACHE_SECONDS',
  'DELIVERY_CONCURRENCY',
  'ALLOW_PRIVATE_TARGETS',
  'ALLOWED_TARGET_CIDRS',
] as const;

/**
 * The function's environment under `npm start`: the queue URLs set by the stack, the tunables
 * passed through from `env`, and two local defaults: subscriptions cached for
 * {@link LOCAL_SUBSCRIPTIONS_CACHE_SECONDS} and private targets allowed (receivers run on loopback).
 */
export function localFunctionEnv(
  env: Readonly<Record<string, string | undefined>>,
  queues: { readonly queueUrl: string; readonly dlqUrl: string },
): Record<string, string> {
  const passed = Object.fromEntries(PASSED_THROUGH.flatMap((name) => (env[name]?.trim() ? [[name, env[name] as string]] : [])));
  return {
    SUBSCRIPTIONS_CACHE_SECONDS: String(LOCAL_SUBSCRIPTIONS_CACHE_SECONDS),
    ALLOW_PRIVATE_TARGETS: 'true',
    ...passed,
    QUEUE_URL: queues.queueUrl,
    DLQ_URL: queues.dlqUrl,
  };
}
