import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { injectSendFaults, InjectedSendError } from '../../bench/soak/send-faults';
import { createQueues, drain, sqsClient } from '../support/queues';

/** A random source replaying `values`, then 0.99. */
function replay(...values: number[]): () => number {
  return () => values.shift() ?? 0.99;
}

const body = (n: number) => JSON.stringify({ n });

describe('injectSendFaults', () => {
  it('fails chosen sends to the events queue, some before sending and some after, and leaves the DLQ alone', async () => {
    // Prepare: the first send fails unsent (0 < rate, then 0.7 ≥ 0.5), the second fails after being sent (0, 0.2), the third succeeds
    const reader = sqsClient();
    const { queueUrl, dlqUrl } = await createQueues(reader, 'send-faults');
    const client = sqsClient();
    const faults: number[] = [];
    injectSendFaults(client, { queueUrl, rate: 0.5, random: replay(0, 0.7, 0, 0.2), onFault: () => faults.push(1) });

    // Act
    const sends: PromiseSettledResult<unknown>[] = [];
    for (const n of [1, 2, 3]) {
      const [send] = await Promise.allSettled([client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body(n) }))]);
      if (send) sends.push(send);
    }
    await client.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: body(4) }));

    // Assess
    expect(sends.map((send) => send.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((sends[0] as PromiseRejectedResult).reason).toBeInstanceOf(InjectedSendError);
    expect(faults).toHaveLength(2);
    expect((await drain(reader, queueUrl)).map((message) => message.Body).sort()).toEqual([body(2), body(3)]);
    expect((await drain(reader, dlqUrl)).map((message) => message.Body)).toEqual([body(4)]);
    client.destroy();
    reader.destroy();
  });
});
