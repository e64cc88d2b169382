import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { judgeAddress, parseAllowedCidrs } from '../core/targets/address-policy';
import type { AddressPolicy } from '../core/targets/address-policy';
import { formatIp, parseIp } from '../core/targets/ip-address';
import { isSafeToQuote, redactText } from '../core/secrets/redaction';
import { TargetResolutionError } from './errors';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Resolves a host name to every address it has, in the order a connection would try them.
 * Rejects on a DNS failure. The default is `dns.lookup` (getaddrinfo, as Node connects).
 */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface TargetGuardOptions {
  /** Opens every non-public range, loopback included, except the cloud credential endpoints. Default false. */
  readonly allowPrivateTargets?: boolean;
  /** Opens the private-network ranges only: RFC 1918, CGNAT 100.64.0.0/10 and unique-local fc00::/7. Default false. */
  readonly allowPrivateNetworkTargets?: boolean;
  /** CIDR blocks opened deliberately, e.g. `10.1.0.0/16`, `fd00::/8`, or a bare address; each opens its own family only. Default none. */
  readonly allowedCidrs?: readonly string[];
  /** Default: `dns.lookup` with `all` and `verbatim`. Tests inject names that resolve to private addresses. */
  readonly resolve?: Resolver;
}

/** The verdict on a target URL: where to connect, or which rule refused it and why. */
export type TargetVerdict =
  | {
      readonly allowed: true;
      readonly url: URL;
      /** Every checked address, in resolution order: the first is the one a connection tries first. */
      readonly addresses: readonly ResolvedAddress[];
    }
  | {
      readonly allowed: false;
      /** e.g. `link-local 169.254.0.0/16`, `scheme`, `credentials-in-url`, `invalid-url`. */
      readonly rule: string;
      /**
       * A sentence naming the address and the rule, e.g. `169.254.169.254 is link-local (rule:
       * link-local 169.254.0.0/16)`. Safe to log: redacted by the rule of `core/secrets/redaction.ts`.
       */
      readonly message: string;
    };

export interface TargetGuard {
  /**
   * Checks a target URL (docs/design.md §6): it must be an http(s) URL without credentials, and its host,
   * an IP literal or every address its name resolves to, must be allowed by the policy. An allowed
   * verdict holds the checked addresses: connect to those, never resolve the name again.
   * @throws {TargetResolutionError} when the name cannot be resolved (retryable, not a refusal).
   */
  check(url: string): Promise<TargetVerdict>;
}

/** Rules about the URL itself (address rules are named after their range, e.g. `loopback 127.0.0.0/8`). */
export const URL_RULES = {
  invalid: 'invalid-url',
  scheme: 'scheme',
  credentials: 'credentials-in-url',
} as const;

const SCHEMES = new Set(['http:', 'https:']);

/**
 * Creates the target guard: the HTTP sender checks every delivery with it, and the CLI can warn
 * about a subscription URL when it is written.
 * @throws {RangeError} when an allowed CIDR is not a CIDR block.
 */
export function createTargetGuard(options: TargetGuardOptions = {}): TargetGuard {
  const policy: AddressPolicy = {
    allowPrivateTargets: options.allowPrivateTargets ?? false,
    allowPrivateNetworkTargets: options.allowPrivateNetworkTargets ?? false,
    allowedCidrs: parseAllowedCidrs(options.allowedCidrs ?? []),
  };
  const resolve = options.resolve ?? systemResolver;

  /** The allowed addresses of a host (literal or name), or the refusal of the first one that is not. */
  async function addressesOf(host: string): Promise<ResolvedAddress[] | Refusal> {
    const literal = parseIp(host);
    if (literal !== undefined) {
      const verdict = judgeAddress(literal, policy);
      const address = formatIp(literal);
      return verdict.allowed ? [{ address, family: literal.family }] : refusal(verdict.rule, `${address} is ${verdict.is}`);
    }
    const resolved = await resolveName(resolve, host);
    const allowed: ResolvedAddress[] = [];
    for (const { address } of resolved) {
      const verdict = judgeAddress(address, policy);
      if (!verdict.allowed) return refusal(verdict.rule, `${host} resolves to ${address}, which is ${verdict.is}`);
      allowed.push({ address, family: verdict.ip.family });
    }
    return allowed;
  }

  // Verdicts on URLs whose host is an IP literal need no resolution and never change: keep them.
  const literalVerdicts = new Map<string, TargetVerdict>();
  // So do the URL checks of a URL with a host name: only its resolution is made on every attempt.
  const parsedTargets = new Map<string, Target | Refusal>();

  return {
    async check(text) {
      const known = literalVerdicts.get(text);
      if (known !== undefined) return known;
      let target = parsedTargets.get(text);
      if (target === undefined) {
        target = parseTarget(text);
        if (parsedTargets.size >= MAX_KEPT_URLS) parsedTargets.clear();
        parsedTargets.set(text, target);
      }
      if ('rule' in target) return target;
      const addresses = await addressesOf(target.host);
      const verdict: TargetVerdict = Array.isArray(addresses)
        ? { allowed: true, url: target.url, addresses }
        : addresses;
      if (target.literal) {
        if (literalVerdicts.size >= MAX_KEPT_URLS) literalVerdicts.clear();
        literalVerdicts.set(text, verdict);
      }
      return verdict;
    },
  };
}

