import net from 'node:net';
import fc from 'fast-check';
import { NON_PUBLIC_RANGES, classifyAddress, judgeAddress, parseAllowedCidrs } from '../../lambda/core/targets/address-policy';
import type { AddressPolicy } from '../../lambda/core/targets/address-policy';
import { cidrContains, formatIp, parseCidr, parseIp } from '../../lambda/core/targets/ip-address';

const STRICT: AddressPolicy = { allowPrivateTargets: false, allowedCidrs: [] };

function ip(text: string) {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`test address ${text} does not parse`);
  return parsed;
}

describe('parseIp and formatIp', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
    ['64:ff9b::10.0.0.1', '64:ff9b::a00:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['FD00:EC2::254', 'fd00:ec2::254'],
    ['::', '::'],
  ])('reads %s as %s', (text, canonical) => {
    // Act
    const parsed = parseIp(text);

    // Assess
    expect(parsed && formatIp(parsed)).toBe(canonical);
  });

  it.each(['', 'localhost', '127.1', '1.2.3.256', '01.2.3.4', '0x7f.0.0.1', '1.2.3.4.5', '1::2::3', '1:2:3:4:5:6:7:8:9', '::ffff:1.2.3', '12345::', '1.2.3.4::', ':::'])(
    'refuses %j as an address',
    (text) => {
      // Act
      const parsed = parseIp(text);

      // Assess
      expect(parsed).toBeUndefined();
    },
  );

  it('agrees with node:net on what is an address, and round-trips through formatIp', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()), (text) => {
        // Act
        const parsed = parseIp(text);

        // Assess
        expect(parsed !== undefined).toBe(net.isIP(text) !== 0);
        if (parsed) expect(parseIp(formatIp(parsed))).toEqual(parsed);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseCidr', () => {
  it('reads blocks and bare addresses', () => {
    // Act
    const blocks = ['10.0.0.0/8', 'fd00::/8', '192.168.1.10', '::1'].map(parseCidr);

    // Assess
    expect(blocks.map((block) => block.prefix)).toEqual([8, 8, 32, 128]);
    expect(cidrContains(blocks[0]!, ip('10.255.0.1'))).toBe(true);
    expect(cidrContains(blocks[0]!, ip('11.0.0.0'))).toBe(false);
    expect(cidrContains(blocks[1]!, ip('fd12::1'))).toBe(true);
    expect(cidrContains(blocks[0]!, ip('::ffff:10.0.0.1'))).toBe(false);
  });

  it.each([
    ['banana', '"banana" is not a CIDR block; expected e.g. 10.0.0.0/8, 192.168.1.10/32 or fd00::/8'],
    ['10.0.0.0/33', '"10.0.0.0/33" has an invalid prefix length; expected 0 to 32'],
    ['10.0.0.0/-1', '"10.0.0.0/-1" has an invalid prefix length; expected 0 to 32'],
    ['10.0.0.5/8', '"10.0.0.5/8" has host bits set after the /8 prefix; did you mean 10.0.0.0/8?'],
    ['fd00::1/8', '"fd00::1/8" has host bits set after the /8 prefix; did you mean fd00::/8?'],
    ['[::1]/128', '"[::1]/128" is not a CIDR block; expected e.g. 10.0.0.0/8, 192.168.1.10/32 or fd00::/8'],
  ])('rejects %s, saying why', (text, message) => {
    // Act
    const parse = () => parseCidr(text);

    // Assess
    expect(parse).toThrow(new RangeError(message));
  });
});

