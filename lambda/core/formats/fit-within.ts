/** How much of the key fields a template renders: the first `fields` of them, each value cut to `valueLength`. */
export interface FieldLimits {
  readonly fields: number;
  readonly valueLength: number;
}

/** The shortest value length {@link fitWithin} cuts to before it drops fields instead. */
export const MIN_VALUE_LENGTH = 16;

/**
 * Renders a payload within a receiver's limit on the whole message (Discord's 6,000 embed
 * characters, the 28 KB of a Teams message): field values are halved until the payload fits,
 * down to {@link MIN_VALUE_LENGTH} characters, then fields are dropped from the end. The event is
 * never rejected; everything but the fields must be bounded by the template itself so that the
 * payload without fields fits.
 */
export function fitWithin<T>(render: (limits: FieldLimits) => T, size: (payload: T) => number, budget: number, start: FieldLimits): T {
  let limits = start;
  let payload = render(limits);
  while (size(payload) > budget) {
    if (limits.valueLength > MIN_VALUE_LENGTH) limits = { ...limits, valueLength: Math.max(MIN_VALUE_LENGTH, Math.floor(limits.valueLength / 2)) };
    else if (limits.fields > 0) limits = { ...limits, fields: limits.fields - 1 };
    else return payload;
    payload = render(limits);
  }
  return payload;
}
