import type { Resolver } from '../../../lambda/adapters/target-guard';

/**
 * A resolver over a fixed table, so that no security test ever asks real DNS: names that resolve
 * to private addresses (or stand in for public ones) are made up here. Unknown names fail with
 * ENOTFOUND. Records every name it was asked.
 */
export function fakeResolver(names: Readonly<Record<string, readonly string[]>>): Resolver & { readonly asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = names[hostname.toLowerCase()];
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  };
  return Object.assign(resolve, { asked });
}
