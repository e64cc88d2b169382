import { createHmac, hash } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/**
 * The Standard Webhooks `webhook-signature` value: `v1,<base64 HMAC-SHA256>` over
 * `<msgId>.<timestamp>.<body>` for each secret, space-separated (several secrets sign during a
 * rotation). Time is an argument, so signing is deterministic.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
export function sign(secrets: readonly string[], msgId: string, timestampSeconds: number, body: string): string {
  const prefix = `${msgId}.${timestampSeconds}.`;
  return secrets
    .map((secret) => `v1,${createHmac('sha256', secretKey(secret)).update(prefix).update(body).digest('base64')}`)
    .join(' ');
}

/** Decoded keys by secret: a container signs with the same few secrets again and again. */
const keys = new Map<string, Buffer>();
const MAX_CACHED_KEYS = 10_000;

/** The HMAC key: the base64-decoded part of a `whsec_` secret. */
function secretKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (key === undefined) {
    const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
    key = Buffer.from(encoded, 'base64');
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/**
 * The delivery id (`webhook-id`) of an (event, subscription) pair: derived, not random, so a
 * redelivered SQS record, a retry and a redrive all carry the same id.
 */
export function deliveryId(eventId: string, subscription: string): string {
  // One-shot, without a Hash object per delivery (Node.js 20.12+); the same digest as updating with each part.
  const digest = hash('sha256', `${eventId}\0${subscription}`, 'base64url');
  return `msg_${digest.slice(0, 27)}`;
}
