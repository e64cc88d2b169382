/**
 * Which addresses a webhook may be delivered to (docs/design.md §6, README "Security model"): the
 * non-public ranges, after the deny list of stripe/smokescreen and the IANA special-purpose
 * registries, and the policy that opens them deliberately. Pure: a function of the address and
 * the policy.
 */
import { cidrContains, formatIp, parseCidr, parseIp } from './ip-address';
import type { Cidr, IpAddress } from './ip-address';

/** What may open a non-public range, besides an allowed CIDR block of the same family that contains the address. */
export const OPENED_BY = {
  /** `ALLOW_PRIVATE_NETWORK_TARGETS` (and `ALLOW_PRIVATE_TARGETS`): the ranges a VPC's hosts live in. */
  privateNetwork: 'private-network',
  /** `ALLOW_PRIVATE_TARGETS` only: loopback, link-local and every other non-public range. */
  private: 'private',
  /** Nothing, not even an allowed CIDR: the cloud credential endpoints. */
  nothing: 'nothing',
} as const;
export type OpenedBy = (typeof OPENED_BY)[keyof typeof OPENED_BY];

/** A named block of addresses a webhook is not delivered to unless the policy opens it. */
export interface NonPublicRange {
  /** Short rule name, e.g. `link-local`; the refusal's rule is `<name> <block>`. */
  readonly name: string;
  readonly block: string;
  /** How a refusal describes an address in the range: `<address> is <is>`. */
  readonly is: string;
  readonly openedBy: OpenedBy;
}

const METADATA = { name: 'instance-metadata', is: 'the instance metadata service', openedBy: OPENED_BY.nothing } as const;
const CONTAINER_CREDENTIALS = { name: 'container-credentials', is: 'a container credentials endpoint', openedBy: OPENED_BY.nothing } as const;
const PRIVATE = { name: 'private', is: 'private (RFC 1918)', openedBy: OPENED_BY.privateNetwork } as const;
const { private: ANY_PRIVATE } = OPENED_BY;

/**
 * Non-public ranges in the order they are matched (the first match names the rule). The cloud
 * credential endpoints come before the ranges that contain them, so that a refusal names them.
 */
export const NON_PUBLIC_RANGES: readonly NonPublicRange[] = [
  // IPv4 (IANA IPv4 special-purpose registry, RFC 6890)
  { ...METADATA, block: '169.254.169.254/32' },
  { ...CONTAINER_CREDENTIALS, block: '169.254.170.2/32' },
  { ...CONTAINER_CREDENTIALS, block: '169.254.170.23/32' },
  { name: 'this-network', block: '0.0.0.0/8', is: 'in the "this network" block (0.0.0.0 reaches the local host)', openedBy: ANY_PRIVATE },
  { ...PRIVATE, block: '10.0.0.0/8' },
  { name: 'cgnat', block: '100.64.0.0/10', is: 'carrier-grade NAT shared space (RFC 6598)', openedBy: OPENED_BY.privateNetwork },
  { name: 'loopback', block: '127.0.0.0/8', is: 'loopback', openedBy: ANY_PRIVATE },
  { name: 'link-local', block: '169.254.0.0/16', is: 'link-local', openedBy: ANY_PRIVATE },
  { ...PRIVATE, block: '172.16.0.0/12' },
  { name: 'ietf-protocol', block: '192.0.0.0/24', is: 'reserved for IETF protocol assignments', openedBy: ANY_PRIVATE },
  { name: 'documentation', block: '192.0.2.0/24', is: 'a documentation address (TEST-NET-1)', openedBy: ANY_PRIVATE },
  { name: '6to4-relay', block: '192.88.99.0/24', is: 'the deprecated 6to4 relay anycast', openedBy: ANY_PRIVATE },
  { ...PRIVATE, block: '192.168.0.0/16' },
  { name: 'benchmarking', block: '198.18.0.0/15', is: 'reserved for benchmarking', openedBy: ANY_PRIVATE },
  { name: 'documentation', block: '198.51.100.0/24', is: 'a documentation address (TEST-NET-2)', openedBy: ANY_PRIVATE },
  { name: 'documentation', block: '203.0.113.0/24', is: 'a documentation address (TEST-NET-3)', openedBy: ANY_PRIVATE },
  { name: 'multicast', block: '224.0.0.0/4', is: 'multicast', openedBy: ANY_PRIVATE },
  { name: 'broadcast', block: '255.255.255.255/32', is: 'the broadcast address', openedBy: ANY_PRIVATE },
  { name: 'reserved', block: '240.0.0.0/4', is: 'reserved (class E)', openedBy: ANY_PRIVATE },
  // IPv6 (IANA IPv6 special-purpose registry); the forms that carry IPv4 are judged by it too.
  { ...METADATA, block: 'fd00:ec2::254/128' },
  { ...CONTAINER_CREDENTIALS, block: 'fd00:ec2::23/128' },
  { name: 'unspecified', block: '::/128', is: 'the unspecified address', openedBy: ANY_PRIVATE },
  { name: 'loopback', block: '::1/128', is: 'loopback', openedBy: ANY_PRIVATE },
  { name: 'ipv4-compatible', block: '::/96', is: 'a deprecated IPv4-compatible address', openedBy: ANY_PRIVATE },
  { name: 'nat64-local', block: '64:ff9b:1::/48', is: 'local-use NAT64 (RFC 8215)', openedBy: ANY_PRIVATE },
  { name: 'discard-only', block: '100::/64', is: 'discard-only', openedBy: ANY_PRIVATE },
  { name: 'benchmarking', block: '2001:2::/48', is: 'reserved for benchmarking', openedBy: ANY_PRIVATE },
  { name: 'orchid', block: '2001:10::/28', is: 'a deprecated ORCHID address', openedBy: ANY_PRIVATE },
  { name: 'documentation', block: '2001:db8::/32', is: 'a documentation address', openedBy: ANY_PRIVATE },
  { name: 'documentation', block: '3fff::/20', is: 'a documentation address', openedBy: ANY_PRIVATE },
  // AWS's own IPv6 service addresses (DNS fd00:ec2::253, NTP fd00:ec2::123): the counterpart of 169.254.0.0/16.
  { name: 'aws-services', block: 'fd00:ec2::/32', is: 'an AWS service address (the IPv6 counterpart of link-local)', openedBy: ANY_PRIVATE },
  { name: 'unique-local', block: 'fc00::/7', is: 'unique-local', openedBy: OPENED_BY.privateNetwork },
  { name: 'link-local', block: 'fe80::/10', is: 'link-local', openedBy: ANY_PRIVATE },
  { name: 'site-local', block: 'fec0::/10', is: 'deprecated site-local', openedBy: ANY_PRIVATE },
  { name: 'multicast', block: 'ff00::/8', is: 'multicast', openedBy: ANY_PRIVATE },
];

