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
      audit.flush();
    });

    // Assess: the same text on each stream (Powertools writes a line at a time, the writer a turn's lines at once).
    expect(ours.stdout.join('')).toEqual(powertools.stdout.join(''));
    expect(ours.stderr.join('')).toEqual(powertools.stderr.join(''));
    expect(ours.stdout.join('').split('\n').filter(Boolean)).toHaveLength(AUDIT_OUTCOMES.filter((outcome) => auditLine(entry({ outcome })).level === 'info').length);
    const [firstFailure] = ours.stderr.join('').split('\n');
    expect(JSON.parse(firstFailure ?? '')).toMatchObject({ level: 'WARN', timestamp: '2026-11-27T10:05:02.114Z', url: 'https://hooks.example.com/in?token=****' });
  });

  it("keeps only the lines at or above Lambda's log level, as the logger does", () => {
    // Act
    const written = withEnvironment({ POWERTOOLS_LOG_LEVEL: 'INFO', AWS_LAMBDA_LOG_LEVEL: 'WARN' }, () => {
      const audit = createAuditWriter({ logger: new Logger({ serviceName: 'platform-webhooks' }), serviceName: 'platform-webhooks' });
      audit.record(entry({ outcome: 'delivered', status: 200, error: undefined, retryInMs: undefined }));
      audit.record(entry({ outcome: 'retry' }));
      audit.record(entry({ outcome: 'dead-lettered', reason: 'exhausted' }));
      audit.flush();
    });

    // Assess
    expect(written.stdout).toEqual([]);
    expect(lines(written.stderr).map((line) => JSON.parse(line) as { level: string; outcome: string })).toEqual([
      expect.objectContaining({ level: 'WARN', outcome: 'retry' }),
      expect.objectContaining({ level: 'ERROR', outcome: 'dead-lettered' }),
    ]);
  });

  it('writes the lines of one turn of the event loop in one write per stream by the end of the turn, each ending in a newline, with the time of its clock', async () => {
    // Prepare
    const out: string[] = [];
    const err: string[] = [];
    let now = AT;
    const audit = createAuditWriter({ logger: { level: 12 }, serviceName: 'platform-webhooks', env: {}, stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) }, now: () => now });

    // Act
    audit.record(entry({ outcome: 'delivered' }));
    now += 1;
    audit.record(entry({ outcome: 'delivered' }));
    audit.record(entry({ outcome: 'retry' }));
    const beforeTheTurnEnds = out.length + err.length;
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(beforeTheTurnEnds).toBe(0);
    expect(out).toHaveLength(1);
    expect(err).toHaveLength(1);
    expect(lines(out).map((line) => (JSON.parse(line) as { timestamp: string }).timestamp)).toEqual(['2026-11-27T10:05:02.114Z', '2026-11-27T10:05:02.115Z']);
    expect([...out, ...err].every((text) => text.endsWith('}\n'))).toBe(true);
  });

  it('writes what it holds at flush, and at once past 16 KiB, so no line waits for the end of the turn', () => {
    // Prepare
    const out: string[] = [];
    const audit = createAuditWriter({ logger: { level: 12 }, serviceName: 'platform-webhooks', env: {}, stdout: { write: (text: string) => out.push(text) }, stderr: { write: () => true } });

    // Act
    for (let i = 0; i < 100; i++) audit.record(entry({ outcome: 'delivered', subscription: `subscription-${'x'.repeat(200)}-${i}` }));
    const writtenBeforeFlush = lines(out).length;
    audit.flush();
    audit.flush();

    // Assess
    expect(writtenBeforeFlush).toBeGreaterThan(0);
    expect(writtenBeforeFlush).toBeLessThan(100);
    expect(lines(out).map((line) => (JSON.parse(line) as { subscription: string }).subscription)).toEqual(Array.from({ length: 100 }, (_, i) => `subscription-${'x'.repeat(200)}-${i}`));
  });
});

/** The lines of what was written, in order. */
function lines(written: readonly string[]): string[] {
  return written.join('').split('\n').filter((line) => line !== '');
}
