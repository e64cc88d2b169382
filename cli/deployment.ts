/**
 * Deploying a deployment config file (webhooks.yaml; README "The deployment config file"): read it,
 * plan it against what SSM holds, write the plan. `webhooks apply` and `npm start` both call
 * {@link applyDeploymentConfig}.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { EventCatalogue } from '../lambda/core/inbound/events';
import { checkPath } from './aws-context';
import { describeError } from './describe-error';
import { readDeploymentFile } from './deployment-file';
import { planDeployment } from './deployment-plan';
import type { DeclaredSubscription, PlannedChange } from './deployment-plan';
import { DeploymentApplyError } from './errors';
import { createSubscriptionStore } from './subscription-store';
import type { ParameterStorage, StoredSubscription, SubscriptionStore } from './subscription-store';
import { targetWarnings } from './target-warnings';

/** What {@link applyDeploymentConfig} reads: the file, the environment its `secretEnv` names, and SSM. */
export interface DeploymentOptions {
  readonly ssm: SSMClient;
  /** SSM path of the subscriptions. */
  readonly path: string;
  /** The deployment config file (webhooks.yaml); relative paths resolve against `cwd`. */
  readonly file: string;
  readonly prune?: boolean;
  /** Resolve the host of each new or changed URL (`apply --check-host`); default: judge only what the URL shows. */
  readonly checkHosts?: boolean;
  /** Where `secretEnv` variables are read; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The KMS key of subscriptions whose entry names none (`apply --kms-key-id`); none: each parameter keeps its own. */
  readonly kmsKeyId?: string;
  /** Plan only: change nothing. */
  readonly dryRun?: boolean;
  /** Called with the plan before anything is written, e.g. to print the diff first. */
  readonly onPlan?: (plan: DeploymentPlan) => void;
  /** The deployment's event types (docs/design.md §10); default the built-in ones. */
  readonly catalogue?: EventCatalogue;
}

/** A planned deployment, field by field (secrets, URLs and header values masked), before it is written. */
export interface DeploymentPlan {
  /** The SSM path it writes to. */
  readonly path: string;
  readonly changes: readonly PlannedChange[];
  /** Targets the function would refuse, invalid stored values replaced (kept subscriptions are in `changes`). */
  readonly warnings: readonly string[];
}

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
export async function applyDeploymentConfig(options: DeploymentOptions): Promise<DeploymentSummary> {
  const { store, ...plan } = await prepareDeployment(options);
  const { changes, warnings } = plan;
  options.onPlan?.(plan);
  if (options.dryRun !== true) await executeDeployment(store, changes);
  const kept = changes.filter((change) => change.kind === 'keep').map((change) => `subscription "${change.name}" is not in ${options.file}; kept (apply with --prune to remove it)`);
  const named = (kind: PlannedChange['kind']): string[] => changes.filter((change) => change.kind === kind).map((change) => change.name);
  return { create: named('create'), update: named('update'), remove: named('remove'), unchanged: named('unchanged'), warnings: [...warnings, ...kept] };
}

/** Subscriptions read at once when their KMS key is compared with the declared one. */
const STORAGE_READS_AT_ONCE = 4;

/** How the stored subscriptions that the file gives a key are stored (a GetParameterHistory each), to compare keys. */
async function storageOfDeclaredKeys(store: SubscriptionStore, current: readonly StoredSubscription[], declared: readonly DeclaredSubscription[]): Promise<Map<string, ParameterStorage>> {
  const stored = new Set(current.map((entry) => entry.name));
  const names = declared.filter((entry) => entry.kmsKeyId !== undefined && stored.has(entry.subscription.name)).map((entry) => entry.subscription.name);
  const storage = new Map<string, ParameterStorage>();
  for (let start = 0; start < names.length; start += STORAGE_READS_AT_ONCE) {
    await Promise.all(names.slice(start, start + STORAGE_READS_AT_ONCE).map(async (name) => {
      const found = await store.storage(name);
      if (found !== undefined) storage.set(name, found);
    }));
  }
  return storage;
}

/** Reads the file, lists what is stored and plans the changes; writes nothing. */
async function prepareDeployment(options: DeploymentOptions): Promise<DeploymentPlan & { readonly store: SubscriptionStore }> {
  const desired = await readDeploymentFile(options.file, options.env ?? process.env, options.cwd, options.catalogue);
  const store = createSubscriptionStore(options.ssm, checkPath(options.path), options.catalogue);
  const declared = desired.map(({ subscription, kmsKeyId = options.kmsKeyId }) => ({ subscription, ...(kmsKeyId !== undefined && { kmsKeyId }) }));
  const current = await store.list();
  const changes = planDeployment(current, declared, options.prune === true, await storageOfDeclaredKeys(store, current, declared));
  const warnings: string[] = [];
  for (const change of changes) {
    if (change.kind === 'create' || change.kind === 'update') {
      if (change.kind === 'create' || change.fields.some((field) => field.field === 'url') || change.invalid !== undefined) {
        warnings.push(...(await targetWarnings(change.name, change.subscription.url, { resolveHost: options.checkHosts === true })));
      }
      if (change.kind === 'update' && change.invalid !== undefined) {
        warnings.push(`subscription "${change.name}" is stored with an invalid value (${change.invalid.join('; ')}); the file's value replaces it`);
      }
    }
  }
  return { store, path: store.path, changes, warnings };
}

/**
 * Writes a plan: creates and updates first, removals last. Every change is attempted; failures are
 * reported together at the end.
 * @throws {DeploymentApplyError} naming each change that could not be written.
 */
async function executeDeployment(store: SubscriptionStore, changes: readonly PlannedChange[]): Promise<void> {
  const failures: string[] = [];
  const ordered = [...changes.filter((change) => change.kind !== 'remove'), ...changes.filter((change) => change.kind === 'remove')];
  for (const change of ordered) {
    try {
      if (change.kind === 'create' || change.kind === 'update') {
        await store.put(change.subscription, { overwrite: change.kind === 'update', ...(change.kmsKeyId !== undefined && { kmsKeyId: change.kmsKeyId }) });
      } else if (change.kind === 'remove') await store.remove(change.name);
    } catch (error) {
      failures.push(`could not ${change.kind} subscription "${change.name}": ${describeError(error).join('; ')}`);
    }
  }
  if (failures.length > 0) throw new DeploymentApplyError([...failures, `${failures.length} of ${ordered.filter((c) => c.kind !== 'unchanged' && c.kind !== 'keep').length} changes failed; fix the cause and apply again`]);
}
