import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** A child process started by the benchmark, with the way to stop it. */
export interface Child {
  readonly process: ChildProcess;
  stop(): void;
}

/**
 * Forks a bundled benchmark script with plain `node` (no tsx loader in its CPU or memory), stdout
 * to /dev/null (it is where the handler's logs go, as to CloudWatch in Lambda), stderr inherited.
 * `BENCH_NODE_ARGS` adds node flags to the measurement processes, e.g. `--cpu-prof --cpu-prof-dir=prof`.
 */
export function forkScript(script: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}, execArgv: readonly string[] = []): Child {
  const child = fork(script, [...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ...env }, execArgv: [...execArgv] });
  return {
    process: child,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** Resolves with the first IPC message of a child, or rejects if it exits first or after `timeoutMs`. */
export function firstMessage<T>(child: Child, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.stop();
      reject(new Error(`no answer from ${child.process.spawnfile} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.process.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as T);
    });
    child.process.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`benchmark process exited (code ${code}, signal ${signal}) before answering`));
    });
  });
}

/** A running receiver process and its base URL. */
export interface ReceiverProcess {
  readonly url: string;
  readonly port: number;
  stop(): void;
}

/** Starts the receiver process (bundled `receiver-process.js`), answering after `delayMs`; the first `hangHooks` subscriptions' endpoints never answer. */
export async function startReceiverProcess(script: string, delayMs = 0, hangHooks = 0): Promise<ReceiverProcess> {
  const child = forkScript(script, ['--delay-ms', String(delayMs), '--hang-hooks', String(hangHooks)]);
  const { port } = await firstMessage<{ port: number }>(child, 10_000);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    // It exits when its parent disconnects; the signal covers a receiver that is already gone or stuck.
    stop: () => {
      if (child.process.connected) child.process.disconnect();
      child.stop();
    },
  };
}

/** Runs one measurement in a fresh process and returns what it reports. */
export async function measureInProcess<T>(script: string, task: unknown, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<T> {
  const child = forkScript(script, [JSON.stringify(task)], env, (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  try {
    const result = await firstMessage<T>(child, timeoutMs);
    // It exits by itself once it has answered (writing any profile first); wait a little for that.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    return result;
  } finally {
    child.stop();
  }
}
