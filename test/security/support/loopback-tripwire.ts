import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { cidrContains, parseCidr, parseIp } from '../../../lambda/core/targets/ip-address';

/** A connection the test process tried to open to a non-loopback address. */
export interface Violation {
  readonly host: string;
  readonly address: string;
}

const LOOPBACK = ['127.0.0.0/8', '::1/128', '::ffff:127.0.0.0/104'].map((block) => parseCidr(block));

function isLoopback(address: string): boolean {
  const ip = parseIp(address);
  return ip !== undefined && LOOPBACK.some((cidr) => cidrContains(cidr, ip));
}

/**
 * Security tests must never send a packet anywhere but loopback, even when the guard under test
 * is broken. This wraps `net.Socket.prototype.connect` (which every node:net, http, https and tls
 * connection goes through) for the test process: a connection to a non-loopback address, given as
 * a literal or produced by the lookup, is recorded and failed with `ETRIPWIRE` before any packet
 * leaves. Tests assert that `violations` stays empty, and `uninstall()` in `afterAll`.
 */
export function installLoopbackTripwire(): { readonly violations: Violation[]; uninstall(): void } {
  const violations: Violation[] = [];
  const original = net.Socket.prototype.connect;

  function guarded(this: net.Socket, ...args: unknown[]): net.Socket {
    const first = Array.isArray(args[0]) ? (args[0][0] as unknown) : args[0];
    const options = typeof first === 'object' && first !== null ? (first as net.TcpSocketConnectOpts & { path?: string }) : undefined;
    if (typeof options?.path === 'string') return original.apply(this, args as never); // IPC / unix socket (http sets path: null)
    const host = options ? (options.host ?? 'localhost') : typeof args[1] === 'string' ? args[1] : 'localhost';
    if (net.isIP(host)) {
      if (!isLoopback(host)) {
        violations.push({ host, address: host });
        process.nextTick(() => this.destroy(tripwireError(host, host)));
        return this;
      }
    } else if (options) {
      options.lookup = checkedLookup(host, options.lookup ?? (dns.lookup as LookupFunction), violations);
    }
    return original.apply(this, args as never);
  }

  net.Socket.prototype.connect = guarded as typeof original;
  return {
    violations,
    uninstall: () => void (net.Socket.prototype.connect = original),
  };
}

function checkedLookup(host: string, lookup: LookupFunction, violations: Violation[]): LookupFunction {
  return (hostname, options, callback) =>
    lookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      const outside = addresses.find((candidate) => !isLoopback(candidate));
      if (outside !== undefined) {
        violations.push({ host, address: outside });
        return callback(tripwireError(host, outside), '');
      }
      callback(null, address, family);
    });
}

function tripwireError(host: string, address: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`tripwire: the test process tried to connect to ${host} (${address}), which is not loopback`), { code: 'ETRIPWIRE' });
}
