/**
 * The function's code is built ahead of synth (scripts/build-handler.js, `npm run build`). The
 * `cdk.json` app and jest's globalSetup rebuild it first when a source changed since, so what is
 * synthesized and tested is built from the tree.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCES = path.join(ROOT, 'dist', 'handler.sources.json');

function ifStale(): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts', 'build-handler.js'), '--if-stale'], { cwd: ROOT, timeout: 120_000 });
}

describe('node scripts/build-handler.js --if-stale (the cdk.json app\'s first step)', () => {
  it('rebuilds the code when a source changed since it was built, and then not again', async () => {
    // Prepare: the code claims to be built before any source was last changed.
    const record = JSON.parse(await readFile(SOURCES, 'utf8')) as { startedAt: number; sources: string[] };
    await writeFile(SOURCES, JSON.stringify({ ...record, startedAt: 0 }));

    // Act
    const first = await ifStale();
    const second = await ifStale();

    // Assess
    expect(first.stderr).toMatch(/^platform-webhooks: building the function's code first \(lambda\/\S+\.ts changed since dist\/handler\/index\.js was built\)\n$/);
    expect(record.sources).toContain('lambda/handler.ts');
    expect(JSON.parse(await readFile(SOURCES, 'utf8')).startedAt).toBeGreaterThan(0);
    expect(second).toEqual({ stdout: '', stderr: '' });
  }, 150_000);
});
