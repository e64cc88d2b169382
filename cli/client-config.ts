import { UsageError } from './errors';
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

/** The variables the SDK reads an endpoint from for the CLI's clients, the service's own first. */
const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL_SSM', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_CLOUDFORMATION', 'AWS_ENDPOINT_URL'] as const;

/**
 * The SDK client configuration for the global options. Only what the user set is passed, so the
 * SDK's own handling applies otherwise (AWS_ENDPOINT_URL, AWS_REGION, the credential chain).
 * Against a loopback endpoint (the local stack) a missing region or missing credentials get local
 * placeholders, so `npm start` works on a machine with no AWS configuration.
 * @throws {UsageError} when `--endpoint-url` (or, without it, an AWS_ENDPOINT_URL variable) is not an http: or https: URL.
 */
export function clientConfig(options: GlobalOptions, env: NodeJS.ProcessEnv): ClientConfig {
  const endpoint = options.endpointUrl;
  if (endpoint !== undefined) checkEndpoint(endpoint, '--endpoint-url');
  else for (const variable of ENDPOINT_VARIABLES) if (env[variable]) checkEndpoint(env[variable], variable);
  const local = isLoopbackEndpoint(endpoint ?? env.AWS_ENDPOINT_URL);
  // The AWS CLI's AWS_DEFAULT_REGION, which the SDK (v3) does not read, counts as AWS_REGION does.
  const region = options.region ?? (env.AWS_REGION ? undefined : env.AWS_DEFAULT_REGION || (local ? LOCAL_REGION : undefined));
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

/**
 * The SDK would take "localhost:4566" for a URL of scheme "localhost:" and fail later, blaming the
 * region; say what is wrong instead.
 */
function checkEndpoint(value: string, source: string): void {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(`${source} must be an absolute http: or https: URL such as http://127.0.0.1:4566, got "${value}"`);
  }
}

/** Whether an endpoint URL points at this machine (the local stack). */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined || !URL.canParse(endpoint)) return false;
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