/**
 * URLs whose checks a guard keeps; past it, it starts over. As many as the subscriptions one event
 * may fan out to in the benchmark (10,000): below that, a fan-out larger than the cache parsed every
 * URL again on every delivery (BENCHMARKS.md, "Capacity").
 */
const MAX_KEPT_URLS = 10_000;

type Refusal = Extract<TargetVerdict, { allowed: false }>;

/** The message names the host, but a token pasted where a host belongs is masked (README "Security model"). */
function refusal(rule: string, sentence: string): Refusal {
  return { allowed: false, rule, message: redactText(`${sentence} (rule: ${rule})`) };
}

/** A URL that passed the checks needing no resolution, and its host (an IP literal's without brackets). */
interface Target {
  readonly url: URL;
  readonly host: string;
  /** The host is an IP address, checked as it is. */
  readonly literal: boolean;
}

/** The URL checks that need no resolution: parseable, http(s), no credentials, a host. */
function parseTarget(text: string): Target | Refusal {
  if (!URL.canParse(text)) return refusal(URL_RULES.invalid, 'the URL is not a valid absolute URL');
  const url = new URL(text);
  if (!SCHEMES.has(url.protocol)) {
    const scheme = isSafeToQuote(url.protocol, 16) ? `scheme "${url.protocol}"` : 'scheme';
    return refusal(URL_RULES.scheme, `the URL ${scheme} is not allowed; only http: and https: are`);
  }
  if (url.username !== '' || url.password !== '') {
    return refusal(URL_RULES.credentials, 'the URL carries credentials (user:password@); send them in a subscription header such as Authorization instead');
  }
  // WHATWG URL has already normalised decimal, octal, hex and short IPv4 forms to a dotted quad.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return refusal(URL_RULES.invalid, 'the URL has no host');
  return { url, host, literal: parseIp(host) !== undefined };
}

async function resolveName(resolve: Resolver, host: string): Promise<readonly ResolvedAddress[]> {
  let resolved: readonly ResolvedAddress[];
  try {
    resolved = await resolve(host);
  } catch (error) {
    if (error instanceof TargetResolutionError) throw error;
    const code = (error as { code?: unknown } | null | undefined)?.code;
    throw new TargetResolutionError(host, typeof code === 'string' ? code : 'ENOTFOUND', { cause: error });
  }
  if (resolved.length === 0) throw new TargetResolutionError(host, 'ENOTFOUND');
  return resolved;
}

const systemResolver: Resolver = async (hostname) => {
  const addresses = await dnsLookup(hostname, { all: true, verbatim: true });
  return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

type LookupCallback = Parameters<LookupFunction>[2];

/** Calls a lookup back with every address (`all`), or the first of the requested family. */
export function answerLookup(addresses: readonly ResolvedAddress[], options: LookupOptions, callback: LookupCallback): void {
  const family = options.family === 'IPv4' || options.family === 4 ? 4 : options.family === 'IPv6' || options.family === 6 ? 6 : undefined;
  const wanted = family === undefined ? addresses : addresses.filter((a) => a.family === family);
  const [first] = wanted;
  if (first === undefined) {
    return callback(Object.assign(new Error(`no checked IPv${family} address`), { code: 'ENOTFOUND' }), '');
  }
  if (options.all) return callback(null, wanted.map(({ address, family: f }): LookupAddress => ({ address, family: f })));
  callback(null, first.address, first.family);
}

/**
 * A lookup that always answers with already-checked addresses: the sender pins each connection to
 * what {@link TargetGuard.check} allowed, so no second resolution can rebind it.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => answerLookup(addresses, options, callback);
}
