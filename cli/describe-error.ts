import { describeError as describeAnyError } from '../lambda/core/errors';
import { CliError } from './errors';
import { scrubSecrets } from './mask-secrets';

/** Network error codes that mean "nothing answers at that address". */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * The `error: …` lines for anything a command threw: a {@link CliError}'s own lines, or one
 * sentence for an AWS SDK or system error saying what went wrong and what to try.
 */
export function describeError(error: unknown): string[] {
  if (error instanceof CliError) return [...error.lines];
  // Duck-typed: errors from node core may come from another realm (under jest), failing `instanceof Error`.
  if (!isErrorLike(error)) return [scrubSecrets(describeAnyError(error))];
  const code = networkCode(error);
  if (code !== undefined && UNREACHABLE.has(code)) {
    return [`could not reach the AWS endpoint (${error.message.replace(/^AWS SDK error wrapper for (Error: )?/, '')}); check --endpoint-url / AWS_ENDPOINT_URL (is the local stack running? start it with "npm start") and your network`];
  }
  switch (error.name) {
    case 'CredentialsProviderError':
      return [`no AWS credentials were found (${firstLine(error.message)}); set --profile or AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`];
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return [`the AWS session has expired; log in again (e.g. "aws sso login") and retry`];
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
      return [`AWS refused the request (${error.name}: ${firstLine(error.message)}); check the profile, region and IAM permissions`];
    case 'QueueDoesNotExist':
    case 'AWS.SimpleQueueService.NonExistentQueue':
      return [`the queue does not exist (${firstLine(error.message)}); check --queue-url / --dlq-url and --region`];
    default:
      if (/Region is missing/i.test(error.message)) return ['no AWS region is configured; pass --region or set AWS_REGION'];
      return [firstLine(describeAnyError(error))];
  }
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string';
}

/** The system error code of an error, its cause or (for AggregateError) its first error. */
function networkCode(error: Error): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isErrorLike(current); depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    const errors = (current as { errors?: unknown[] }).errors;
    current = Array.isArray(errors) ? errors[0] : current.cause;
  }
  // The SDK wraps an error it does not recognise as its own ("AWS SDK error wrapper for …"), dropping `code`.
  return /\b(E[A-Z]{4,})\b/.exec(error.message)?.[1];
}

/** The first line of an AWS or system error's message, which may quote a value sent (a parameter's): masked as every output is. */
function firstLine(text: string): string {
  return scrubSecrets(text.split('\n')[0] ?? text);
}
