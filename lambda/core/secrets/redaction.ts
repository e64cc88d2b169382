/**
 * The one redaction rule (README "Security model", What is masked): what a log line, a dead-letter
 * record, a validation message or anything the CLI prints may show of a URL, a header, a secret
 * or free text that may hold one. Pure; never throws.
 *
 * - A URL shows its scheme, host, port and path; query values, the fragment and any user:password
 *   are masked, and so is the path after the shown part on the hosts of {@link CREDENTIAL_URLS}.
 *   Token-shaped path segments and host labels are masked on every host.
 * - A header's value is never shown.
 * - A secret shows its recognisable prefix (`whsec_`, `sk_live_`, `Bearer `) and nothing else in
 *   logs; the CLI may add its last four characters so that a person can tell two apart.
 */
import { shownPathLength } from './credential-urls';

/** What stands in for a masked value. */
export const MASK = '****';

/**
 * How a masked secret is presented: `log` shows none of it (the function's logs and dead-letter
 * records); `hint` adds the last four characters of a long one (the CLI, to its owner).
 */
export const PRESENTATIONS = { log: 'log', hint: 'hint' } as const;
export type Presentation = (typeof PRESENTATIONS)[keyof typeof PRESENTATIONS];

/** Prefixes that name a kind of secret; shown, since they tell a reader what was masked. */
const PREFIXES = String.raw`whsec_|(?:sk|rk|pk)_(?:live|test)_|xox[abposr]-|gh[pousr]_|github_pat_`;
const SECRET_PREFIX = new RegExp(`^(?:${PREFIXES})`, 'i');
/** A prefixed secret (base64 may hold `/`), or a JWT. */
const PREFIXED_SECRET = String.raw`\b(?:${PREFIXES})[a-z0-9+/=_%-]+|\beyJ[a-z0-9_-]+\.[a-z0-9_-]+\.[a-z0-9_-]*`;
const SECRET_IN_URL = new RegExp(PREFIXED_SECRET, 'gi');
const HOLDS_SECRET = new RegExp(PREFIXED_SECRET, 'i');

/** A secret shorter than this after its prefix shows no characters even as a hint. */
const HINT_MIN_LENGTH = 16;

/**
 * A secret, masked: `whsec_****` (log), `whsec_…LaSw` (hint, when at least 16 characters follow
 * the prefix).
 */
export function maskSecret(secret: string, presentation: Presentation = PRESENTATIONS.log): string {
  const prefix = SECRET_PREFIX.exec(secret)?.[0] ?? '';
  const rest = secret.slice(prefix.length);
  return presentation === PRESENTATIONS.hint && rest.length >= HINT_MIN_LENGTH ? `${prefix}…${rest.slice(-4)}` : `${prefix}${MASK}`;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * Whether a word looks like a token: it holds a UUID, or one of its pieces (split at `-`, `_`,
 * `.`, `~`, `%` and the like) is at least 16 characters mixing letters and digits, or at least 32
 * characters long. Random identifiers (UUIDs, ULIDs) look like tokens, and are masked with them.
 */
export function isTokenShaped(word: string): boolean {
  if (UUID.test(word)) return true;
  return word.split(/[^A-Za-z0-9+/=]+/).some((piece) => piece.length >= 32 || (piece.length >= 16 && /[A-Za-z]/.test(piece) && /\d/.test(piece)));
}

const SPECIAL_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

/** Resolves a relative reference (a `location` of `/path`) without showing any host. */
const RELATIVE_BASE = 'http://relative.invalid';

/**
 * A URL as it may be shown: `https://hooks.slack.com/services/****`,
 * `https://prod-12.westus.logic.azure.com/workflows/****?api-version=****&sig=****`. A relative
 * reference (`/path?q=1`) shows as its path and masked query; text that is not a URL is masked
 * whole; a URL of another scheme (`mailto:`) shows its scheme only.
 */
export function redactUrl(text: string): string {
  if (!URL.canParse(text)) {
    if (!/^\/(?!\/)/.test(text) || !URL.canParse(text, RELATIVE_BASE)) return MASK;
    return redactUrl(new URL(text, RELATIVE_BASE).href).slice(RELATIVE_BASE.length);
  }
  const url = new URL(text);
  if (!SPECIAL_SCHEMES.has(url.protocol)) return /^[a-z][a-z0-9+.-]{0,15}:$/.test(url.protocol) && !isTokenShaped(url.protocol) ? `${url.protocol}${MASK}` : MASK;
  const credentials = url.username !== '' || url.password !== '' ? `${MASK}@` : '';
  const port = url.port === '' ? '' : `:${url.port}`;
  const host = redactHost(url.hostname);
  // A host that holds a credential means the value was pasted in the wrong place: show nothing after it.
  if (host !== url.hostname) return `${url.protocol}//${credentials}${host}${port}${url.pathname === '/' && url.search === '' && url.hash === '' ? '/' : `/${MASK}`}`;
  const fragment = url.hash === '' ? '' : `#${MASK}`;
  return `${url.protocol}//${credentials}${host}${port}${redactPath(url.hostname, url.pathname)}${redactQuery(url.search)}${fragment}`;
}

function redactHost(hostname: string): string {
  if (hostname.startsWith('[')) return hostname;
  if (HOLDS_SECRET.test(hostname)) return MASK;
  return hostname
    .split('.')
    .map((label) => (isTokenShaped(label) ? MASK : label))
    .join('.');
}

/** The path after the shown part on a credential host; elsewhere, prefixed secrets (to the end of their characters) and token-shaped segments. */
function redactPath(hostname: string, path: string): string {
  const shown = shownPathLength(hostname, path);
  if (shown !== undefined) return shown < path.length ? `${path.slice(0, shown)}${MASK}` : path;
  return path
    .replace(SECRET_IN_URL, (secret) => maskSecret(secret))
    .split('/')
    .map((segment) => (isTokenShaped(segment) ? MASK : segment))
    .join('/');
}

/** `?a=1&b` → `?a=****&****`: every value masked, and a name too when it looks like a token. */
function redactQuery(search: string): string {
  if (search === '' || search === '?') return search;
  const parts = search
    .slice(1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      if (equals < 0) return part === '' ? '' : MASK;
      const name = part.slice(0, equals);
      return `${isTokenShaped(name) || HOLDS_SECRET.test(name) ? MASK : name}=${equals === part.length - 1 ? '' : MASK}`;
    });
  return `?${parts.join('&')}`;
}

