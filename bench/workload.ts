import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { toRecord } from '../local/event-source-poller';

/** Records per SQS batch: the Lambda SQS event source's default batch size. */
export const RECORDS_PER_BATCH = 10;

/** A fixed 32-byte signing secret, so every delivery is signed as in production. */
export const BENCH_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

/** The event type every benchmark event has; every benchmark subscription matches it. */
export const BENCH_EVENT_TYPE = 'experiments.succeeded';

/** The JSON value of benchmark subscription `i`, delivering to `url` (a receiver path on loopback). */
export function subscriptionValue(url: string, i: number): Record<string, unknown> {
  // Three patterns, one of them the type itself, so matching is not trivially a single exact name.
  return { url: `${url}/hooks/${i}`, events: ['jobs.failed', 'experiments.*', '*.succeeded'], secret: BENCH_SECRET, description: `bench ${i}` };
}

/** The name of benchmark subscription `i`. */
export function subscriptionName(i: number): string {
  return `bench-${String(i).padStart(5, '0')}`;
}

/** A platform event whose `data` makes the delivered body about 1 KB. */
export function benchEvent(id: string): { type: string; id: string; timestamp: string; data: Record<string, unknown> } {
  return {
    type: BENCH_EVENT_TYPE,
    id,
    timestamp: '2026-11-27T10:00:00.000Z',
    data: {
      experiment: { id: 42, name: 'resnet-sweep-3', project: 'vision', status: 'succeeded', user: 'ada' },
      metrics: { loss: 0.0312, accuracy: 0.9871, epochs: 90 },
      notes: 'x'.repeat(760),
    },
  };
}

/** One SQS batch of `RECORDS_PER_BATCH` events, as Lambda's event source builds it. */
export function sqsBatch(batch: number, records = RECORDS_PER_BATCH): SQSEvent {
  const Records: SQSRecord[] = [];
  for (let r = 0; r < records; r++) {
    const id = `evt_${batch}_${r}`;
    Records.push(toRecord({ MessageId: id, ReceiptHandle: id, Body: JSON.stringify(benchEvent(id)) }, 'http://127.0.0.1/000000000000/events'));
  }
  return { Records };
}

/** A Lambda context with the production function timeout (60 s). */
export function benchContext(timeoutMs = 60_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'platform-webhooks-bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:platform-webhooks-bench',
    memoryLimitInMB: '256',
    awsRequestId: 'bench',
    logGroupName: '/aws/lambda/platform-webhooks-bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The value at quantile `q` (0..1) of ascending-sorted samples; 0 when there are none. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** The median of samples (copied, then sorted). */
export function median(samples: readonly number[]): number {
  return quantile([...samples].sort((a, b) => a - b), 0.5);
}
