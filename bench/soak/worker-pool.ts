import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { PageTimes } from './page-timer';

/** What a soak worker is given (as JSON in its SOAK_WORKER variable). */
export interface SoakWorkerConfig {
  /** The local stack's endpoint, for SQS and SSM alike. */
  readonly endpoint: string;
  readonly queueUrl: string;
  /** The internal retry queue, polled beside the events queue. */
  readonly retryQueueUrl: string;
  readonly dlqUrl: string;
  readonly subscriptionsPath: string;
  readonly retrySchedule: string;
  readonly pollers: number;
  readonly functionTimeoutMs: number;
  readonly crashRate: number;
  readonly sendFailureRate: number;
  /** The handler's SUBSCRIPTIONS_CACHE_SECONDS. */
  readonly cacheSeconds: number;
  /** Seeds this worker's fault decisions and jitter; differs per worker and restart. */
  readonly seed: number;
  /** The worker exits on its own after this long. */
  readonly lifetimeMs: number;
  /** Where to write the handler's warnings and errors as JSON lines, if anywhere. */
  readonly traceDir?: string;
}

/** What a worker tells the orchestrator over IPC. */
export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'fault'; readonly fault: 'crash' | 'send-failure' }
  | { readonly kind: 'effects'; readonly effects: Readonly<Record<string, number>>; readonly pageTimes: readonly PageTimes[] };

export interface WorkerPoolStats {
  readonly crashes: number;
  readonly sendFailures: number;
  readonly kills: number;
  /** Workers that died without being killed (a bug: their stderr is in `errors`). */
  readonly unexpectedExits: number;
  readonly errors: readonly string[];
  /** Handler warnings and errors by message, over every worker that ran. */
  readonly effects: Readonly<Record<string, number>>;
  /** Each container's answered GetParametersByPath calls, their time and its refresh starts, over every worker that ran. */
  readonly pageTimes: readonly PageTimes[];
}

const WORKER_FILE = path.join(__dirname, 'soak-worker.ts');
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const READY_TIMEOUT_MS = 60_000;
const RESTART_DELAY_MS = 200;

interface Slot {
  child?: ChildProcess;
  generation: number;
  killed: boolean;
}

/**
 * The soak's worker processes: starts them, kills one with SIGKILL on request (then restarts it,
 * as Lambda starts a new container), restarts one that died on its own, and stops them all.
 */
export class WorkerPool {
  readonly #config: Omit<SoakWorkerConfig, 'seed'>;
  readonly #seed: number;
  readonly #slots: Slot[];
  readonly #effects = new Map<number, Readonly<Record<string, number>>>();
  readonly #pageTimes = new Map<number, readonly PageTimes[]>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stats = { crashes: 0, sendFailures: 0, kills: 0, unexpectedExits: 0 };
  readonly #errors: string[] = [];
  #stopping = false;

  constructor(workers: number, config: Omit<SoakWorkerConfig, 'seed'>, seed: number) {
    this.#config = config;
    this.#seed = seed;
    this.#slots = Array.from({ length: workers }, () => ({ generation: 0, killed: false }));
  }

  /**
   * Starts every worker and resolves when all are polling.
   * @throws {Error} when a worker is not ready within a minute.
   */
  async start(): Promise<void> {
    await Promise.all(this.#slots.map((slot, index) => this.#spawn(slot, index)));
  }

  /** Kills worker `index` with SIGKILL; it restarts shortly after, unless the pool is stopping. */
  kill(index: number): void {
    const slot = this.#slots[index % this.#slots.length];
    if (slot?.child === undefined || slot.killed || this.#stopping) return;
    slot.killed = true;
    this.#stats.kills++;
    slot.child.kill('SIGKILL');
  }

  /** Kills every worker (nothing is in flight once the queue is empty) and waits for them to exit. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearTimeout(timer);
    await Promise.all(
      this.#slots.map(({ child }) => {
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGKILL');
        });
      }),
    );
  }

  stats(): WorkerPoolStats {
    const effects: Record<string, number> = {};
    for (const counts of this.#effects.values()) {
      for (const [message, value] of Object.entries(counts)) effects[message] = (effects[message] ?? 0) + value;
    }
    return { ...this.#stats, errors: [...this.#errors], effects, pageTimes: [...this.#pageTimes.values()].flat() };
  }

  #spawn(slot: Slot, index: number): Promise<void> {
    slot.generation++;
    slot.killed = false;
    const config: SoakWorkerConfig = { ...this.#config, seed: this.#seed * 1000 + index * 100 + slot.generation };
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER_FILE], {
      cwd: REPO_ROOT,
      env: { ...process.env, SOAK_WORKER: JSON.stringify(config) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    slot.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
    const pid = child.pid ?? -1;
    let isReady = false;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`soak worker ${index} was not ready within ${READY_TIMEOUT_MS} ms: ${stderr}`)), READY_TIMEOUT_MS);
      child.on('message', (message: WorkerMessage) => {
        if (message.kind === 'ready') {
          isReady = true;
          clearTimeout(timer);
          resolve();
        } else if (message.kind === 'fault') {
          if (message.fault === 'crash') this.#stats.crashes++;
          else this.#stats.sendFailures++;
        } else {
          this.#effects.set(pid, message.effects);
          this.#pageTimes.set(pid, message.pageTimes);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.#stopping) return resolve();
        if (!slot.killed) {
          this.#stats.unexpectedExits++;
          const error = `worker ${index} exited (${signal ?? code})${isReady ? '' : ' before it was ready'}: ${stderr.trim()}`;
          this.#errors.push(error);
          // One that cannot start would only be restarted in a loop: give up on it.
          if (!isReady) return reject(new Error(error));
        }
        const restart = setTimeout(() => {
          this.#timers.delete(restart);
          this.#spawn(slot, index).catch((error: Error) => this.#errors.push(error.message));
        }, RESTART_DELAY_MS);
        this.#timers.add(restart);
        resolve();
      });
    });
    return ready;
  }
}