/** Where an IPv6 form keeps an IPv4 address: four byte positions, stored bit-inverted or not. */
interface Carried {
  readonly at: readonly number[];
  readonly inverted?: boolean;
}
const LAST_32_BITS: Carried = { at: [12, 13, 14, 15] };

/**
 * IPv6 forms that carry IPv4 addresses, each judged as IPv4 in their place: the IPv6 address is
 * allowed only if every address it carries is. Teredo carries its server, and its client stored
 * bit-inverted; local-use NAT64 may carry it at any position RFC 6052 allows, so all are judged.
 */
const IPV4_EMBEDDINGS: readonly { readonly name: string; readonly block: string; readonly carries: readonly Carried[]; readonly except?: readonly string[] }[] = [
  { name: 'ipv4-mapped', block: '::ffff:0:0/96', carries: [LAST_32_BITS] },
  { name: 'ipv4-translated', block: '::ffff:0:0:0/96', carries: [LAST_32_BITS] },
  // `::` and `::1` are the unspecified and loopback addresses, not IPv4-compatible ones.
  { name: 'ipv4-compatible', block: '::/96', carries: [LAST_32_BITS], except: ['::', '::1'] },
  { name: 'nat64', block: '64:ff9b::/96', carries: [LAST_32_BITS] },
  { name: 'nat64-local', block: '64:ff9b:1::/48', carries: [{ at: [6, 7, 9, 10] }, { at: [7, 9, 10, 11] }, { at: [9, 10, 11, 12] }, LAST_32_BITS] },
  { name: '6to4', block: '2002::/16', carries: [{ at: [2, 3, 4, 5] }] },
  { name: 'teredo', block: '2001::/32', carries: [{ at: [4, 5, 6, 7] }, { ...LAST_32_BITS, inverted: true }] },
];

/** Global unicast IPv6: an address outside it that no range names and no embedding explains is reserved. */
const GLOBAL_UNICAST = parseCidr('2000::/3');
const NOT_GLOBAL_UNICAST = { rule: 'not-global-unicast (outside 2000::/3)', is: 'reserved', openedBy: ANY_PRIVATE } as const;

const RANGES = NON_PUBLIC_RANGES.map((range) => ({ ...range, cidr: parseCidr(range.block), rule: `${range.name} ${range.block}` }));
const EMBEDDINGS = IPV4_EMBEDDINGS.map((embedding) => ({
  ...embedding,
  cidr: parseCidr(embedding.block),
  except: (embedding.except ?? []).map((text) => parseIp(text) as IpAddress),
}));

/** What the deployment opens (docs/design.md §5; README "Security model", Opening it for targets inside a VPC). */
export interface AddressPolicy {
  /** `ALLOW_PRIVATE_TARGETS`: opens every non-public range, loopback included, except the credential endpoints. */
  readonly allowPrivateTargets: boolean;
  /** `ALLOW_PRIVATE_NETWORK_TARGETS`: opens RFC 1918, CGNAT and unique-local ranges only. */
  readonly allowPrivateNetworkTargets: boolean;
  /** `ALLOWED_TARGET_CIDRS`: blocks opened deliberately. A block opens addresses of its own family only. */
  readonly allowedCidrs: readonly Cidr[];
}

