import { ThrottlingError } from './errors';
import { isSsmOperation, SSM_OPERATIONS } from './ssm-operation-names';
import type { SsmOperation } from './ssm-operation-names';

/** What to break: the next `throttle` requests (of `operations`, or of any operation) fail. */
export interface FaultPlan {
  /** How many requests fail with `ThrottlingException: Rate exceeded` (HTTP 400), a non-negative integer. */
  readonly throttle: number;
  /** Only requests for these operations count and fail; default: every operation. */
  readonly operations?: readonly SsmOperation[];
}

interface FaultRule {
  remaining: number;
  readonly operations?: ReadonlySet<string>;
}

/**
 * Counts down injected faults for soak tests. Plans add up: each request consumes one fault
 * from the oldest plan that applies to its operation, until every plan is used up or cleared.
 */
export class FaultInjector {
  #rules: FaultRule[] = [];

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

  /** Returns the error a request for `operation` must fail with, consuming one fault, or `undefined`. */
  take(operation: string): ThrottlingError | undefined {
    const rule = this.#rules.find((candidate) => candidate.operations?.has(operation) ?? true);
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.#rules = this.#rules.filter((candidate) => candidate !== rule);
    return new ThrottlingError();
  }

  /** Drops every pending fault. */
  clear(): void {
    this.#rules = [];
  }

  /** Faults not yet consumed, over all plans. */
  get pending(): number {
    return this.#rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }
}
