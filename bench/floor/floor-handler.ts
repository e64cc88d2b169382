import { request } from 'node:http';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';

/**
 * The cold-start floor any implementation pays: the SQS and SSM SDK clients and nothing else. One
 * GetParametersByPath (the subscriptions), one node:http POST to the URL the first one names, one
 * SQS call. Bundled with the production esbuild options and measured beside the real handler.
 */
const ssm = new SSMClient({});
const sqs = new SQSClient({});

export async function handler(): Promise<{ status: number }> {
  const page = await ssm.send(new GetParametersByPathCommand({ Path: process.env.SUBSCRIPTIONS_PATH, Recursive: true, WithDecryption: true }));
  const { url } = JSON.parse(page.Parameters?.[0]?.Value ?? '{}') as { url: string };
  const status = await post(url, JSON.stringify({ type: 'experiments.succeeded', id: 'evt_floor', data: {} }));
  await sqs.send(new GetQueueUrlCommand({ QueueName: process.env.QUEUE_NAME }));
  return { status };
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}
