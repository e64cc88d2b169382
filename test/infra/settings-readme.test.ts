import { readFileSync } from 'node:fs';
import { README, settingsTable, withSettingsTables } from '../../infra/settings-readme';
import { ENV_SETTINGS, SETTINGS } from '../../lambda/settings';

describe('the README settings tables', () => {
  it('are the ones lambda/settings.ts declares (`npm run docs:settings` rewrites them)', () => {
    // Prepare
    const readme = readFileSync(README, 'utf8');
    // Act
    const generated = withSettingsTables(readme);
    // Assess
    expect(readme).toBe(generated);
  });

  it('list each variable of the function once, with its default as the environment spells it', () => {
    // Act
    const table = settingsTable('env');
    // Assess
    expect(table.split('\n')).toHaveLength(2 + ENV_SETTINGS.length);
    expect(table).toContain('| `DELIVERY_TIMEOUT_MS` | `10000` | an integer from 1000 to 30000 |');
    expect(table).toContain('| `QUEUE_URL` | required |');
  });

  it('list each option of the CDK app with its default as context spells it', () => {
    // Act
    const table = settingsTable('cdk');
    // Assess
    expect(table).toContain('| `deliveryTimeout` | `10s` | a duration from 1s to 30s');
    expect(table).toContain(`| \`stackName\` (context only) | \`${SETTINGS.stackName.default}\` |`);
  });

  it('refuses a README without the marked regions', () => {
    // Act
    const rewrite = (): string => withSettingsTables('# README\n');
    // Assess
    expect(rewrite).toThrow('README.md has no "<!-- settings:env -->"');
  });
});
