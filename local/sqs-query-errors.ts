/**
 * Error codes of SQS's query protocol that differ from the JSON protocol's error names, from the
 * 2012-11-05 query service model (each exception's `error.code`). Any other error keeps its JSON
 * name as its query code (`InvalidParameterValue`, `MissingParameter`, `ReceiptHandleIsInvalid`, …),
 * as SQS's common errors list them.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
 */
import { PlatformWebhooksError } from '../lambda/core/errors';
const QUERY_CODES: Readonly<Record<string, string>> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  QueueNameExists: 'QueueAlreadyExists',
  QueueDeletedRecently: 'AWS.SimpleQueueService.QueueDeletedRecently',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  BatchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
  PurgeQueueInProgress: 'AWS.SimpleQueueService.PurgeQueueInProgress',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
};

/**
 * An SQS error as the query protocol reports it: HTTP `statusCode` and an XML `ErrorResponse`
 * whose `Code` is {@link code} and whose `Type` is `Sender` for client errors, `Receiver` otherwise.
 */
export class SqsQueryError extends PlatformWebhooksError {
  override name = 'SqsQueryError';

  /** The query protocol's error code, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
  readonly code: string;
  readonly statusCode: number;

  constructor(code: string, message: string, statusCode = 400, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.statusCode = statusCode;
  }

  /** Who is at fault, as the `Type` of the error response says. */
  get type(): 'Sender' | 'Receiver' {
    return this.statusCode < 500 ? 'Sender' : 'Receiver';
  }

  /**
   * The query protocol's error for an error answer in the JSON protocol (`__type` as
   * `com.amazonaws.sqs#QueueDoesNotExist` or bare, and `message`), keeping its HTTP status.
   */
  static fromJson(statusCode: number, output: Readonly<Record<string, unknown>>): SqsQueryError {
    const type = typeof output.__type === 'string' ? output.__type : 'InternalError';
    const name = type.slice(type.lastIndexOf('#') + 1);
    const text = output.message ?? output.Message;
    const message = typeof text === 'string' ? text : `SQS answered HTTP ${statusCode} with no message.`;
    return new SqsQueryError(QUERY_CODES[name] ?? name, message, statusCode);
  }
}
