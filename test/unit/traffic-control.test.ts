import { processRecord } from '../../lambda/core/delivery/dispatch';
import { createTrafficControl } from '../../lambda/core/delivery/traffic-control';
import { METRICS } from '../../lambda/core/ports';
import type { AttemptResult } from '../../lambda/core/delivery/outcome';
import type { DeliveryRequest } from '../../lambda/core/ports';
import {
  FIXED_NOW, batchContext, deliveryMessage, fakeDeps, networkError, publishedEvent, queueRecord, response, retryRecord, subscription, trafficControl,
} from '../support/factories';

const SECOND = 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** `count` events for the subscriptions, each its own record, processed in turn at the clock's time. */
async function publish(deps: ReturnType<typeof fakeDeps>['deps'], count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await processRecord(queueRecord(publishedEvent({ id: `evt_${i}` })), batchContext({ now: deps.clock.now() }), deps);
  }
}

describe('traffic control through processRecord', () => {
  describe('maxPerSecond', () => {
    it('delivers up to the container\'s share at once and defers the rest, not counted, each to its turn', async () => {
      // Prepare: 5 a second in one container; answers come at once (the clock stands still)
      const limited = subscription({ name: 'limited', maxPerSecond: 5 });
      const fake = fakeDeps({ subscriptions: [limited] });

      // Act
      await publish(fake.deps, 8);

      // Assess
      expect(fake.http.requests).toHaveLength(5);
      expect(fake.queue.enqueued.map(({ delaySeconds, message }) => ({ delaySeconds, attempt: message.attempt, id: message.event.id, deliveries: message.deliveries }))).toEqual([
        { delaySeconds: 1, attempt: 1, id: 'evt_5', deliveries: [{ subscription: 'limited' }] },
        { delaySeconds: 2, attempt: 1, id: 'evt_6', deliveries: [{ subscription: 'limited' }] },
        { delaySeconds: 2, attempt: 1, id: 'evt_7', deliveries: [{ subscription: 'limited' }] },
      ]);
      expect(fake.queue.enqueued[0]?.message.dueAt).toBe(iso(FIXED_NOW + SECOND));
      expect(fake.queue.deadLettered).toEqual([]);
      expect(fake.metrics.counts[METRICS.deferred]).toBe(3);
      expect(fake.audit.entries.filter((entry) => entry.outcome === 'rate-limited')).toEqual([
        expect.objectContaining({ outcome: 'rate-limited', eventId: 'evt_5', subscription: 'limited', attempt: 1, retryInMs: SECOND }),
        expect.objectContaining({ outcome: 'rate-limited', eventId: 'evt_6', retryInMs: 2 * SECOND }),
        expect.objectContaining({ outcome: 'rate-limited', eventId: 'evt_7', retryInMs: 2 * SECOND }),
      ]);
    });

    it('keeps the attempt number and the first attempt of a retry it defers', async () => {
      // Prepare
      const fake = fakeDeps({ subscriptions: [subscription({ maxPerSecond: 1 })] });
      await publish(fake.deps, 1);
      const retry = deliveryMessage({ attempt: 3, dueAt: iso(FIXED_NOW) });

      // Act
      await processRecord(retryRecord(retry), batchContext(), fake.deps);

      // Assess
      expect(fake.http.requests).toHaveLength(1);
      expect(fake.queue.enqueued[0]?.message).toMatchObject({ attempt: 3, deliveries: retry.deliveries });
    });

    it('delivers again once a window has passed since the last answer', async () => {
      // Prepare
      const fake = fakeDeps({ subscriptions: [subscription({ maxPerSecond: 2 })] });
      await publish(fake.deps, 2);

      // Act
      fake.clock.advance(999);
      await publish(fake.deps, 1, 2);
      fake.clock.advance(1);
      await publish(fake.deps, 2, 3);

      // Assess
      expect(fake.http.requests.map((request) => JSON.parse(request.body).id)).toEqual(['evt_0', 'evt_1', 'evt_3', 'evt_4']);
      expect(fake.queue.enqueued.map(({ message }) => message.event.id)).toEqual(['evt_2']);
    });

    it('shares maxPerSecond among the containers: 5 a second over 20 containers is one every 4 seconds here', async () => {
      // Prepare
      const fake = fakeDeps({ subscriptions: [subscription({ maxPerSecond: 5 })], traffic: trafficControl({ containers: 20 }) });

      // Act
      await publish(fake.deps, 2);

      // Assess
      expect(fake.http.requests).toHaveLength(1);
      expect(fake.queue.enqueued[0]?.delaySeconds).toBe(4);
    });

    it('limits each subscription alone: another subscription of the event is delivered at once', async () => {
      // Prepare
      const fake = fakeDeps({ subscriptions: [subscription({ name: 'slow', url: 'https://slow.example.com/', maxPerSecond: 1 }), subscription({ name: 'free', url: 'https://free.example.com/' })] });

      // Act
      await publish(fake.deps, 3);

      // Assess
      expect(fake.http.requests.filter((request) => request.url === 'https://free.example.com/')).toHaveLength(3);
      expect(fake.http.requests.filter((request) => request.url === 'https://slow.example.com/')).toHaveLength(1);
    });
  });

  describe('the circuit breaker', () => {
    const breakerOn = (): ReturnType<typeof trafficControl> => createTrafficControl({ breaker: { failures: 3, cooldownMs: 60 * SECOND }, containers: 1 });
    const byUrl = (down: string) => (request: DeliveryRequest): AttemptResult => (request.url === down ? networkError('ETIMEDOUT', 'request timed out') : response(200));

    it('opens after consecutive retryable failures of a subscription: one line and CircuitOpened, then its deliveries wait without an attempt', async () => {
      // Prepare
      const dead = subscription({ name: 'dead', url: 'https://dead.example.com/hook' });
      const alive = subscription({ name: 'alive', url: 'https://alive.example.com/hook' });
      const fake = fakeDeps({ subscriptions: [dead, alive], http: byUrl(dead.url), traffic: breakerOn() });
      await publish(fake.deps, 3);
      fake.clock.advance(10 * SECOND);

      // Act
      await publish(fake.deps, 2, 3);

      // Assess
      const sentTo = (url: string): number => fake.http.requests.filter((request) => request.url === url).length;
      expect(sentTo(dead.url)).toBe(3);
      expect(sentTo(alive.url)).toBe(5);
      expect(fake.metrics.counts[METRICS.circuitOpened]).toBe(1);
      expect(fake.log.lines.filter((line) => line.fields?.circuit !== undefined)).toEqual([
        {
          level: 'warn',
          message: 'circuit opened after 3 consecutive retryable failures: deliveries wait 1m, then one probes',
          fields: { subscription: 'dead', url: 'https://dead.example.com/hook', circuit: 'open', failures: 3, cooldownMs: 60 * SECOND },
        },
      ]);
      const shortCircuited = fake.queue.enqueued.filter(({ message }) => message.attempt === 1);
      expect(shortCircuited.map(({ delaySeconds, message }) => ({ delaySeconds, id: message.event.id, dueAt: message.dueAt }))).toEqual([
        { delaySeconds: 50, id: 'evt_3', dueAt: iso(FIXED_NOW + 60 * SECOND) },
        { delaySeconds: 50, id: 'evt_4', dueAt: iso(FIXED_NOW + 60 * SECOND) },
      ]);
      expect(fake.audit.entries.filter((entry) => entry.outcome === 'short-circuited').map((entry) => [entry.eventId, entry.attempt, entry.retryInMs])).toEqual([
        ['evt_3', 1, 50 * SECOND],
        ['evt_4', 1, 50 * SECOND],
      ]);
    });

    it('does not open for permanent failures', async () => {
      // Prepare
      const fake = fakeDeps({ http: response(404), traffic: breakerOn() });

      // Act
      await publish(fake.deps, 5);

      // Assess
      expect(fake.http.requests).toHaveLength(5);
      expect(fake.queue.deadLettered).toHaveLength(5);
      expect(fake.metrics.counts[METRICS.circuitOpened]).toBeUndefined();
    });

    it('lets one delivery probe after the cool-down; its success closes the circuit and deliveries resume', async () => {
      // Prepare
      let down = true;
      const fake = fakeDeps({ http: () => (down ? networkError('ECONNREFUSED') : response(200)), traffic: breakerOn() });
      await publish(fake.deps, 3);
      fake.clock.advance(60 * SECOND);
      down = false;

      // Act
      await publish(fake.deps, 2, 3);

      // Assess
      expect(fake.http.requests).toHaveLength(5);
      expect(fake.log.lines.filter((line) => line.fields?.circuit !== undefined).map((line) => line.message)).toEqual([
        'circuit opened after 3 consecutive retryable failures: deliveries wait 1m, then one probes',
        'circuit half-open: one delivery probes the endpoint',
        'circuit closed: the probe was answered; deliveries resume',
      ]);
    });

    it('opens again for twice the cool-down when the probe fails', async () => {
      // Prepare
      const fake = fakeDeps({ http: networkError('ECONNREFUSED'), traffic: breakerOn() });
      await publish(fake.deps, 3);
      fake.clock.advance(60 * SECOND);

      // Act
      await publish(fake.deps, 2, 3);

      // Assess
      expect(fake.http.requests).toHaveLength(4);
      expect(fake.metrics.counts[METRICS.circuitOpened]).toBe(2);
      expect(fake.log.lines.filter((line) => line.fields?.circuit === 'open').map((line) => line.message)).toEqual([
        'circuit opened after 3 consecutive retryable failures: deliveries wait 1m, then one probes',
        'circuit opened again: the probe failed; deliveries wait 2m, then one probes',
      ]);
      const last = fake.queue.enqueued.find(({ message }) => message.event.id === 'evt_4');
      expect(last).toMatchObject({ delaySeconds: 120, message: { attempt: 1, dueAt: iso(FIXED_NOW + 180 * SECOND) } });
    });

    it('starts a subscription moved to another URL with a closed circuit', async () => {
      // Prepare
      const old = subscription({ url: 'https://old.example.com/hook' });
      const moved = subscription({ url: 'https://new.example.com/hook' });
      const traffic = breakerOn();
      const before = fakeDeps({ subscriptions: [old], http: networkError('ECONNREFUSED'), traffic });
      await publish(before.deps, 3);
      const after = fakeDeps({ subscriptions: [moved], traffic });

      // Act
      await publish(after.deps, 1, 3);

      // Assess
      expect(after.http.requests.map((request) => request.url)).toEqual(['https://new.example.com/hook']);
    });
  });
});
