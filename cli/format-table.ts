import { terminalText } from './terminal-text';

/**
 * Lays rows out in left-aligned columns two spaces apart; the last column is not padded. Every
 * cell is shown as text ({@link terminalText}): a cell holding ESC, BEL or a line break (an event
 * type a publisher chose) prints as `\x1b`, `\x07`, `\r\n`, so it can neither drive the terminal
 * nor start a row of its own.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cells = [header, ...rows].map((row) => row.map(terminalText));
  const widths = header.map((_title, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const format = (row: readonly string[]): string =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return cells.map(format);
}
