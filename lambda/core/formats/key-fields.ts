import { singleLine, truncate } from './truncate';

/** One key field of an entity, as a chat message shows it: `Project: vision`. */
export interface SummaryField {
  /** The key in the event data, e.g. `created_at`. */
  readonly key: string;
  /** A readable label, e.g. `Created at`. */
  readonly label: string;
  readonly value: string;
}

export const KEY_FIELD_LIMITS = {
  /** Slack's limit on the fields of a section block, and as many as a chat message reads well. */
  maxFields: 10,
  /** Key fields are for reading at a glance: longer labels and values are truncated (the receivers allow more). */
  labelLength: 80,
  valueLength: 500,
} as const;

/**
 * The key fields of `sources`, in order: their string, number and boolean values (and arrays of
 * them), labelled from their keys, except the keys in `omit`, empty values and a `status` equal to
 * `status` (the title says it). The first of two equal labels wins. At most
 * {@link KEY_FIELD_LIMITS.maxFields}, labels and values truncated to their limits.
 */
export function keyFields(sources: readonly Record<string, unknown>[], omit: ReadonlySet<string>, status: string): SummaryField[] {
  const fields: SummaryField[] = [];
  const labels = new Set<string>();
  for (const source of sources) {
    for (const [key, raw] of Object.entries(source)) {
      if (fields.length >= KEY_FIELD_LIMITS.maxFields) return fields;
      const value = fieldValue(raw);
      const label = truncate(humanize(key), KEY_FIELD_LIMITS.labelLength);
      if (omit.has(key) || value === undefined || label === '' || labels.has(label)) continue;
      if (key === 'status' && value.toLowerCase() === status) continue;
      labels.add(label);
      fields.push({ key, label, value: truncate(value, KEY_FIELD_LIMITS.valueLength) });
    }
  }
  return fields;
}

/** `created_at` → `Created at`, `experimentGroupId` → `Experiment group ID`. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter((word) => word !== '')
    .map((word) => (/^(id|url|uuid|gpu|cpu|tpu)$/i.test(word) ? word.toUpperCase() : word.toLowerCase()));
  return words.length === 0 ? key : capitalize(singleLine(words.join(' ')));
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Strings, numbers, booleans and arrays of them; line breaks kept, other control characters become spaces. */
function fieldValue(value: unknown): string | undefined {
  const scalar = (item: unknown): string | undefined =>
    typeof item === 'string' ? item : typeof item === 'number' || typeof item === 'boolean' ? String(item) : undefined;
  const joined = Array.isArray(value) ? value.map(scalar).filter((item) => item !== undefined).join(', ') : scalar(value);
  const cleaned = joined?.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ').trim();
  return cleaned ? cleaned : undefined;
}
