/**
 * The target corpus (docs/design.md §6): URL forms an attacker writing a subscription could use to turn
 * the sender against its own network, each sent through the real delivery path (handler → core →
 * HTTP sender → target guard) and asserted refused, with the rule in the dead-letter record, while
 * real listeners on 127.0.0.1 and ::1 must never accept a connection. Names resolve through an
 * injected resolver; a tripwire fails any connection outside loopback, so a broken guard cannot
 * send a packet anywhere else.
 */
import net from 'node:net';
import { createTargetGuard } from '../../lambda/adapters/target-guard';
import type { TargetGuardOptions } from '../../lambda/adapters/target-guard';
import { subscription } from '../support/factories';
import { fakeResolver } from './support/fake-resolver';
import { guardedHandler } from './support/guarded-handler';
import { startCountingListener } from './support/listener';
import type { CountingListener } from './support/listener';
import { installLoopbackTripwire } from './support/loopback-tripwire';

const NAMES = {
  localhost: ['127.0.0.1', '::1'],
  'localhost.': ['127.0.0.1', '::1'],
  'loopback.example.test': ['127.0.0.1'],
  '127.0.0.1.nip.io': ['127.0.0.1'],
  'internal.example.test': ['10.0.0.5'],
  'metadata.example.test': ['169.254.169.254'],
  'metadata6.example.test': ['fd00:ec2::254'],
  'mapped.example.test': ['::ffff:127.0.0.1'],
  'nat64-metadata.example.test': ['64:ff9b::a9fe:a9fe'],
  'linklocal6.example.test': ['fe80::1%lo'],
  'cgnat.example.test': ['100.64.0.1'],
  // A rebinding answer: a public address first, a private one next.
  'mixed.example.test': ['93.184.215.14', '10.1.2.3'],
  'mixed6.example.test': ['2606:4700::1111', '::1'],
  // Public names: the guard allows them; the tests never connect to them.
  'hooks.example.test': ['93.184.215.14'],
  'dual.example.test': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
};

let v4: CountingListener;
let v6: CountingListener;
let tripwire: ReturnType<typeof installLoopbackTripwire>;

beforeAll(async () => {
  tripwire = installLoopbackTripwire();
  v4 = await startCountingListener('127.0.0.1');
  v6 = await startCountingListener('::1');
});

afterAll(async () => {
  await v4.close();
  await v6.close();
  tripwire.uninstall();
});

afterEach(() => {
  expect(tripwire.violations).toEqual([]);
});

describe('the loopback tripwire these tests rely on', () => {
  it('fails a connection outside loopback before any packet is sent, and records it', async () => {
    // Act (224.0.0.1: even without the tripwire the kernel would refuse TCP to multicast locally)
    const error = await new Promise((resolve) => net.connect(9, '224.0.0.1').on('error', resolve));

    // Assess
    expect(error).toMatchObject({ code: 'ETRIPWIRE' });
    expect(tripwire.violations.splice(0)).toEqual([{ host: '224.0.0.1', address: '224.0.0.1' }]);
  });
});

