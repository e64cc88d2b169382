import { BUILT_IN_EVENTS, EVENT_TYPES } from '../../lambda/core/inbound/events';
import { demoEvents } from '../../local/demo-events';

describe('demoEvents', () => {
  it('is one valid envelope of each catalogue type, its data naming the entity and the status', () => {
    // Act
    const events = demoEvents(new Date('2026-11-27T10:00:00.000Z'));

    // Assess
    expect(events.map((event) => event.type)).toEqual(EVENT_TYPES);
    expect(events.every((event) => BUILT_IN_EVENTS.has(event.type) && event.timestamp === '2026-11-27T10:00:00.000Z')).toBe(true);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    expect(events.find((event) => event.type === 'experiments.succeeded')?.data).toEqual({
      experiment: expect.objectContaining({ id: expect.any(Number), name: 'resnet-sweep-3', project: 'vision', status: 'succeeded' }),
    });
    expect(Object.keys(events.find((event) => event.type === 'builds.failed')?.data ?? {})).toEqual(['build']);
  });
});
