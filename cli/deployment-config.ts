import type { SSMClient } from '@aws-sdk/client-ssm';
import type { PlannedChange } from './deployment-plan';
import { executeDeployment } from './execute-deployment';
import { prepareDeployment } from './prepare-deployment';

/** What {@link applyDeploymentConfig} did (or, with `dryRun`, would do), by subscription name. */
export interface DeploymentSummary {
  create: string[];
  update: string[];
  remove: string[];
  unchanged: string[];
  /** Sentences for the user: targets the delivery function would refuse, invalid stored values replaced, subscriptions kept without `prune`. */
  warnings: string[];
}

/**
 * Syncs a deployment config file (webhooks.yaml) into SSM Parameter Store: creates and updates the
 * subscriptions it declares and, with `prune`, removes those it no longer names. With `dryRun`
 * nothing is written. Used by `webhooks apply` and by the local stack at start.
 * @throws {DeploymentConfigError} when the file is unreadable or invalid (then nothing is written).
 * @throws {DeploymentApplyError} when some changes could not be written (the others were).
 */
export async function applyDeploymentConfig(options: {
  ssm: SSMClient;
  path: string;
  file: string;
  dryRun?: boolean;
  prune?: boolean;
  env?: NodeJS.ProcessEnv;
}): Promise<DeploymentSummary> {
  const { store, changes, warnings } = await prepareDeployment(options);
  if (options.dryRun !== true) await executeDeployment(store, changes);
  const kept = changes.filter((change) => change.kind === 'keep').map((change) => `subscription "${change.name}" is not in ${options.file}; kept (apply with --prune to remove it)`);
  const named = (kind: PlannedChange['kind']): string[] => changes.filter((change) => change.kind === kind).map((change) => change.name);
  return { create: named('create'), update: named('update'), remove: named('remove'), unchanged: named('unchanged'), warnings: [...warnings, ...kept] };
}