describe('classifyAddress', () => {
  it('parses every range of the deny list', () => {
    // Act
    const blocks = NON_PUBLIC_RANGES.map((range) => parseCidr(range.block));

    // Assess
    expect(blocks).toHaveLength(NON_PUBLIC_RANGES.length);
  });

  it('classifies the first and last address of every range as that range (or an earlier, more specific one)', () => {
    for (const range of NON_PUBLIC_RANGES) {
      // Prepare
      const block = parseCidr(range.block);
      const last = Uint8Array.from(block.network.bytes, (byte, index) => {
        const keep = Math.max(0, Math.min(8, block.prefix - 8 * index));
        return byte | (0xff >> keep);
      });

      // Act
      const verdicts = [block.network, { family: block.network.family, bytes: last }].map(classifyAddress);

      // Assess
      for (const verdict of verdicts) expect(verdict.public).toBe(false);
    }
  });

  it.each([
    ['8.8.8.8'], ['1.1.1.1'], ['100.63.255.255'], ['100.128.0.0'], ['172.15.255.255'], ['172.32.0.0'], ['192.167.255.255'],
    ['192.169.0.0'], ['198.17.255.255'], ['198.20.0.0'], ['223.255.255.255'], ['2606:4700:4700::1111'], ['2a00:1450:4001::200e'],
    ['::ffff:8.8.8.8'], ['64:ff9b::8.8.8.8'], ['2002:808:808::'], ['2001:0:4136:e378:8000:63bf:f7f7:f7f7'],
  ])('classifies %s as public', (address) => {
    // Act
    const verdict = classifyAddress(ip(address));

    // Assess
    expect(verdict).toEqual({ public: true });
  });

  it('judges an IPv6 form by the IPv4 address it embeds, naming both in the rule', () => {
    // Act
    const verdict = classifyAddress(ip('2002:a9fe:a9fe::1'));

    // Assess
    expect(verdict).toEqual({
      public: false,
      rule: 'instance-metadata 169.254.169.254/32 via 6to4 2002::/16',
      is: 'the instance metadata service (it embeds 169.254.169.254)',
      alwaysRefused: true,
    });
  });

  it('judges a Teredo address by its server and its (bit-inverted) client address', () => {
    // Act: server 10.0.0.1 (public client); then public server, client 192.168.0.1 (inverted 3f57:fffe)
    const server = classifyAddress(ip('2001:0:a00:1::f7f7:f7f7'));
    const client = classifyAddress(ip('2001:0:808:808::3f57:fffe'));

    // Assess
    expect(server).toMatchObject({ public: false, rule: 'private 10.0.0.0/8 via teredo 2001::/32' });
    expect(client).toMatchObject({ public: false, rule: 'private 192.168.0.0/16 via teredo 2001::/32' });
  });

  it('refuses IPv6 outside global unicast 2000::/3 that no named range covers', () => {
    // Act
    const verdict = classifyAddress(ip('5f00::1'));

    // Assess
    expect(verdict).toMatchObject({ public: false, rule: 'not-global-unicast (outside 2000::/3)' });
  });
});

describe('judgeAddress', () => {
  const cidrs = (...blocks: string[]) => parseAllowedCidrs(blocks);

  it.each([
    ['nothing opened refuses loopback', STRICT, '127.0.0.1', false],
    ['ALLOW_PRIVATE_TARGETS opens loopback', { allowPrivateTargets: true, allowedCidrs: [] }, '127.0.0.1', true],
    ['ALLOW_PRIVATE_TARGETS opens unique-local', { allowPrivateTargets: true, allowedCidrs: [] }, 'fd12::1', true],
    ['ALLOW_PRIVATE_TARGETS keeps 169.254.169.254 closed', { allowPrivateTargets: true, allowedCidrs: [] }, '169.254.169.254', false],
    ['ALLOW_PRIVATE_TARGETS keeps fd00:ec2::254 closed', { allowPrivateTargets: true, allowedCidrs: [] }, 'fd00:ec2::254', false],
    ['ALLOW_PRIVATE_TARGETS keeps 169.254.170.2 closed', { allowPrivateTargets: true, allowedCidrs: [] }, '169.254.170.2', false],
    ['an allowed CIDR opens what it contains', { allowPrivateTargets: false, allowedCidrs: cidrs('10.1.0.0/16') }, '10.1.2.3', true],
    ['an allowed CIDR opens nothing else', { allowPrivateTargets: false, allowedCidrs: cidrs('10.1.0.0/16') }, '10.2.0.1', false],
    ['an allowed IPv4 CIDR opens its IPv4-mapped form', { allowPrivateTargets: false, allowedCidrs: cidrs('10.1.0.0/16') }, '::ffff:10.1.2.3', true],
    ['an allowed CIDR naming the metadata address opens it, deliberately', { allowPrivateTargets: false, allowedCidrs: cidrs('169.254.169.254/32') }, '169.254.169.254', true],
    ['a resolver answer that is not an address is refused', STRICT, 'not-an-address', false],
  ] as const)('%s', (_what, policy, address, allowed) => {
    // Act
    const verdict = judgeAddress(address, policy);

    // Assess
    expect(verdict.allowed).toBe(allowed);
  });

  it('names the rule and what the address is when it refuses', () => {
    // Act
    const verdict = judgeAddress('169.254.169.254', STRICT);

    // Assess
    expect(verdict).toEqual({ allowed: false, rule: 'instance-metadata 169.254.169.254/32', is: 'the instance metadata service' });
  });
});
