import { existsSync } from 'node:fs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { EventCatalogue } from '../lambda/core/inbound/events';

import { applyDeploymentConfig } from '../cli/deployment';
import { DeploymentConfigError } from '../cli/errors';
import { LocalStackError } from './local-stack-errors';
import { describeError } from '../lambda/core/errors';

/** The deployment config file applied at start when present and no `--config` is given. */
export const DEFAULT_CONFIG_FILE = 'webhooks.yaml';

/** The file to apply: `given`, which must exist, else {@link DEFAULT_CONFIG_FILE} when it exists. */
export function configFileToApply(given: string | undefined): string | undefined {
  if (given === undefined) return existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined;
  if (!existsSync(given)) throw new LocalStackError(`config file ${given} does not exist; check the --config path`);
  return given;
}

export interface ApplyConfigFileOptions {
  readonly ssm: SSMClient;
  /** The subscriptions path the function reads. */
  readonly path: string;
  readonly file: string;
  readonly env: NodeJS.ProcessEnv;
  /** The event types the local function accepts (its `EXTRA_EVENT_TYPES`). */
  readonly catalogue: EventCatalogue;
}

/**
 * Applies a deployment config file as `webhooks apply` does, without pruning (subscriptions the file
 * does not name are kept), and returns lines to print: a one-line summary, then any warnings.
 * @throws LocalStackError naming the file when it cannot be applied: one line per problem of an
 *   invalid file (each already starts with `file:line:`), else one line.
 */
export async function applyConfigFile(options: ApplyConfigFileOptions): Promise<string[]> {
  let result;
  try {
    result = await applyDeploymentConfig({ ssm: options.ssm, path: options.path, file: options.file, prune: false, env: options.env, catalogue: options.catalogue });
  } catch (error) {
    const message = error instanceof DeploymentConfigError ? error.lines.join('\n') : `${options.file}: ${describeError(error)}`;
    throw new LocalStackError(message, { cause: error });
  }
  return [
    `config: applied ${options.file}: ${result.create.length} created, ${result.update.length} updated, ${result.unchanged.length} unchanged`,
    ...result.warnings.map((warning) => `config: warning: ${warning}`),
  ];
}
