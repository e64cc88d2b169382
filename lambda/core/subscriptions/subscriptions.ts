import * as v from 'valibot';
import { BUILT_IN_EVENTS, EVENT_TYPE_PATTERN } from '../inbound/events';
import type { EventCatalogue } from '../inbound/events';
import { describe, isPlainObject } from '../inbound/envelope';
import { isSafeToQuote, redactText, redactUrl } from '../secrets/redaction';
import { filterProblems } from './subscription-filter';
import type { SubscriptionFilter } from './subscription-filter';

/** A subscription as stored in one SSM parameter `<path>/<name>` (docs/design.md §2), after validation. */
export interface Subscription {
  readonly name: string;
  readonly url: string;
  readonly events: readonly string[];
  /** An EventBridge event pattern the delivered standard body must match (docs/design.md §10); see `subscription-filter.ts`. */
  readonly filter?: SubscriptionFilter;
  /** The most deliveries per second to this subscription across the deployment (docs/design.md §10). */
  readonly maxPerSecond?: number;
  readonly secret?: string;
  /**
   * The secret being rotated out: while present (and before `previousSecretExpiresAt`), requests
   * carry a second `v1,` signature made with it, so receivers still holding it keep verifying.
   * Only allowed together with `secret`.
   */
  readonly previousSecret?: string;
  /** ISO-8601 date-time with a zone after which `previousSecret` no longer signs. Only allowed with `previousSecret`. */
  readonly previousSecretExpiresAt?: string;
  readonly format: SubscriptionFormat;
  /** The PagerDuty Events API v2 routing (integration) key; required for and only allowed with format `pagerduty`. */
  readonly routingKey?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly enabled: boolean;
  readonly description?: string;
  readonly timeoutMs?: number;
  /** The store's version of the parameter when it was read (SSM `Version`); not part of the stored value. */
  readonly version?: number;
}

/** Body formats (docs/design.md §2): the Standard Webhooks body, chat messages, PagerDuty events. See `formats/render-body.ts`. */
export const SUBSCRIPTION_FORMATS = ['standard', 'slack', 'discord', 'mattermost', 'teams', 'pagerduty'] as const;
export type SubscriptionFormat = (typeof SUBSCRIPTION_FORMATS)[number];

/** Limits of docs/design.md §2 plus bounds on custom headers (count and size). */
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
  maxPerSecondMin: 1,
  maxPerSecondMax: 1000,
} as const;

export const SUBSCRIPTION_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** Headers the sender owns (docs/design.md §2) plus hop-by-hop headers that would corrupt the request. */
const RESERVED_HEADERS = new Set([
  'content-type', 'user-agent', 'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive',
  'upgrade', 'te', 'trailer', 'expect',
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const { secretMinBytes, secretMaxBytes, timeoutMinMs, timeoutMaxMs, maxPerSecondMin, maxPerSecondMax } = SUBSCRIPTION_LIMITS;

const urlSchema = v.pipe(
  v.string('must be a string'),
  v.check(isHttpUrl, (issue) => urlProblem(String(issue.input))),
);

/** A pattern that matches at least one event type of `catalogue` (typo protection, docs/design.md §2). */
function eventPattern(catalogue: EventCatalogue) {
  return v.pipe(
    v.string('must be a string'),
    v.check(
      (pattern) => catalogue.typesMatchedBy(pattern).length > 0,
      (issue) => eventPatternProblem(String(issue.input), catalogue),
    ),
  );
}

const secretSchema = v.pipe(
  v.string('must be a string'),
  v.check(isValidSecret, `must be "whsec_" followed by base64 of ${secretMinBytes} to ${secretMaxBytes} random bytes`),
);

const dateTimeSchema = v.pipe(
  v.string('must be a string'),
  v.check(isIsoDateTime, 'must be an ISO-8601 date-time with a zone, e.g. "2026-12-01T00:00:00Z"'),
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
      if (problem) addIssue({ message: isSafeToQuote(name) ? `"${name}" ${problem}` : `has a name that ${problem} (${hidden(name)})` });
    }
  }),
);

