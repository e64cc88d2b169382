/**
 * IP addresses and CIDR blocks as bytes, for the target policy (docs/design.md §6). Pure: parsing and
 * arithmetic only. Addresses are parsed strictly (dotted-quad IPv4, RFC 4291 IPv6); the loose
 * IPv4 notations of URLs (`2130706433`, `0x7f.1`, `017700000001`) are normalised by WHATWG `URL`
 * before an address ever reaches this module.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  /** 4 bytes for IPv4, 16 for IPv6, network order. */
  readonly bytes: Uint8Array;
}

export interface Cidr {
  readonly network: IpAddress;
  /** Prefix length: 0–32 for IPv4, 0–128 for IPv6. */
  readonly prefix: number;
}

/** Strict dotted quad: no leading zeros, which getaddrinfo would read as octal. */
const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/**
 * Parses an IPv4 dotted quad or an IPv6 address (brackets and a `%zone` suffix are accepted and
 * dropped); `undefined` when the text is not an address.
 */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return parseIpv4(bare) ?? parseIpv6(bare.replace(/%.*$/s, ''));
}

function parseIpv4(text: string): IpAddress | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const parts = match.slice(1).map(Number);
  if (parts.some((part) => part > 255)) return undefined;
  return { family: 4, bytes: Uint8Array.from(parts) };
}

function parseIpv6(text: string): IpAddress | undefined {
  const halves = text.split('::');
  if (halves.length > 2 || text.length === 0) return undefined;
  // A dotted quad may only end the address: in the tail, or in the head when there is no `::`.
  const head = groups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((word, index) => {
    bytes[2 * index] = word >> 8;
    bytes[2 * index + 1] = word & 0xff;
  });
  return { family: 6, bytes };
}

/** The 16-bit groups of one side of `::`; a trailing dotted quad counts as two groups. */
function groups(text: string, dottedEnd: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const words: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (dottedEnd && index === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      words.push((v4.bytes[0]! << 8) | v4.bytes[1]!, (v4.bytes[2]! << 8) | v4.bytes[3]!);
    } else if (HEX_GROUP.test(part)) {
      words.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return words;
}

/** The canonical text of an address: dotted quad, or RFC 5952 compressed IPv6. */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return Array.from(ip.bytes).join('.');
  const words = Array.from({ length: 8 }, (_, i) => (ip.bytes[2 * i]! << 8) | ip.bytes[2 * i + 1]!);
  let best = { start: -1, length: 0 };
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && words[end] === 0) end++;
    if (end - start > best.length && end - start > 1) best = { start, length: end - start };
    start = end === start ? start + 1 : end;
  }
  const hex = words.map((word) => word.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/**
 * Parses a CIDR block such as `10.0.0.0/8` or `fd00::/8`; a bare address is a single-host block.
 * @throws {RangeError} when the text is not a block, or has bits set after the prefix (naming the
 * block that was probably meant).
 */
export function parseCidr(text: string): Cidr {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  const network = parseIp(address);
  if (!network || address.includes('%') || address.startsWith('[') || rest.length > 0) {
    throw new RangeError(`"${text}" is not a CIDR block; expected e.g. 10.0.0.0/8, 192.168.1.10/32 or fd00::/8`);
  }
  const bits = network.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefixText !== undefined && (!/^\d{1,3}$/.test(prefixText) || prefix > bits)) {
    throw new RangeError(`"${text}" has an invalid prefix length; expected 0 to ${bits}`);
  }
  const masked = mask(network, prefix);
  if (!sameBytes(masked.bytes, network.bytes)) {
    throw new RangeError(`"${text}" has host bits set after the /${prefix} prefix; did you mean ${formatCidr({ network: masked, prefix })}?`);
  }
  return { network, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.network)}/${cidr.prefix}`;
}

/** Whether the block contains the address (an IPv4 block never contains an IPv6 address, and back). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return ip.family === cidr.network.family && sameBytes(mask(ip, cidr.prefix).bytes, cidr.network.bytes);
}

function mask(ip: IpAddress, prefix: number): IpAddress {
  const bytes = ip.bytes.map((byte, index) => {
    const keep = Math.max(0, Math.min(8, prefix - 8 * index));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
  return { family: ip.family, bytes };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
