// The shapes `ParameterStore` takes and returns: camelCase and typed; the protocol layer maps them
// to and from SSM's PascalCase JSON members.
import { parameterArn } from './parameter-names';
import type { ParameterFilter } from './parameter-filters';
import type { ParameterType, StoredParameter } from './stored-parameter';

/**
 * What a SecureString reads as without `WithDecryption`. AWS returns the KMS ciphertext there;
 * there is no KMS locally, so an opaque marker stands in for it, and never the plaintext.
 */
export const SECURE_STRING_PLACEHOLDER = 'local-ssm-ciphertext:read-with-WithDecryption-true';

/** A parameter as GetParameter, GetParameters and GetParametersByPath return it. */
export interface ParameterView {
  readonly name: string;
  readonly type: ParameterType;
  /** The plaintext, or {@link SECURE_STRING_PLACEHOLDER} for an undecrypted SecureString. */
  readonly value: string;
  readonly version: number;
  readonly lastModifiedDate: Date;
  readonly arn: string;
  readonly dataType: 'text';
}

/** A parameter as DescribeParameters returns it: metadata, no value. */
export interface ParameterMetadataView extends Omit<ParameterView, 'value'> {
  readonly description?: string;
  readonly tier: 'Standard';
}

/** PutParameter's input. */
export interface PutParameterInput {
  readonly name: string;
  readonly value: string;
  /** Required to create; on overwrite, omitted keeps the current type. */
  readonly type?: ParameterType;
  readonly overwrite?: boolean;
  /** On overwrite, omitted keeps the current description. */
  readonly description?: string;
}

/** GetParametersByPath's input; `maxResults` 1–10, default 10. */
export interface PathQuery {
  readonly path: string;
  readonly recursive?: boolean;
  readonly withDecryption?: boolean;
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** DescribeParameters' input; `maxResults` 1–50, default 10. */
export interface DescribeQuery {
  readonly filters?: readonly ParameterFilter[];
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** The view of `parameter` in `region`; a SecureString's value only `withDecryption`. */
export function toParameterView(parameter: StoredParameter, region: string, withDecryption: boolean): ParameterView {
  const hidden = parameter.type === 'SecureString' && !withDecryption;
  return { ...commonFields(parameter, region), value: hidden ? SECURE_STRING_PLACEHOLDER : parameter.value };
}

/** The metadata view of `parameter` in `region`. */
export function toMetadataView(parameter: StoredParameter, region: string): ParameterMetadataView {
  const { description } = parameter;
  const optional = description === undefined ? {} : { description };
  return { ...commonFields(parameter, region), tier: 'Standard', ...optional };
}

function commonFields(parameter: StoredParameter, region: string): Omit<ParameterView, 'value'> {
  return {
    name: parameter.name,
    type: parameter.type,
    version: parameter.version,
    lastModifiedDate: new Date(parameter.lastModified),
    arn: parameterArn(region, parameter.name),
    dataType: 'text',
  };
}
