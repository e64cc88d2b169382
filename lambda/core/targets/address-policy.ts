/**
 * Which addresses a webhook may be delivered to (docs/design.md §6): the non-public ranges, after the deny
 * list of stripe/smokescreen and the IANA special-purpose registries, and the policy that opens
 * them deliberately. Pure: a function of the address and the policy.
 */
import { cidrContains, embeddedIpv4, formatIp, parseCidr, parseIp } from './ip-address';
import type { Cidr, IpAddress } from './ip-address';

/** A named block of addresses a webhook is not delivered to unless the policy opens it. */
export interface NonPublicRange {
  /** Short rule name, e.g. `link-local`; the refusal's rule is `<name> <block>`. */
  readonly name: string;
  readonly block: string;
  /** How a refusal describes an address in the range: `<address> is <is>`. */
  readonly is: string;
  /** Not opened by `ALLOW_PRIVATE_TARGETS`, only by an allowed CIDR that contains the address. */
  readonly alwaysRefused?: boolean;
}

const METADATA = { name: 'instance-metadata', is: 'the instance metadata service', alwaysRefused: true } as const;
const CONTAINER_CREDENTIALS = { name: 'container-credentials', is: 'a container credentials endpoint', alwaysRefused: true } as const;

/**
 * Non-public ranges in the order they are matched (the first match names the rule). The cloud
 * metadata and container-credential endpoints come before the ranges that contain them so that
 * a refusal names them, and so that `ALLOW_PRIVATE_TARGETS` does not open them.
 */
export const NON_PUBLIC_RANGES: readonly NonPublicRange[] = [
  // IPv4 (IANA IPv4 special-purpose registry, RFC 6890)
  { ...METADATA, block: '169.254.169.254/32' },
  { ...CONTAINER_CREDENTIALS, block: '169.254.170.2/32' },
  { ...CONTAINER_CREDENTIALS, block: '169.254.170.23/32' },
  { name: 'this-network', block: '0.0.0.0/8', is: 'in the "this network" block (0.0.0.0 reaches the local host)' },
  { name: 'private', block: '10.0.0.0/8', is: 'private (RFC 1918)' },
  { name: 'cgnat', block: '100.64.0.0/10', is: 'carrier-grade NAT shared space (RFC 6598)' },
  { name: 'loopback', block: '127.0.0.0/8', is: 'loopback' },
  { name: 'link-local', block: '169.254.0.0/16', is: 'link-local' },
  { name: 'private', block: '172.16.0.0/12', is: 'private (RFC 1918)' },
  { name: 'ietf-protocol', block: '192.0.0.0/24', is: 'reserved for IETF protocol assignments' },
  { name: 'documentation', block: '192.0.2.0/24', is: 'a documentation address (TEST-NET-1)' },
  { name: '6to4-relay', block: '192.88.99.0/24', is: 'the deprecated 6to4 relay anycast' },
  { name: 'private', block: '192.168.0.0/16', is: 'private (RFC 1918)' },
  { name: 'benchmarking', block: '198.18.0.0/15', is: 'reserved for benchmarking' },
  { name: 'documentation', block: '198.51.100.0/24', is: 'a documentation address (TEST-NET-2)' },
  { name: 'documentation', block: '203.0.113.0/24', is: 'a documentation address (TEST-NET-3)' },
  { name: 'multicast', block: '224.0.0.0/4', is: 'multicast' },
  { name: 'broadcast', block: '255.255.255.255/32', is: 'the broadcast address' },
  { name: 'reserved', block: '240.0.0.0/4', is: 'reserved (class E)' },
  // IPv6 (IANA IPv6 special-purpose registry); embedded IPv4 forms are judged by what they embed.
  { name: 'unspecified', block: '::/128', is: 'the unspecified address' },
  { name: 'loopback', block: '::1/128', is: 'loopback' },
  { name: 'ipv4-compatible', block: '::/96', is: 'a deprecated IPv4-compatible address' },
  { ...METADATA, block: 'fd00:ec2::254/128' },
  { ...CONTAINER_CREDENTIALS, block: 'fd00:ec2::23/128' },
  { name: 'nat64-local', block: '64:ff9b:1::/48', is: 'local-use NAT64 (RFC 8215)' },
  { name: 'discard-only', block: '100::/64', is: 'discard-only' },
  { name: 'benchmarking', block: '2001:2::/48', is: 'reserved for benchmarking' },
  { name: 'orchid', block: '2001:10::/28', is: 'a deprecated ORCHID address' },
  { name: 'documentation', block: '2001:db8::/32', is: 'a documentation address' },
  { name: 'documentation', block: '3fff::/20', is: 'a documentation address' },
  { name: 'unique-local', block: 'fc00::/7', is: 'unique-local' },
  { name: 'link-local', block: 'fe80::/10', is: 'link-local' },
  { name: 'site-local', block: 'fec0::/10', is: 'deprecated site-local' },
  { name: 'multicast', block: 'ff00::/8', is: 'multicast' },
];

