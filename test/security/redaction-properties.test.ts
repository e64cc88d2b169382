/**
 * Random credentials placed in any field of a subscription never appear in a log line, a retry
 * message, a dead-letter record or what the CLI prints (README "Security model", What is masked).
 * The real handler runs with the real SSM adapter (over a mocked client) and the real target
 * guard; only the socket is scripted: the attempt answers as a careless receiver would, with a
 * redirect repeating the URL, a TLS error naming the host, a 500, or not at all.
 */
import { auditToLog } from '../../lambda/adapters/audit-to-log';
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { maskForDisplay, scrubSecrets } from '../../cli/mask-secrets';
import { createSsmSubscriptionSource } from '../../lambda/adapters/ssm-subscriptions';
import { createTargetGuard } from '../../lambda/adapters/target-guard';
import type { AttemptResult } from '../../lambda/core/delivery/outcome';
import type { HttpSender } from '../../lambda/core/ports';
import { parseSubscription } from '../../lambda/core/subscriptions/subscriptions';
import { createHandler } from '../../lambda/handler';
import { capturingLog, countingMetrics, dispatcherConfig, fakeQueue, fixedClock, publishedEvent, sqsRecord, trafficControl } from '../support/factories';
import { credentialToken } from '../support/credential-tokens';

const PATH = '/platform-webhooks/redaction';
const ssm = mockClient(SSMClient);

afterAll(() => ssm.restore());

// ---------------------------------------------------------------- tokens


