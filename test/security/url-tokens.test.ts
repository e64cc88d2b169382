/**
 * A webhook URL's path or query can be the credential (README "Security model", What is masked): a
 * redirect that copies the URL into its `location`, or a refusal naming the host, must not carry it
 * into a log line or a dead-letter record. The real handler, HTTP sender and target guard deliver
 * to a real receiver on loopback, reached under the names of the services through a fixed resolver.
 */
import { subscription } from '../support/factories';
import { startReceiver } from '../support/receiver';
import type { Receiver } from '../support/receiver';
import { fakeResolver } from './support/fake-resolver';
import { guardedHandler } from './support/guarded-handler';
import { installLoopbackTripwire } from './support/loopback-tripwire';

const SLACK_TOKEN = 'Zq8Xw3Vb7Nm2Kp5Lr9Ts4Ud6';
const QUERY_TOKEN = 'qT0k3nValue42';
const PASTED_KEY = 'a9f8e7d6c5b4a39281706f5e4d3c2b1a';
const NAMES = { 'hooks.slack.com': ['127.0.0.1'], 'receiver.example.test': ['127.0.0.1'], [`${PASTED_KEY}.internal.example.test`]: ['10.0.0.9'] };

let receiver: Receiver;
let tripwire: ReturnType<typeof installLoopbackTripwire>;

beforeAll(async () => {
  tripwire = installLoopbackTripwire();
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.close();
  tripwire.uninstall();
});

afterEach(() => {
  expect(tripwire.violations).toEqual([]);
});

/** `http://<host>:<receiver port><path>`. */
function at(host: string, path: string): string {
  return receiver.url(path).replace('127.0.0.1', host);
}

async function deliverOnce(url: string) {
  const handler = guardedHandler({ subscriptions: [subscription({ name: 'tokens', url })], guard: { resolve: fakeResolver(NAMES), allowedCidrs: ['127.0.0.1/32'] } });
  try {
    await handler.publish();
    return { deadLettered: handler.queue.deadLettered, everything: `${handler.log.text()}\n${JSON.stringify(handler.queue.deadLettered)}\n${JSON.stringify(handler.queue.enqueued)}` };
  } finally {
    handler.close();
  }
}

describe('URL tokens', () => {
  it('never reach the log or the dead-letter record through an http→https redirect of a Slack webhook', async () => {
    // Prepare
    const path = `/services/T00000000/B00000000/${SLACK_TOKEN}`;
    receiver.script(path, { status: 308, headers: { location: `https://hooks.slack.com${path}` } });

    // Act
    const { deadLettered, everything } = await deliverOnce(at('hooks.slack.com', path));

    // Assess
    expect(receiver.requests(path)).toHaveLength(1);
    expect(deadLettered.map((record) => record.error)).toEqual([
      'HTTP 308 redirect to https://hooks.slack.com/services/**** (redirects are not followed; update the subscription URL)',
    ]);
    expect(everything).not.toContain(SLACK_TOKEN);
  });

  it('never reach them through a redirect that repeats a token in the query', async () => {
    // Prepare
    receiver.script('/in', { status: 301, headers: { location: `https://receiver.example.test/in?token=${QUERY_TOKEN}&sig=${QUERY_TOKEN}` } });

    // Act
    const { deadLettered, everything } = await deliverOnce(at('receiver.example.test', `/in?token=${QUERY_TOKEN}`));

    // Assess
    expect(deadLettered[0]?.error).toBe('HTTP 301 redirect to https://receiver.example.test/in?token=****&sig=**** (redirects are not followed; update the subscription URL)');
    expect(everything).not.toContain(QUERY_TOKEN);
  });

  it('never reach them through a relative redirect', async () => {
    // Prepare
    receiver.script('/relative', { status: 302, headers: { location: `/hooks/${QUERY_TOKEN}` } });

    // Act
    const { deadLettered, everything } = await deliverOnce(at('receiver.example.test', '/relative'));

    // Assess
    expect(deadLettered[0]?.error).toBe('HTTP 302 redirect to /hooks/**** (redirects are not followed; update the subscription URL)');
    expect(everything).not.toContain(QUERY_TOKEN);
  });

  it('never reach them through a refusal or a DNS failure that names a token-shaped host', async () => {
    // Act: a key pasted where the host belongs, on a name resolving to a private address, then as the whole host
    const refused = await deliverOnce(`http://${PASTED_KEY}.internal.example.test/`);
    const unresolved = await deliverOnce(`https://${PASTED_KEY}/`);

    // Assess
    expect(refused.deadLettered[0]?.error).toBe('refused: ****.internal.example.test resolves to 10.0.0.9, which is private (RFC 1918) (rule: private 10.0.0.0/8)');
    expect(unresolved.everything).toContain('could not resolve **** (ENOTFOUND)');
    expect(`${refused.everything}\n${unresolved.everything}`).not.toContain(PASTED_KEY);
  });
});
