import { DEFAULT_BREAKER, createCircuitBreaker } from '../../lambda/core/delivery/circuit-breaker';
import type { AttemptEnd, CircuitBreaker } from '../../lambda/core/delivery/circuit-breaker';
import { FIXED_NOW } from '../support/factories';

const LEASE_MS = 11_000;

/** One attempt through the breaker at `now`, ending `end`; what the breaker said and did. */
function attempt(breaker: CircuitBreaker, now: number, end: AttemptEnd) {
  const verdict = breaker.check(now);
  if (verdict.kind === 'open') return { verdict };
  const { probe, transition: started } = breaker.begin(now, LEASE_MS);
  return { verdict, started, settled: breaker.settle(probe, end, now + 100) };
}

function failTimes(breaker: CircuitBreaker, times: number, now = FIXED_NOW): void {
  for (let i = 0; i < times; i++) attempt(breaker, now, 'retryable');
}

describe('createCircuitBreaker', () => {
  it('opens after the configured number of consecutive retryable failures, and says for how long', () => {
    // Prepare
    const breaker = createCircuitBreaker({ failures: 3, cooldownMs: 60_000 });
    failTimes(breaker, 2);

    // Act
    const third = attempt(breaker, FIXED_NOW, 'retryable');
    const next = breaker.check(FIXED_NOW + 10_000);

    // Assess
    expect(third.settled).toEqual({ kind: 'opened', failures: 3, cooldownMs: 60_000 });
    expect(next).toEqual({ kind: 'open', waitMs: 50_100 });
  });

  it.each(['delivered', 'permanent'] as const)('starts the count again after an attempt that ends %s: the receiver is there', (end) => {
    // Prepare
    const breaker = createCircuitBreaker({ failures: 3, cooldownMs: 60_000 });
    failTimes(breaker, 2);
    attempt(breaker, FIXED_NOW, end);

    // Act
    failTimes(breaker, 2);

    // Assess
    expect(breaker.check(FIXED_NOW + 1000)).toEqual({ kind: 'closed' });
  });

  it('never opens for permanent failures, however many', () => {
    // Prepare
    const breaker = createCircuitBreaker({ failures: 2, cooldownMs: 60_000 });

    // Act
    for (let i = 0; i < 10; i++) attempt(breaker, FIXED_NOW, 'permanent');

    // Assess
    expect(breaker.check(FIXED_NOW + 1000)).toEqual({ kind: 'closed' });
  });

  it('never opens when turned off with 0', () => {
    // Prepare
    const breaker = createCircuitBreaker({ failures: 0, cooldownMs: 60_000 });

    // Act
    failTimes(breaker, 100);

    // Assess
    expect(breaker.check(FIXED_NOW + 1000)).toEqual({ kind: 'closed' });
    expect(breaker.idle).toBe(true);
  });

  it('lets one delivery probe once the cool-down is over, and holds the others back while it is out', () => {
    // Prepare
    const breaker = createCircuitBreaker({ failures: 1, cooldownMs: 60_000 });
    failTimes(breaker, 1);
    const afterCooldown = FIXED_NOW + 100 + 60_000;

    // Act
    const probe = breaker.check(afterCooldown);
    const started = breaker.begin(afterCooldown, LEASE_MS);
    const other = breaker.check(afterCooldown + 1);

    // Assess
    expect(probe).toEqual({ kind: 'probe' });
    expect(started).toEqual({ probe: true, transition: { kind: 'half-open' } });
    expect(other).toEqual({ kind: 'open', waitMs: LEASE_MS - 1 });
  });

  it.each(['delivered', 'permanent'] as const)('closes when the probe ends %s', (end) => {
    // Prepare
    const breaker = createCircuitBreaker({ failures: 1, cooldownMs: 60_000 });
    failTimes(breaker, 1);

    // Act
    const probe = attempt(breaker, FIXED_NOW + 60_100, end);

    // Assess
    expect(probe.settled).toEqual({ kind: 'closed' });
    expect(breaker.check(FIXED_NOW + 60_300)).toEqual({ kind: 'closed' });
    expect(breaker.idle).toBe(true);
  });

  it('re-opens for twice the cool-down when the probe fails, up to 15 minutes', () => {
    // Prepare
    const breaker = createCircuitBreaker({ failures: 1, cooldownMs: 5 * 60_000 });
    failTimes(breaker, 1);
    let now = FIXED_NOW + 100;

    // Act
    const cooldowns: number[] = [];
    for (let i = 0; i < 4; i++) {
      const wait = breaker.check(now);
      now += wait.kind === 'open' ? wait.waitMs : 0;
      const probe = attempt(breaker, now, 'retryable');
      if (probe.settled?.kind === 're-opened') cooldowns.push(probe.settled.cooldownMs);
      now += 100;
    }

    // Assess
    expect(cooldowns).toEqual([10 * 60_000, DEFAULT_BREAKER.maxCooldownMs, DEFAULT_BREAKER.maxCooldownMs, DEFAULT_BREAKER.maxCooldownMs]);
  });

  it('starts again from the first cool-down once a probe has closed it', () => {
    // Prepare
    const breaker = createCircuitBreaker({ failures: 1, cooldownMs: 60_000 });
    failTimes(breaker, 1);
    attempt(breaker, FIXED_NOW + 60_100, 'retryable');
    attempt(breaker, FIXED_NOW + 60_200 + 120_000, 'delivered');

    // Act
    const reopened = attempt(breaker, FIXED_NOW + 200_000, 'retryable');

    // Assess
    expect(reopened.settled).toEqual({ kind: 'opened', failures: 1, cooldownMs: 60_000 });
  });

  it('lets another delivery probe when the probe sent nothing, or its answer never came within its lease', () => {
    // Prepare
    const unsent = createCircuitBreaker({ failures: 1, cooldownMs: 60_000 });
    failTimes(unsent, 1);
    const lost = createCircuitBreaker({ failures: 1, cooldownMs: 60_000 });
    failTimes(lost, 1);
    const at = FIXED_NOW + 60_100;

    // Act
    attempt(unsent, at, 'not-sent');
    lost.begin(at, LEASE_MS);

    // Assess
    expect(unsent.check(at + 100)).toEqual({ kind: 'probe' });
    expect(lost.check(at + LEASE_MS)).toEqual({ kind: 'probe' });
  });

  it('moves only with the probe: a delivery that began before the circuit opened settles without effect', () => {
    // Prepare
    const breaker = createCircuitBreaker({ failures: 1, cooldownMs: 60_000 });
    const early = breaker.begin(FIXED_NOW, LEASE_MS);
    failTimes(breaker, 1);

    // Act
    const settled = breaker.settle(early.probe, 'delivered', FIXED_NOW + 5000);

    // Assess
    expect(settled).toBeUndefined();
    expect(breaker.check(FIXED_NOW + 5000).kind).toBe('open');
  });
});