/** The fields of a subscription value; `events` is checked against `catalogue`. */
function subscriptionSchema(catalogue: EventCatalogue) {
  return v.strictObject(
    {
      url: urlSchema,
      events: v.pipe(v.array(eventPattern(catalogue), 'must be an array of event patterns'), v.minLength(1, 'must list at least one event pattern')),
      // Checked by filterProblems, which names the path of each bad part inside the pattern.
      filter: v.optional(v.custom<SubscriptionFilter>(() => true)),
      maxPerSecond: v.optional(
        v.pipe(
          v.number('must be a number'),
          v.integer('must be a whole number of deliveries per second'),
          v.minValue(maxPerSecondMin, `must be from ${maxPerSecondMin} to ${maxPerSecondMax} deliveries per second`),
          v.maxValue(maxPerSecondMax, `must be from ${maxPerSecondMin} to ${maxPerSecondMax} deliveries per second`),
        ),
      ),
      secret: v.optional(secretSchema),
      previousSecret: v.optional(secretSchema),
      previousSecretExpiresAt: v.optional(dateTimeSchema),
      format: v.optional(v.picklist(SUBSCRIPTION_FORMATS, `must be one of ${SUBSCRIPTION_FORMATS.map((f) => `"${f}"`).join(', ')}`), 'standard'),
      routingKey: v.optional(v.pipe(v.string('must be a string'), v.regex(/^[A-Za-z0-9]{32}$/, 'must be the 32-character integration key of a PagerDuty Events API v2 integration'))),
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
    (issue) => (issue.expected === 'never' ? `is not a known field (known: ${KNOWN_FIELDS.join(', ')})` : 'is required'),
  );
}

const KNOWN_FIELDS: readonly string[] = Object.keys(subscriptionSchema(BUILT_IN_EVENTS).entries);

/**
 * The whole rule of a subscription value for `catalogue`: its fields, then the rotation fields
 * together (a previous secret needs the current one, an expiry needs a previous secret), then the
 * format options with their format (`routingKey` is required for `pagerduty` and allowed with no
 * other format).
 */
function valueSchema(catalogue: EventCatalogue) {
  const rotatingSchema = v.pipe(
    subscriptionSchema(catalogue),
    v.forward(
      v.partialCheck([['secret'], ['previousSecret']], (input) => input.previousSecret === undefined || input.secret !== undefined, 'is only allowed together with "secret" (it is the secret being rotated out)'),
      ['previousSecret'],
    ),
    v.forward(
      v.partialCheck([['secret'], ['previousSecret']], (input) => input.previousSecret === undefined || input.previousSecret !== input.secret, 'must differ from "secret"'),
      ['previousSecret'],
    ),
    v.forward(
      v.partialCheck([['previousSecret'], ['previousSecretExpiresAt']], (input) => input.previousSecretExpiresAt === undefined || input.previousSecret !== undefined, 'is only allowed together with "previousSecret"'),
      ['previousSecretExpiresAt'],
    ),
  );
  return v.pipe(
    rotatingSchema,
    v.forward(
      v.partialCheck([['format'], ['routingKey']], (input) => input.format !== 'pagerduty' || input.routingKey !== undefined, 'is required when format is "pagerduty"'),
      ['routingKey'],
    ),
    v.forward(
      v.partialCheck([['format'], ['routingKey']], (input) => input.format === 'pagerduty' || input.routingKey === undefined, 'is only allowed when format is "pagerduty"'),
      ['routingKey'],
    ),
  );
}

/** Each catalogue's schema, built on first use: a deployment has one catalogue, the tests a few. */
const SCHEMAS = new WeakMap<EventCatalogue, ReturnType<typeof valueSchema>>();

function schemaFor(catalogue: EventCatalogue): ReturnType<typeof valueSchema> {
  let schema = SCHEMAS.get(catalogue);
  if (schema === undefined) {
    schema = valueSchema(catalogue);
    SCHEMAS.set(catalogue, schema);
  }
  return schema;
}

/** The JSON value of a subscription parameter: a subscription without its name. */
export type SubscriptionValue = Omit<Subscription, 'name' | 'version'>;

export type SubscriptionResult =
  | { readonly ok: true; readonly subscription: Subscription }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Validates a subscription's name and value (the parameter's JSON text or the parsed value), its
 * event patterns against `catalogue` (default: the built-in events; a deployment's own includes
 * its `EXTRA_EVENT_TYPES`). Never throws: each error is a sentence such as
 * `subscription "ops": events[1] "experiment.failed" matches no event; did you mean "experiments.failed"?`
 */
