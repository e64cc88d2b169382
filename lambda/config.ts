import { ConfigurationError } from './core/errors';
import { ENV_SETTINGS, SETTINGS, readSettings } from './settings';
import type { EnvSettingName, SettingValues } from './settings';

/**
 * The function's configuration (docs/design.md §5), read from the environment once per container:
 * one field per setting of lambda/settings.ts that has an environment variable, by the setting's name.
 */
export type Config = SettingValues<EnvSettingName>;

/**
 * Reads and validates the configuration; blank variables count as unset.
 * @throws {ConfigurationError} listing every variable that is missing or invalid.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const { values, problems } = readSettings(ENV_SETTINGS, 'env', (name) => env[SETTINGS[name].env], (name) => `${SETTINGS[name].env}:`);
  if (problems.length > 0) throw new ConfigurationError(`invalid configuration: ${problems.join('; ')}`);
  return values;
}