/** `[url, rule]`: `P` is replaced by the IPv4 listener's port, `P6` by the IPv6 listener's. */
const REFUSED: ReadonlyArray<readonly [string, string]> = [
  // IPv4 loopback in every notation WHATWG URL normalises
  ['http://127.0.0.1:P/', 'loopback 127.0.0.0/8'],
  ['https://127.0.0.1:P/', 'loopback 127.0.0.0/8'],
  ['http://2130706433:P/', 'loopback 127.0.0.0/8'],
  ['http://0x7f000001:P/', 'loopback 127.0.0.0/8'],
  ['http://017700000001:P/', 'loopback 127.0.0.0/8'],
  ['http://0x7f.1:P/', 'loopback 127.0.0.0/8'],
  ['http://127.1:P/', 'loopback 127.0.0.0/8'],
  ['http://0177.0.0.1:P/', 'loopback 127.0.0.0/8'],
  ['http://127.000.000.001:P/', 'loopback 127.0.0.0/8'],
  ['http://127.0.0.1.:P/', 'loopback 127.0.0.0/8'],
  ['http://１２７.０.０.１:P/', 'loopback 127.0.0.0/8'],
  ['http://127.255.255.254:P/', 'loopback 127.0.0.0/8'],
  ['http:/\\127.0.0.1:P/', 'loopback 127.0.0.0/8'],
  // names that resolve to loopback
  ['http://localhost:P/', 'loopback 127.0.0.0/8'],
  ['http://LOCALHOST.:P/', 'loopback 127.0.0.0/8'],
  ['http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ:P/', 'loopback 127.0.0.0/8'],
  ['http://loopback.example.test:P/', 'loopback 127.0.0.0/8'],
  ['http://127.0.0.1.nip.io:P/', 'loopback 127.0.0.0/8'],
  ['http://mapped.example.test:P/', 'loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
  // IPv6 loopback and IPv6 forms embedding IPv4 loopback
  ['http://[::1]:P6/', 'loopback ::1/128'],
  ['http://[0:0:0:0:0:0:0:1]:P6/', 'loopback ::1/128'],
  ['http://[::ffff:127.0.0.1]:P/', 'loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
  ['http://[::ffff:7f00:1]:P/', 'loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
  ['http://[0:0:0:0:0:ffff:127.0.0.1]:P/', 'loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
  ['http://[::127.0.0.1]:P/', 'ipv4-compatible ::/96'],
  ['http://[64:ff9b::127.0.0.1]:P/', 'loopback 127.0.0.0/8 via nat64 64:ff9b::/96'],
  ['http://[2002:7f00:1::]:P/', 'loopback 127.0.0.0/8 via 6to4 2002::/16'],
  ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:P/', 'loopback 127.0.0.0/8 via teredo 2001::/32'],
  // "this host"
  ['http://0.0.0.0:P/', 'this-network 0.0.0.0/8'],
  ['http://0:P/', 'this-network 0.0.0.0/8'],
  ['http://[::]:P/', 'unspecified ::/128'],
  // the instance metadata service and container credentials
  ['http://169.254.169.254:P/latest/meta-data/iam/security-credentials/', 'instance-metadata 169.254.169.254/32'],
  ['http://2852039166:P/', 'instance-metadata 169.254.169.254/32'],
  ['http://0xa9.0xfe.0xa9.0xfe:P/', 'instance-metadata 169.254.169.254/32'],
  ['http://0251.0376.0251.0376:P/', 'instance-metadata 169.254.169.254/32'],
  ['http://[fd00:ec2::254]:P/', 'instance-metadata fd00:ec2::254/128'],
  ['http://[::ffff:169.254.169.254]:P/', 'instance-metadata 169.254.169.254/32 via ipv4-mapped ::ffff:0:0/96'],
  ['http://[64:ff9b::a9fe:a9fe]:P/', 'instance-metadata 169.254.169.254/32 via nat64 64:ff9b::/96'],
  ['http://metadata.example.test:P/', 'instance-metadata 169.254.169.254/32'],
  ['http://metadata6.example.test:P/', 'instance-metadata fd00:ec2::254/128'],
  ['http://nat64-metadata.example.test:P/', 'instance-metadata 169.254.169.254/32 via nat64 64:ff9b::/96'],
  ['http://169.254.170.2:P/v2/credentials', 'container-credentials 169.254.170.2/32'],
  // link-local
  ['http://169.254.1.1:P/', 'link-local 169.254.0.0/16'],
  ['http://[fe80::1]:P/', 'link-local fe80::/10'],
  ['http://linklocal6.example.test:P/', 'link-local fe80::/10'],
  // private, unique-local, CGNAT
  ['http://10.0.0.1:P/', 'private 10.0.0.0/8'],
  ['http://172.16.0.1:P/', 'private 172.16.0.0/12'],
  ['http://172.31.255.255:P/', 'private 172.16.0.0/12'],
  ['http://192.168.1.1:P/', 'private 192.168.0.0/16'],
  ['http://[::ffff:10.0.0.1]:P/', 'private 10.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
  ['http://[2002:c0a8:101::1]:P/', 'private 192.168.0.0/16 via 6to4 2002::/16'],
  ['http://internal.example.test:P/', 'private 10.0.0.0/8'],
  ['http://[fd12:3456:789a::1]:P/', 'unique-local fc00::/7'],
  ['http://[fc00::1]:P/', 'unique-local fc00::/7'],
  ['http://100.64.0.1:P/', 'cgnat 100.64.0.0/10'],
  ['http://100.127.255.254:P/', 'cgnat 100.64.0.0/10'],
  ['http://cgnat.example.test:P/', 'cgnat 100.64.0.0/10'],
  // multicast, broadcast, reserved, documentation, benchmarking
  ['http://224.0.0.1:P/', 'multicast 224.0.0.0/4'],
  ['http://[ff02::1]:P/', 'multicast ff00::/8'],
  ['http://255.255.255.255:P/', 'broadcast 255.255.255.255/32'],
  ['http://4294967295:P/', 'broadcast 255.255.255.255/32'],
  ['http://240.0.0.1:P/', 'reserved 240.0.0.0/4'],
  ['http://192.0.0.8:P/', 'ietf-protocol 192.0.0.0/24'],
  ['http://192.0.2.1:P/', 'documentation 192.0.2.0/24'],
  ['http://198.51.100.7:P/', 'documentation 198.51.100.0/24'],
  ['http://203.0.113.9:P/', 'documentation 203.0.113.0/24'],
  ['http://198.18.0.1:P/', 'benchmarking 198.18.0.0/15'],
  ['http://192.88.99.1:P/', '6to4-relay 192.88.99.0/24'],
  ['http://[2001:db8::1]:P/', 'documentation 2001:db8::/32'],
  ['http://[100::1]:P/', 'discard-only 100::/64'],
  ['http://[fec0::1]:P/', 'site-local fec0::/10'],
  ['http://[64:ff9b:1::a00:1]:P/', 'nat64-local 64:ff9b:1::/48'],
  ['http://[4000::1]:P/', 'not-global-unicast (outside 2000::/3)'],
  // one answer holding a public address first and a private one next (rebinding)
  ['http://mixed.example.test:P/', 'private 10.0.0.0/8'],
  ['http://mixed6.example.test:P6/', 'loopback ::1/128'],
  // the URL itself
  ['ftp://127.0.0.1:P/', 'scheme'],
  ['file:///etc/passwd', 'scheme'],
  ['gopher://127.0.0.1:P/_POST', 'scheme'],
  ['javascript:alert(1)', 'scheme'],
  ['data:text/plain,hello', 'scheme'],
  ['http://user:pass@hooks.example.test/', 'credentials-in-url'],
  ['http://user@hooks.example.test/', 'credentials-in-url'],
  ['http://:pass@hooks.example.test/', 'credentials-in-url'],
  ['http://127.0.0.1:P@hooks.example.test/', 'credentials-in-url'],
  ['http://[fe80::1%25lo]:P/', 'invalid-url'],
  ['http://127.0.0.1%2509:P/', 'invalid-url'],
  ['http://[::1:P6/', 'invalid-url'],
  ['hooks.example.test/platform', 'invalid-url'],
];

function target(template: string): string {
  return template.replace(/:P6\b/g, `:${v6.port}`).replace(/:P\b/g, `:${v4.port}`);
}

async function deliverOnce(url: string, guard: TargetGuardOptions) {
  const handler = guardedHandler({ subscriptions: [subscription({ name: 'corpus', url })], guard: { resolve: fakeResolver(NAMES), ...guard } });
  try {
    const response = await handler.publish();
    return { response, queue: handler.queue, log: handler.log };
  } finally {
    handler.close();
  }
}

describe('the target corpus through the real delivery path, with nothing opened', () => {
  it('holds at least 60 forms', () => {
    expect(REFUSED.length).toBeGreaterThanOrEqual(60);
  });

  it.each(REFUSED)('refuses %s (rule: %s) and never connects', async (template, rule) => {
    // Prepare
    const url = target(template);
    const before = { v4: v4.connections, v6: v6.connections };

    // Act
    const { response, queue } = await deliverOnce(url, {});

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(queue.enqueued).toEqual([]);
    expect(queue.deadLettered).toHaveLength(1);
    const [record] = queue.deadLettered;
    expect(record).toMatchObject({ reason: 'permanent', subscription: 'corpus', attempts: 1 });
    expect(record!.error).toMatch(/^refused: /);
    expect(record!.error).toContain(`(rule: ${rule})`);
    expect({ v4: v4.connections, v6: v6.connections }).toEqual(before);
  });

  it('names the address and the rule in the dead-letter error', async () => {
    // Act
    const { queue } = await deliverOnce(`http://169.254.1.1:${v4.port}/`, {});

    // Assess
    expect(queue.deadLettered[0]!.error).toBe('refused: 169.254.1.1 is link-local (rule: link-local 169.254.0.0/16)');
  });

  it('names the host, the address it resolved to and the rule for a name', async () => {
    // Act
    const { queue } = await deliverOnce(`http://internal.example.test:${v4.port}/`, {});

    // Assess
    expect(queue.deadLettered[0]!.error).toBe(
      'refused: internal.example.test resolves to 10.0.0.5, which is private (RFC 1918) (rule: private 10.0.0.0/8)',
    );
  });
});

describe('the target corpus with targets opened deliberately', () => {
  it.each([
    ['ALLOWED_TARGET_CIDRS=127.0.0.1/32, an IP literal', `http://127.0.0.1:P/literal`, { allowedCidrs: ['127.0.0.1/32'] }],
    ['ALLOWED_TARGET_CIDRS=127.0.0.1/32, a name resolving into it', `http://loopback.example.test:P/name`, { allowedCidrs: ['127.0.0.1/32'] }],
    ['ALLOWED_TARGET_CIDRS=127.0.0.0/8, an IPv4-mapped literal', `http://[::ffff:127.0.0.1]:P/mapped`, { allowedCidrs: ['127.0.0.0/8'] }],
    ['ALLOWED_TARGET_CIDRS=::1, the IPv6 loopback', `http://[::1]:P6/v6`, { allowedCidrs: ['::1'] }],
    ['ALLOW_PRIVATE_TARGETS, a name', `http://localhost:P/private`, { allowPrivateTargets: true }],
    ['ALLOW_PRIVATE_TARGETS, a decimal literal', `http://2130706433:P/decimal`, { allowPrivateTargets: true }],
  ] as const)('delivers with %s', async (_what, template, guard) => {
    // Prepare
    const url = target(template);
    const listener = url.includes('[::1]') ? v6 : v4;
    const path = new URL(url).pathname;

    // Act
    const { response, queue } = await deliverOnce(url, guard);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(queue.deadLettered).toEqual([]);
    expect(listener.paths).toContain(path);
  });

  it.each([
    ['ALLOW_PRIVATE_TARGETS keeps the instance metadata service closed', 'http://169.254.169.254:P/', { allowPrivateTargets: true }, 'instance-metadata 169.254.169.254/32'],
    ['ALLOW_PRIVATE_TARGETS keeps the IPv6 metadata endpoint closed', 'http://[fd00:ec2::254]:P/', { allowPrivateTargets: true }, 'instance-metadata fd00:ec2::254/128'],
    ['ALLOW_PRIVATE_TARGETS keeps embedded metadata closed', 'http://[::ffff:a9fe:a9fe]:P/', { allowPrivateTargets: true }, 'instance-metadata 169.254.169.254/32 via ipv4-mapped ::ffff:0:0/96'],
    ['ALLOW_PRIVATE_TARGETS keeps a metadata name closed', 'http://metadata.example.test:P/', { allowPrivateTargets: true }, 'instance-metadata 169.254.169.254/32'],
    ['ALLOW_PRIVATE_TARGETS keeps container credentials closed', 'http://169.254.170.2:P/', { allowPrivateTargets: true }, 'container-credentials 169.254.170.2/32'],
    ['ALLOW_PRIVATE_TARGETS keeps credentials in the URL refused', 'http://u:p@127.0.0.1:P/', { allowPrivateTargets: true }, 'credentials-in-url'],
    ['ALLOW_PRIVATE_TARGETS keeps other schemes refused', 'ftp://127.0.0.1:P/', { allowPrivateTargets: true }, 'scheme'],
    ['ALLOWED_TARGET_CIDRS=127.0.0.1/32 keeps 127.0.0.2 closed', 'http://127.0.0.2:P/', { allowedCidrs: ['127.0.0.1/32'] }, 'loopback 127.0.0.0/8'],
    ['ALLOWED_TARGET_CIDRS=127.0.0.1/32 keeps ::1 closed', 'http://[::1]:P6/', { allowedCidrs: ['127.0.0.1/32'] }, 'loopback ::1/128'],
    ['ALLOWED_TARGET_CIDRS=127.0.0.1/32 keeps a name with a second, closed address refused', 'http://localhost:P/', { allowedCidrs: ['127.0.0.1/32'] }, 'loopback ::1/128'],
    ['ALLOWED_TARGET_CIDRS=10.0.0.0/8 keeps NAT64 of another private block closed', 'http://[64:ff9b::c0a8:101]:P/', { allowedCidrs: ['10.0.0.0/8'] }, 'private 192.168.0.0/16 via nat64 64:ff9b::/96'],
    // An IPv6 block opens IPv6 addresses only: never the IPv4 address an IPv6 form carries.
    ['ALLOWED_TARGET_CIDRS=::/0 keeps IPv4-mapped loopback closed', 'http://[::ffff:127.0.0.1]:P/', { allowedCidrs: ['::/0'] }, 'loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
    ['ALLOWED_TARGET_CIDRS=::/0 keeps IPv4-mapped metadata closed', 'http://[::ffff:169.254.169.254]:P/', { allowedCidrs: ['::/0'] }, 'instance-metadata 169.254.169.254/32 via ipv4-mapped ::ffff:0:0/96'],
    ['ALLOWED_TARGET_CIDRS=::/0 keeps IPv4-translated loopback closed', 'http://[::ffff:0:127.0.0.1]:P/', { allowedCidrs: ['::/0'] }, 'loopback 127.0.0.0/8 via ipv4-translated ::ffff:0:0:0/96'],
    ['ALLOWED_TARGET_CIDRS=::/0 keeps IPv4-compatible loopback closed', 'http://[::127.0.0.1]:P/', { allowedCidrs: ['::/0'] }, 'loopback 127.0.0.0/8 via ipv4-compatible ::/96'],
    ['ALLOWED_TARGET_CIDRS=::/0 keeps 6to4 loopback closed', 'http://[2002:7f00:1::]:P/', { allowedCidrs: ['::/0'] }, 'loopback 127.0.0.0/8 via 6to4 2002::/16'],
    ['ALLOWED_TARGET_CIDRS=::ffff:0:0/96 keeps IPv4-mapped loopback closed', 'http://[::ffff:7f00:1]:P/', { allowedCidrs: ['::ffff:0:0/96'] }, 'loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
    ['ALLOWED_TARGET_CIDRS=::ffff:0:0/96 keeps IPv4-mapped metadata closed', 'http://[::ffff:a9fe:a9fe]:P/', { allowedCidrs: ['::ffff:0:0/96'] }, 'instance-metadata 169.254.169.254/32 via ipv4-mapped ::ffff:0:0/96'],
    ['ALLOWED_TARGET_CIDRS=::/0 keeps a name resolving to IPv4-mapped loopback closed', 'http://mapped.example.test:P/', { allowedCidrs: ['::/0'] }, 'loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
    // The metadata endpoints, in every embedding, whatever is opened.
    ['ALLOW_PRIVATE_TARGETS keeps IPv4-compatible metadata closed', 'http://[::169.254.169.254]:P/', { allowPrivateTargets: true }, 'instance-metadata 169.254.169.254/32 via ipv4-compatible ::/96'],
    ['ALLOW_PRIVATE_TARGETS keeps IPv4-translated metadata closed', 'http://[::ffff:0:169.254.169.254]:P/', { allowPrivateTargets: true }, 'instance-metadata 169.254.169.254/32 via ipv4-translated ::ffff:0:0:0/96'],
    ['ALLOW_PRIVATE_TARGETS keeps Teredo with a private server and a metadata client closed', 'http://[2001:0:a00:1:0:0:5601:5601]:P/', { allowPrivateTargets: true }, 'instance-metadata 169.254.169.254/32 via teredo 2001::/32'],
    ['ALLOW_PRIVATE_TARGETS keeps 6to4 metadata closed', 'http://[2002:a9fe:a9fe::]:P/', { allowPrivateTargets: true }, 'instance-metadata 169.254.169.254/32 via 6to4 2002::/16'],
    ['ALLOW_PRIVATE_TARGETS keeps local-use NAT64 metadata closed', 'http://[64:ff9b:1::a9fe:a9fe]:P/', { allowPrivateTargets: true }, 'instance-metadata 169.254.169.254/32 via nat64-local 64:ff9b:1::/48'],
    ['ALLOW_PRIVATE_TARGETS keeps IPv6 container credentials closed', 'http://[fd00:ec2::23]:P/', { allowPrivateTargets: true }, 'container-credentials fd00:ec2::23/128'],
    ['ALLOWED_TARGET_CIDRS cannot open the metadata address', 'http://169.254.169.254:P/', { allowedCidrs: ['169.254.169.254/32'] }, 'instance-metadata 169.254.169.254/32'],
    ['ALLOWED_TARGET_CIDRS cannot open the IPv6 metadata address', 'http://[fd00:ec2::254]:P/', { allowedCidrs: ['fd00::/8'] }, 'instance-metadata fd00:ec2::254/128'],
    ['ALLOWED_TARGET_CIDRS=::/0,0.0.0.0/0 keeps mapped metadata closed', 'http://[::ffff:169.254.169.254]:P/', { allowedCidrs: ['::/0', '0.0.0.0/0'] }, 'instance-metadata 169.254.169.254/32 via ipv4-mapped ::ffff:0:0/96'],
    // ALLOW_PRIVATE_NETWORK_TARGETS opens the ranges a VPC's hosts live in, never loopback or link-local.
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps loopback closed', 'http://127.0.0.1:P/', { allowPrivateNetworkTargets: true }, 'loopback 127.0.0.0/8'],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps IPv6 loopback closed', 'http://[::1]:P6/', { allowPrivateNetworkTargets: true }, 'loopback ::1/128'],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps localhost closed', 'http://localhost:P/', { allowPrivateNetworkTargets: true }, 'loopback 127.0.0.0/8'],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps IPv4-mapped loopback closed', 'http://[::ffff:127.0.0.1]:P/', { allowPrivateNetworkTargets: true }, 'loopback 127.0.0.0/8 via ipv4-mapped ::ffff:0:0/96'],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps link-local closed', 'http://169.254.1.1:P/', { allowPrivateNetworkTargets: true }, 'link-local 169.254.0.0/16'],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps the metadata service closed', 'http://169.254.169.254:P/', { allowPrivateNetworkTargets: true }, 'instance-metadata 169.254.169.254/32'],
    ['ALLOW_PRIVATE_NETWORK_TARGETS keeps 0.0.0.0 closed', 'http://0.0.0.0:P/', { allowPrivateNetworkTargets: true }, 'this-network 0.0.0.0/8'],
  ] as const)('%s', async (_what, template, guard, rule) => {
    // Prepare
    const before = { v4: v4.connections, v6: v6.connections };

    // Act
    const { queue } = await deliverOnce(target(template), guard);

    // Assess
    expect(queue.deadLettered).toHaveLength(1);
    expect(queue.deadLettered[0]!.error).toContain(`(rule: ${rule})`);
    expect({ v4: v4.connections, v6: v6.connections }).toEqual(before);
  });
});

describe('private targets opened deliberately (checked only: a test never connects outside loopback)', () => {
  it.each([
    ['ALLOW_PRIVATE_NETWORK_TARGETS, RFC 1918', 'http://internal.example.test/', { allowPrivateNetworkTargets: true }, '10.0.0.5'],
    ['ALLOW_PRIVATE_NETWORK_TARGETS, CGNAT', 'http://cgnat.example.test/', { allowPrivateNetworkTargets: true }, '100.64.0.1'],
    ['ALLOW_PRIVATE_NETWORK_TARGETS, unique-local', 'http://[fd12:3456:789a::1]/', { allowPrivateNetworkTargets: true }, 'fd12:3456:789a::1'],
    ['ALLOW_PRIVATE_NETWORK_TARGETS, an IPv4-mapped private address', 'http://[::ffff:10.0.0.1]/', { allowPrivateNetworkTargets: true }, '::ffff:a00:1'],
    ['ALLOWED_TARGET_CIDRS=10.0.0.0/8, its NAT64 form', 'http://[64:ff9b::a00:1]/', { allowedCidrs: ['10.0.0.0/8'] }, '64:ff9b::a00:1'],
    ['ALLOWED_TARGET_CIDRS=fd00::/8, a unique-local address', 'http://[fd12::1]/', { allowedCidrs: ['fd00::/8'] }, 'fd12::1'],
  ] as const)('allows %s', async (_what, url, options, address) => {
    // Prepare
    const guard = createTargetGuard({ resolve: fakeResolver(NAMES), ...options });

    // Act
    const verdict = await guard.check(url);

    // Assess
    expect(verdict.allowed && verdict.addresses[0]?.address).toBe(address);
  });
});

describe('public targets (checked only: a test never connects outside loopback)', () => {
  const guard = createTargetGuard({ resolve: fakeResolver(NAMES) });

  it.each([
    ['https://hooks.example.test/platform', '93.184.215.14', 4],
    ['https://dual.example.test/', '93.184.215.14', 4],
    ['https://8.8.8.8/', '8.8.8.8', 4],
    ['https://134744072/', '8.8.8.8', 4],
    ['https://[2606:4700:4700::1111]/', '2606:4700:4700::1111', 6],
    ['http://[::ffff:8.8.8.8]/', '::ffff:808:808', 6],
    ['http://[64:ff9b::808:808]/', '64:ff9b::808:808', 6],
    ['http://[2002:808:808::1]/', '2002:808:808::1', 6],
    ['http://100.63.255.255/', '100.63.255.255', 4],
    ['http://100.128.0.0/', '100.128.0.0', 4],
    ['http://172.15.255.255/', '172.15.255.255', 4],
    ['http://172.32.0.0/', '172.32.0.0', 4],
    ['http://169.253.255.255/', '169.253.255.255', 4],
    ['http://11.0.0.0:8080/', '11.0.0.0', 4],
  ] as const)('allows %s at %s', async (url, address, family) => {
    // Act
    const verdict = await guard.check(url);

    // Assess
    expect(verdict.allowed && verdict.addresses[0]).toEqual({ address, family });
  });

  it('checks every address of a name and keeps them in order for the connection', async () => {
    // Act
    const verdict = await guard.check('https://dual.example.test/');

    // Assess
    expect(verdict).toMatchObject({
      allowed: true,
      addresses: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    });
  });
});
