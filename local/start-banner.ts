import { formatDuration } from '../lambda/core/delivery/retry-policy';
import { LOCAL_QUEUE_SETTINGS } from './local-queues';
import type { LocalStack } from './local-stack';

/**
 * What `npm start` prints once the stack is up: where everything is and how to use it. The lines
 * `endpoint: <url>` and `receiver: <url>` start at column 0, for scripts that parse them.
 */
export function startBanner(stack: LocalStack): string {
  const { config } = stack;
  const settings = LOCAL_QUEUE_SETTINGS;
  return [
    'platform-webhooks local stack',
    '',
    `endpoint: ${stack.endpoint}`,
    '          SQS (fauxqs), SSM Parameter Store and CloudWatch Logs, one endpoint on loopback',
    `queue:    ${stack.queueUrl}`,
    `          redrive to the DLQ after ${settings.maxReceiveCount} receives, visibility timeout ${settings.visibilityTimeoutSeconds} s`,
    `retries:  ${stack.retryQueueUrl}`,
    '          internal: only the function sends retries here; a delivery message on the events queue is dead-lettered',
    `dlq:      ${stack.dlqUrl}`,
    `receiver: ${stack.receiverUrl}`,
    '          POST /<name> is printed, its signature checked with subscription <name>\'s secret',
    `handler:  lambda/handler.ts, fed from both queues like Lambda's SQS event sources (batches of 10, ${settings.functionTimeoutSeconds} s timeout)`,
    `          subscriptions under ${config.subscriptionsPath}, re-read every ${config.subscriptionsCacheSeconds} s; ` +
      `retries ${config.retrySchedule.map(formatDuration).join(',')}; private targets ${config.allowPrivateTargets ? 'allowed' : 'refused'}`,
    `logs:     ${stack.logGroup}: the function's log, its delivery history (webhooks deliveries)`,
    `data:     ${stack.dataFile} and ${stack.logs.dataFile ?? 'memory'} (subscriptions and the log, up to ${Math.round(stack.logs.maxBytes / 2 ** 20)} MB, survive a restart; queues start empty)`,
    '',
    'Try it from another terminal:',
    `  export AWS_ENDPOINT_URL=${stack.endpoint}`,
    `  npx webhooks subscribe demo --url ${stack.receiverUrl}/demo --events '*' --secret`,
    `  npx webhooks publish experiments.succeeded --data '{"experiment":{"id":1,"name":"first"}}'`,
    '  npx webhooks list; npx webhooks deliveries; npx webhooks dlq list',
    `  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url ${stack.endpoint} sqs list-queues   # any AWS CLI, old or new, with any credentials and region set`,
    'watch: deliveries print below (Ctrl-C stops)',
  ].join('\n');
}
