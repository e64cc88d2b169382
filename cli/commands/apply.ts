import { Command } from 'commander';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { applyDeploymentConfig } from '../deployment';
import type { DeploymentPlan } from '../deployment';
import type { FieldChange, PlannedChange } from '../deployment-plan';
import { ABSENT } from '../deployment-plan';
import { kmsKeyId } from '../option-parsers';
import { DEFAULT_KMS_KEY_ID } from '../subscription-store';

interface ApplyOptions {
  readonly file: string;
  readonly dryRun?: boolean;
  readonly prune?: boolean;
  readonly checkHost?: boolean;
  readonly kmsKeyId?: string;
}

/** `webhooks apply -f webhooks.yaml`: syncs a deployment config file into SSM, printing the diff first. */
export function applyCommand(runtime: CommandRuntime): Command {
  return new Command('apply')
    .description('sync subscriptions from a deployment config file (webhooks.yaml) into SSM, showing the diff')
    .requiredOption('-f, --file <file>', 'the deployment config file: a YAML list of subscriptions (see the README, "The deployment config file")')
    .option('--dry-run', 'show the diff only; change nothing')
    .option('--prune', 'remove subscriptions the file does not name (otherwise they are kept)')
    .option('--check-host', 'resolve each new or changed URL\'s host and warn if it does not resolve or resolves to an address the function refuses')
    .option('--kms-key-id <key>', `KMS key for the subscriptions whose entry names no kmsKeyId (default: the key each parameter has, else ${DEFAULT_KMS_KEY_ID})`, kmsKeyId)
    .addOption(jsonOption())
    .addHelpText('after', examples(
      'webhooks apply -f webhooks.yaml --dry-run',
      'OPS_WEBHOOK_SECRET=whsec_… webhooks apply -f webhooks.yaml',
      'webhooks apply -f webhooks.yaml --prune',
      'webhooks apply -f webhooks.yaml --kms-key-id alias/webhooks',
    ) + '\nEvery subscription is written as a SecureString parameter; the diff masks secrets, URLs and header values.\n')
    .action(async (options: ApplyOptions, command: Command) => {
      const { out, aws, env, cwd } = runtime.contextFor(command);
      const dryRun = options.dryRun === true;
      let planned: DeploymentPlan | undefined;
      await applyDeploymentConfig({
        ssm: aws.ssm, path: await aws.subscriptionsPath(), file: options.file, prune: options.prune === true, checkHosts: options.checkHost === true, env, cwd, dryRun, catalogue: await aws.eventCatalogue(),
        ...(options.kmsKeyId !== undefined && { kmsKeyId: options.kmsKeyId }),
        // The diff and the warnings are printed before anything is written.
        onPlan: (plan) => {
          planned = plan;
          if (!out.json) for (const line of renderDeploymentPlan(plan.changes)) out.line(line);
          for (const warning of plan.warnings) out.warn(warning);
        },
      });
      const { path, changes, warnings } = planned as DeploymentPlan;
      const counts = countChanges(changes);
      if (out.json) {
        out.data({ dryRun, path, changes: changes.map(jsonChange), warnings });
        return;
      }
      const kept = counts.keep > 0 ? `, ${counts.keep} kept (not in the file)` : '';
      const nothing = counts.create + counts.update + counts.remove === 0;
      if (dryRun) {
        out.line(`Dry run: ${counts.create} to create, ${counts.update} to update, ${counts.remove} to remove, ${counts.unchanged} unchanged${kept}. Nothing was written${nothing ? '' : '; run without --dry-run to apply'}.`);
      } else {
        out.line(`${nothing ? 'No changes' : `Applied to ${path}`}: ${counts.create} created, ${counts.update} updated, ${counts.remove} removed, ${counts.unchanged} unchanged${kept}.`);
      }
    });
}

function jsonChange(change: PlannedChange): Record<string, unknown> {
  const action = change.kind;
  if (change.kind === 'create' || change.kind === 'update') {
    return {
      name: change.name, action, type: change.type, ...(change.kmsKeyId !== undefined && { kmsKeyId: change.kmsKeyId }), fields: change.fields,
      ...(change.kind === 'update' && change.invalid !== undefined && { invalid: change.invalid }),
    };
  }
  return { name: change.name, action };
}

const SYMBOL: Readonly<Record<PlannedChange['kind'], string>> = { create: '+', update: '~', unchanged: '=', remove: '-', keep: '!' };

/** The diff of a plan, one block per subscription: `+ create ops` then its field-level changes. */
function renderDeploymentPlan(changes: readonly PlannedChange[]): string[] {
  return changes.flatMap((change) => {
    const head = `${SYMBOL[change.kind]} ${change.kind} ${change.name}`;
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
function renderField(field: FieldChange): string {
  if (field.hidden === true && field.from !== ABSENT && field.to !== ABSENT) return `${field.field}: changed (value hidden)`;
  if (field.from === field.to) return `${field.field}: changed (value hidden)`;
  return `${field.field}: ${field.from} → ${field.to}`;
}

/** Counts of a plan: `2 to create, 1 to update, 0 to remove, 3 unchanged`. */
function countChanges(changes: readonly PlannedChange[]): Record<PlannedChange['kind'], number> {
  const counts = { create: 0, update: 0, unchanged: 0, remove: 0, keep: 0 };
  for (const change of changes) counts[change.kind]++;
  return counts;
}
