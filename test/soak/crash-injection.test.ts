import type { SQSEvent } from 'aws-lambda';
import { crashingHandler, InjectedCrashError } from '../../bench/soak/crash-injection';
import { lambdaContext } from '../../local/lambda-context';
import { fakeDeps, publishedEvent, sqsRecord, subscription } from '../support/factories';

/** A random source replaying `values`, then 0.99. */
function replay(...values: number[]): () => number {
  return () => values.shift() ?? 0.99;
}

function setup() {
  const fakes = fakeDeps({ subscriptions: ['a', 'b', 'c'].map((name) => subscription({ name })) });
  const event: SQSEvent = { Records: ['evt_1', 'evt_2'].map((id) => sqsRecord(publishedEvent({ id }))) };
  // One delivery at a time, so the crash point is exact.
  return { ...fakes, handlerDeps: { ...fakes.deps, concurrency: 1 }, event };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('crashingHandler', () => {
  it('throws mid-batch after the chosen number of deliveries and settles nothing afterwards, like a process that died', async () => {
    // Prepare: crash this invocation (0 < rate) after 1 + floor(0.15 × 10) = 2 deliveries
    const { handlerDeps, event, http, queue } = setup();
    const crashes: number[] = [];
    const handler = crashingHandler(handlerDeps, { rate: 0.5, random: replay(0, 0.15), onCrash: () => crashes.push(1) });

    // Act
    const invocation = handler(event, lambdaContext(60_000));

    // Assess
    await expect(invocation).rejects.toThrow(InjectedCrashError);
    await settle();
    expect(http.requests).toHaveLength(2);
    expect(queue.enqueued).toHaveLength(0);
    expect(queue.deadLettered).toHaveLength(0);
    expect(crashes).toHaveLength(1);
  });

  it('runs the real handler untouched when the invocation is not chosen to crash', async () => {
    const { handlerDeps, event, http } = setup();
    const handler = crashingHandler(handlerDeps, { rate: 0.5, random: replay(0.7) });

    const response = await handler(event, lambdaContext(60_000));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(http.requests).toHaveLength(6);
  });
});
