import { SqsQueryError } from './sqs-query-errors';

/**
 * Reads one member of an SQS query-protocol form into its JSON-protocol value, or `undefined` when
 * the form does not have it. `key` is the member's full form key, e.g.
 * `SendMessageBatchRequestEntry.1.MessageAttribute.2.Value`.
 *
 * The readers undo what botocore's query serializer does with the service model: a structure's
 * members are `<key>.<name>`, a flattened list is `<name>.1`, `<name>.2`, …, a flattened map is
 * `<name>.1.<keyName>` / `<name>.1.<valueName>`, …, where `<name>` is the model's `locationName`
 * (`Attribute`, `MessageAttribute`, `SendMessageBatchRequestEntry`) when it has one.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-xml.html
 */
type FormReader = (form: URLSearchParams, key: string) => unknown;

/** A structure member read under another name than its JSON one (its `locationName`). */
interface NamedMember {
  readonly wireName: string;
  readonly read: FormReader;
}

/** A structure's members by JSON name: a reader, or a {@link named} one. */
export type FormMembers = Readonly<Record<string, FormReader | NamedMember>>;

export const text: FormReader = (form, key) => form.get(key) ?? undefined;

/** @throws SqsQueryError `InvalidParameterValue` when the value is not a whole number. */
export const integer: FormReader = (form, key) => {
  const value = form.get(key);
  if (value === null) return undefined;
  if (!/^-?\d{1,15}$/.test(value)) {
    throw new SqsQueryError('InvalidParameterValue', `Value ${value} for parameter ${key} is invalid. Reason: it must be a whole number.`);
  }
  return Number(value);
};

export function named(wireName: string, read: FormReader): NamedMember {
  return { wireName, read };
}

/** A flattened list: `<key>.1`, `<key>.2`, … in index order. */
export function list(item: FormReader): FormReader {
  return (form, key) => {
    const items = indexesUnder(form, key).map((index) => item(form, `${key}.${index}`)).filter((value) => value !== undefined);
    return items.length === 0 ? undefined : items;
  };
}

/** A flattened map: the pairs `<key>.N.<keyName>` → `<key>.N.<valueName>`. */
export function map(keyName: string, valueName: string, value: FormReader): FormReader {
  return (form, key) => {
    const entries = indexesUnder(form, key).flatMap((index) => {
      const name = form.get(`${key}.${index}.${keyName}`);
      return name === null ? [] : [[name, value(form, `${key}.${index}.${valueName}`)] as const];
    });
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  };
}

/** A structure: each member read under `<key>.<name>` (or `<name>` at the top, where `key` is empty). */
export function structure(members: FormMembers): FormReader {
  return (form, key) => {
    const value: Record<string, unknown> = {};
    for (const [jsonName, member] of Object.entries(members)) {
      const { wireName, read } = typeof member === 'function' ? { wireName: jsonName, read: member } : member;
      const memberValue = read(form, key === '' ? wireName : `${key}.${wireName}`);
      if (memberValue !== undefined) value[jsonName] = memberValue;
    }
    return value;
  };
}

/** The indexes N of the form's keys `<key>.N` and `<key>.N.…`, ascending. */
function indexesUnder(form: URLSearchParams, key: string): number[] {
  const prefix = `${key}.`;
  const indexes = new Set<number>();
  for (const name of form.keys()) {
    if (!name.startsWith(prefix)) continue;
    const segment = name.slice(prefix.length).split('.', 1)[0] ?? '';
    if (/^[1-9]\d{0,3}$/.test(segment)) indexes.add(Number(segment));
  }
  return [...indexes].sort((a, b) => a - b);
}
