import { PlatformWebhooksError } from '../../lambda/core/errors';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Random } from './seeded-random';

/** The error an injected send failure throws. */
export class InjectedSendError extends PlatformWebhooksError {
  override name = 'InjectedSendError';

  constructor(sent: boolean) {
    super(sent ? 'injected SQS failure: the message was sent but the response was lost' : 'injected SQS failure: ServiceUnavailable (not sent)');
  }
}

export interface SendFaultOptions {
  /** The retry queue: only re-enqueue sends to it fail. */
  readonly queueUrl: string;
  /** Share of those sends that fail. */
  readonly rate: number;
  readonly random: Random;
  readonly onFault?: () => void;
}

/**
 * Makes a share of the client's `SendMessage` calls to one queue (the retry queue) fail, through the SDK's
 * middleware stack (ahead of its retries, so the failure is final): half before the message is
 * sent, half after it was sent with the response lost, as a network failure can.
 */
export function injectSendFaults(client: SQSClient, options: SendFaultOptions): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { QueueUrl?: string };
      if (context.commandName !== 'SendMessageCommand' || input.QueueUrl !== options.queueUrl || options.random() >= options.rate) return next(args);
      options.onFault?.();
      const sent = options.random() < 0.5;
      if (sent) await next(args);
      throw new InjectedSendError(sent);
    },
    { step: 'initialize', name: 'soakSendFaults' },
  );
}