/** IPv6 forms that carry an IPv4 address, which is judged in their place. */
export const IPV4_EMBEDDINGS = [
  { name: 'ipv4-mapped', block: '::ffff:0:0/96', carries: (ip: IpAddress) => [embeddedIpv4(ip, 12)] },
  { name: 'nat64', block: '64:ff9b::/96', carries: (ip: IpAddress) => [embeddedIpv4(ip, 12)] },
  { name: '6to4', block: '2002::/16', carries: (ip: IpAddress) => [embeddedIpv4(ip, 2)] },
  // Teredo: the server address, then the client address stored bit-inverted.
  { name: 'teredo', block: '2001::/32', carries: (ip: IpAddress) => [embeddedIpv4(ip, 4), embeddedIpv4(ip, 12, true)] },
] as const;

/** Global unicast IPv6: an address outside it (and not an embedding) is reserved. */
const GLOBAL_UNICAST = parseCidr('2000::/3');

const RANGES = NON_PUBLIC_RANGES.map((range) => ({ ...range, cidr: parseCidr(range.block) }));
const EMBEDDINGS = IPV4_EMBEDDINGS.map((embedding) => ({ ...embedding, cidr: parseCidr(embedding.block) }));
const IPV4_MAPPED = EMBEDDINGS[0];

/** What an address is: public, or in a non-public range named by its rule. */
export type AddressClass =
  | { readonly public: true }
  | { readonly public: false; readonly rule: string; readonly is: string; readonly alwaysRefused: boolean };

/** Classifies an address against {@link NON_PUBLIC_RANGES}, judging embedded IPv4 addresses in their place. */
export function classifyAddress(ip: IpAddress): AddressClass {
  for (const range of RANGES) {
    if (cidrContains(range.cidr, ip)) return { public: false, rule: `${range.name} ${range.block}`, is: range.is, alwaysRefused: range.alwaysRefused ?? false };
  }
  if (ip.family === 4) return { public: true };
  for (const embedding of EMBEDDINGS) {
    if (!cidrContains(embedding.cidr, ip)) continue;
    for (const inner of embedding.carries(ip)) {
      const verdict = classifyAddress(inner);
      if (!verdict.public) {
        return { ...verdict, rule: `${verdict.rule} via ${embedding.name} ${embedding.block}`, is: `${verdict.is} (it embeds ${formatIp(inner)})` };
      }
    }
    return { public: true };
  }
  if (!cidrContains(GLOBAL_UNICAST, ip)) return { public: false, rule: 'not-global-unicast (outside 2000::/3)', is: 'reserved', alwaysRefused: false };
  return { public: true };
}

/** What the deployment opens (docs/design.md §5: `ALLOW_PRIVATE_TARGETS`, `ALLOWED_TARGET_CIDRS`). */
export interface AddressPolicy {
  /** Opens every non-public range except the cloud metadata and container-credential endpoints. */
  readonly allowPrivateTargets: boolean;
  /** Blocks opened deliberately, whatever they contain (an IPv4-mapped address counts as its IPv4). */
  readonly allowedCidrs: readonly Cidr[];
}

export type AddressVerdict =
  | { readonly allowed: true; readonly ip: IpAddress }
  | { readonly allowed: false; readonly rule: string; readonly is: string };

/** Judges one address (text as a resolver returns it, or parsed) under a policy. */
export function judgeAddress(address: string | IpAddress, policy: AddressPolicy): AddressVerdict {
  const ip = typeof address === 'string' ? parseIp(address) : address;
  if (ip === undefined) return { allowed: false, rule: 'invalid-address', is: 'not an IP address' };
  if (isExplicitlyAllowed(ip, policy.allowedCidrs)) return { allowed: true, ip };
  const verdict = classifyAddress(ip);
  if (verdict.public || (policy.allowPrivateTargets && !verdict.alwaysRefused)) return { allowed: true, ip };
  return { allowed: false, rule: verdict.rule, is: verdict.is };
}

function isExplicitlyAllowed(ip: IpAddress, allowed: readonly Cidr[]): boolean {
  const unmapped = IPV4_MAPPED && cidrContains(IPV4_MAPPED.cidr, ip) ? embeddedIpv4(ip, 12) : undefined;
  return allowed.some((cidr) => cidrContains(cidr, ip) || (unmapped !== undefined && cidrContains(cidr, unmapped)));
}

/**
 * Parses `ALLOWED_TARGET_CIDRS` entries into blocks.
 * @throws {RangeError} naming the first entry that is not a CIDR block.
 */
export function parseAllowedCidrs(entries: readonly string[]): Cidr[] {
  return entries.map((entry) => parseCidr(entry));
}
