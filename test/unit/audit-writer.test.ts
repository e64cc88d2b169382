import { Logger } from '@aws-lambda-powertools/logger';

import { createAuditWriter } from '../../lambda/adapters/audit-writer';
import { AUDIT_OUTCOMES, auditLine } from '../../lambda/core/delivery/audit-entry';
import type { AuditEntry } from '../../lambda/core/delivery/audit-entry';

const AT = Date.parse('2026-11-27T10:05:02.114Z');
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return { outcome: 'retry', eventId: 'evt_1', eventType: 'jobs.failed', subscription: 'ops', deliveryId: 'msg_1', attempt: 2, status: 503, latencyMs: 120, error: 'HTTP 503 from https://hooks.example.com/in?token=abc', url: 'https://hooks.example.com/in?token=abc', retryInMs: 30_000, ...overrides };
}

/** Runs `act` with the given variables set (and restored after), capturing what is written to stdout and stderr. */
function withEnvironment(variables: Record<string, string | undefined>, act: () => void): { stdout: string[]; stderr: string[] } {
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const written = { stdout: [] as string[], stderr: [] as string[] };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.stdout.push(String(chunk)) > 0),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.stderr.push(String(chunk)) > 0),
  ];
  // Both clocks at AT: Powertools reads `new Date()`, the writer `Date.now()`.
  jest.useFakeTimers({ now: AT });
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    act();
  } finally {
    jest.useRealTimers();
    for (const spy of spies) spy.mockRestore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  return written;
}

describe('createAuditWriter', () => {
  it.each([
    ['without a trace', undefined],
    ['in a traced invocation', TRACE],
  ])('writes, %s, the line Powertools Logger writes for the entry, to the same stream', (_case, trace) => {
    // Prepare
    const entries = AUDIT_OUTCOMES.map((outcome) => entry({ outcome, reason: outcome === 'dead-lettered' ? 'exhausted' : undefined }));

    // Act
    const powertools = withEnvironment({ POWERTOOLS_LOG_LEVEL: 'INFO', _X_AMZN_TRACE_ID: trace }, () => {
      const logger = new Logger({ serviceName: 'platform-webhooks' });
      for (const line of entries.map(auditLine)) logger[line.level](line.message, { ...line.fields });
    });
    const ours = withEnvironment({ POWERTOOLS_LOG_LEVEL: 'INFO', _X_AMZN_TRACE_ID: trace }, () => {
      const audit = createAuditWriter({ logger: new Logger({ serviceName: 'platform-webhooks' }), serviceName: 'platform-webhooks' });
      for (const audited of entries) audit.record(audited);
    });

    // Assess
    expect(ours).toEqual(powertools);
    expect(ours.stdout).toHaveLength(AUDIT_OUTCOMES.filter((outcome) => auditLine(entry({ outcome })).level === 'info').length);
    expect(ours.stderr.length).toBeGreaterThan(0);
    expect(JSON.parse(ours.stderr[0] ?? '')).toMatchObject({ level: 'WARN', timestamp: '2026-11-27T10:05:02.114Z', url: 'https://hooks.example.com/in?token=****' });
  });

  it("keeps only the lines at or above Lambda's log level, as the logger does", () => {
    // Act
    const written = withEnvironment({ POWERTOOLS_LOG_LEVEL: 'INFO', AWS_LAMBDA_LOG_LEVEL: 'WARN' }, () => {
      const audit = createAuditWriter({ logger: new Logger({ serviceName: 'platform-webhooks' }), serviceName: 'platform-webhooks' });
      audit.record(entry({ outcome: 'delivered', status: 200, error: undefined, retryInMs: undefined }));
      audit.record(entry({ outcome: 'retry' }));
      audit.record(entry({ outcome: 'dead-lettered', reason: 'exhausted' }));
    });

    // Assess
    expect(written.stdout).toEqual([]);
    expect(written.stderr.map((line) => JSON.parse(line) as { level: string; outcome: string })).toEqual([
      expect.objectContaining({ level: 'WARN', outcome: 'retry' }),
      expect.objectContaining({ level: 'ERROR', outcome: 'dead-lettered' }),
    ]);
  });

  it('writes each line as one write ending in a newline, with the time of the clock it is given', () => {
    // Prepare
    const written: string[] = [];
    const sink = { write: (text: string) => written.push(text) };
    let now = AT;
    const audit = createAuditWriter({ logger: { level: 12 }, serviceName: 'platform-webhooks', env: {}, stdout: sink, stderr: sink, now: () => now });

    // Act
    audit.record(entry({ outcome: 'delivered' }));
    now += 1;
    audit.record(entry({ outcome: 'delivered' }));

    // Assess
    expect(written).toHaveLength(2);
    expect(written.every((line) => line.endsWith('}\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
    expect(written.map((line) => (JSON.parse(line) as { timestamp: string }).timestamp)).toEqual(['2026-11-27T10:05:02.114Z', '2026-11-27T10:05:02.115Z']);
  });
});
