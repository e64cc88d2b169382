import { Webhook } from 'standardwebhooks';
import { buildRequest, standardBody } from '../../lambda/core/delivery/delivery-request';
import type { AttemptFacts } from '../../lambda/core/delivery/delivery-request';
import { FIXED_NOW, platformEvent, secret, subscription } from '../support/factories';

function facts(overrides: Partial<AttemptFacts> = {}): AttemptFacts {
  return { deliveryId: 'msg_abc', attempt: 3, now: FIXED_NOW + 999, userAgent: 'platform-webhooks/1.2.3', defaultTimeoutMs: 10_000, ...overrides };
}

describe('standardBody', () => {
  it('holds exactly id, type, timestamp and data of the event', () => {
    // Prepare
    const event = platformEvent();

    // Act
    const body = JSON.parse(standardBody(event)) as unknown;

    // Assess
    expect(body).toStrictEqual({ id: event.id, type: event.type, timestamp: event.timestamp, data: event.data });
  });
});

describe('buildRequest', () => {
  it('POSTs the body to the subscription URL with the headers of docs/design.md §3', () => {
    // Prepare
    const event = platformEvent({ type: 'jobs.failed' });
    const body = standardBody(event);

    // Act
    const request = buildRequest(subscription(), event, body, facts());

    // Assess
    expect(request).toEqual({
      url: 'https://hooks.example.com/platform',
      body,
      timeoutMs: 10_000,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'platform-webhooks/1.2.3',
        'webhook-id': 'msg_abc',
        'webhook-timestamp': String(Math.floor(FIXED_NOW / 1000)),
        'webhook-event': 'jobs.failed',
        'webhook-attempt': '3',
      },
    });
  });

  it('sends no signature header without a secret', () => {
    // Act
    const request = buildRequest(subscription(), platformEvent(), '{}', facts());

    // Assess
    expect(Object.keys(request.headers).map((name) => name.toLowerCase())).not.toContain('webhook-signature');
  });

  it('signs with the secret so that the standardwebhooks library verifies the request', () => {
    // Prepare
    const key = secret();
    const event = platformEvent();
    const body = standardBody(event);

    // Act
    const request = buildRequest(subscription({ secret: key }), event, body, facts({ now: Date.now() }));

    // Assess
    expect(request.headers['webhook-signature']).toMatch(/^v1,/);
    expect(new Webhook(key).verify(request.body, { ...request.headers })).toEqual(JSON.parse(body));
  });

  it('passes the subscription headers through', () => {
    // Prepare
    const headers = { Authorization: 'Bearer abc', 'X-Team': 'vision' };

    // Act
    const request = buildRequest(subscription({ headers }), platformEvent(), '{}', facts());

    // Assess
    expect(request.headers).toMatchObject(headers);
    expect(request.headers['content-type']).toBe('application/json');
  });

  it("uses the subscription's timeout over the default", () => {
    // Act
    const request = buildRequest(subscription({ timeoutMs: 2500 }), platformEvent(), '{}', facts({ defaultTimeoutMs: 7000 }));

    // Assess
    expect(request.timeoutMs).toBe(2500);
  });

  it('uses the default timeout when the subscription has none', () => {
    // Act
    const request = buildRequest(subscription(), platformEvent(), '{}', facts({ defaultTimeoutMs: 7000 }));

    // Assess
    expect(request.timeoutMs).toBe(7000);
  });
});
