/**
 * A project outside the repository that installs the packed package the way a user does
 * (`npm install platform-webhooks aws-cdk-lib constructs`), without the network: its lock file pins
 * every package to the version this repository's lock file holds, so npm takes each tarball from
 * its cache, where this repository's own `npm ci` left it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');

/** One package of a lock file (`packages["node_modules/…"]`). */
interface LockEntry {
  readonly version?: string;
  readonly inBundle?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly [field: string]: unknown;
}

/** What `npm pack --json` says of the tarball. */
export interface PackedPackage {
  readonly filename: string;
  readonly integrity: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

const run = promisify(execFile);

/** npm without the network's niceties: no audit, no funding or update notices. */
export function npm(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; stderr: string }> {
  return run('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, env, timeout: 150_000, maxBuffer: 16 * 1024 * 1024 });
}

/** Packs the repository into `directory` as `npm pack` would publish it; dist/ must be built. */
export async function pack(directory: string): Promise<PackedPackage> {
  // Scripts off: the build's freshness is the caller's (scripts/build-*.js), not a rebuild per test run.
  const { stdout } = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', directory], ROOT);
  const [packed] = JSON.parse(stdout) as PackedPackage[];
  return packed!;
}

/**
 * Writes package.json and package-lock.json of a project that depends on the tarball and on the
 * repository's versions of `peers`, then installs it with `npm ci`, preferring the cache.
 */
export async function installScratchProject(directory: string, packed: PackedPackage, peers: readonly string[]): Promise<void> {
  const repoLock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as LockEntry & { name: string };
  const dependencies: Record<string, string> = {
    [manifest.name]: `file:${packed.filename}`,
    ...Object.fromEntries(peers.map((name) => [name, repoLock.packages[`node_modules/${name}`]!.version!])),
  };
  const packageEntry: LockEntry = {
    version: manifest.version,
    resolved: `file:${packed.filename}`,
    integrity: packed.integrity,
    license: manifest.license,
    dependencies: manifest.dependencies,
    peerDependencies: manifest.peerDependencies,
    bin: manifest.bin,
    engines: manifest.engines,
  };
  const closure = lockClosure(repoLock.packages, [...Object.keys(manifest.dependencies ?? {}), ...peers]);
  const root = { name: 'scratch-app', version: '1.0.0', dependencies };
  writeFileSync(path.join(directory, 'package.json'), `${JSON.stringify({ ...root, private: true }, null, 2)}\n`);
  const lock = { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: { '': root, [`node_modules/${manifest.name}`]: packageEntry, ...closure } };
  writeFileSync(path.join(directory, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  await npm(['ci', '--prefer-offline'], directory);
}

/**
 * The entries of the repository's lock file that `roots` need, found as Node.js resolves them (the
 * nearest `node_modules` up the tree), bundled dependencies included, without the `dev` marks.
 */
function lockClosure(packages: Record<string, LockEntry>, roots: readonly string[]): Record<string, LockEntry> {
  const closure: Record<string, LockEntry> = {};
  const pending = roots.map((name) => resolve(packages, '', name));
  for (let at = pending.pop(); at !== undefined; at = pending.pop()) {
    if (closure[at] !== undefined) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = packages[at]!;
    closure[at] = entry;
    pending.push(...Object.keys(packages).filter((key) => key.startsWith(`${at}/node_modules/`) && packages[key]!.inBundle));
    const required = { ...entry.dependencies, ...entry.peerDependencies };
    for (const name of Object.keys(required)) {
      if (entry.peerDependenciesMeta?.[name]?.optional) continue;
      pending.push(resolve(packages, at, name));
    }
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      const found = tryResolve(packages, at, name);
      if (found !== undefined) pending.push(found);
    }
  }
  return closure;
}

function resolve(packages: Record<string, LockEntry>, from: string, name: string): string {
  const found = tryResolve(packages, from, name);
  if (found === undefined) throw new Error(`package-lock.json has no "${name}" reachable from "${from || 'the root'}"; run npm install`);
  return found;
}

function tryResolve(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
    if (dir === '') return undefined;
  }
}
