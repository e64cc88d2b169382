import { fixedSecret, useCliHarness } from '../support/cli-harness';

const cli = useCliHarness();

async function put(name: string, value: object, type: 'String' | 'SecureString'): Promise<void> {
  await cli.putParameter(name, value, type);
}

function stored(name: string): { type: string; value: Record<string, unknown> } {
  const parameter = cli.ssmServer.store.get(`${cli.path}/${name}`, true);
  return { type: parameter.type, value: JSON.parse(parameter.value) as Record<string, unknown> };
}

describe('webhooks remove', () => {
  it('deletes the subscription', async () => {
    // Prepare
    await put('ops', { url: 'https://a.example.com', events: ['*'] }, 'String');

    // Act
    const result = await cli.run(['remove', 'ops', '--json']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({ name: 'ops', removed: true });
    expect(() => cli.ssmServer.store.get(`${cli.path}/ops`)).toThrow();
  });

  it('exits 1 when there is nothing to remove', async () => {
    // Act
    const result = await cli.run(['rm', 'ghost']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: subscription "ghost" does not exist under /);
  });
});

describe('webhooks enable / disable', () => {
  it('re-enables a subscription the delivery function disabled after a 410, keeping SecureString and the secret', async () => {
    // Prepare
    const secret = fixedSecret(3);
    await put('ops', { url: 'https://a.example.com', events: ['jobs.*'], secret, enabled: false }, 'SecureString');

    // Act
    const result = await cli.run(['enable', 'ops']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Enabled subscription "ops".\n');
    expect(stored('ops')).toEqual({ type: 'SecureString', value: { url: 'https://a.example.com', events: ['jobs.*'], secret, format: 'standard', headers: {}, enabled: true } });
  });

  it('disables a String subscription as a String', async () => {
    // Prepare
    await put('ops', { url: 'https://a.example.com', events: ['jobs.*'] }, 'String');

    // Act
    const result = await cli.run(['disable', 'ops', '--json']);

    // Assess
    expect(result.json()).toEqual({ name: 'ops', enabled: false, changed: true });
    expect(stored('ops')).toMatchObject({ type: 'String', value: { enabled: false } });
  });

  it('writes nothing when the subscription is already in that state', async () => {
    // Prepare
    await put('ops', { url: 'https://a.example.com', events: ['jobs.*'] }, 'String');

    // Act
    const result = await cli.run(['enable', 'ops']);

    // Assess
    expect(result.stdout).toBe('Subscription "ops" is already enabled; nothing to do.\n');
    expect(cli.ssmServer.store.get(`${cli.path}/ops`).version).toBe(1);
  });

  it('refuses to rewrite an invalid stored value and says how to fix it', async () => {
    // Prepare
    await put('ops', { url: 'https://a.example.com', events: ['experiment.done'] }, 'String');

    // Act
    const result = await cli.run(['disable', 'ops']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'error: subscription "ops": events[0] "experiment.done" matches no event; did you mean "experiments.done"?',
      'error: subscription "ops" is stored with an invalid value; replace it with "webhooks subscribe ops --overwrite …" or remove it',
    ]);
  });
});
