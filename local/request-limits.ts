import { SsmValidationError } from './errors';

/**
 * SSM's limits on one request, for the Standard tier.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
 */
export const REQUEST_LIMITS = {
  /** Characters in a value (Advanced tier allows 8192; the stand-in has only Standard). */
  maxValueLength: 4096,
  maxDescriptionLength: 1024,
  /** Names per GetParameters or DeleteParameters call. */
  maxNamesPerCall: 10,
  /** GetParametersByPath pages: MaxResults 1–10, default 10. */
  maxPathResults: 10,
  /** DescribeParameters pages: MaxResults 1–50. */
  maxDescribeResults: 50,
  /** DescribeParameters page size without MaxResults. */
  defaultDescribeResults: 10,
} as const;

/**
 * Checks a PutParameter value and description.
 * @throws SsmValidationError when the value is empty or over 4096 characters, or the description over 1024.
 */
export function checkParameterValue(name: string, value: string, description?: string): void {
  if (value.length === 0) {
    throw new SsmValidationError(`The value of ${name} must not be empty.`);
  }
  if (value.length > REQUEST_LIMITS.maxValueLength) {
    throw new SsmValidationError(
      `The value of ${name} is ${value.length} characters long; ` +
        `a Standard tier parameter holds at most ${REQUEST_LIMITS.maxValueLength}.`,
    );
  }
  if ((description?.length ?? 0) > REQUEST_LIMITS.maxDescriptionLength) {
    throw new SsmValidationError(
      `The description of ${name} is longer than ${REQUEST_LIMITS.maxDescriptionLength} characters.`,
    );
  }
}

/**
 * Checks the `Names` of GetParameters or DeleteParameters and drops duplicates, keeping the order.
 * @throws SsmValidationError when there are no names or more than 10.
 */
export function checkNameList(names: readonly string[]): string[] {
  if (names.length === 0 || names.length > REQUEST_LIMITS.maxNamesPerCall) {
    throw new SsmValidationError(
      `Names must list 1 to ${REQUEST_LIMITS.maxNamesPerCall} parameter names; got ${names.length}.`,
    );
  }
  return [...new Set(names)];
}
