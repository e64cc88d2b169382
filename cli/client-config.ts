import type { GlobalOptions } from './global-options';

/** Configuration shared by the SDK clients the CLI builds. */
export interface ClientConfig {
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Region used against a loopback endpoint when none is configured: the local stack ignores it. */
export const LOCAL_REGION = 'us-east-1';

/** Credentials used against a loopback endpoint when none are configured: the local stack checks none. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * The SDK client configuration for the global options. Only what the user set is passed, so the
 * SDK's own handling applies otherwise (AWS_ENDPOINT_URL, AWS_REGION, the credential chain).
 * Against a loopback endpoint (the local stack) a missing region or missing credentials get local
 * placeholders, so `npm start` works on a machine with no AWS configuration.
 */
export function clientConfig(options: GlobalOptions, env: NodeJS.ProcessEnv): ClientConfig {
  const endpoint = options.endpointUrl;
  const local = isLoopbackEndpoint(endpoint ?? env.AWS_ENDPOINT_URL);
  const region = options.region ?? (local && !env.AWS_REGION && !env.AWS_DEFAULT_REGION ? LOCAL_REGION : undefined);
  const hasCredentials = Boolean(options.profile ?? env.AWS_PROFILE ?? env.AWS_ACCESS_KEY_ID);
  return {
    ...(endpoint !== undefined && { endpoint }),
    ...(region !== undefined && { region }),
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(local && !hasCredentials && { credentials: LOCAL_CREDENTIALS }),
  };
}

/** Whether an endpoint URL is set at all, by option or environment: the local stack or an emulator. */
export function hasCustomEndpoint(options: GlobalOptions, env: NodeJS.ProcessEnv): boolean {
  return Boolean(options.endpointUrl ?? env.AWS_ENDPOINT_URL ?? env.AWS_ENDPOINT_URL_SQS);
}

/** The endpoint in effect for SQS, for messages: the option, else the environment's. */
export function effectiveEndpoint(options: GlobalOptions, env: NodeJS.ProcessEnv): string | undefined {
  return options.endpointUrl ?? env.AWS_ENDPOINT_URL_SQS ?? env.AWS_ENDPOINT_URL;
}

function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined || !URL.canParse(endpoint)) return false;
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