/** Headers as they may be shown: every value masked (header values are never shown), a name only where it does not look like a secret. */
export function redactHeaders(headers: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [redactText(name), MASK]));
}

/** Punctuation that may close the sentence a URL ends, rather than belong to it. */
const TRAILING = /[.,;:!?)\]}'"]+$/;
const URL_STOP = String.raw`[^\s"'<>\\^\`{|}]`;

/**
 * What free text may hold, in the order tried at each position. Named groups tell the replacer
 * which matched; `word` is a candidate only, kept when it is not token-shaped.
 */
const IN_TEXT = new RegExp(
  [
    String.raw`(?<url>\b[a-z][a-z0-9+.-]*:\/\/${URL_STOP}+)`,
    String.raw`(?<hostPath>\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d{1,5})?\/${URL_STOP}*)`,
    String.raw`(?<scheme>\b(?:bearer|basic|digest|token|bot)[ \t]+)(?<credential>[a-z0-9._~+/=-]{8,})`,
    `(?<prefixed>${PREFIXED_SECRET})`,
    String.raw`(?<pair>\b(?:secret|password|passwd|pwd|api[-_ ]?key|access[-_ ]?token|token|sig|signature|routing[-_ ]?key|credentials?|key)["']?[ \t]*[:=][ \t]*["']?)(?<pairValue>(?!(?:bearer|basic|digest|token|bot)[ \t])[^\s"'&,;\\…*]{6,}(?=[\s"'&,;]|$))`,
    String.raw`(?<word>[a-z0-9+=_-]{16,})`,
  ].join('|'),
  'gi',
);

/**
 * Free text (an error message, a location header, a value quoted in a message) with everything
 * that may be a secret masked: URLs as {@link redactUrl} shows them (with or without a scheme),
 * `Bearer`/`Basic` credentials, prefixed secrets (`whsec_`, `sk_live_`, `xoxb-`, `ghp_`), JWTs,
 * the values of `token=`/`key:`/`password=`-like pairs, 32-character keys (PagerDuty's routing
 * keys) and any other token-shaped word. Idempotent. Identifiers that look like tokens (ULIDs,
 * UUIDs) are masked too: pass it text that may hold a secret, not a column of ids.
 */
export function redactText(text: string, presentation: Presentation = PRESENTATIONS.log): string {
  return text.replace(IN_TEXT, (match, ...args: unknown[]) => {
    const groups = args.at(-1) as Record<string, string | undefined>;
    if (groups.url !== undefined) return redactUrlInText(match, (url) => redactUrl(url));
    if (groups.hostPath !== undefined) return redactUrlInText(match, (url) => redactUrl(`https://${url}`).replace(/^https:\/\//, ''));
    if (groups.scheme !== undefined) return plausibleCredential(groups.credential!) ? `${groups.scheme}${maskSecret(groups.credential!, presentation)}` : match;
    if (groups.prefixed !== undefined) return maskSecret(match, presentation);
    if (groups.pair !== undefined) return `${groups.pair}${maskSecret(groups.pairValue!, presentation)}`;
    return isTokenShaped(match) ? maskSecret(match, presentation) : match;
  });
}

/** Redacts a URL found in text, leaving the punctuation that ends the sentence around it. */
function redactUrlInText(match: string, redact: (url: string) => string): string {
  let trailing = TRAILING.exec(match)?.[0] ?? '';
  // An IPv6 literal ends with `]`: keep it when it closes the host's `[`.
  if (trailing.startsWith(']') && match.includes('[') && !match.slice(0, match.length - trailing.length).includes(']')) trailing = trailing.slice(1);
  const url = match.slice(0, match.length - trailing.length);
  return `${redact(url)}${trailing}`;
}

/** After `Bearer`, `Basic`…: a word with a digit, or a long one, is a credential; `Basic authentication` is not. */
function plausibleCredential(word: string): boolean {
  return /\d/.test(word) || word.length >= 20;
}

/**
 * Whether a value may be quoted in a message: at most `maxLength` characters, no control
 * characters, and nothing that {@link redactText} would mask.
 */
export function isSafeToQuote(text: string, maxLength = 64): boolean {
  return text.length <= maxLength && !/[\u0000-\u001f\u007f]/.test(text) && redactText(text) === text;
}
