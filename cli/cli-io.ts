import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SSMClient } from '@aws-sdk/client-ssm';

/** The AWS clients a command may use. */
export interface AwsClients {
  readonly ssm: SSMClient;
  readonly sqs: SQSClient;
  readonly cloudFormation: CloudFormationClient;
  /** Only `webhooks deliveries` uses it, and builds it itself when none is given. */
  readonly logs: CloudWatchLogsClient;
}

/**
 * What the CLI reads and writes besides AWS: output writers, the environment, the working
 * directory, and (for tests) clients to use instead of building them from the global options.
 */
export interface CliIo {
  /** Writes a chunk of standard output, newlines included. */
  readonly stdout: (text: string) => void;
  /** Writes a chunk of standard error, newlines included. */
  readonly stderr: (text: string) => void;
  /** Environment variables; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Directory relative paths (`-f`, `--data @file`) resolve against; default `process.cwd()`. */
  readonly cwd?: string;
  /** Clients to use as given (they are not closed); others are built from the global options. */
  readonly clients?: Partial<AwsClients>;
}

/** The process's own standard output, standard error and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}
