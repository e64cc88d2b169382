import type { FieldChange, PlannedChange } from './deployment-plan';
import { ABSENT } from './deployment-plan';

const SYMBOL: Readonly<Record<PlannedChange['kind'], string>> = { create: '+', update: '~', unchanged: '=', remove: '-', keep: '!' };

/** The diff of a plan, one block per subscription: `+ create ops` then its field-level changes. */
export function renderDeploymentPlan(changes: readonly PlannedChange[]): string[] {
  return changes.flatMap((change) => {
    const head = `${SYMBOL[change.kind]} ${change.kind === 'keep' ? 'keep' : change.kind} ${change.name}`;
    switch (change.kind) {
      case 'create':
        return [head, ...change.fields.map((field) => `    ${field.field}: ${field.to}`)];
      case 'update':
        return [
          `${head}${change.invalid === undefined ? '' : ' (replacing an invalid stored value)'}`,
          ...change.fields.map((field) => `    ${renderField(field)}`),
        ];
      case 'keep':
        return [`${head} (not in the file; --prune removes it)`];
      default:
        return [head];
    }
  });
}

/** `field: from → to`, or `field: changed (value hidden)` when the values cannot be shown apart. */
export function renderField(field: FieldChange): string {
  if (field.hidden === true && field.from !== ABSENT && field.to !== ABSENT) return `${field.field}: changed (value hidden)`;
  if (field.from === field.to) return `${field.field}: changed (value hidden)`;
  return `${field.field}: ${field.from} → ${field.to}`;
}

/** Counts of a plan: `2 to create, 1 to update, 0 to remove, 3 unchanged`. */
export function countChanges(changes: readonly PlannedChange[]): Record<PlannedChange['kind'], number> {
  const counts = { create: 0, update: 0, unchanged: 0, remove: 0, keep: 0 };
  for (const change of changes) counts[change.kind]++;
  return counts;
}
