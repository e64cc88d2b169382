import { randomUUID } from 'node:crypto';
import { entityDataKey } from '../lambda/core/inbound/events';
import type { PlatformEvent } from '../lambda/core/inbound/events';

/**
 * A sample event of `type` for test deliveries: a fresh `evt_test_…` id (so a fresh webhook-id),
 * the given time, and data shaped like the platform's with `"test": true` so receivers can tell.
 */
export function sampleEvent(type: string, now: number, id = `evt_test_${randomUUID()}`): PlatformEvent {
  const [entity = 'experiments', status = 'done'] = type.split('.');
  const subject = entityDataKey(entity);
  return {
    id,
    type,
    timestamp: new Date(now).toISOString(),
    data: { test: true, [subject]: { id: 0, name: 'webhooks-test', project: 'platform-webhooks', status } },
  };
}
