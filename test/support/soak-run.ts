import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

/** What a soak run printed, and how it ended. */
export interface SoakRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `bench/soak/run-soak.ts` as its own process (fauxqs is ESM-only) with the given options, and
 * stops it after the file's tests if it is still running (only when a test timed out: SIGTERM lets
 * the run stop its workers and servers).
 */
export function useSoakRun(): (args: readonly string[]) => Promise<SoakRun> {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  return (args) => new Promise((resolve, reject) => {
    const started = spawn(process.execPath, ['--import', 'tsx', 'bench/soak/run-soak.ts', ...args], {
      cwd: path.resolve(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let stdout = '';
    let stderr = '';
    started.stdout?.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
    started.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    started.once('error', reject);
    started.once('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}
