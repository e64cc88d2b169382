import { Command, InvalidArgumentError } from 'commander';

import { LOCAL_STACK_DEFAULTS } from './local-stack';

/** The options of `npm start`. */
export interface StartOptions {
  readonly port: number;
  readonly receiverPort: number;
  readonly dataDir: string;
  readonly config?: string;
  readonly demo: boolean;
  /** Throttle the Parameter Store's reads above this many per second; default none. */
  readonly ssmTps?: number;
  /** The most megabytes of the function's log kept in the CloudWatch Logs stand-in. */
  readonly logsMaxMb: number;
}

const EXAMPLES = `
Examples:
  npm start                                    the stack on 127.0.0.1:4566, the receiver on 127.0.0.1:4567
  npm start -- --demo                          also subscribe the receiver and publish one event of each type
  npm start -- --port 4600 --receiver-port 4601
  npm start -- --data-dir /tmp/webhooks        keep the subscriptions and the function's log somewhere else
  npm start -- --logs-max-mb 256               keep more of the function's log (webhooks deliveries reads it)
  npm start -- --config deploy/webhooks.yaml   apply this deployment config file at start
  npm start -- --ssm-tps 40                    throttle SSM reads above 40 per second, as SSM's default quota
  RETRY_SCHEDULE=2s,10s npm start              retry failed deliveries quickly while trying things

The function reads the deployed function's variables (README, "The Lambda"), with two local
defaults: SUBSCRIPTIONS_CACHE_SECONDS=2 (60 deployed) and ALLOW_PRIVATE_TARGETS=true; POWERTOOLS_LOG_LEVEL
sets how much of its log is shown (debug, info, warn, error, silent; default info).
Then point any AWS client at the stack: export AWS_ENDPOINT_URL=http://127.0.0.1:4566
`;

/**
 * Parses `npm start` arguments (`argv` as `process.argv`). On `--help` or a bad option commander
 * prints and exits, as a command line tool does.
 */
export function parseStartOptions(argv: readonly string[]): StartOptions {
  const program = new Command('npm start --')
    .description('Runs platform-webhooks on this machine: SQS, Parameter Store and CloudWatch Logs stand-ins behind one endpoint, the real handler, and a receiver that prints deliveries.')
    .option('--port <port>', 'port of the AWS endpoint (SQS, SSM and CloudWatch Logs) on 127.0.0.1; 0 picks a free one', parsePort, LOCAL_STACK_DEFAULTS.port)
    .option('--receiver-port <port>', 'port of the demo receiver on 127.0.0.1; 0 picks a free one', parsePort, LOCAL_STACK_DEFAULTS.receiverPort)
    .option('--data-dir <dir>', 'where subscriptions and the function\'s log are kept between runs', LOCAL_STACK_DEFAULTS.dataDir)
    .option('--logs-max-mb <n>', 'the most megabytes of the function\'s log kept; the oldest lines go first', parseMegabytes, LOCAL_STACK_DEFAULTS.logsMaxBytes / 2 ** 20)
    .option('--config <file>', 'deployment config file to apply at start (default: webhooks.yaml, when present)')
    .option('--demo', 'subscribe the receiver as "demo" and publish one sample event of each type', false)
    .option('--ssm-tps <n>', 'answer ThrottlingException above n SSM reads per second (GetParameter, GetParameters and GetParametersByPath together)', parsePositive)
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run with --help for usage)')
    .parse(argv);
  return program.opts<StartOptions>();
}

function parsePositive(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError('expected a whole number of requests per second, at least 1.');
  return Number(text);
}

function parseMegabytes(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError('expected a whole number of megabytes, at least 1.');
  return Number(text);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return port;
}
