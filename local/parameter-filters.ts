import { SsmValidationError } from './errors';
import { isUnderPath, normalizePath } from './parameter-names';
import type { StoredParameter } from './stored-parameter';

/** One DescribeParameters `ParameterFilters` entry (`Key`, `Option`, `Values`). */
export interface ParameterFilter {
  readonly key: string;
  readonly option?: string;
  readonly values: readonly string[];
}

type Predicate = (parameter: StoredParameter) => boolean;

// The subset of SSM's filters worth having locally; the first option of each is AWS's default.
const SUPPORTED = {
  Name: ['Equals', 'BeginsWith', 'Contains'],
  Path: ['OneLevel', 'Recursive'],
  Type: ['Equals'],
} as const satisfies Record<string, readonly string[]>;

type SupportedKey = keyof typeof SUPPORTED;

/**
 * Turns `ParameterFilters` into one predicate: a parameter must pass every filter, and a filter
 * passes when any of its values matches. Keys other than Name, Path and Type are refused rather
 * than ignored, so a test never passes on a listing that AWS would have filtered.
 * @throws SsmValidationError on an unsupported key or option, or a filter without values.
 */
export function compileParameterFilters(filters: readonly ParameterFilter[]): Predicate {
  const predicates = filters.map(compileFilter);
  return (parameter) => predicates.every((predicate) => predicate(parameter));
}

function compileFilter(filter: ParameterFilter): Predicate {
  if (!isSupportedKey(filter.key)) {
    throw new SsmValidationError(
      `ParameterFilters key "${filter.key}" is not supported by the local Parameter Store; ` +
        `use ${Object.keys(SUPPORTED).join(', ')}.`,
    );
  }
  const options: readonly string[] = SUPPORTED[filter.key];
  const option = filter.option ?? options[0];
  if (option === undefined || !options.includes(option)) {
    throw new SsmValidationError(
      `ParameterFilters option "${String(filter.option)}" is not valid for key ${filter.key}; ` +
        `use ${options.join(', ')}.`,
    );
  }
  if (filter.values.length === 0) {
    throw new SsmValidationError(`ParameterFilters key ${filter.key} needs at least one value.`);
  }
  const matchesValue = valueMatcher(filter.key, option);
  const values = filter.key === 'Path' ? filter.values.map(normalizePath) : filter.values;
  return (parameter) => values.some((value) => matchesValue(parameter, value));
}

function valueMatcher(key: SupportedKey, option: string): (parameter: StoredParameter, value: string) => boolean {
  switch (key) {
    case 'Path':
      return (parameter, path) => isUnderPath(parameter.name, path, option === 'Recursive');
    case 'Type':
      return (parameter, type) => parameter.type === type;
    case 'Name':
      if (option === 'BeginsWith') return (parameter, prefix) => parameter.name.startsWith(prefix);
      if (option === 'Contains') return (parameter, part) => parameter.name.includes(part);
      return (parameter, name) => parameter.name === name;
  }
}

function isSupportedKey(key: string): key is SupportedKey {
  return Object.hasOwn(SUPPORTED, key);
}
