import { eventSummary } from '../../lambda/core/formats/event-summary';
import { PAGERDUTY_LIMITS, dedupKey, pagerDutyEvent } from '../../lambda/core/formats/pagerduty';
import { platformEvent } from '../support/factories';
import { oversizedSummary } from './oversized-summary';

const KEY = 'R0123456789ABCDEFGHIJKLMNOPQRSTU';

function pagerDuty(type: string, data: Record<string, unknown>, id = 'evt_1') {
  return pagerDutyEvent(eventSummary(platformEvent({ id, type, data })), KEY);
}

describe('pagerDutyEvent', () => {
  it.each([
    ['experiments.failed', 'trigger', 'error'],
    ['jobs.stopped', 'trigger', 'warning'],
    ['builds.succeeded', 'resolve', 'info'],
    ['groups.done', 'resolve', 'info'],
  ])('sends %s as %s with severity %s', (type, action, severity) => {
    // Act
    const event = pagerDuty(type, {});

    // Assess
    expect(event.event_action).toBe(action);
    expect(event.payload.severity).toBe(severity);
    expect(event.routing_key).toBe(KEY);
  });

  it('triggers an explicit .done whose data reports a failure', () => {
    // Act & Assess
    expect(pagerDuty('experiments.done', { experiment: { id: 42, status: 'failed' } }).event_action).toBe('trigger');
  });

  it('gives the failure and the later success of one entity the same dedup_key, so the success resolves the incident', () => {
    // Act
    const failed = pagerDuty('experiments.failed', { experiment: { id: 42, name: 'resnet' } }, 'evt_a');
    const succeeded = pagerDuty('experiments.succeeded', { experiment: { id: 42, name: 'resnet' } }, 'evt_b');

    // Assess
    expect(failed.dedup_key).toBe('platform-webhooks:experiment:42');
    expect(succeeded.dedup_key).toBe(failed.dedup_key);
    expect(pagerDuty('jobs.failed', { job: { id: 42 } }).dedup_key).toBe('platform-webhooks:job:42');
  });

  it('keys on data.id, else the event id, when the entity has no id', () => {
    // Act & Assess
    expect(pagerDuty('jobs.failed', { id: 'j-9' }).dedup_key).toBe('platform-webhooks:job:j-9');
    expect(pagerDuty('jobs.failed', {}, 'evt_77').dedup_key).toBe('platform-webhooks:job:evt_77');
  });

  it('hashes an identity too long for a 255-character dedup_key rather than cutting it', () => {
    // Act
    const [a, b] = ['a', 'b'].map((suffix) => dedupKey({ kind: 'experiment', identity: `${'x'.repeat(300)}${suffix}` }));

    // Assess
    expect(a!.length).toBeLessThanOrEqual(PAGERDUTY_LIMITS.dedupKey);
    expect(a).toMatch(/^platform-webhooks:experiment:sha256:[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });

  it('stays within the Events API limits for a summary far beyond them', () => {
    // Act
    const event = pagerDutyEvent(oversizedSummary(), KEY);

    // Assess
    expect(event.payload.summary).toHaveLength(PAGERDUTY_LIMITS.summary);
    expect(event.dedup_key.length).toBeLessThanOrEqual(PAGERDUTY_LIMITS.dedupKey);
    for (const value of Object.values(event.payload.custom_details)) expect(value.length).toBeLessThanOrEqual(PAGERDUTY_LIMITS.customDetail);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(512 * 1024);
  });

  it('links the entity and names its project as source and group when the data has them', () => {
    // Act
    const event = pagerDuty('jobs.failed', { job: { id: 1, project: 'vision', html_url: 'https://p.example/j/1' } });

    // Assess
    expect(event.links).toEqual([{ href: 'https://p.example/j/1', text: 'Open job' }]);
    expect(event.payload).toMatchObject({ source: 'vision', group: 'vision', component: 'job', class: 'jobs.failed' });
    expect(pagerDuty('jobs.failed', {}).payload.source).toBe('platform-webhooks');
  });
});
