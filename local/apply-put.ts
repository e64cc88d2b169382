import { ParameterAlreadyExistsError, SsmValidationError } from './errors';
import type { PutParameterInput } from './parameter-shapes';
import { validateParameterName } from './parameter-names';
import { checkParameterValue } from './request-limits';
import type { StoredParameter } from './stored-parameter';

/**
 * PutParameter's rules as a pure function: the parameter that replaces `existing` (undefined when the
 * name is new) at time `now` (epoch ms). Version counts up from 1; an overwrite that omits Type or
 * Description keeps the current ones.
 * @throws SsmValidationError on a bad name, value or description, or a missing type on creation.
 * @throws HierarchyLevelLimitExceededError when the name nests deeper than 15 levels.
 * @throws ParameterAlreadyExistsError when the name exists and `overwrite` is not set.
 */
export function applyPut(
  existing: StoredParameter | undefined,
  input: PutParameterInput,
  now: number,
): StoredParameter {
  validateParameterName(input.name);
  checkParameterValue(input.name, input.value, input.description);
  if (existing !== undefined && input.overwrite !== true) throw new ParameterAlreadyExistsError(input.name);
  const type = input.type ?? existing?.type;
  if (type === undefined) {
    throw new SsmValidationError(
      'A parameter type is required when you create a parameter; ' +
        `set Type of ${input.name} to String, StringList or SecureString.`,
    );
  }
  const description = input.description ?? existing?.description;
  return {
    name: input.name,
    type,
    value: input.value,
    version: (existing?.version ?? 0) + 1,
    lastModified: now,
    ...(description === undefined ? {} : { description }),
  };
}
