import { SsmError } from './errors';
import { isSsmOperation, SSM_OPERATIONS } from './ssm-api';
import type { SsmOperation } from './ssm-api';

/** What to break: the next `throttle` requests (of `operations`, or of any operation) fail. */
export interface FaultPlan {
  /** How many requests fail with `ThrottlingException: Rate exceeded` (HTTP 400), a non-negative integer. */
  readonly throttle: number;
  /** Only requests for these operations count and fail; default: every operation. */
  readonly operations?: readonly SsmOperation[];
}

/** Requests received per operation, and how many of them were throttled. */
export interface OperationCounts {
  readonly calls: Readonly<Record<SsmOperation, number>>;
  readonly throttled: Readonly<Record<SsmOperation, number>>;
}

// The read APIs that share one throughput quota in SSM: https://docs.aws.amazon.com/general/latest/gr/ssm.html
const READ_OPERATIONS: readonly string[] = ['GetParameter', 'GetParameters', 'GetParametersByPath'];

interface FaultRule {
  remaining: number;
  readonly operations?: ReadonlySet<string>;
}

/**
 * Decides which requests fail with SSM's `ThrottlingException`, and counts every request: injected
 * faults for soak tests (plans add up: each request consumes one fault from the oldest plan that
 * applies to its operation), and a read quota, like SSM's, for scale simulations.
 */
export class FaultInjector {
  #rules: FaultRule[] = [];
  #readsPerSecond: number | undefined;
  #window = { second: Number.NaN, reads: 0 };
  readonly #calls: Record<string, number> = countPerOperation();
  readonly #throttled: Record<string, number> = countPerOperation();
  readonly #now: () => number;

  /** @param now epoch milliseconds, for the per-second read quota; default `Date.now`. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * Makes the next `plan.throttle` matching requests fail.
   * @throws TypeError when `throttle` is not a non-negative integer or an operation is unknown.
   */
  inject(plan: FaultPlan): void {
    if (!Number.isInteger(plan.throttle) || plan.throttle < 0) {
      throw new TypeError(`Expected \`throttle\` to be a non-negative integer, got ${String(plan.throttle)}.`);
    }
    const unknown = plan.operations?.filter((operation) => !isSsmOperation(operation)) ?? [];
    if (unknown.length > 0) {
      throw new TypeError(
        `Unknown operation(s) ${unknown.join(', ')} in \`operations\`; expected some of ${SSM_OPERATIONS.join(', ')}.`,
      );
    }
    if (plan.throttle === 0) return;
    const operations = plan.operations === undefined ? undefined : new Set<string>(plan.operations);
    this.#rules.push({ remaining: plan.throttle, operations });
  }

  /**
   * Throttles the read APIs above `perSecond` requests in each second of the clock, counted together as
   * SSM's quota counts them; `undefined` lifts the quota.
   * @throws TypeError when `perSecond` is not a positive integer.
   */
  throttleReads(perSecond: number | undefined): void {
    if (perSecond !== undefined && (!Number.isInteger(perSecond) || perSecond < 1)) {
      throw new TypeError(`Expected the read quota to be a positive integer, got ${String(perSecond)}.`);
    }
    this.#readsPerSecond = perSecond;
  }

  /**
   * Called once per request: counts it and returns the error it must fail with, consuming one
   * injected fault or a place in this second's read quota; `undefined` lets it through.
   */
  take(operation: string): SsmError | undefined {
    this.#calls[operation] = (this.#calls[operation] ?? 0) + 1;
    if (!this.#takeInjected(operation) && !this.#overReadQuota(operation)) return undefined;
    this.#throttled[operation] = (this.#throttled[operation] ?? 0) + 1;
    return new SsmError('ThrottlingException', 'Rate exceeded');
  }

  /** Drops every pending fault (the read quota stays). */
  clear(): void {
    this.#rules = [];
  }

  /** Faults not yet consumed, over all plans. */
  get pending(): number {
    return this.#rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /** A snapshot of the counts since the start. */
  counts(): OperationCounts {
    return { calls: { ...this.#calls }, throttled: { ...this.#throttled } } as OperationCounts;
  }

  #takeInjected(operation: string): boolean {
    const rule = this.#rules.find((candidate) => candidate.operations?.has(operation) ?? true);
    if (rule === undefined) return false;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.#rules = this.#rules.filter((candidate) => candidate !== rule);
    return true;
  }

  #overReadQuota(operation: string): boolean {
    if (this.#readsPerSecond === undefined || !READ_OPERATIONS.includes(operation)) return false;
    const second = Math.floor(this.#now() / 1000);
    if (second !== this.#window.second) this.#window = { second, reads: 0 };
    if (this.#window.reads >= this.#readsPerSecond) return true;
    this.#window.reads += 1;
    return false;
  }
}

function countPerOperation(): Record<SsmOperation, number> {
  return Object.fromEntries(SSM_OPERATIONS.map((operation) => [operation, 0])) as Record<SsmOperation, number>;
}
