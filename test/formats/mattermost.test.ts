import { eventSummary } from '../../lambda/core/formats/event-summary';
import { MATTERMOST_LIMITS, mattermostMessage } from '../../lambda/core/formats/mattermost';
import { platformEvent } from '../support/factories';
import { FORMAT_CASES } from './format-cases';
import { oversizedSummary } from './oversized-summary';

/** `[text](url)` whose brackets are not escaped: a link, to a markdown reader. */
const UNESCAPED_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\(/;
/** `@everyone`, `@here`, `@channel` with nothing between the `@` and the word. */
const MENTION = /(^|\W)@(everyone|here|channel)\b/;
/** A line that starts a heading. */
const HEADING = /^\s*#/m;

describe('mattermostMessage', () => {
  it('sends one attachment coloured by status, titled and linked, with no top-level text', () => {
    // Act
    const message = mattermostMessage(eventSummary(platformEvent({ data: { experiment: { id: 42, name: 'resnet', url: 'https://p.example/42' } } })));

    // Assess
    expect(Object.keys(message)).toEqual(['attachments']);
    expect(message.attachments[0]).toMatchObject({
      fallback: '✅ Experiment resnet succeeded',
      title: '✅ Experiment resnet succeeded',
      title_link: 'https://p.example/42',
      color: '#2EB67D',
      fields: [{ title: 'ID', value: '42', short: true }],
    });
  });

  it('keeps the attachments JSON within 7,900 characters by shrinking the field values', () => {
    // Act
    const message = mattermostMessage(oversizedSummary());

    // Assess
    const [attachment] = message.attachments;
    expect(JSON.stringify(message.attachments).length).toBeLessThanOrEqual(MATTERMOST_LIMITS.attachmentsJson);
    expect(attachment.title.length).toBeLessThanOrEqual(MATTERMOST_LIMITS.title);
    expect(attachment.footer.length).toBeLessThanOrEqual(MATTERMOST_LIMITS.footer);
    expect(attachment.fields.length).toBeGreaterThan(0);
    for (const field of attachment.fields) expect(field.title.length).toBeLessThanOrEqual(MATTERMOST_LIMITS.fieldTitle);
  });

  it('renders a hostile name, mentions and headings inert wherever Mattermost reads markdown', () => {
    // Prepare
    const summary = eventSummary(platformEvent(FORMAT_CASES['hostile-name']));

    // Act
    const [attachment] = mattermostMessage(summary).attachments;

    // Assess
    const markdown = [attachment.title, ...attachment.fields.flatMap((field) => [field.title, field.value])];
    for (const text of markdown) {
      expect(text).not.toMatch(UNESCAPED_LINK);
      expect(text).not.toMatch(MENTION);
      expect(text).not.toMatch(HEADING);
    }
    expect(attachment.title).toBe('❌ Experiment \\[Action required: re-authenticate\\](https://evil.example/login) failed');
    expect(attachment.fallback).toBe('❌ Experiment [Action required: re-authenticate](https://evil.example/login) failed');
  });
});
