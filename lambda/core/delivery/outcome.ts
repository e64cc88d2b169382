/**
 * What one delivery attempt produced, as the HTTP sender reports it, and its classification
 * (docs/design.md §3). The retryable/permanent split is a type, not a string comparison.
 */
import { redactText, redactUrl } from '../secrets/redaction';

/** The HTTP sender's report of one attempt. */
export type AttemptResult =
  | {
      readonly kind: 'response';
      readonly status: number;
      /** The `location` header of a 3xx response. */
      readonly location?: string;
      /** The raw `retry-after` header. */
      readonly retryAfter?: string;
    }
  | {
      readonly kind: 'network-error';
      /** e.g. ECONNREFUSED, ECONNRESET, ETIMEDOUT, ENOTFOUND, a TLS error code. */
      readonly code: string;
      readonly message: string;
    }
  | {
      /** The target guard refused to connect (docs/design.md §6). */
      readonly kind: 'refused';
      readonly rule: string;
      readonly message: string;
    };

export type Classification =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retryable'; readonly error: string; readonly retryAfter?: string }
  | { readonly kind: 'permanent'; readonly error: string; readonly disableSubscription: boolean };

/**
 * Classifies one attempt per docs/design.md §3. The error is what the log line, the retry message
 * and the dead-letter record say, so it is redacted here, at its source (README "Security model",
 * What is masked): a redirect's location shows as a redacted URL, and the sender's messages lose
 * anything secret-shaped.
 */
export function classify(result: AttemptResult): Classification {
  switch (result.kind) {
    case 'refused':
      return { kind: 'permanent', error: `refused: ${redactText(result.message)}`, disableSubscription: false };
    case 'network-error':
      return { kind: 'retryable', error: redactText(`${result.code}: ${result.message}`) };
    case 'response':
      return classifyStatus(result);
  }
}

function classifyStatus(result: Extract<AttemptResult, { kind: 'response' }>): Classification {
  const { status } = result;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status >= 300 && status < 400) {
    const target = result.location ? ` to ${redactUrl(result.location)}` : ' without a location';
    return { kind: 'permanent', error: `HTTP ${status} redirect${target} (redirects are not followed; update the subscription URL)`, disableSubscription: false };
  }
  if (status === 410) return { kind: 'permanent', error: 'HTTP 410 Gone (the subscription was disabled)', disableSubscription: true };
  if (status === 408 || status === 429 || status >= 500) {
    const honoursRetryAfter = status === 429 || status === 503;
    return {
      kind: 'retryable',
      error: `HTTP ${status}`,
      ...(honoursRetryAfter && result.retryAfter !== undefined && { retryAfter: result.retryAfter }),
    };
  }
  return { kind: 'permanent', error: `HTTP ${status}`, disableSubscription: false };
}
