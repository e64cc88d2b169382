/** SSM parameter types; `SecureString` values are returned as a placeholder unless decrypted. */
export const PARAMETER_TYPES = ['String', 'StringList', 'SecureString'] as const;

/** One of {@link PARAMETER_TYPES}. */
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** Whether `value` is one of {@link PARAMETER_TYPES}. */
export function isParameterType(value: unknown): value is ParameterType {
  return (PARAMETER_TYPES as readonly unknown[]).includes(value);
}

/**
 * One version of a parameter as the store keeps it (and writes it to the data file). Immutable: a
 * change replaces it. Optional members are left out at their default, so older data files stay valid.
 */
export interface ParameterVersion {
  readonly name: string;
  readonly type: ParameterType;
  /** The plaintext, also for `SecureString` (there is no KMS locally). */
  readonly value: string;
  /** 1 on creation, +1 on every overwrite. */
  readonly version: number;
  /** Epoch milliseconds of the change. */
  readonly lastModified: number;
  readonly description?: string;
  /** Absent: Standard. */
  readonly tier?: 'Advanced';
  /** A SecureString's KMS key as given; absent: the account's default key, `alias/aws/ssm`. */
  readonly keyId?: string;
  /** The regular expression every value must match. */
  readonly allowedPattern?: string;
}

/** The current version of a parameter, its tags, and the versions it replaced (oldest first). */
export interface StoredParameter extends ParameterVersion {
  readonly tags?: Readonly<Record<string, string>>;
  readonly history?: readonly ParameterVersion[];
}
