/**
 * The `webhooks` bin runs dist/cli.mjs, the CLI built into plain JavaScript (scripts/build-cli.js).
 * jest's globalSetup builds it when its sources are newer; the bin does the same for a developer
 * who edited cli/ without running npm install. Either way what users run is what the tests test.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { run } from '../../cli/program';
import { cleanEnv } from '../support/cli-harness';
import { REPO } from './local-stack-process';

const SOURCES = join(REPO, 'dist', 'cli.sources.json');

function bin(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [join(REPO, 'bin', 'webhooks.js'), ...args], { cwd: REPO, env: cleanEnv(), timeout: 60_000 });
}

async function inProcess(...args: string[]): Promise<string> {
  let stdout = '';
  await run(args, { stdout: (text) => void (stdout += text), stderr: () => undefined, env: cleanEnv() });
  return stdout;
}

describe('the webhooks bin', () => {
  it('runs a bundle built from the sources the other tests run', async () => {
    // Act
    const [built, sources] = await Promise.all([bin('rotate-secret', '--help'), inProcess('rotate-secret', '--help')]);

    // Assess
    expect(built.stdout).toBe(sources);
    expect(built.stderr).toBe('');
  });

  it('rebuilds a bundle older than its sources before running it', async () => {
    // Prepare: the bundle claims to be built before any source was last changed.
    const list = await readFile(SOURCES, 'utf8');
    await writeFile(SOURCES, JSON.stringify({ ...(JSON.parse(list) as object), startedAt: 0 }));

    // Act
    const first = await bin('--version');
    const second = await bin('--version');

    // Assess
    expect(first.stderr).toMatch(/^webhooks: building the CLI first \(\S+\.ts changed since dist\/cli\.mjs was built\)\n$/);
    expect(first.stdout).toBe('0.1.0\n');
    expect(second).toEqual({ stdout: '0.1.0\n', stderr: '' });
  }, 90_000);
});
