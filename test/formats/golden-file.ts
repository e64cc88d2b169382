import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the golden files live: `test/formats/golden/<format>-<case>.json`. */
export const GOLDEN_DIR = join(__dirname, 'golden');

/**
 * Compares a rendered body byte for byte with its golden file. `UPDATE_GOLDEN=1` rewrites the
 * file instead; a rewritten golden file must be reviewed before it is committed.
 */
export function expectGolden(name: string, body: string): void {
  const file = join(GOLDEN_DIR, `${name}.json`);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(file, body);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing: run with UPDATE_GOLDEN=1, then review it`);
  expect(Buffer.from(body, 'utf8').equals(readFileSync(file))).toBe(true);
}
