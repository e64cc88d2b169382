import { DISCORD_LIMITS, discordMessage, embedCharacters } from '../../lambda/core/formats/discord';
import { eventSummary } from '../../lambda/core/formats/event-summary';
import { platformEvent } from '../support/factories';
import { FORMAT_CASES } from './format-cases';
import { oversizedSummary } from './oversized-summary';

/** `[text](url)` whose brackets are not escaped: a link, to a markdown reader. */
const UNESCAPED_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\(/;
/** `@everyone`, `@here`, `@channel` with nothing between the `@` and the word. */
const MENTION = /(^|\W)@(everyone|here|channel)\b/;
/** A line that starts a heading. */
const HEADING = /^\s*#/m;

describe('discordMessage', () => {
  it('puts the emoji and title in content and colours the embed by status', () => {
    // Act
    const message = discordMessage(eventSummary(platformEvent({ type: 'jobs.failed', data: { job: { id: 7, name: 'etl' } } })));

    // Assess
    expect(message.content).toBe('❌ Job etl failed');
    expect(message.embeds[0]).toMatchObject({ title: 'Job etl', color: 0xe01e5a });
  });

  it('stays within every Discord limit, shrinking field values until the embed fits 6,000 characters', () => {
    // Act
    const message = discordMessage(oversizedSummary());

    // Assess
    const [embed] = message.embeds;
    expect(message.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    for (const field of embed.fields) {
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(field.value.length).toBeGreaterThan(0);
    }
    expect(embed.footer.text.length).toBeLessThanOrEqual(DISCORD_LIMITS.footerText);
    expect(embedCharacters(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(embed.fields.length).toBeGreaterThan(0);
  });

  it('disables every mention, whatever the data says', () => {
    // Act & Assess
    expect(discordMessage(oversizedSummary()).allowed_mentions).toEqual({ parse: [] });
  });

  it('gives the embed an ISO-8601 UTC timestamp even when the event has an offset', () => {
    // Act
    const message = discordMessage(eventSummary(platformEvent({ timestamp: '2026-11-27T12:00:00+02:00' })));

    // Assess
    expect(message.embeds[0].timestamp).toBe('2026-11-27T10:00:00.000Z');
  });

  it('renders a hostile name, mentions and headings inert wherever Discord reads markdown', () => {
    // Prepare
    const summary = eventSummary(platformEvent(FORMAT_CASES['hostile-name']));

    // Act
    const message = discordMessage(summary);

    // Assess
    const [embed] = message.embeds;
    const markdown = [message.content, embed.title, ...embed.fields.flatMap((field) => [field.name, field.value])];
    for (const text of markdown) {
      expect(text).not.toMatch(UNESCAPED_LINK);
      expect(text).not.toMatch(MENTION);
      expect(text).not.toMatch(HEADING);
    }
    expect(message.content).toBe('❌ Experiment \\[Action required: re-authenticate\\](https://evil.example/login) failed');
  });
});
