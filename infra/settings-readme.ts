// The README's two settings tables, generated from lambda/settings.ts: `npm run docs:settings`
// rewrites them, and test/infra/settings-readme.test.ts fails when they differ from the settings.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SettingForm } from '../lambda/setting-types';
import { CDK_SETTINGS, ENV_SETTINGS, SETTINGS } from '../lambda/settings';
import type { Setting, SettingName } from '../lambda/settings';

export const README = path.resolve(__dirname, '..', 'README.md');

/** The function's variables ("The Lambda") and the CDK app's options ("Deploy" → "Options"), as Markdown. */
export function settingsTable(form: SettingForm): string {
  const names: readonly SettingName[] = form === 'env' ? ENV_SETTINGS : CDK_SETTINGS;
  const head = form === 'env' ? 'variable' : 'prop and context key';
  const rows = names.map((name) => {
    const setting: Setting<unknown> = SETTINGS[name];
    const label = form === 'env' ? code(setting.env) : `${code(setting.key)}${setting.contextOnly ? ' (context only)' : ''}`;
    return [label, defaultOf(setting, form), setting.type.expects(form), setting.doc];
  });
  return [[head, 'default', 'accepts', 'meaning'], ['---', '---', '---', '---'], ...rows]
    .map((cells) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`)
    .join('\n');
}

/**
 * `readme` with each region between `<!-- settings:env -->` and `<!-- /settings:env -->` (and
 * the same for `cdk`) replaced by {@link settingsTable}.
 * @throws {Error} when a region's markers are missing.
 */
export function withSettingsTables(readme: string): string {
  return (['env', 'cdk'] as const).reduce((text, form) => {
    const start = `<!-- settings:${form} -->`;
    const end = `<!-- /settings:${form} -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no "${start}" … "${end}" region for the settings table`);
    return `${text.slice(0, from + start.length)}\n${settingsTable(form)}\n${text.slice(to)}`;
  }, readme);
}

function defaultOf(setting: Setting<unknown>, form: SettingForm): string {
  if (setting.required) return 'required';
  const text = setting.default === undefined ? '' : setting.type.write(setting.default, form);
  return text === '' ? 'none' : code(text);
}

function code(text: string | undefined): string {
  return `\`${text ?? ''}\``;
}

if (require.main === module) writeFileSync(README, withSettingsTables(readFileSync(README, 'utf8')));
