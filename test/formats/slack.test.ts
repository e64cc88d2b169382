import { eventSummary } from '../../lambda/core/formats/event-summary';
import { SLACK_LIMITS, slackMessage } from '../../lambda/core/formats/slack';
import type { SlackBlock } from '../../lambda/core/formats/slack';
import { platformEvent } from '../support/factories';
import { oversizedSummary } from './oversized-summary';

function block<T extends SlackBlock['type']>(blocks: readonly SlackBlock[], type: T): Extract<SlackBlock, { type: T }> | undefined {
  return blocks.find((candidate): candidate is Extract<SlackBlock, { type: T }> => candidate.type === type);
}

describe('slackMessage', () => {
  it('shows the status as an emoji in the notification text and the header', () => {
    // Act
    const messages = (['succeeded', 'failed', 'stopped', 'done'] as const).map((status) => slackMessage({ ...eventSummary(platformEvent()), status }));

    // Assess
    expect(messages.map((message) => message.text.split(' ')[0])).toEqual([':white_check_mark:', ':x:', ':black_square_for_stop:', ':checkered_flag:']);
    expect(block(messages[1]!.blocks, 'header')?.text.text).toBe(':x: Experiment resnet-sweep-3 succeeded');
  });

  it('stays within every Slack limit for a summary far beyond them', () => {
    // Act
    const message = slackMessage(oversizedSummary());

    // Assess
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(block(message.blocks, 'header')!.text.text).toHaveLength(SLACK_LIMITS.headerText);
    const fields = block(message.blocks, 'section')!.fields;
    expect(fields).toHaveLength(SLACK_LIMITS.sectionFields);
    for (const field of fields) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    expect(block(message.blocks, 'context')!.elements[0].text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    expect(block(message.blocks, 'actions')!.elements[0].text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
    expect(message.text.endsWith('…')).toBe(true);
  });

  it('escapes &, < and > in mrkdwn so that data can neither mention @channel nor forge links', () => {
    // Act
    const message = slackMessage(oversizedSummary());

    // Assess
    const mrkdwn = [message.text, ...block(message.blocks, 'section')!.fields.map((field) => field.text)];
    for (const text of mrkdwn) {
      expect(text).not.toMatch(/[<>]/);
      expect(text).toContain('&lt;!channel&gt; @everyone &amp;');
    }
  });

  it('leaves out the fields section and the button when there are no fields and no link', () => {
    // Act
    const message = slackMessage(eventSummary(platformEvent({ data: {} })));

    // Assess
    expect(message.blocks.map((candidate) => candidate.type)).toEqual(['header', 'context']);
  });
});
