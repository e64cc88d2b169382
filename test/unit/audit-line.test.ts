import { LogLevelThreshold } from '@aws-lambda-powertools/logger';

import { parseAuditLine } from '../../cli/delivery-record';
import { createAuditWriter } from '../../lambda/adapters/audit-writer';
import { AUDIT_LEVELS, AUDIT_OUTCOMES, auditFieldsJson, auditLine } from '../../lambda/core/delivery/audit-entry';
import type { AuditEntry } from '../../lambda/core/delivery/audit-entry';
import { createFunctionLog } from '../../local/function-log';
import { LogStore } from '../../local/log-store';

const SILENT = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return { outcome: 'retry', eventId: 'evt_1', eventType: 'jobs.failed', subscription: 'ops', deliveryId: 'msg_1', attempt: 2, status: 503, latencyMs: 120, error: 'HTTP 503', retryInMs: 30_000, ...overrides };
}

describe('auditLine', () => {
  it('puts the mark first, then the fields in a fixed order, leaving out those the entry lacks', () => {
    // Act
    const line = auditLine(entry({ reason: undefined }));

    // Assess
    expect(line).toEqual({ level: 'warn', message: 'delivery failed; retry scheduled', fields: expect.any(Object) });
    expect(Object.entries(line.fields)).toEqual([
      ['audit', 'delivery'], ['outcome', 'retry'], ['eventId', 'evt_1'], ['eventType', 'jobs.failed'], ['subscription', 'ops'], ['deliveryId', 'msg_1'],
      ['attempt', 2], ['status', 503], ['latencyMs', 120], ['error', 'HTTP 503'], ['retryInMs', 30_000],
    ]);
  });

  it('passes the URL and the error through the redaction rule', () => {
    // Act
    const { fields } = auditLine(entry({
      url: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX',
      error: 'refused: https://user:hunter2@hooks.example.com/in?token=abc said whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }));

    // Assess
    expect(fields.url).toBe('https://hooks.slack.com/services/****');
    expect(fields.error).toBe('refused: https://****@hooks.example.com/in?token=**** said whsec_****');
  });

  it('logs failures above successes, so a warn log level keeps retries and dead letters', () => {
    // Act
    const levels = Object.fromEntries(AUDIT_OUTCOMES.map((outcome) => [outcome, auditLine(entry({ outcome })).level]));

    // Assess
    expect(levels).toEqual(AUDIT_LEVELS);
    expect([levels.delivered, levels.retry, levels['dead-lettered']]).toEqual(['info', 'warn', 'error']);
  });
});

describe('auditFieldsJson', () => {
  it.each(AUDIT_OUTCOMES)('writes, for a %s entry, the JSON of auditLine\'s fields without the braces, whichever fields it has', (outcome) => {
    // Prepare: every optional field absent, then present, with characters JSON escapes.
    const bare: AuditEntry = { outcome, eventId: 'evt_"1"', eventType: 'jobs.failed', subscription: 'ops\\east\n', deliveryId: 'msg_é', attempt: 1 };
    const full = entry({ outcome, reason: 'exhausted', url: 'https://hooks.example.com/in?token=abc', error: 'HTTP 503 "busy"\tfrom https://u:p@hooks.example.com/', latencyMs: 0.5 });

    // Act
    const written = [bare, full].map(auditFieldsJson);

    // Assess
    expect(written).toEqual([bare, full].map((audited) => JSON.stringify(auditLine(audited).fields).slice(1, -1)));
  });
});

describe('the audit line as written', () => {
  it('reads back the same through the CLI from the deployed writer and from the local function log', async () => {
    // Prepare
    const written: string[] = [];
    const sink = { write: (text: string) => written.push(text) };
    const store = await LogStore.open();
    const local = createFunctionLog({ store, group: '/aws/lambda/local', console: SILENT });
    const deployed = createAuditWriter({ logger: { level: LogLevelThreshold.INFO }, serviceName: 'platform-webhooks', env: {}, stdout: sink, stderr: sink });
    const audit = entry({ outcome: 'dead-lettered', reason: 'exhausted', url: 'https://hooks.example.com/in' });

    // Act
    deployed.record(audit);
    deployed.flush();
    local.audit.record(audit);

    // Assess
    const [line] = written;
    const [kept] = store.filter({ group: '/aws/lambda/local' }).events;
    expect(JSON.parse(line ?? '')).toMatchObject({ level: 'ERROR', message: 'delivery dead-lettered', service: 'platform-webhooks', audit: 'delivery' });
    expect(parseAuditLine(kept?.message ?? '', 0)).toEqual(parseAuditLine(line ?? '', 0));
    expect(parseAuditLine(line ?? '', 0)).toEqual({
      time: new Date(0).toISOString(), eventId: 'evt_1', eventType: 'jobs.failed', subscription: 'ops', deliveryId: 'msg_1', attempt: 2,
      outcome: 'dead-lettered', status: 503, latencyMs: 120, error: 'HTTP 503', reason: 'exhausted', url: 'https://hooks.example.com/in',
    });
  });
});
