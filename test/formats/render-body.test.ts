import { standardBody } from '../../lambda/core/delivery/delivery-request';
import { bodiesOf, renderBody } from '../../lambda/core/formats/render-body';
import type { BodyTarget } from '../../lambda/core/formats/render-body';
import { SUBSCRIPTION_FORMATS } from '../../lambda/core/subscriptions/subscriptions';
import { platformEvent } from '../support/factories';
import { FORMAT_CASES } from './format-cases';
import type { FormatCase } from './format-cases';
import { expectGolden } from './golden-file';

const ROUTING_KEY = 'R0123456789ABCDEFGHIJKLMNOPQRSTU';
const TEMPLATES = SUBSCRIPTION_FORMATS.filter((format) => format !== 'standard');

describe('renderBody', () => {
  describe.each(TEMPLATES)('format %s', (format) => {
    it.each(Object.keys(FORMAT_CASES) as FormatCase[])('renders the %s case exactly as its golden file', (name) => {
      // Act
      const body = renderBody(FORMAT_CASES[name], { format, ...(format === 'pagerduty' && { routingKey: ROUTING_KEY }) });

      // Assess
      expectGolden(`${format}-${name}`, body);
    });
  });

  it.each(TEMPLATES)('renders %s for extra event types named like Object.prototype members (constructor.created, jobs.constructor)', (format) => {
    // Prepare
    const events = [
      platformEvent({ type: 'constructor.created', data: { constructor: { id: 1, name: 'c1' } } }),
      platformEvent({ type: 'jobs.constructor', data: { job: { id: 2, name: 'j2' } } }),
    ];

    // Act
    const bodies = events.map((event) => renderBody(event, { format, ...(format === 'pagerduty' && { routingKey: ROUTING_KEY }) }));

    // Assess
    expect(bodies[0]).toContain('c1');
    expect(bodies[1]).toContain('j2');
  });

  it('renders format standard as the Standard Webhooks body of docs/design.md §3', () => {
    // Prepare
    const event = platformEvent();

    // Act
    const body = renderBody(event, { format: 'standard' });

    // Assess
    expect(body).toBe(standardBody(event));
  });

  it.each(TEMPLATES)('renders the same %s body for the same event every time, so a retry sends what the first attempt sent', (format) => {
    // Prepare
    const event = FORMAT_CASES['job-failed'];
    const target: BodyTarget = { format, routingKey: ROUTING_KEY };

    // Act
    const [first, second] = [renderBody(event, target), renderBody(structuredClone(event), target)];

    // Assess
    expect(second).toBe(first);
  });
});

describe('bodiesOf', () => {
  it('renders each format once per event, however many subscriptions share it', () => {
    // Prepare
    const rendered: string[] = [];
    const bodyFor = bodiesOf(platformEvent(), (event, target) => {
      rendered.push(target.format);
      return renderBody(event, target);
    });

    // Act
    const bodies = [bodyFor({ format: 'slack' }), bodyFor({ format: 'standard' }), bodyFor({ format: 'slack' }), bodyFor({ format: 'teams' }), bodyFor({ format: 'standard' })];

    // Assess
    expect(rendered).toEqual(['slack', 'standard', 'teams']);
    expect(bodies[2]).toBe(bodies[0]);
    expect(bodies[4]).toBe(bodies[1]);
  });

  it('renders a pagerduty body per routing key, since the key is part of it', () => {
    // Prepare
    const bodyFor = bodiesOf(platformEvent());
    const other = 'Z'.repeat(32);

    // Act
    const [a, b, again] = [bodyFor({ format: 'pagerduty', routingKey: ROUTING_KEY }), bodyFor({ format: 'pagerduty', routingKey: other }), bodyFor({ format: 'pagerduty', routingKey: ROUTING_KEY })];

    // Assess
    expect(JSON.parse(a).routing_key).toBe(ROUTING_KEY);
    expect(JSON.parse(b).routing_key).toBe(other);
    expect(again).toBe(a);
  });
});
