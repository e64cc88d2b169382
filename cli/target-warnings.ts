import { TargetResolutionError } from '../lambda/adapters/errors';
import { createTargetGuard } from '../lambda/adapters/target-guard';
import type { Resolver, TargetGuard, TargetVerdict } from '../lambda/adapters/target-guard';

/** How long a write waits for the URL's host to resolve (`--check-host`) before warning that it could not tell. */
export const TARGET_CHECK_TIMEOUT_MS = 3000;

/**
 * The guards a URL is judged by: the deployed function's default, with the private-network
 * ranges opened (`ALLOW_PRIVATE_NETWORK_TARGETS`), and with every non-public range opened
 * (`ALLOW_PRIVATE_TARGETS`).
 */
export interface TargetGuards {
  readonly strict: TargetGuard;
  readonly privateNetwork: TargetGuard;
  readonly permissive: TargetGuard;
}

export interface TargetCheckOptions {
  /**
   * Resolve the URL's host name now (`--check-host`). Off by default: a write must not depend on
   * the network, and offline every name would draw a warning. Without it only what the URL
   * itself shows is judged: an IP literal, `localhost`, credentials in the URL.
   */
  readonly resolveHost?: boolean;
  /** Default: guards with the system resolver, or with none (see `resolveHost`). */
  readonly guards?: TargetGuards;
}

/** What the resolver that does not resolve throws: the host's addresses are unknown, which is no finding. */
const NOT_LOOKED_UP = new Error('host names are resolved only with --check-host');

/** Names that are loopback by definition (RFC 6761 §6.3), known without asking DNS. */
const offlineResolver: Resolver = async (hostname) => {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }];
  throw NOT_LOOKED_UP;
};

const guardsFor = (resolve?: Resolver): TargetGuards => ({
  strict: createTargetGuard({ ...(resolve && { resolve }) }),
  privateNetwork: createTargetGuard({ allowPrivateNetworkTargets: true, ...(resolve && { resolve }) }),
  permissive: createTargetGuard({ allowPrivateTargets: true, ...(resolve && { resolve }) }),
});
const resolvingGuards = guardsFor();
const offlineGuards = guardsFor(offlineResolver);

/**
 * Warnings about a subscription URL at write time (docs/design.md §6). A URL whose host is an address the
 * delivery function refuses by default is written anyway, since a deployment may open it (README
 * "Security model", Opening it for targets inside a VPC; the local stack allows private targets),
 * but the user is told which setting would; and told more sternly when no setting opens it (the
 * metadata endpoints, credentials in the URL). With `resolveHost`, a host name is resolved and judged by its
 * addresses, and one that does not resolve is worth a warning too. Never throws.
 */
export async function targetWarnings(name: string, url: string, options: TargetCheckOptions = {}): Promise<string[]> {
  const guards = options.guards ?? (options.resolveHost === true ? resolvingGuards : offlineGuards);
  const strict = await judge(guards.strict, url);
  if (strict === 'allowed') return [];
  if (typeof strict === 'string') return [`subscription "${name}": ${strict}`];
  const opening = await settingsThatOpen(url, guards);
  if (opening === undefined) return [`subscription "${name}": ${strict.message}: the delivery function refuses every delivery to this URL; written anyway, but fix the URL`];
  return [`subscription "${name}": ${strict.message}: the deployed function refuses this target unless ${opening} allows it (the local stack does); written anyway`];
}

/**
 * The settings that would open a URL the default guard refuses, as a phrase
 * (`ALLOW_PRIVATE_NETWORK_TARGETS=true, ALLOW_PRIVATE_TARGETS=true or ALLOWED_TARGET_CIDRS`), or
 * undefined when none does (the credential endpoints, a URL rule). `guards` default to resolving
 * host names, as the delivery function does.
 */
export async function settingsThatOpen(url: string, guards: TargetGuards = resolvingGuards): Promise<string | undefined> {
  if ((await judge(guards.privateNetwork, url)) === 'allowed') return 'ALLOW_PRIVATE_NETWORK_TARGETS=true, ALLOW_PRIVATE_TARGETS=true or ALLOWED_TARGET_CIDRS';
  if ((await judge(guards.permissive, url)) === 'allowed') return 'ALLOW_PRIVATE_TARGETS=true or ALLOWED_TARGET_CIDRS';
  return undefined;
}

/** `allowed` (or not known to be refused), the refusal, or a sentence saying the host could not be resolved. */
async function judge(guard: TargetGuard, url: string): Promise<'allowed' | Extract<TargetVerdict, { allowed: false }> | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), TARGET_CHECK_TIMEOUT_MS);
  });
  try {
    const verdict = await Promise.race([guard.check(url), timeout]);
    if (verdict === 'timeout') return `could not resolve the URL's host within ${TARGET_CHECK_TIMEOUT_MS / 1000} s; check it if deliveries fail`;
    return verdict.allowed ? 'allowed' : verdict;
  } catch (error) {
    if (error instanceof TargetResolutionError && error.cause === NOT_LOOKED_UP) return 'allowed';
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    return `the URL's host does not resolve (${code}); deliveries will fail and be retried until it does`;
  } finally {
    clearTimeout(timer);
  }
}
