import * as v from 'valibot';
import { suggestPattern, typesMatchedBy } from './events';
import { describe, isPlainObject } from './envelope';

/** A subscription as stored in one SSM parameter `<path>/<name>` (design §2), after validation. */
export interface Subscription {
  readonly name: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly secret?: string;
  readonly format: SubscriptionFormat;
  readonly headers: Readonly<Record<string, string>>;
  readonly enabled: boolean;
  readonly description?: string;
  readonly timeoutMs?: number;
}

/** Body formats; chat and incident formats come later (design §2). */
export const SUBSCRIPTION_FORMATS = ['standard'] as const;
export type SubscriptionFormat = (typeof SUBSCRIPTION_FORMATS)[number];

/** Limits of design §2 plus bounds on custom headers (count and size). */
export const SUBSCRIPTION_LIMITS = {
  nameMaxLength: 128,
  secretMinBytes: 24,
  secretMaxBytes: 64,
  timeoutMinMs: 1000,
  timeoutMaxMs: 30000,
  maxHeaders: 32,
  headerNameMaxLength: 256,
  headerValueMaxLength: 8192,
  descriptionMaxLength: 1024,
} as const;

export const SUBSCRIPTION_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** Headers the sender owns (design §2) plus hop-by-hop headers that would corrupt the request. */
const RESERVED_HEADERS = new Set([
  'content-type', 'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive',
  'upgrade', 'te', 'trailer', 'expect',
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const { secretMinBytes, secretMaxBytes, timeoutMinMs, timeoutMaxMs } = SUBSCRIPTION_LIMITS;

const urlSchema = v.pipe(
  v.string('must be a string'),
  v.check(isHttpUrl, (issue) => `must be an absolute http: or https: URL, got ${describe(issue.input)}`),
);

const eventPattern = v.pipe(
  v.string('must be a string'),
  v.check(
    (pattern) => typesMatchedBy(pattern).length > 0,
    (issue) => {
      const suggestion = suggestPattern(String(issue.input));
      return `${describe(issue.input)} matches no event${suggestion ? `; did you mean "${suggestion}"?` : ''}`;
    },
  ),
);

const secretSchema = v.pipe(
  v.string('must be a string'),
  v.check(isValidSecret, `must be "whsec_" followed by base64 of ${secretMinBytes} to ${secretMaxBytes} random bytes`),
);

const headerValue = v.pipe(
  v.string('must be a string'),
  v.maxLength(SUBSCRIPTION_LIMITS.headerValueMaxLength, `must be at most ${SUBSCRIPTION_LIMITS.headerValueMaxLength} characters`),
  v.regex(HEADER_VALUE, 'must not contain CR, LF or other control characters'),
);

const headersSchema = v.pipe(
  v.record(v.string(), headerValue, 'must be an object of header names to string values'),
  v.check((headers) => Object.keys(headers).length <= SUBSCRIPTION_LIMITS.maxHeaders, `may set at most ${SUBSCRIPTION_LIMITS.maxHeaders} headers`),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const name of Object.keys(dataset.value)) {
      const problem = headerNameProblem(name);
      if (problem) addIssue({ message: `"${name}" ${problem}` });
    }
  }),
);

const subscriptionSchema = v.strictObject(
  {
    url: urlSchema,
    events: v.pipe(v.array(eventPattern, 'must be an array of event patterns'), v.minLength(1, 'must list at least one event pattern')),
    secret: v.optional(secretSchema),
    format: v.optional(v.picklist(SUBSCRIPTION_FORMATS, `must be one of ${SUBSCRIPTION_FORMATS.map((f) => `"${f}"`).join(', ')}`), 'standard'),
    headers: v.optional(headersSchema, {}),
    enabled: v.optional(v.boolean('must be true or false'), true),
    description: v.optional(v.pipe(v.string('must be a string'), v.maxLength(SUBSCRIPTION_LIMITS.descriptionMaxLength, 'is too long'))),
    timeoutMs: v.optional(
      v.pipe(
        v.number('must be a number'),
        v.integer('must be a whole number of milliseconds'),
        v.minValue(timeoutMinMs, `must be from ${timeoutMinMs} to ${timeoutMaxMs}`),
        v.maxValue(timeoutMaxMs, `must be from ${timeoutMinMs} to ${timeoutMaxMs}`),
      ),
    ),
  },
  (issue) => `is not a known field (known: url, events, secret, format, headers, enabled, description, timeoutMs)`,
);

/** The JSON value of a subscription parameter: a subscription without its name. */
export type SubscriptionValue = Omit<Subscription, 'name'>;

export type SubscriptionResult =
  | { readonly ok: true; readonly subscription: Subscription }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Validates a subscription's name and value (the parameter's JSON text or the parsed value).
 * Never throws: each error is a sentence such as
 * `subscription "ops": events[1] "experiment.failed" matches no event; did you mean "experiments.failed"?`
 */
export function parseSubscription(name: string, value: unknown): SubscriptionResult {
  const prefix = `subscription "${name}":`;
  if (!SUBSCRIPTION_NAME_PATTERN.test(name)) {
    return { ok: false, errors: [`${prefix} the name must be 1 to 128 characters of A-Z, a-z, 0-9, "_", "." or "-"`] };
  }
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      return { ok: false, errors: [`${prefix} the value is not valid JSON (${(error as Error).message})`] };
    }
  }
  if (!isPlainObject(parsed)) return { ok: false, errors: [`${prefix} the value must be a JSON object, got ${describe(parsed)}`] };
  const result = v.safeParse(subscriptionSchema, parsed);
  if (!result.success) {
    return { ok: false, errors: result.issues.map((issue) => `${prefix} ${formatPath(issue.path)} ${issue.message}`) };
  }
  const { secret, description, timeoutMs, ...rest } = result.output;
  return {
    ok: true,
    subscription: {
      name,
      ...rest,
      ...(secret !== undefined && { secret }),
      ...(description !== undefined && { description }),
      ...(timeoutMs !== undefined && { timeoutMs }),
    },
  };
}

/** The stored JSON value of a subscription (the inverse of {@link parseSubscription}). */
export function subscriptionValue(subscription: Subscription): SubscriptionValue {
  const { name: _name, ...value } = subscription;
  return value;
}

/** Whether a secret is `whsec_` + canonical base64 of 24 to 64 bytes. */
export function isValidSecret(secret: string): boolean {
  if (!secret.startsWith('whsec_')) return false;
  const encoded = secret.slice('whsec_'.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return false;
  const bytes = Buffer.from(encoded, 'base64').length;
  return bytes >= secretMinBytes && bytes <= secretMaxBytes;
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol, hostname } = new URL(text);
  return (protocol === 'http:' || protocol === 'https:') && hostname.length > 0;
}

function headerNameProblem(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (!HEADER_NAME.test(name)) return 'is not a valid header name';
  if (name.length > SUBSCRIPTION_LIMITS.headerNameMaxLength) return 'is too long for a header name';
  if (RESERVED_HEADERS.has(lower) || lower.startsWith('webhook-')) return 'is set by the sender and may not be overridden';
  return undefined;
}

type IssuePath = v.BaseIssue<unknown>['path'];

function formatPath(path: IssuePath): string {
  if (!path || path.length === 0) return 'the value';
  return path
    .map((item, index) => (typeof item.key === 'number' ? `[${item.key}]` : `${index === 0 ? '' : '.'}${String(item.key)}`))
    .join('');
}