export function parseSubscription(name: string, value: unknown, catalogue: EventCatalogue = BUILT_IN_EVENTS): SubscriptionResult {
  const prefix = `subscription "${name}":`;
  if (!SUBSCRIPTION_NAME_PATTERN.test(name)) {
    return { ok: false, errors: [`${prefix} the name must be 1 to 128 characters of A-Z, a-z, 0-9, "_", "." or "-"`] };
  }
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      return { ok: false, errors: [`${prefix} the value is not valid JSON${jsonProblem(error)}`] };
    }
  }
  if (!isPlainObject(parsed)) {
    const got = typeof parsed === 'string' ? `a string (${hidden(parsed)})` : describe(parsed);
    return { ok: false, errors: [`${prefix} the value must be a JSON object, got ${got}`] };
  }
  const result = v.safeParse(schemaFor(catalogue), parsed);
  const filterErrors = parsed.filter === undefined ? [] : filterProblems(parsed.filter);
  if (!result.success || filterErrors.length > 0) {
    const errors = [...(result.success ? [] : result.issues.map((issue) => `${formatPath(issue.path)} ${issue.message}`)), ...filterErrors];
    // The messages quote only what is safe to quote; redacting again guards against a message that forgets.
    return { ok: false, errors: errors.map((error) => `${prefix} ${redactText(error)}`) };
  }
  const { secret, previousSecret, previousSecretExpiresAt, description, timeoutMs, maxPerSecond, ...rest } = result.output;
  return {
    ok: true,
    subscription: {
      name,
      ...rest,
      ...(secret !== undefined && { secret }),
      ...(previousSecret !== undefined && { previousSecret }),
      ...(previousSecretExpiresAt !== undefined && { previousSecretExpiresAt }),
      ...(description !== undefined && { description }),
      ...(timeoutMs !== undefined && { timeoutMs }),
      ...(maxPerSecond !== undefined && { maxPerSecond }),
    },
  };
}

/** The stored JSON value of a subscription (the inverse of {@link parseSubscription}). */
export function subscriptionValue(subscription: Subscription): SubscriptionValue {
  const { name: _name, version: _version, ...value } = subscription;
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

/**
 * Messages name the field and what is wrong with its shape; they quote a value only when it cannot
 * be a credential (README "Security model", What is masked). What they say instead of the value.
 */
function hidden(value: string): string {
  return `${value.length} characters, not shown in case it is a credential`;
}

/** What is wrong with a `url`: its scheme, a missing one (with the URL probably meant), or that it is no URL. */
function urlProblem(text: string): string {
  const expected = 'must be an absolute http: or https: URL';
  if (URL.canParse(text)) {
    const { protocol } = new URL(text);
    return `${expected}, got a URL with ${isSafeToQuote(protocol, 16) ? `scheme "${protocol}"` : 'another scheme'}`;
  }
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d{1,5})?(\/|$)/i.test(text) && URL.canParse(`https://${text}`)) {
    return `${expected}; did you mean "${redactUrl(`https://${text}`)}"?`;
  }
  return `${expected}; the value is not one (${hidden(text)})`;
}

/** Event patterns are short dotted words: one of that shape is quoted with a suggestion; anything else is not quoted. */
function eventPatternProblem(pattern: string, catalogue: EventCatalogue): string {
  if (!/^[A-Za-z0-9_*-]{1,40}(\.[A-Za-z0-9_*-]{1,40})?$/.test(pattern) || !isSafeToQuote(pattern)) {
    return `matches no event and is not shaped like an event pattern such as "experiments.failed", "jobs.*" or "*.failed" (${hidden(pattern)})`;
  }
  const suggestion = catalogue.suggestPattern(pattern);
  if (suggestion !== undefined) return `"${pattern}" matches no event; did you mean "${suggestion}"?`;
  // Shaped like a type of its own: perhaps one the deployment has yet to accept.
  const newType = EVENT_TYPE_PATTERN.test(pattern.replace(/^\*\./, 'any.').replace(/\.\*$/, '.any')) && pattern !== '*';
  return `"${pattern}" matches no event${newType ? '; to use an event type beyond the built-in catalogue, add it to the deployment\'s extra event types (README "Traffic control")' : ''}`;
}

/**
 * V8's JSON.parse messages quote the text around the error, which may be part of a secret: the
 * quotation is dropped, keeping what went wrong and where.
 */
function jsonProblem(error: unknown): string {
  const message = String((error as { message?: unknown } | undefined)?.message ?? '').replace(/,\s*(\.\.\.)?".*$/s, '');
  return message === '' || message.includes('"') || redactText(message) !== message ? '' : ` (${message})`;
}

function isIsoDateTime(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
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

/** `events[1]`, `headers.X-Team`; a key that may be a credential (an unknown field, a header name) is not shown. */
function formatPath(path: IssuePath): string {
  if (!path || path.length === 0) return 'the value';
  return path
    .map((item, index) => {
      if (typeof item.key === 'number') return `[${item.key}]`;
      const key = String(item.key);
      if (!isSafeToQuote(key)) return index === 0 ? `a field name (${hidden(key)})` : `[a name of ${hidden(key)}]`;
      return `${index === 0 ? '' : '.'}${key === '' ? '""' : key}`;
    })
    .join('');
}