/** Where a token may be pasted: a function of the token giving a subscription value. */
const PLACEMENTS: Readonly<Record<string, (token: string) => Record<string, unknown>>> = {
  'url: the whole value': (t) => ({ url: t }),
  'url: the host': (t) => ({ url: `https://${t}/` }),
  'url: a host label': (t) => ({ url: `https://${t}.example.test/hook` }),
  'url: Slack path': (t) => ({ url: `https://hooks.slack.com/services/T0/B0/${t}` }),
  'url: Discord path': (t) => ({ url: `https://discord.com/api/webhooks/1234/${t}` }),
  'url: Teams path': (t) => ({ url: `https://acme.webhook.office.com/webhookb2/${t}/IncomingWebhook/x` }),
  'url: Logic Apps sig': (t) => ({ url: `https://prod-1.westus.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=1&sig=${t}` }),
  'url: Google Chat token': (t) => ({ url: `https://chat.googleapis.com/v1/spaces/AAA/messages?key=${t}&token=${t}` }),
  'url: Mattermost path': (t) => ({ url: `https://chat.example.test/hooks/${t}` }),
  'url: PagerDuty integration path': (t) => ({ url: `https://events.pagerduty.com/integration/${t}/enqueue` }),
  'url: any query value': (t) => ({ url: `https://hooks.example.test/in?code=${t}` }),
  'url: a path segment on any host': (t) => ({ url: `https://hooks.example.test/cb/${t}/x` }),
  'url: user:password': (t) => ({ url: `https://user:${encodeURIComponent(t)}@hooks.example.test/` }),
  'url: the fragment': (t) => ({ url: `https://hooks.example.test/#${t}` }),
  'url: a scheme of its own': (t) => ({ url: `${t}:x` }),
  'url: without a scheme': (t) => ({ url: `hooks.example.test/${t}` }),
  'events: an entry': (t) => ({ events: ['jobs.*', t] }),
  'headers: a name': (t) => ({ headers: { [t]: 'x' } }),
  'headers: a whole header as a name': (t) => ({ headers: { [`Authorization: Bearer ${t}`]: 'x' } }),
  'headers: a value': (t) => ({ headers: { Authorization: `Bearer ${t}`, 'X-Api-Key': t } }),
  'headers: an invalid value': (t) => ({ headers: { Authorization: `Bearer ${t}\r\n` } }),
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

/** How the one attempt ends. */
const ATTEMPTS = ['redirect to the same URL over https', 'TLS error naming the host', 'HTTP 500', 'HTTP 200', 'refused', 'DNS failure'] as const;
type Attempt = (typeof ATTEMPTS)[number];

/**
 * A sender that checks every target with the real guard (names resolve to a public address, or a
 * private one, or fail) and then answers as scripted instead of connecting, mapping failures as
 * `createHttpSender` does.
 */
function scriptedGuardedSender(attempt: Attempt): HttpSender {
  const guard = createTargetGuard({
    resolve: async (hostname) => {
      if (attempt === 'DNS failure') throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return [{ address: attempt === 'refused' ? '10.0.0.9' : '93.184.215.14', family: 4 }];
    },
  });
  return {
    async send(request): Promise<AttemptResult> {
      let verdict;
      try {
        verdict = await guard.check(request.url);
      } catch (error) {
        const { code, message } = error as NodeJS.ErrnoException;
        return { kind: 'network-error', code: code ?? 'Error', message };
      }
      if (!verdict.allowed) return { kind: 'refused', rule: verdict.rule, message: verdict.message };
      switch (attempt) {
        case 'redirect to the same URL over https':
          return { kind: 'response', status: 308, location: request.url.replace(/^http:/, 'https:') };
        case 'TLS error naming the host':
          return { kind: 'network-error', code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: `Hostname/IP does not match certificate's altnames: Host: ${verdict.url.hostname}. is not in the cert's altnames: DNS:*.example.com` };
        case 'HTTP 500':
          return { kind: 'response', status: 500 };
        default:
          return { kind: 'response', status: 200 };
      }
    },
  };
}

/** Everything a run wrote, for the search. */
async function runHandler(value: Record<string, unknown>, attempt: Attempt): Promise<string> {
  const parameter = { Name: `${PATH}/pasted`, Value: JSON.stringify(value), Type: 'SecureString' as const };
  ssm.reset();
  ssm.on(GetParametersByPathCommand).resolves({ Parameters: [parameter] });
  ssm.on(GetParameterCommand).resolves({ Parameter: parameter });
  const log = capturingLog();
  const queue = fakeQueue();
  const clock = fixedClock();
  const handler = createHandler({
    subscriptions: createSsmSubscriptionSource({ client: new SSMClient({}), path: PATH, cacheSeconds: 0, clock, log }),
    queue,
    http: scriptedGuardedSender(attempt),
    clock,
    random: () => 0.5,
    log,
    audit: auditToLog(log),
    metrics: countingMetrics(),
    traffic: trafficControl(),
    config: dispatcherConfig({ retrySchedule: [5000] }),
    concurrency: 2,
  });
  const response = await handler({ Records: [sqsRecord(publishedEvent({ type: 'jobs.failed' }))] }, { getRemainingTimeInMillis: () => 900_000 } as never);
  return [log.text(), JSON.stringify(queue.enqueued), JSON.stringify(queue.deadLettered), JSON.stringify(response)].join('\n');
}

/** What the CLI prints of the stored value: the masked value and its validation errors. */
function cliOutput(value: Record<string, unknown>): string {
  const result = parseSubscription('pasted', value);
  return [JSON.stringify(maskForDisplay(value)), ...(result.ok ? [] : result.errors.map(scrubSecrets))].join('\n');
}

function expectNoToken(output: string, token: string): void {
  const body = token.replace(/^(whsec_|sk_live_|xoxb-\d+-)/, '');
  expect(output.toLowerCase()).not.toContain(token.toLowerCase());
  expect(output.toLowerCase()).not.toContain(body.slice(-12).toLowerCase());
}

const valueWith = (placement: string, token: string) => ({ url: 'https://hooks.example.test/platform', events: ['*'], ...PLACEMENTS[placement]!(token) });

describe('a credential placed in any field', () => {
  it.each(Object.keys(PLACEMENTS).flatMap((placement) => ATTEMPTS.map((attempt) => [placement, attempt] as const)))(
    'never appears anywhere: %s, then %s',
    async (placement, attempt) => {
      // Prepare
      const token = 'R0UTINGKEY9f8e7d6c5b4a39281706f5';
      const value = valueWith(placement, token);

      // Act
      const written = await runHandler(value, attempt);

      // Assess: the run did something with the subscription, and wrote no token doing it
      expect(written).toMatch(/invalid subscription parameter skipped|"delivered"|delivery dead-lettered|retry scheduled/);
      expectNoToken(`${written}\n${cliOutput(value)}`, token);
    },
  );

  it('never appears anywhere, whatever its shape, field and attempt', async () => {
    await fc.assert(
      fc.asyncProperty(credentialToken, fc.constantFrom(...Object.keys(PLACEMENTS)), fc.constantFrom(...ATTEMPTS), async (token, placement, attempt) => {
        // Prepare
        const value = valueWith(placement, token);

        // Act
        const written = await runHandler(value, attempt);

        // Assess
        expectNoToken(`${written}\n${cliOutput(value)}`, token);
      }),
      { numRuns: 400 },
    );
  });
});
