import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadFauxqs } from '../local/load-fauxqs';
import { startParameterStoreServer } from '../local/parameter-store-server';
import type { ParameterStoreServer } from '../local/parameter-store-server';
import { subscriptionName, subscriptionValue } from './workload';

/** The local AWS stand-ins every section shares: the Parameter Store stand-in and fauxqs, on loopback. */
export interface StandIns {
  readonly ssm: ParameterStoreServer;
  readonly sqsEndpoint: string;
  readonly queueUrl: string;
  readonly retryQueueUrl: string;
  readonly dlqUrl: string;
  /** Stores `count` benchmark subscriptions to `receiverUrl` under `path`. */
  seed(path: string, count: number, receiverUrl: string): Promise<void>;
  close(): Promise<void>;
}

/** Dummy credentials and region for every SDK client of the benchmark (the stand-ins check none). */
export const BENCH_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

export async function startStandIns(): Promise<StandIns> {
  const ssm = await startParameterStoreServer();
  const { startFauxqs } = await loadFauxqs();
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
  const client = new SQSClient({ endpoint: sqsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const dlq = await client.send(new CreateQueueCommand({ QueueName: 'bench-events-dlq' }));
  const queue = await client.send(new CreateQueueCommand({ QueueName: 'bench-events' }));
  const retries = await client.send(new CreateQueueCommand({ QueueName: 'bench-retries' }));
  client.destroy();
  return {
    ssm,
    sqsEndpoint,
    // fauxqs names its queues http://sqs.<region>.localhost:<port>/…: the handler's happy path never sends to them.
    queueUrl: queue.QueueUrl ?? '',
    retryQueueUrl: retries.QueueUrl ?? '',
    dlqUrl: dlq.QueueUrl ?? '',
    async seed(path, count, receiverUrl) {
      for (let i = 0; i < count; i++) {
        await ssm.store.put({ name: `${path}/${subscriptionName(i)}`, value: JSON.stringify(subscriptionValue(receiverUrl, i)), type: 'SecureString', overwrite: true });
      }
    },
    async close() {
      await ssm.close();
      await fauxqs.stop();
    },
  };
}

