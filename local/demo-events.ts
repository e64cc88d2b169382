import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';

import { EVENT_TYPES } from '../lambda/core/events';

/** An event envelope as the platform publishes it (design §1). */
export interface DemoEvent {
  readonly type: string;
  readonly id: string;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

/** What the platform might say about each entity; `status` and `id` are filled in per event. */
const SAMPLES: Readonly<Record<string, { readonly key: string; readonly fields: Record<string, unknown> }>> = {
  experiments: { key: 'experiment', fields: { name: 'resnet-sweep-3', project: 'vision', user: 'alice', group: 7 } },
  groups: { key: 'group', fields: { name: 'lr-search', project: 'vision', user: 'alice', experiments: 12 } },
  jobs: { key: 'job', fields: { name: 'export-onnx', project: 'vision', user: 'bob' } },
  builds: { key: 'build', fields: { name: 'resnet-train-image', project: 'vision', image: 'registry.example.com/vision/resnet:3f2a1c9' } },
};

/** One sample event of each catalogue type, with realistic `data`, e.g. `{ experiment: { id, name, project, status } }`. */
export function demoEvents(now: Date = new Date()): DemoEvent[] {
  return EVENT_TYPES.map((type, index) => {
    const [entity = '', status = ''] = type.split('.');
    const sample = SAMPLES[entity] ?? { key: entity, fields: {} };
    return {
      type,
      id: `evt_demo_${randomUUID().slice(0, 8)}`,
      timestamp: now.toISOString(),
      data: { [sample.key]: { id: 40 + index, ...sample.fields, status } },
    };
  });
}

/** Publishes `events` on the events queue, as the platform would; resolves with their message ids. */
export async function publishEvents(sqs: SQSClient, queueUrl: string, events: readonly DemoEvent[]): Promise<string[]> {
  const ids: string[] = [];
  for (const event of events) {
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
    ids.push(MessageId ?? '');
  }
  return ids;
}
