import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Command } from 'commander';
import { checkEventSize, parseEnvelope } from '../../lambda/core/inbound/envelope';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { CliError, UsageError } from '../errors';

interface PublishOptions {
  readonly data: string;
  readonly id?: string;
  readonly timestamp?: string;
}

/** `webhooks publish TYPE --data JSON|@file`: sends one event envelope (docs/design.md §1) to the events queue. */
export function publishCommand(runtime: CommandRuntime): Command {
  return new Command('publish')
    .description('publish an event to the events queue, as the platform does')
    .argument('<type>', 'event type from the catalogue, e.g. experiments.succeeded, or one of the deployment\'s extra types')
    .requiredOption('--data <json>', 'the event data: a JSON object, or @file to read it from a file')
    .option('--id <id>', 'event id (default: the SQS message id)')
    .option('--timestamp <iso>', 'event time, ISO-8601 (default: when SQS receives it)')
    .addOption(jsonOption())
    .addHelpText('after', examples(
      'webhooks publish experiments.succeeded --data \'{"experiment":{"id":42,"name":"resnet-sweep-3","status":"succeeded"}}\'',
      'webhooks publish jobs.failed --data @job.json --id evt_123 --timestamp 2026-11-27T10:00:00Z',
    ))
    .action(async (type: string, options: PublishOptions, command: Command) => {
      const { out, aws, cwd } = runtime.contextFor(command);
      const data = await readData(options.data, cwd);
      const envelope = {
        type,
        ...(options.id !== undefined && { id: options.id }),
        ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
        data,
      };
      const parsed = parseEnvelope(envelope, { messageId: 'unsent', sentAt: Date.now() }, await aws.eventCatalogue());
      if (!parsed.ok) throw new CliError(parsed.error);
      const body = JSON.stringify(envelope);
      const tooLarge = checkEventSize(body);
      if (tooLarge !== undefined) throw new CliError(tooLarge);

      const queueUrl = await aws.queueUrl();
      const { MessageId: messageId = '' } = await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      const eventId = options.id ?? messageId;
      if (out.json) out.data({ messageId, eventId, type });
      else out.line(`Published ${type} (message ${messageId}${options.id === undefined ? '' : `, event id ${eventId}`}).`);
    });
}

/** The `--data` value: inline JSON or `@file`. @throws {UsageError} when it is not JSON. */
async function readData(option: string, cwd: string): Promise<unknown> {
  let text = option;
  let source = '--data';
  if (option.startsWith('@')) {
    source = option.slice(1);
    try {
      text = await readFile(resolve(cwd, source), 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --data file ${source} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path`, { cause: error });
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${source} is not valid JSON (${(error as Error).message}); pass a JSON object such as '{"experiment":{"id":42}}' or @file.json`, { cause: error });
  }
}
