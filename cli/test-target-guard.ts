import type { Command } from 'commander';
import { createTargetGuard } from '../lambda/adapters/target-guard';
import type { TargetGuard } from '../lambda/adapters/target-guard';
import { readSettings, SETTINGS } from '../lambda/settings';
import { isLoopbackEndpoint } from './client-config';
import { UsageError } from './errors';
import type { GlobalOptions } from './global-options';
import { settingsThatOpen } from './target-warnings';

/** The options of `webhooks test` that open its target guard, one per setting of the function. */
export interface TargetGuardFlags {
  /** `--allow-private`: as `ALLOW_PRIVATE_TARGETS=true`. */
  readonly allowPrivate?: boolean;
  /** `--allow-private-network`: as `ALLOW_PRIVATE_NETWORK_TARGETS=true`. */
  readonly allowPrivateNetwork?: boolean;
  /** `--allowed-target-cidrs LIST`: as `ALLOWED_TARGET_CIDRS=LIST`. */
  readonly allowedTargetCidrs?: string;
}

/** Adds the flags of {@link TargetGuardFlags} to a command. */
export function addTargetGuardOptions(command: Command): Command {
  return command
    .option('--allow-private', 'allow every non-public target but the cloud credential endpoints, loopback included, as ALLOW_PRIVATE_TARGETS=true does (e.g. the local stack\'s receiver)')
    .option('--allow-private-network', 'allow private-network targets (RFC 1918, CGNAT, unique-local), as ALLOW_PRIVATE_NETWORK_TARGETS=true does')
    .option('--allowed-target-cidrs <list>', 'allow targets in these CIDR blocks, as ALLOWED_TARGET_CIDRS does');
}

/** What the help says of the guard. */
export const TARGET_GUARD_HELP = `
The target is judged as the delivery function judges it, by ALLOW_PRIVATE_TARGETS,
ALLOW_PRIVATE_NETWORK_TARGETS and ALLOWED_TARGET_CIDRS in this command's environment, or by the
flags above. Unset, every non-public target is refused, as a deployed stack refuses it by default,
even against the local stack: its function allows private targets, so pass --allow-private there.
`;

const GUARD_SETTINGS = ['allowPrivateTargets', 'allowPrivateNetworkTargets', 'allowedTargetCidrs'] as const;
type GuardSetting = (typeof GUARD_SETTINGS)[number];

const FLAG_OF: Readonly<Record<GuardSetting, string>> = {
  allowPrivateTargets: '--allow-private',
  allowPrivateNetworkTargets: '--allow-private-network',
  allowedTargetCidrs: '--allowed-target-cidrs',
};

/**
 * The delivery function's target guard, for `webhooks test` (README "Security model"): the same
 * rules, opened by the same settings read the same way (lambda/settings.ts) from this command's
 * environment (`ALLOW_PRIVATE_TARGETS`, `ALLOW_PRIVATE_NETWORK_TARGETS`, `ALLOWED_TARGET_CIDRS`),
 * each overridden by its flag. Unset, it refuses every non-public target, as a deployed stack
 * does by default, whatever endpoint the CLI talks to: the test runs from this machine, where
 * loopback and the private network are this machine's and its network's services.
 * @throws {UsageError} naming the variable or flag whose value is invalid.
 */
export function testTargetGuard(flags: TargetGuardFlags, env: NodeJS.ProcessEnv): TargetGuard {
  const given: Readonly<Record<GuardSetting, string | undefined>> = {
    allowPrivateTargets: flags.allowPrivate === true ? 'true' : undefined,
    allowPrivateNetworkTargets: flags.allowPrivateNetwork === true ? 'true' : undefined,
    allowedTargetCidrs: flags.allowedTargetCidrs,
  };
  const { values, problems } = readSettings(
    GUARD_SETTINGS,
    'env',
    (name) => given[name] ?? env[SETTINGS[name].env],
    (name) => (given[name] === undefined ? `${SETTINGS[name].env} (in this command's environment):` : `${FLAG_OF[name]}:`),
  );
  if (problems.length > 0) throw new UsageError(`${problems.join('; ')}; the test judges targets by the delivery function's settings (README "Security model")`);
  return createTargetGuard({ allowPrivateTargets: values.allowPrivateTargets, allowPrivateNetworkTargets: values.allowPrivateNetworkTargets, allowedCidrs: values.allowedTargetCidrs });
}

/**
 * Why a test delivery was refused, and what would open it, as the `error:` lines of `webhooks
 * test`: the refusal names the address and the rule exactly as the function's dead-letter record
 * would. When the command talks to a loopback endpoint (the local stack, whose function runs with
 * `ALLOW_PRIVATE_TARGETS=true`), it says so.
 */
export async function refusalExplanation(name: string, refusal: { readonly message: string }, url: string, command: Command, env: NodeJS.ProcessEnv): Promise<string[]> {
  const localStack = isLoopbackEndpoint(command.optsWithGlobals<GlobalOptions>().endpointUrl ?? env.AWS_ENDPOINT_URL);
  const refused = `the test delivery to "${name}" was refused before connecting: ${refusal.message}; the delivery function refuses it too, and would dead-letter the delivery`;
  const opening = await settingsThatOpen(url);
  if (opening === undefined) return [refused, 'no setting of the function opens this target: fix the URL'];
  const flag = opening.startsWith('ALLOW_PRIVATE_NETWORK_TARGETS') ? '--allow-private-network' : '--allow-private';
  const lines = [refused, `${opening} opens it for the function; to test with the same setting, set the variable for this command too, or pass ${flag}`];
  if (localStack) {
    lines.push('the local stack (npm start) runs its function with ALLOW_PRIVATE_TARGETS=true and delivers there; "webhooks test" judges as a deployed stack does unless told: pass --allow-private to test as the local stack delivers');
  }
  return lines;
}
