import net from 'node:net';
import fc from 'fast-check';
import { NON_PUBLIC_RANGES, classifyAddress, judgeAddress, parseAllowedCidrs } from '../../lambda/core/targets/address-policy';
import type { AddressPolicy } from '../../lambda/core/targets/address-policy';
import { cidrContains, formatIp, parseCidr, parseIp } from '../../lambda/core/targets/ip-address';

const STRICT: AddressPolicy = { allowPrivateTargets: false, allowPrivateNetworkTargets: false, allowedCidrs: [] };
const PRIVATE: AddressPolicy = { ...STRICT, allowPrivateTargets: true };
const PRIVATE_NETWORK: AddressPolicy = { ...STRICT, allowPrivateNetworkTargets: true };
const allowing = (...blocks: string[]): AddressPolicy => ({ ...STRICT, allowedCidrs: parseAllowedCidrs(blocks) });

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
      openedBy: 'nothing',
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
  it.each([
    ['nothing opened refuses loopback', STRICT, '127.0.0.1', false],
    ['ALLOW_PRIVATE_TARGETS opens loopback', PRIVATE, '127.0.0.1', true],
    ['ALLOW_PRIVATE_TARGETS opens unique-local', PRIVATE, 'fd12::1', true],
    ['ALLOW_PRIVATE_TARGETS keeps 169.254.169.254 closed', PRIVATE, '169.254.169.254', false],
    ['ALLOW_PRIVATE_TARGETS keeps fd00:ec2::254 closed', PRIVATE, 'fd00:ec2::254', false],
    ['ALLOW_PRIVATE_TARGETS keeps 169.254.170.2 closed', PRIVATE, '169.254.170.2', false],
    ['ALLOW_PRIVATE_NETWORK_TARGETS opens RFC 1918', PRIVATE_NETWORK, '10.1.2.3', true],
    ['ALLOW_PRIVATE_NETWORK_TARGETS opens CGNAT', PRIVATE_NETWORK, '100.64.0.9', true],
    ['ALLOW_PRIVATE_NETWORK_TARGETS opens unique-local', PRIVATE_NETWORK, 'fd12::1', true],
    ['ALLOW_PRIVATE_NETWORK_TARGETS opens an IPv4-mapped private address', PRIVATE_NETWORK, '::ffff:192.168.1.1', true],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps loopback closed', PRIVATE_NETWORK, '127.0.0.1', false],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps IPv6 loopback closed', PRIVATE_NETWORK, '::1', false],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps link-local closed', PRIVATE_NETWORK, '169.254.1.1', false],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps IPv6 link-local closed', PRIVATE_NETWORK, 'fe80::1', false],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps AWS service addresses closed', PRIVATE_NETWORK, 'fd00:ec2::253', false],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps 0.0.0.0 closed', PRIVATE_NETWORK, '0.0.0.0', false],
    ['an allowed CIDR opens what it contains', allowing('10.1.0.0/16'), '10.1.2.3', true],
    ['an allowed CIDR opens nothing else', allowing('10.1.0.0/16'), '10.2.0.1', false],
    ['an allowed IPv4 CIDR opens its IPv4-mapped form', allowing('10.1.0.0/16'), '::ffff:10.1.2.3', true],
    ['an allowed IPv4 CIDR opens its NAT64 form', allowing('10.1.0.0/16'), '64:ff9b::10.1.2.3', true],
    ['an allowed CIDR naming the metadata address does not open it', allowing('169.254.169.254/32'), '169.254.169.254', false],
    ['an allowed CIDR naming the IPv6 metadata address does not open it', allowing('fd00:ec2::/32'), 'fd00:ec2::254', false],
    ['an allowed CIDR containing the container credentials does not open them', allowing('169.254.0.0/16'), '169.254.170.2', false],
    ['an allowed CIDR opens the rest of link-local', allowing('169.254.0.0/16'), '169.254.1.1', true],
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
    expect(verdict).toEqual({ allowed: false, rule: 'instance-metadata 169.254.169.254/32', is: 'the instance metadata service', openedBy: 'nothing' });
  });
});

