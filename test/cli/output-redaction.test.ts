/**
 * A credential placed in any field of a subscription never appears in what the CLI prints: `list`
 * and `show` (text and `--json`), the `apply` plan (text and `--json`) and its errors, `test`'s
 * errors, and `dlq list` (README "Output, secrets and exit codes"). Only `show --reveal` prints
 * one, and `dlq list --json` prints dead-letter records exactly as they were written (the
 * function writes none holding a credential). The CLI runs in process against the Parameter Store
 * stand-in and fauxqs; no URL is resolved or connected to.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { classify } from '../../lambda/core/delivery/outcome';
import { parseSubscription } from '../../lambda/core/subscriptions/subscriptions';
import { drain, send } from '../support/queues';
import { startCliHarness } from '../support/cli-harness';
import type { CliHarness } from '../support/cli-harness';
import { credentialToken } from '../support/credential-tokens';

let cli: CliHarness;
let path: string;
let dlqUrl: string;
let dir: string;

beforeAll(async () => {
  cli = await startCliHarness();
  ({ path, dlqUrl } = await cli.isolate());
  dir = await mkdtemp(join(tmpdir(), 'webhooks-redaction-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true });
  await cli.close();
});

// ---------------------------------------------------------------- tokens and where they go


/** Where a token may be pasted: a function of the token giving fields of a subscription value. */
const PLACEMENTS: Readonly<Record<string, (token: string) => Record<string, unknown>>> = {
  'url: the whole value': (t) => ({ url: t }),
  'url: the host': (t) => ({ url: `https://${t}/` }),
  'url: a host label': (t) => ({ url: `https://${t}.example.test/hook` }),
  'url: Slack path': (t) => ({ url: `https://hooks.slack.com/services/T0/B0/${t}`, format: 'slack' }),
  'url: Discord path': (t) => ({ url: `https://discord.com/api/webhooks/1234/${t}`, format: 'discord' }),
  'url: Teams path': (t) => ({ url: `https://acme.webhook.office.com/webhookb2/${t}/IncomingWebhook/x` }),
  'url: Logic Apps sig': (t) => ({ url: `https://prod-1.westus.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=1&sig=${t}` }),
  'url: Google Chat token': (t) => ({ url: `https://chat.googleapis.com/v1/spaces/AAA/messages?key=${t}&token=${t}` }),
  'url: a token query parameter': (t) => ({ url: `https://ci.example.test/hook?token=${t}` }),
  'url: a path segment on any host': (t) => ({ url: `https://hooks.example.test/cb/${t}/x` }),
  'url: user:password': (t) => ({ url: `https://user:${encodeURIComponent(t)}@hooks.example.test/` }),
  'url: the fragment': (t) => ({ url: `https://hooks.example.test/#${t}` }),
  'url: without a scheme': (t) => ({ url: `hooks.example.test/${t}` }),
  'events: an entry': (t) => ({ events: ['jobs.*', t] }),
  'filter: a value': (t) => ({ filter: { data: { job: { token: [t] } } } }),
  'headers: a name': (t) => ({ headers: { [t]: 'x' } }),
  'headers: a whole header as a name': (t) => ({ headers: { [`Authorization: Bearer ${t}`]: 'x' } }),
  'headers: Authorization': (t) => ({ headers: { Authorization: `Bearer ${t}` } }),
  'headers: x-functions-key': (t) => ({ headers: { 'x-functions-key': t } }),
  'headers: Ocp-Apim-Subscription-Key': (t) => ({ headers: { 'Ocp-Apim-Subscription-Key': t } }),
  'headers: an innocent name': (t) => ({ headers: { 'X-Team': t } }),
  secret: (t) => ({ secret: t }),
  previousSecret: (t) => ({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', previousSecret: t }),
  'routingKey with format pagerduty': (t) => ({ format: 'pagerduty', routingKey: t }),
  'routingKey without its format': (t) => ({ routingKey: t }),
  format: (t) => ({ format: t }),
  description: (t) => ({ description: `ops channel, key ${t}` }),
  timeoutMs: (t) => ({ timeoutMs: t }),
  enabled: (t) => ({ enabled: t }),
  previousSecretExpiresAt: (t) => ({ previousSecretExpiresAt: t }),
  'an unknown field name': (t) => ({ [t]: 1 }),
  'an unknown field value': (t) => ({ colour: t }),
};

const valueWith = (placement: string, token: string): Record<string, unknown> => ({ url: 'https://hooks.example.test/platform', events: ['*'], ...PLACEMENTS[placement]!(token) });

/** The entry of webhooks.yaml for a value: credentials through `secretEnv` and `routingKeyEnv`, everything else as written (a `previousSecret` is then an error). */
function deploymentEntry(value: Record<string, unknown>): Record<string, unknown> {
  const { secret, routingKey, ...rest } = value;
  return { name: 'pasted', ...rest, ...(secret !== undefined && { secretEnv: 'PASTED_SECRET' }), ...(routingKey !== undefined && { routingKeyEnv: 'PASTED_ROUTING_KEY' }) };
}

function expectNoToken(output: string, token: string): void {
  const body = token.replace(/^(whsec_|sk_live_|xoxb-\d+-)/, '');
  expect(output.toLowerCase()).not.toContain(token.toLowerCase());
  expect(output.toLowerCase()).not.toContain(body.slice(-12).toLowerCase());
}

// ---------------------------------------------------------------- runs

/** Everything the CLI prints of one stored subscription holding the token: list, show, the apply plan, test's errors. */
async function printedFor(value: Record<string, unknown>, token: string): Promise<string> {
  await cli.ssm.send(new PutParameterCommand({ Name: `${path}/pasted`, Value: JSON.stringify(value), Type: 'SecureString', Overwrite: true }));
  const file = join(dir, 'webhooks.yaml');
  await writeFile(file, stringify([deploymentEntry(value)]));
  const env = { PASTED_SECRET: String(value.secret ?? ''), PASTED_ROUTING_KEY: String(value.routingKey ?? '') };
  const valid = parseSubscription('pasted', value).ok;
  const runs = [
    ['list'], ['list', '--json'], ['show', 'pasted'], ['show', 'pasted', '--json'],
    ['apply', '-f', file, '--dry-run'], ['apply', '-f', file, '--dry-run', '--json'],
    // A valid subscription would be delivered to; an invalid one is refused with its errors, before any connection.
    ...(valid ? [] : [['test', 'pasted']]),
  ];
  const outputs = await Promise.all(runs.map((args) => cli.run(args, { env })));
  await cli.ssm.send(new DeleteParameterCommand({ Name: `${path}/pasted` }));
  return outputs.map((result) => result.output).join('\n');
}

/**
 * Dead-letter records of subscriptions holding the tokens: the one the function writes for a
 * redirect back to the subscription's own URL (its error redacted at the source), and one written
 * by something careless, its error quoting the whole value.
 */
function deadLetters(value: Record<string, unknown>): object[] {
  const base = {
    reason: 'permanent', event: { type: 'jobs.failed', id: 'evt_1', data: {} }, subscription: 'pasted', deliveryId: 'msg_1', attempts: 1,
    firstAttemptAt: '2026-11-27T10:00:00.000Z', lastAttemptAt: '2026-11-27T10:00:00.000Z',
  };
  const redirect = classify({ kind: 'response', status: 308, location: String(value.url) });
  return [{ ...base, error: redirect.kind === 'delivered' ? '' : redirect.error }, { ...base, error: `HTTP 500 from ${JSON.stringify(value)}` }];
}

/** Mistakes in webhooks.yaml that put the credential itself where the file wants something else. */
const FILE_PLACEMENTS: Readonly<Record<string, (token: string) => string>> = {
  'secretEnv: the secret itself': (t) => stringify([{ name: 'pasted', url: 'https://hooks.example.test/', events: ['*'], secretEnv: t }]),
  'routingKeyEnv: the key itself': (t) => stringify([{ name: 'pasted', url: 'https://hooks.example.test/', events: ['*'], format: 'pagerduty', routingKeyEnv: t }]),
  'a list item': (t) => stringify([t]),
  'the whole file': (t) => stringify(t),
  'an alias': (t) => `- *${t.replace(/[^A-Za-z0-9_-]/g, '')}\n`,
  'a key without a value': (t) => `- name: pasted\n  ${JSON.stringify(t)}\n`,
};

describe('a credential placed in any subscription field', () => {
  it.each(Object.keys(PLACEMENTS))('is never printed: %s', async (placement) => {
    // Prepare
    const token = 'R0UTINGKEY9f8e7d6c5b4a39281706f5';

    // Act
    const printed = await printedFor(valueWith(placement, token), token);

    // Assess
    expectNoToken(printed, token);
  });

  it('is never printed, whatever its shape and field', async () => {
    await fc.assert(
      fc.asyncProperty(credentialToken, fc.constantFrom(...Object.keys(PLACEMENTS)), async (token, placement) => {
        // Act
        const printed = await printedFor(valueWith(placement, token), token);

        // Assess
        expectNoToken(printed, token);
      }),
      { numRuns: 60 },
    );
  });

  it('is never printed by dlq list, whatever its shape and field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(credentialToken, fc.constantFrom(...Object.keys(PLACEMENTS))), { minLength: 10, maxLength: 20 }), async (pasted) => {
        // Prepare
        for (const [token, placement] of pasted) {
          for (const record of deadLetters(valueWith(placement, token))) await send(cli.sqs, dlqUrl, record);
        }

        // Act
        const result = await cli.run(['dlq', 'list', '--max', '100']);
        await drain(cli.sqs, dlqUrl);

        // Assess
        expect(result.code).toBe(0);
        for (const [token] of pasted) expectNoToken(result.output, token);
      }),
      { numRuns: 3 },
    );
  });

  it('is never printed by apply when webhooks.yaml holds it where something else belongs', async () => {
    await fc.assert(
      fc.asyncProperty(credentialToken, fc.constantFrom(...Object.keys(FILE_PLACEMENTS)), async (token, placement) => {
        // Prepare
        const file = join(dir, 'mistaken.yaml');
        await writeFile(file, FILE_PLACEMENTS[placement]!(token));

        // Act
        const result = await cli.run(['apply', '-f', file, '--dry-run']);

        // Assess
        expect(result.code).toBe(1);
        expectNoToken(result.output, token);
      }),
      { numRuns: 60 },
    );
  });
});
