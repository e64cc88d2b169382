/**
 * Runs the `webhooks` CLI in process (`run(argv, io)`) against the real Parameter Store stand-in
 * and the fauxqs emulator jest's globalSetup starts, capturing what it prints.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { PutParameterCommandInput } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../cli/cli-io';
import { run } from '../../cli/program';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import type { ParameterStoreServer } from '../../local/parameter-store-server';
import { createQueues, sqsClient } from './queues';

/** What one run printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for "never printed" searches. */
  readonly output: string;
  /** stdout parsed as JSON (for `--json` runs). */
  json<T = unknown>(): T;
}

export interface CliHarness {
  readonly ssmServer: ParameterStoreServer;
  readonly ssm: SSMClient;
  readonly sqs: SQSClient;
  /**
   * Runs the CLI with a fresh subscriptions path and queues per {@link CliHarness.isolate} call; `env`
   * adds variables, `clients` replaces clients (e.g. one that records commands).
   */
  run(args: readonly string[], options?: { env?: Record<string, string>; clients?: Partial<AwsClients>; cwd?: string }): Promise<CliResult>;
  /** A fresh subscriptions path and queues for the next runs; returns them. */
  isolate(): Promise<{ path: string; queueUrl: string; retryQueueUrl: string; dlqUrl: string }>;
  /** An SSM client on the stand-in that records the PutParameter requests it sends (pass it as `clients.ssm`); destroyed by {@link CliHarness.close}. */
  recordingSsm(): { client: SSMClient; puts: PutParameterCommandInput[] };
  close(): Promise<void>;
}

/** A harness for one test file, with each test isolated: a fresh subscriptions path and queues. */
export interface IsolatedCliHarness extends CliHarness {
  /** The current test's subscriptions path. */
  readonly path: string;
  readonly queueUrl: string;
  readonly retryQueueUrl: string;
  readonly dlqUrl: string;
  /** Writes a parameter under the current path; an object value is JSON-encoded. */
  putParameter(name: string, value: unknown, type: 'String' | 'SecureString', keyId?: string): Promise<void>;
}

/**
 * Starts a harness before the file's tests and closes it after them, and gives each test a fresh
 * path and queues (jest's beforeAll, afterAll and beforeEach, registered where this is called).
 */
export function useCliHarness(): IsolatedCliHarness {
  let harness: CliHarness | undefined;
  let current = { path: '', queueUrl: '', retryQueueUrl: '', dlqUrl: '' };
  beforeAll(async () => {
    harness = await startCliHarness();
  });
  afterAll(() => harness?.close());
  beforeEach(async () => {
    current = await started().isolate();
  });
  const started = (): CliHarness => {
    if (harness === undefined) throw new Error('the CLI harness is used outside a test');
    return harness;
  };
  return {
    get ssmServer() { return started().ssmServer; },
    get ssm() { return started().ssm; },
    get sqs() { return started().sqs; },
    get path() { return current.path; },
    get queueUrl() { return current.queueUrl; },
    get retryQueueUrl() { return current.retryQueueUrl; },
    get dlqUrl() { return current.dlqUrl; },
    run: (args, options) => started().run(args, options),
    isolate: async () => (current = await started().isolate()),
    recordingSsm: () => started().recordingSsm(),
    close: () => started().close(),
    async putParameter(name, value, type, keyId) {
      const Value = typeof value === 'string' ? value : JSON.stringify(value);
      await started().ssm.send(new PutParameterCommand({ Name: `${current.path}/${name}`, Value, Type: type, ...(keyId !== undefined && { KeyId: keyId }) }));
    },
  };
}

let harnessCount = 0;

export async function startCliHarness(): Promise<CliHarness> {
  const ssmServer = await startParameterStoreServer({ port: 0 });
  const ssm = new SSMClient({ endpoint: ssmServer.endpoint, region: 'us-east-1', maxAttempts: 1 });
  const sqs = sqsClient();
  const prefix = `cli-${process.pid}-${++harnessCount}`;
  let isolation = 0;
  let current = { path: '', queueUrl: '', retryQueueUrl: '', dlqUrl: '' };
  const recorders: SSMClient[] = [];

  return {
    ssmServer,
    ssm,
    sqs,
    async isolate() {
      isolation++;
      current = { path: `/${prefix}/t${isolation}`, ...(await createQueues(sqs, `${prefix}-t${isolation}`)) };
      return current;
    },
    recordingSsm() {
      const puts: PutParameterCommandInput[] = [];
      const client = new SSMClient({ endpoint: ssmServer.endpoint, region: 'us-east-1', maxAttempts: 1 });
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'PutParameterCommand') puts.push(args.input as PutParameterCommandInput);
          return next(args);
        },
        { step: 'initialize' },
      );
      recorders.push(client);
      return { client, puts };
    },
    async run(args, options = {}) {
      let stdout = '';
      let stderr = '';
      const env: NodeJS.ProcessEnv = {
        ...cleanEnv(),
        WEBHOOKS_SUBSCRIPTIONS_PATH: current.path,
        WEBHOOKS_QUEUE_URL: current.queueUrl,
        WEBHOOKS_DLQ_URL: current.dlqUrl,
        ...options.env,
      };
      const code = await run(args, {
        stdout: (text) => void (stdout += text),
        stderr: (text) => void (stderr += text),
        env,
        ...(options.cwd !== undefined && { cwd: options.cwd }),
        clients: { ssm, sqs, ...options.clients },
      });
      return { code, stdout, stderr, output: stdout + stderr, json: <T>() => JSON.parse(stdout) as T };
    },
    async close() {
      for (const client of recorders) client.destroy();
      ssm.destroy();
      sqs.destroy();
      await ssmServer.close();
    },
  };
}

/** The variables that open `webhooks test`'s target guard. */
const GUARD_VARIABLES = new Set(['ALLOW_PRIVATE_TARGETS', 'ALLOW_PRIVATE_NETWORK_TARGETS', 'ALLOWED_TARGET_CIDRS']);

/** The test process's environment without anything that would point the CLI elsewhere or open its target guard. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('WEBHOOKS_') || key.startsWith('AWS_ENDPOINT_URL') || GUARD_VARIABLES.has(key) || key === 'EXTRA_EVENT_TYPES') delete env[key];
  }
  return env;
}

/** A valid Standard Webhooks secret made of one repeated byte, e.g. for `secretEnv`. */
export function fixedSecret(byte = 7): string {
  return `whsec_${Buffer.alloc(32, byte).toString('base64')}`;
}
