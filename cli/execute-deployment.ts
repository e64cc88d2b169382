import { describeError } from './describe-error';
import { DeploymentApplyError } from './errors';
import type { PlannedChange } from './deployment-plan';
import type { SubscriptionStore } from './subscription-store';

/**
 * Writes a plan: creates and updates first, removals last. Every change is attempted; failures are
 * reported together at the end.
 * @param onDone called after each change is written, e.g. to print progress.
 * @throws {DeploymentApplyError} naming each change that could not be written.
 */
export async function executeDeployment(store: SubscriptionStore, changes: readonly PlannedChange[], onDone: (change: PlannedChange) => void = () => undefined): Promise<void> {
  const failures: string[] = [];
  const ordered = [...changes.filter((change) => change.kind !== 'remove'), ...changes.filter((change) => change.kind === 'remove')];
  for (const change of ordered) {
    try {
      if (change.kind === 'create' || change.kind === 'update') {
        await store.put(change.subscription, { overwrite: change.kind === 'update', ...(change.kmsKeyId !== undefined && { kmsKeyId: change.kmsKeyId }) });
      } else if (change.kind === 'remove') await store.remove(change.name);
      else continue;
      onDone(change);
    } catch (error) {
      failures.push(`could not ${change.kind} subscription "${change.name}": ${describeError(error).join('; ')}`);
    }
  }
  if (failures.length > 0) throw new DeploymentApplyError([...failures, `${failures.length} of ${ordered.filter((c) => c.kind !== 'unchanged' && c.kind !== 'keep').length} changes failed; fix the cause and apply again`]);
}
