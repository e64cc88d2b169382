/** What a truncated text ends with: one character, so a limit of `n` keeps `n - 1` of the original. */
export const ELLIPSIS = '…';

/**
 * `text` cut to at most `max` UTF-16 code units, ending with {@link ELLIPSIS} when it was cut.
 * Counting code units is the strictest of the receivers' ways of counting (Discord counts code
 * points, Slack characters), so the result fits all of them; a surrogate pair is never split.
 * Receivers reject an over-long field, so templates truncate rather than fail (never reject).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate whose pair would be cut off
  return `${text.slice(0, Math.max(0, end))}${ELLIPSIS}`;
}

/** `text` as one line: control characters and line breaks become single spaces, trimmed. */
export function singleLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}
