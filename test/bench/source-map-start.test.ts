import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

// Not a timed test: one run of each variant keeps bench/source-map-start.ts from rotting. No timing assertions.
describe('bench/source-map-start.ts, one run', () => {
  it('loads the function built with and without source maps and reports both', async () => {
    // Act
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/source-map-start.ts', '1'], { cwd: path.resolve(__dirname, '..', '..') });

    // Assess
    const lines = stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^source maps at cold start, node v\d+/),
      expect.stringMatching(/^ {2}without source maps \(the default\) +\d+\.\d ms +\d+ KiB of code and map$/),
      expect.stringMatching(/^ {2}with source maps \(--enable-source-maps\) +\d+\.\d ms +\d+ KiB of code and map$/),
    ]);
  }, 120_000);
});