describe('allow-lists by family (an IPv6 block never opens the IPv4 address an IPv6 form carries)', () => {
  it.each([
    ['::/0', '::ffff:169.254.169.254', 'instance-metadata 169.254.169.254/32 via ipv4-mapped ::ffff:0:0/96'],
    ['::/0', '::ffff:127.0.0.1', 'loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
    ['::/0', '::ffff:0:127.0.0.1', 'loopback 127.0.0.0/8 via ipv4-translated ::ffff:0:0:0/96'],
    ['::/0', '::127.0.0.1', 'loopback 127.0.0.0/8 via ipv4-compatible ::/96'],
    ['::/0', '64:ff9b::10.0.0.1', 'private 10.0.0.0/8 via nat64 64:ff9b::/96'],
    ['::/0', '2002:7f00:1::', 'loopback 127.0.0.0/8 via 6to4 2002::/16'],
    ['::ffff:0:0/96', '::ffff:127.0.0.1', 'loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
    ['::ffff:0:0/96', '::ffff:169.254.169.254', 'instance-metadata 169.254.169.254/32 via ipv4-mapped ::ffff:0:0/96'],
    ['::ffff:10.0.0.0/104', '::ffff:10.0.0.1', 'private 10.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
  ])('ALLOWED_TARGET_CIDRS=%s refuses %s (rule: %s)', (block, address, rule) => {
    // Act
    const verdict = judgeAddress(address, allowing(block));

    // Assess
    expect(verdict).toMatchObject({ allowed: false, rule });
  });

  it('still opens plain IPv6 addresses inside the block', () => {
    // Act
    const verdicts = ['fd12::1', '::1', 'fe80::1'].map((address) => judgeAddress(address, allowing('::/0')).allowed);

    // Assess
    expect(verdicts).toEqual([true, true, true]);
  });

  it('opens an IPv4-compatible form only when both the IPv6 block and the IPv4 address are open', () => {
    // Act
    const ipv6Only = judgeAddress('::10.0.0.1', allowing('::/96'));
    const ipv4Only = judgeAddress('::10.0.0.1', allowing('10.0.0.0/8'));
    const both = judgeAddress('::10.0.0.1', allowing('::/96', '10.0.0.0/8'));

    // Assess
    expect([ipv6Only.allowed, ipv4Only.allowed, both.allowed]).toEqual([false, false, true]);
  });
});

describe('embedded metadata (refused in every mode, in every embedding)', () => {
  const EVERY_MODE = [
    ['nothing opened', STRICT],
    ['ALLOW_PRIVATE_TARGETS', PRIVATE],
    ['ALLOW_PRIVATE_NETWORK_TARGETS', PRIVATE_NETWORK],
    ['ALLOWED_TARGET_CIDRS=::/0,0.0.0.0/0', allowing('::/0', '0.0.0.0/0')],
    ['all of them', { ...PRIVATE, allowPrivateNetworkTargets: true, allowedCidrs: parseAllowedCidrs(['::/0', '0.0.0.0/0']) }],
  ] as const;
  const FORMS = [
    ['169.254.169.254', 'instance-metadata 169.254.169.254/32'],
    ['fd00:ec2::254', 'instance-metadata fd00:ec2::254/128'],
    ['::ffff:169.254.169.254', 'instance-metadata 169.254.169.254/32 via ipv4-mapped ::ffff:0:0/96'],
    ['::169.254.169.254', 'instance-metadata 169.254.169.254/32 via ipv4-compatible ::/96'],
    ['::ffff:0:169.254.169.254', 'instance-metadata 169.254.169.254/32 via ipv4-translated ::ffff:0:0:0/96'],
    ['64:ff9b::169.254.169.254', 'instance-metadata 169.254.169.254/32 via nat64 64:ff9b::/96'],
    ['64:ff9b:1::169.254.169.254', 'instance-metadata 169.254.169.254/32 via nat64-local 64:ff9b:1::/48'],
    ['64:ff9b:1:a9fe:a9:fe00::', 'instance-metadata 169.254.169.254/32 via nat64-local 64:ff9b:1::/48'],
    ['2002:a9fe:a9fe::1', 'instance-metadata 169.254.169.254/32 via 6to4 2002::/16'],
    // Teredo: a private server part (10.0.0.1) and a metadata client part (bit-inverted 5601:5601).
    ['2001:0:a00:1:0:0:5601:5601', 'instance-metadata 169.254.169.254/32 via teredo 2001::/32'],
    ['2001:0:a9fe:a9fe::', 'instance-metadata 169.254.169.254/32 via teredo 2001::/32'],
    ['::ffff:169.254.170.2', 'container-credentials 169.254.170.2/32 via ipv4-mapped ::ffff:0:0/96'],
  ] as const;
  const cases = EVERY_MODE.flatMap(([mode, policy]) => FORMS.map(([address, rule]) => [mode, address, rule, policy] as const));

  it.each(cases)('with %s, refuses %s (rule: %s)', (_mode, address, rule, policy) => {
    // Act
    const verdict = judgeAddress(address, policy);

    // Assess
    expect(verdict).toMatchObject({ allowed: false, rule, openedBy: 'nothing' });
  });

  it('judges every address a Teredo form carries, not only the first that is not public', () => {
    // Act: with private ranges open, the private server part alone would be allowed
    const verdict = judgeAddress('2001:0:a00:1:0:0:5601:5601', PRIVATE);

    // Assess
    expect(verdict).toMatchObject({ allowed: false, is: 'the instance metadata service (it embeds 169.254.169.254)' });
  });
});
