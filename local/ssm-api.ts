import { PARAMETER_TIERS } from './apply-put';
import { invalid, SsmError } from './errors';
import { PARAMETER_TYPES } from './stored-parameter';

/** A decoded AWS JSON 1.1 request or response body. */
export type JsonObject = Record<string, unknown>;

const isString = (value: unknown): value is string => typeof value === 'string';
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const isObjects = (value: unknown, each: (item: JsonObject) => boolean): boolean =>
  Array.isArray(value) && value.every((item) => isJsonObject(item) && each(item));

// The JSON types of request members; a wrong one is a SerializationException, as in AWS.
const KINDS = {
  string: { what: 'a string', is: isString },
  boolean: { what: 'a boolean', is: (value: unknown): value is boolean => typeof value === 'boolean' },
  number: { what: 'a number', is: (value: unknown): value is number => typeof value === 'number' },
  strings: { what: 'a list of strings', is: isStrings },
  tags: {
    what: 'a list of { Key, Value } strings',
    is: (value: unknown): value is { Key: string; Value: string }[] =>
      isObjects(value, (tag) => isString(tag.Key) && isString(tag.Value)),
  },
  filters: {
    what: 'a list of { Key, Option, Values }',
    is: (value: unknown): value is { Key: string; Option?: string; Values?: string[] }[] =>
      isObjects(
        value,
        (filter) =>
          isString(filter.Key) &&
          (filter.Option === undefined || isString(filter.Option)) &&
          (filter.Values === undefined || isStrings(filter.Values)),
      ),
  },
} as const;

type Kind = keyof typeof KINDS;
/** A member's JSON type, `!` when it is required, or the list of the values allowed. */
type Member = Kind | `${Kind}!` | readonly string[];

/**
 * Everything the local Parameter Store supports, in one place: the SSM operations it implements
 * (`X-Amz-Target: AmazonSSM.<operation>`) and the request members each accepts. A member not listed
 * is refused (ValidationException) rather than ignored, so that nothing passes locally that would
 * mean something else in AWS: Policies, labels, Filters (deprecated), DataType `aws:ec2:image`, …
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Operations.html
 */
export const SSM_API = {
  PutParameter: {
    Name: 'string!', Value: 'string!', Type: PARAMETER_TYPES, Overwrite: 'boolean', Description: 'string',
    Tier: PARAMETER_TIERS, KeyId: 'string', AllowedPattern: 'string', DataType: ['text'], Tags: 'tags',
  },
  GetParameter: { Name: 'string!', WithDecryption: 'boolean' },
  GetParameters: { Names: 'strings!', WithDecryption: 'boolean' },
  GetParametersByPath: { Path: 'string!', Recursive: 'boolean', WithDecryption: 'boolean', MaxResults: 'number', NextToken: 'string' },
  GetParameterHistory: { Name: 'string!', WithDecryption: 'boolean', MaxResults: 'number', NextToken: 'string' },
  DescribeParameters: { ParameterFilters: 'filters', MaxResults: 'number', NextToken: 'string' },
  DeleteParameter: { Name: 'string!' },
  DeleteParameters: { Names: 'strings!' },
  AddTagsToResource: { ResourceType: 'string!', ResourceId: 'string!', Tags: 'tags!' },
  RemoveTagsFromResource: { ResourceType: 'string!', ResourceId: 'string!', TagKeys: 'strings!' },
  ListTagsForResource: { ResourceType: 'string!', ResourceId: 'string!' },
} as const satisfies Record<string, Record<string, Member>>;

/** One of the operations of {@link SSM_API}. */
export type SsmOperation = keyof typeof SSM_API;

/** The operations of {@link SSM_API}, in its order. */
export const SSM_OPERATIONS = Object.keys(SSM_API) as SsmOperation[];

type Guarded<K extends Kind> = (typeof KINDS)[K]['is'] extends (value: unknown) => value is infer T ? T : never;
type MemberType<M> = M extends `${infer K extends Kind}!`
  ? Guarded<K>
  : M extends Kind
    ? Guarded<M> | undefined
    : M extends readonly (infer V)[]
      ? V | undefined
      : never;

/** The input of `operation`: its members, typed as {@link SSM_API} declares them. */
export type SsmInput<O extends SsmOperation> = { readonly [M in keyof (typeof SSM_API)[O]]: MemberType<(typeof SSM_API)[O][M]> };

/** Whether `name` is an operation of {@link SSM_API}. */
export function isSsmOperation(name: string): name is SsmOperation {
  return Object.hasOwn(SSM_API, name);
}

/**
 * Reads the request body of `operation` as {@link SSM_API} declares it. Members that are null, false or
 * an empty list count as absent. Messages name the member, never quote its value.
 * @throws SsmError SerializationException when a member has the wrong JSON type; ValidationException
 *   when a required member is missing, a value is not one allowed, or a member is not supported.
 */
export function readSsmInput<O extends SsmOperation>(operation: O, body: JsonObject): SsmInput<O> {
  const members: Readonly<Record<string, Member>> = SSM_API[operation];
  const input: JsonObject = {};
  for (const [member, value] of Object.entries(body)) {
    if (value === null || value === false || (Array.isArray(value) && value.length === 0)) continue;
    const spec = members[member];
    if (spec === undefined) {
      throw invalid(`${operation} member ${member} is not supported by the local Parameter Store; it supports ${Object.keys(members).join(', ')}.`);
    }
    if (typeof spec !== 'string') {
      if (!spec.includes(value as string)) throw invalid(`${member} must be one of ${spec.join(', ')}.`);
    } else if (!KINDS[spec.replace('!', '') as Kind].is(value)) {
      const { what } = KINDS[spec.replace('!', '') as Kind];
      throw new SsmError('SerializationException', `${member} must be ${what}; got ${jsonType(value)}.`);
    }
    input[member] = value;
  }
  const required = Object.keys(members).filter((member) => String(members[member]).endsWith('!'));
  const missing = required.find((member) => !(member in input));
  if (missing !== undefined) throw invalid(`${missing} is required.`);
  return input as SsmInput<O>;
}

/** Whether `value` is a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
