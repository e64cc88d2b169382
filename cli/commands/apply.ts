import { Command } from 'commander';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import type { PlannedChange } from '../deployment-plan';
import { executeDeployment } from '../execute-deployment';
import { prepareDeployment } from '../prepare-deployment';
import { kmsKeyId } from '../option-parsers';
import { countChanges, renderDeploymentPlan } from '../render-deployment-plan';
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
      const { store, changes, warnings } = await prepareDeployment({
        ssm: aws.ssm, path: await aws.subscriptionsPath(), file: options.file, prune: options.prune === true, checkHosts: options.checkHost === true, env, cwd,
        ...(options.kmsKeyId !== undefined && { kmsKeyId: options.kmsKeyId }),
      });
      if (!out.json) for (const line of renderDeploymentPlan(changes)) out.line(line);
      for (const warning of warnings) out.warn(warning);
      if (!dryRun) await executeDeployment(store, changes);
      const counts = countChanges(changes);
      if (out.json) {
        out.data({ dryRun, path: store.path, changes: changes.map(jsonChange), warnings });
        return;
      }
      const kept = counts.keep > 0 ? `, ${counts.keep} kept (not in the file)` : '';
      const nothing = counts.create + counts.update + counts.remove === 0;
      if (dryRun) {
        out.line(`Dry run: ${counts.create} to create, ${counts.update} to update, ${counts.remove} to remove, ${counts.unchanged} unchanged${kept}. Nothing was written${nothing ? '' : '; run without --dry-run to apply'}.`);
      } else {
        out.line(`${nothing ? 'No changes' : `Applied to ${store.path}`}: ${counts.create} created, ${counts.update} updated, ${counts.remove} removed, ${counts.unchanged} unchanged${kept}.`);
      }
    });
}

function jsonChange(change: PlannedChange): Record<string, unknown> {
  const action = change.kind === 'keep' ? 'keep' : change.kind;
  if (change.kind === 'create' || change.kind === 'update') {
    return {
      name: change.name, action, type: change.type, ...(change.kmsKeyId !== undefined && { kmsKeyId: change.kmsKeyId }), fields: change.fields,
      ...(change.kind === 'update' && change.invalid !== undefined && { invalid: change.invalid }),
    };
  }
  return { name: change.name, action };
}
