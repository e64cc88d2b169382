// Typed readers for the members of an SSM request body. A missing required member is a
// ValidationException (as in AWS); a member of the wrong JSON type a SerializationException.
import { SerializationError, SsmValidationError } from './errors';

/** A decoded AWS JSON 1.1 request or response body. */
export type JsonObject = Record<string, unknown>;

/** @throws SsmValidationError when absent; SerializationError when not a string. */
export function requiredString(input: JsonObject, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined) throw missing(member);
  return value;
}

/** @throws SerializationError when present and not a string. */
export function optionalString(input: JsonObject, member: string): string | undefined {
  return optional(input, member, 'a string', (value): value is string => typeof value === 'string');
}

/** @throws SerializationError when present and not a boolean. */
export function optionalBoolean(input: JsonObject, member: string): boolean | undefined {
  return optional(input, member, 'a boolean', (value): value is boolean => typeof value === 'boolean');
}

/** @throws SerializationError when present and not a number. */
export function optionalNumber(input: JsonObject, member: string): number | undefined {
  return optional(input, member, 'a number', (value): value is number => typeof value === 'number');
}

/** @throws SsmValidationError when absent; SerializationError when not a list of strings. */
export function requiredStringList(input: JsonObject, member: string): string[] {
  const value = optional(input, member, 'a list of strings', isStringList);
  if (value === undefined) throw missing(member);
  return value;
}

/** @throws SerializationError when present and not a list of objects. */
export function optionalObjectList(input: JsonObject, member: string): JsonObject[] | undefined {
  return optional(input, member, 'a list of objects', (value): value is JsonObject[] =>
    Array.isArray(value) && value.every(isJsonObject),
  );
}

/** Whether `value` is a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optional<T>(
  input: JsonObject,
  member: string,
  expected: string,
  is: (value: unknown) => value is T,
): T | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!is(value)) {
    throw new SerializationError(`${member} must be ${expected}; got ${JSON.stringify(value)}.`);
  }
  return value;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function missing(member: string): SsmValidationError {
  return new SsmValidationError(`${member} is required.`);
}
