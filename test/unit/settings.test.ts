import { parseSubscription } from '../../lambda/core/subscriptions/subscriptions';
import { parseSubscriptionsPath } from '../../lambda/setting-types';
import type { SettingForm } from '../../lambda/setting-types';
import { CDK_SETTINGS, ENV_SETTINGS, SETTINGS, readSettings, settingsEnvironment } from '../../lambda/settings';
import type { Setting, SettingName } from '../../lambda/settings';

const entry = (name: SettingName): Setting<unknown> => SETTINGS[name];

describe('SETTINGS', () => {
  it.each<[SettingForm, readonly SettingName[]]>([
    ['env', ENV_SETTINGS],
    ['cdk', CDK_SETTINGS],
  ])('reads back every default as the %s spells it', (form, names) => {
    // Prepare
    const defaulted = names.filter((name) => entry(name).default !== undefined);
    // Act
    const readBack = defaulted.map((name) => {
      const { type, default: value } = entry(name);
      return type.read(type.write(value, form), form);
    });
    // Assess
    expect(readBack).toEqual(defaulted.map((name) => entry(name).default));
  });

  it('gives each variable and each key to one setting', () => {
    // Act
    const variables = ENV_SETTINGS.map((name) => SETTINGS[name].env);
    const keys = CDK_SETTINGS.map((name) => SETTINGS[name].key);
    // Assess
    expect(new Set(variables).size).toBe(variables.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    [999, false],
    [1000, true],
    [30_000, true],
    [30_001, false],
  ])('accepts DELIVERY_TIMEOUT_MS=%i exactly when a subscription accepts it as timeoutMs (%s)', (ms, accepted) => {
    // Act
    const asVariable = readSettings(['deliveryTimeoutMs'], 'env', () => String(ms), () => 'DELIVERY_TIMEOUT_MS:');
    const asSubscription = parseSubscription('ops', { url: 'https://hooks.example.com', events: ['*'], timeoutMs: ms });
    // Assess
    expect(asVariable.problems.length === 0).toBe(accepted);
    expect(asSubscription.ok).toBe(accepted);
  });
});

describe('readSettings', () => {
  it('applies the default to a blank variable but refuses a blank context value', () => {
    // Act
    const env = readSettings(['memorySize'], 'env', () => ' ', (name) => name);
    const cdk = readSettings(['memorySize'], 'cdk', () => ' ', (name) => `context "${name}"`);
    // Assess
    expect(env).toEqual({ values: { memorySize: 256 }, problems: [] });
    expect(cdk.problems).toEqual(['context "memorySize" must be an integer from 128 to 10240, got ""']);
  });

  it('reads the values cdk.json holds: numbers, booleans and arrays', () => {
    // Act
    const { values, problems } = readSettings(
      ['memorySize', 'allowPrivateTargets', 'retrySchedule', 'deliveryTimeoutMs'],
      'cdk',
      (name) => ({ memorySize: 512, allowPrivateTargets: true, retrySchedule: ['5s', 60], deliveryTimeoutMs: 20 })[name as string],
      (name) => name,
    );
    // Assess
    expect(problems).toEqual([]);
    expect(values).toEqual({ memorySize: 512, allowPrivateTargets: true, retrySchedule: [5000, 60_000], deliveryTimeoutMs: 20_000 });
  });

  it.each([
    ['5s,13h', 'entry 2 "13h" must be from 1s to 12h'],
    ['0s', 'entry 1 "0s" must be from 1s to 12h'],
    [Array.from({ length: 21 }, () => '1m').join(','), 'must list at most 20 delays'],
    ['5s,later', 'entry 2 "later" is not a duration'],
  ])('bounds RETRY_SCHEDULE=%s: %s', (schedule, message) => {
    // Act
    const { problems } = readSettings(['retrySchedule'], 'env', () => schedule, () => 'RETRY_SCHEDULE:');
    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`RETRY_SCHEDULE: ${message}`);
  });
});

describe('settingsEnvironment', () => {
  it('writes each value as the function reads it and leaves out what has no value', () => {
    // Act
    const env = settingsEnvironment({ retrySchedule: [1000, 90_000], deliveryTimeoutMs: 2500, subscriptionsCacheSeconds: 300, allowedTargetCidrs: [], memorySize: 512 });
    // Assess
    expect(env).toEqual({ RETRY_SCHEDULE: '1s,90s', DELIVERY_TIMEOUT_MS: '2500', SUBSCRIPTIONS_CACHE_SECONDS: '300', ALLOWED_TARGET_CIDRS: '' });
  });
});

describe('parseSubscriptionsPath', () => {
  it.each([
    ['/platform-webhooks/subscriptions', '/platform-webhooks/subscriptions'],
    ['/team/hooks/', '/team/hooks'],
    [`/${Array.from({ length: 14 }, () => 'a').join('/')}`, `/${Array.from({ length: 14 }, () => 'a').join('/')}`],
  ])('accepts %s as %s', (text, path) => {
    // Act & Assess
    expect(parseSubscriptionsPath(text)).toBe(path);
  });

  it.each([
    ['hooks', 'must be an SSM path'],
    ['/with space', 'must be an SSM path'],
    ['/', 'must be an SSM path'],
    ['//hooks', 'must be an SSM path'],
    ['/AWS/hooks', 'may not begin with "/aws" or "/ssm"'],
    ['/ssm', 'may not begin with "/aws" or "/ssm"'],
    [`/${Array.from({ length: 15 }, () => 'a').join('/')}`, 'may have at most 14 levels'],
  ])('refuses %s: %s', (text, message) => {
    // Act
    const parse = (): string => parseSubscriptionsPath(text);
    // Assess
    expect(parse).toThrow(RangeError);
    expect(parse).toThrow(message);
  });
});
