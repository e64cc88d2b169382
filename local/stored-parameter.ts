/** SSM parameter types; `SecureString` values are returned as a placeholder unless decrypted. */
export const PARAMETER_TYPES = ['String', 'StringList', 'SecureString'] as const;

/** One of {@link PARAMETER_TYPES}. */
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** Whether `value` is one of {@link PARAMETER_TYPES}. */
export function isParameterType(value: unknown): value is ParameterType {
  return (PARAMETER_TYPES as readonly unknown[]).includes(value);
}

/** One parameter as the store keeps it (and writes it to the data file). Immutable: a change replaces it. */
export interface StoredParameter {
  readonly name: string;
  readonly type: ParameterType;
  /** The plaintext, also for `SecureString` (there is no KMS locally). */
  readonly value: string;
  /** 1 on creation, +1 on every overwrite. */
  readonly version: number;
  /** Epoch milliseconds of the last change. */
  readonly lastModified: number;
  readonly description?: string;
}
