/**
 * The local stack (`npm start`, i.e. `local/start.ts`) as a child process on free ports, as a user
 * runs it, and the `webhooks` bin run as a user runs it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO = join(__dirname, '..', '..');

export interface LocalStackProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>`, from the `endpoint:` line of the banner. */
  readonly endpoint: string;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `local/start.ts --port 0 --receiver-port 0 --data-dir <dataDir>` in `cwd` (a scratch
 * directory, so no webhooks.yaml of the developer's is applied) and resolves once it prints `ready`.
 */
export async function startLocalStackProcess(options: { dataDir: string; cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<LocalStackProcess> {
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(require.resolve('tsx')).href, join(REPO, 'local', 'start.ts'), '--port', '0', '--receiver-port', '0', '--data-dir', options.dataDir],
    { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  const until = Date.now() + (options.timeoutMs ?? 20_000);
  while (!/^ready$/m.test(output)) {
    if (child.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`the local stack did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const endpoint = /^endpoint: (http:\/\/\S+)$/m.exec(output)?.[1];
  if (endpoint === undefined) {
    await stop();
    throw new Error(`the local stack printed no endpoint:\n${output}`);
  }
  return { child, endpoint, output: () => output, stop };
}

export interface BinResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/webhooks.js …` as a user would, in `cwd`, with `env`. */
export function webhooksBin(args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string }): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'webhooks.js'), ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