export type AddressVerdict =
  | { readonly allowed: true; readonly ip: IpAddress }
  | { readonly allowed: false; readonly rule: string; readonly is: string; readonly openedBy: OpenedBy };

type Refusal = Extract<AddressVerdict, { allowed: false }>;

const NOTHING_OPENED: AddressPolicy = { allowPrivateTargets: false, allowPrivateNetworkTargets: false, allowedCidrs: [] };

/**
 * Judges one address (text as a resolver returns it, or parsed) under a policy. An IPv6 form that
 * carries IPv4 addresses is allowed only when each of them is allowed as IPv4 and the form itself
 * is; the credential endpoints are refused in every mode and every embedding.
 */
export function judgeAddress(address: string | IpAddress, policy: AddressPolicy): AddressVerdict {
  const ip = typeof address === 'string' ? parseIp(address) : address;
  if (ip === undefined) return { allowed: false, rule: 'invalid-address', is: 'not an IP address', openedBy: OPENED_BY.nothing };
  const own = judgeOwn(ip, policy);
  const carried = carriedIpv4(ip).map(({ inner, embedding }) => via(judgeAddress(inner, policy), embedding, inner));
  const refusals = [own, ...carried].filter((verdict): verdict is Refusal => !verdict.allowed);
  return refusals.find((refusal) => refusal.openedBy === OPENED_BY.nothing) ?? refusals[0] ?? { allowed: true, ip };
}

/** What an address is, with nothing opened: public, or the rule that refuses it. */
export type AddressClass = { readonly public: true } | { readonly public: false; readonly rule: string; readonly is: string; readonly openedBy: OpenedBy };

/** Classifies an address against {@link NON_PUBLIC_RANGES}, judging the IPv4 addresses an IPv6 form carries. */
export function classifyAddress(ip: IpAddress): AddressClass {
  const verdict = judgeAddress(ip, NOTHING_OPENED);
  return verdict.allowed ? { public: true } : { public: false, rule: verdict.rule, is: verdict.is, openedBy: verdict.openedBy };
}

/** The address on its own terms: its named range (not looking inside it), the allowed CIDRs of its family and the switches. */
function judgeOwn(ip: IpAddress, policy: AddressPolicy): AddressVerdict {
  const range = RANGES.find((candidate) => cidrContains(candidate.cidr, ip));
  const reserved = range === undefined && ip.family === 6 && !cidrContains(GLOBAL_UNICAST, ip) && !EMBEDDINGS.some((e) => cidrContains(e.cidr, ip));
  const finding = range ?? (reserved ? NOT_GLOBAL_UNICAST : undefined);
  if (finding === undefined) return { allowed: true, ip };
  const opened =
    finding.openedBy !== OPENED_BY.nothing &&
    (policy.allowedCidrs.some((cidr) => cidrContains(cidr, ip)) ||
      policy.allowPrivateTargets ||
      (policy.allowPrivateNetworkTargets && finding.openedBy === OPENED_BY.privateNetwork));
  return opened ? { allowed: true, ip } : { allowed: false, rule: finding.rule, is: finding.is, openedBy: finding.openedBy };
}

/** The IPv4 addresses an IPv6 address carries, with the embedding that carries each. */
function carriedIpv4(ip: IpAddress): { inner: IpAddress; embedding: (typeof EMBEDDINGS)[number] }[] {
  if (ip.family !== 6) return [];
  return EMBEDDINGS.filter((embedding) => cidrContains(embedding.cidr, ip) && !embedding.except.some((other) => sameAddress(other, ip))).flatMap((embedding) =>
    embedding.carries.map((carried) => ({ inner: ipv4At(ip, carried), embedding })),
  );
}

function ipv4At(ip: IpAddress, { at, inverted = false }: Carried): IpAddress {
  return { family: 4, bytes: Uint8Array.from(at, (position) => ip.bytes[position]! ^ (inverted ? 0xff : 0)) };
}

function via(verdict: AddressVerdict, embedding: { name: string; block: string }, inner: IpAddress): AddressVerdict {
  if (verdict.allowed) return verdict;
  return { ...verdict, rule: `${verdict.rule} via ${embedding.name} ${embedding.block}`, is: `${verdict.is} (it embeds ${formatIp(inner)})` };
}

function sameAddress(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.bytes.every((byte, index) => byte === b.bytes[index]);
}

/**
 * Parses `ALLOWED_TARGET_CIDRS` entries into blocks.
 * @throws {RangeError} naming the first entry that is not a CIDR block.
 */
export function parseAllowedCidrs(entries: readonly string[]): Cidr[] {
  return entries.map((entry) => parseCidr(entry));
}
