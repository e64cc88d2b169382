import { eventSummary } from '../../lambda/core/formats/event-summary';
import { TEAMS_LIMITS, teamsMessage } from '../../lambda/core/formats/teams';
import { platformEvent } from '../support/factories';
import { FORMAT_CASES } from './format-cases';
import { oversizedSummary } from './oversized-summary';

describe('teamsMessage', () => {
  it('wraps an Adaptive Card 1.4 in the message shape a Teams workflow posts', () => {
    // Act
    const message = teamsMessage(eventSummary(platformEvent({ type: 'builds.stopped', data: { build: { id: 3, name: 'cuda', html_url: 'https://p.example/b/3' } } })));

    // Assess
    expect(message).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null }] });
    const card = message.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4', actions: [{ type: 'Action.OpenUrl', title: 'Open build', url: 'https://p.example/b/3' }] });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: '⏹️ Build cuda stopped', color: 'Warning', wrap: true });
    expect(card.body[1]).toEqual({ type: 'FactSet', facts: [{ title: 'ID', value: '3' }] });
  });

  it('leaves out the fact set and the action when there are no fields and no link', () => {
    // Act
    const card = teamsMessage(eventSummary(platformEvent({ data: {} }))).attachments[0].content;

    // Assess
    expect(card.body.map((element) => element.type)).toEqual(['TextBlock', 'TextBlock']);
    expect(card).not.toHaveProperty('actions');
  });

  it.each([
    ['ASCII', 'x'],
    ['three-byte characters', '界'],
  ])('keeps the body under 27,000 bytes for oversized %s data', (_name, character) => {
    // Act
    const body = JSON.stringify(teamsMessage(oversizedSummary('failed', character)));

    // Assess
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TEAMS_LIMITS.messageBytes);
    expect(body).toContain('"FactSet"');
  });

  it('renders a hostile name as text: no inline link, reference link or link definition in any text block or fact', () => {
    // Prepare
    const summary = eventSummary(platformEvent(FORMAT_CASES['hostile-name']));

    // Act
    const { body } = teamsMessage(summary).attachments[0].content;

    // Assess
    const texts = body.flatMap((element) => (element.type === 'FactSet' ? element.facts.flatMap((fact) => [fact.title, fact.value]) : [element.text]));
    for (const text of texts) expect(text).not.toMatch(/\](\(|\[|:)/);
    expect(texts[0]).toBe('❌ Experiment [Action required: re-authenticate]\u200b(https://evil.example/login) failed');
  });
});
