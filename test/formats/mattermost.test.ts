import { eventSummary } from '../../lambda/core/formats/event-summary';
import { MATTERMOST_LIMITS, mattermostMessage } from '../../lambda/core/formats/mattermost';
import { platformEvent } from '../support/factories';
import { oversizedSummary } from './oversized-summary';

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
});
