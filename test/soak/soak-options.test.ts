import { parseSoakOptions, SOAK_DEFAULTS, soakUsage } from '../../bench/soak/soak-options';

describe('parseSoakOptions', () => {
  it('takes the defaults of `npm run soak`, with a seed of its own unless one is given', () => {
    const options = parseSoakOptions([]);

    expect(options).toMatchObject({ events: 10_000, subscriptions: 20, retrySchedule: SOAK_DEFAULTS.retrySchedule, maxReceiveCount: 5 });
    expect(Number.isInteger(options.seed)).toBe(true);
    expect(parseSoakOptions(['--seed', '7', '--events', '500']).seed).toBe(7);
  });

  it('refuses values it cannot run with, naming the option', () => {
    expect(() => parseSoakOptions(['--events', '1.5'])).toThrow('--events must be a non-negative integer, got "1.5"');
    expect(() => parseSoakOptions(['--subscriptions', '3'])).toThrow('--subscriptions must be at least 4');
    expect(() => parseSoakOptions(['--visibility-seconds', '5', '--function-timeout-ms', '6000'])).toThrow('--function-timeout-ms must not exceed --visibility-seconds');
    expect(() => parseSoakOptions(['--retry-schedule', '1x'])).toThrow('--retry-schedule: entry 1 "1x" is not a duration');
    expect(() => parseSoakOptions(['--throttle-every-seconds', '1'])).toThrow('--throttle-every-seconds must be 0 (never) or at least 2');
    expect(() => parseSoakOptions(['--evnts', '5'])).toThrow(/evnts/);
  });

  it('reads a scale run\'s options: idle subscriptions, the cache time and SSM\'s read quota', () => {
    const options = parseSoakOptions(['--subscriptions', '1000', '--active-subscriptions', '8', '--cache-seconds', '20', '--ssm-tps', '40']);

    expect(options).toMatchObject({ subscriptions: 1000, activeSubscriptions: 8, cacheSeconds: 20, ssmTps: 40 });
    expect(parseSoakOptions([])).toMatchObject({ cacheSeconds: 1, ssmTps: 0 });
    expect(parseSoakOptions([]).activeSubscriptions).toBeUndefined();
    expect(() => parseSoakOptions(['--subscriptions', '10', '--active-subscriptions', '11'])).toThrow('--active-subscriptions must be from 4');
    expect(() => parseSoakOptions(['--ssm-tps', '2.5'])).toThrow('--ssm-tps must be a non-negative integer, got "2.5"');
  });

  it('documents every option in --help, with its default', () => {
    const usage = soakUsage();

    for (const option of ['--cache-seconds 1', '--ssm-tps 0', '--active-subscriptions <n>', '--events 10000']) expect(usage).toContain(option);
    expect(usage).toMatch(/--ssm-tps 0 +SSM read quota/);
  });
});
