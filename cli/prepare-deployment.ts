import type { SSMClient } from '@aws-sdk/client-ssm';
import { checkPath } from './aws-context';
import { readDeploymentFile } from './deployment-file';
import { planDeployment } from './deployment-plan';
import type { DeclaredSubscription, PlannedChange } from './deployment-plan';
import { createSubscriptionStore } from './subscription-store';
import type { ParameterStorage, StoredSubscription, SubscriptionStore } from './subscription-store';
import { targetWarnings } from './target-warnings';

/** What {@link prepareDeployment} reads: the file, the environment its `secretEnv` names, and SSM. */
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
}

/** A deployment ready to print and execute. */
export interface PreparedDeployment {
  readonly store: SubscriptionStore;
  readonly changes: readonly PlannedChange[];
  /** Targets the function would refuse, invalid stored values replaced (kept subscriptions are in `changes`). */
  readonly warnings: readonly string[];
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

/**
 * Reads the file, lists what is stored and plans the changes; writes nothing.
 * @throws {DeploymentConfigError} when the file is unreadable or invalid (nothing is read from SSM then).
 */
export async function prepareDeployment(options: DeploymentOptions): Promise<PreparedDeployment> {
  const desired = await readDeploymentFile(options.file, options.env ?? process.env, options.cwd);
  const store = createSubscriptionStore(options.ssm, checkPath(options.path));
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
  return { store, changes, warnings };
}
