/**
 * Text the CLI prints is shown as text (README "Output, secrets and exit codes"): event types and
 * ids come from publishers, error messages from receivers and AWS, and none of them may move the
 * cursor, clear the screen, retitle the window, ring the bell, forge a table row with a line break
 * or reorder what follows with a bidirectional override.
 */

/**
 * What a terminal may act on rather than show: C0 controls (ESC, BEL, CR, LF, TAB…), DEL, C1
 * controls (U+009B is a one-character CSI), the Unicode line and paragraph separators, and the
 * bidirectional marks, embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same but the C0 controls, which `JSON.stringify` escapes itself (its own line breaks are layout). */
const CONTROL_LEFT_BY_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\n`, `\r`, `\t`, `\x1b` (two hex digits up to U+00FF), `\u202e`: visible, and never acted on. */
function escaped(character: string): string {
  const code = character.charCodeAt(0);
  return NAMED[character] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * One line of text as it may be printed: every control character and line break shown as an
 * escape (`\x1b`, `\r\n`). Backslashes are left alone: this is for reading, and `--json` is
 * the exact form.
 */
export function terminalText(text: string): string {
  return text.replace(CONTROL, escaped);
}

/**
 * A JSON document that is safe to print and parses to exactly `value`: `JSON.stringify` escapes
 * C0 controls already; the others are written as `\u` escapes, which JSON reads back unchanged.
 */
export function terminalJson(value: unknown, indent = 2): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(CONTROL_LEFT_BY_JSON, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
