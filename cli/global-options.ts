import { SETTINGS } from '../lambda/settings';
import { Option } from 'commander';
import type { Command } from 'commander';

/** The default SSM path of the subscription parameters (docs/design.md §2). */
export const DEFAULT_SUBSCRIPTIONS_PATH = SETTINGS.subscriptionsPath.default;

/** Options every command accepts, before or after the command name. */
export interface GlobalOptions {
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly stack?: string;
  readonly queueUrl?: string;
  readonly dlqUrl?: string;
  readonly path?: string;
  readonly extraEventTypes?: string;
}

/**
 * Environment variables behind the options that have one. They are read from the CLI's `env`
 * (not by commander from `process.env`), so an in-process run sees the environment it is given.
 */
export const OPTION_ENV = {
  stack: 'WEBHOOKS_STACK',
  queueUrl: 'WEBHOOKS_QUEUE_URL',
  dlqUrl: 'WEBHOOKS_DLQ_URL',
  path: 'WEBHOOKS_SUBSCRIPTIONS_PATH',
  /** Behind `webhooks deliveries --log-group`. */
  logGroup: 'WEBHOOKS_LOG_GROUP',
} as const;

/** Adds the global options to the program; commands read them with `optsWithGlobals()`. */
export function addGlobalOptions(program: Command): Command {
  const option = (flags: string, description: string): Option => new Option(flags, description).helpGroup('Global options:');
  return program
    .addOption(option('--endpoint-url <url>', 'send every AWS request here, e.g. http://127.0.0.1:4566 for the local stack (default: the SDK\'s own AWS_ENDPOINT_URL handling)'))
    .addOption(option('--region <region>', 'AWS region (default: the SDK\'s, e.g. AWS_REGION or the profile\'s)'))
    .addOption(option('--profile <name>', 'profile of the shared AWS config and credentials files (default: the SDK\'s credential chain)'))
    .addOption(option('--stack <name>', `read QueueUrl, DeadLetterQueueUrl, SubscriptionsPath, LogGroupName and ExtraEventTypes from this CloudFormation stack's outputs (env: ${OPTION_ENV.stack})`))
    .addOption(option('--queue-url <url>', `the events queue (env: ${OPTION_ENV.queueUrl})`))
    .addOption(option('--dlq-url <url>', `the dead-letter queue (env: ${OPTION_ENV.dlqUrl})`))
    .addOption(option('--path <path>', `SSM path of the subscription parameters (env: ${OPTION_ENV.path}; default: ${DEFAULT_SUBSCRIPTIONS_PATH})`))
    .addOption(option('--extra-event-types <types>', `event types the deployment accepts beside the built-in ones, comma-separated, e.g. jobs.deleted,models.registered (default: the --stack's ExtraEventTypes output, else ${SETTINGS.extraEventTypes.env} as npm start reads it)`));
}
