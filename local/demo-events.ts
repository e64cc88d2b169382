import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';

import { ENTITY_DATA_KEY, EVENT_TYPES } from '../lambda/core/inbound/events';
import type { Entity, PlatformEvent } from '../lambda/core/inbound/events';

/** An event envelope as the platform publishes it (docs/design.md §1). */
export type DemoEvent = PlatformEvent;

/** What the platform might say about each entity; `status` and `id` are filled in per event. */
const SAMPLES: Readonly<Record<Entity, Record<string, unknown>>> = {
  experiments: { name: 'resnet-sweep-3', project: 'vision', user: 'alice', group: 7 },
  groups: { name: 'lr-search', project: 'vision', user: 'alice', experiments: 12 },
  jobs: { name: 'export-onnx', project: 'vision', user: 'bob' },
  builds: { name: 'resnet-train-image', project: 'vision', image: 'registry.example.com/vision/resnet:3f2a1c9' },
};

/** One sample event of each catalogue type, with realistic `data`, e.g. `{ experiment: { id, name, project, status } }`. */
export function demoEvents(now: Date = new Date()): DemoEvent[] {
  return EVENT_TYPES.map((type, index) => {
    // Every catalogue type is `<entity>.<status>` of a catalogue entity.
    const [entity, status] = type.split('.') as [Entity, string];
    return {
      type,
      id: `evt_demo_${randomUUID().slice(0, 8)}`,
      timestamp: now.toISOString(),
      data: { [ENTITY_DATA_KEY[entity]]: { id: 40 + index, ...SAMPLES[entity], status } },
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
