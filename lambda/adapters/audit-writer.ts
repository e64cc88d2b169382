import { LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { AUDIT_LEVELS, AUDIT_MESSAGES, AUDIT_OUTCOMES, auditFieldsJson } from '../core/delivery/audit-entry';
import type { AuditLine, AuditOutcome } from '../core/delivery/audit-entry';
import type { AuditLog } from '../core/ports';

/** Where the lines go: process.stdout and process.stderr deployed, where Lambda reads both. */
export interface LineSink {
  write(text: string): unknown;
}

export interface AuditWriterOptions {
  /**
   * The function's logger: its level (Lambda's application log level first, then
   * POWERTOOLS_LOG_LEVEL) decides which lines are written. Read once: a container's level is fixed.
   */
  readonly logger: { readonly level: number };
  /** The `service` of every line, as the logger's. */
  readonly serviceName: string;
  /** The environment the Powertools fields come from (`POWERTOOLS_LOGGER_SAMPLE_RATE`, `_X_AMZN_TRACE_ID`); default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** INFO lines; default process.stdout. */
  readonly stdout?: LineSink;
  /** WARN and ERROR lines, as Powertools writes them; default process.stderr. */
  readonly stderr?: LineSink;
  /** Epoch milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

const THRESHOLDS = { info: LogLevelThreshold.INFO, warn: LogLevelThreshold.WARN, error: LogLevelThreshold.ERROR } as const satisfies Record<AuditLine['level'], number>;

/** Held-back text past which a sink is written at once, well below the 64 KiB at which Lambda splits a line. */
const MAX_HELD_CHARS = 16 * 1024;

/** The deployed audit trail, which holds lines back briefly: {@link AuditWriter.flush} writes them. */
export interface AuditWriter extends AuditLog {
  /** Writes every line held back; the handler calls it before each invocation returns. */
  flush(): void;
}

/**
 * The audit trail of the deployed function (docs/design.md §11): each entry one JSON line, exactly
 * as Powertools Logger would write it (`level`, `message`, `timestamp`, `service`, `sampling_rate`,
 * `xray_trace_id` when traced, then the fields of `auditLine`), which Lambda's JSON log format
 * keeps as it is and filters by its `level`. Built as text, without the logger's formatting path
 * or the fields' object, which cost more than anything else of a delivery's own work
 * (BENCHMARKS.md, "Capacity"); a line below the logger's level is not even built.
 *
 * The lines of one turn of the event loop go out in one write per stream: at the end of the turn,
 * when 16 KiB are held, at {@link AuditWriter.flush} (before the invocation returns, so that no
 * line waits for a frozen container) and when the process exits. Each line still ends in a newline,
 * and a stream read by lines, as Lambda reads the function's output, yields the same lines.
 */
export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const now = options.now ?? Date.now;
  const service = `","service":${JSON.stringify(options.serviceName)},"sampling_rate":${sampleRate(env)}`;
  // The opening of each outcome's lines, up to the timestamp's value.
  const heads = Object.fromEntries(
    AUDIT_OUTCOMES.map((outcome) => [outcome, `{"level":"${AUDIT_LEVELS[outcome].toUpperCase()}","message":${JSON.stringify(AUDIT_MESSAGES[outcome])},"timestamp":"`]),
  ) as Record<AuditOutcome, string>;
  const clock = isoClock(now);
  const level = options.logger.level;
  const trace = traceField(env);
  let heldOut = '';
  let heldErr = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (heldOut !== '') {
      const text = heldOut;
      heldOut = '';
      stdout.write(text);
    }
    if (heldErr !== '') {
      const text = heldErr;
      heldErr = '';
      stderr.write(text);
    }
  };
  if (options.stdout === undefined || options.stderr === undefined) process.once('exit', flush);
  return {
    record(entry) {
      const lineLevel = AUDIT_LEVELS[entry.outcome];
      if (THRESHOLDS[lineLevel] < level) return;
      const text = `${heads[entry.outcome]}${clock()}${service}${trace()},${auditFieldsJson(entry)}}\n`;
      if (lineLevel === 'info') heldOut += text;
      else heldErr += text;
      if (heldOut.length + heldErr.length >= MAX_HELD_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush).unref();
      }
    },
    flush,
  };
}

/** Powertools' `sampling_rate`: POWERTOOLS_LOGGER_SAMPLE_RATE when it is a number from 0 to 1, else 0. */
function sampleRate(env: NodeJS.ProcessEnv): number {
  const value = Number(env.POWERTOOLS_LOGGER_SAMPLE_RATE);
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 0;
}

/** ISO-8601 UTC timestamps, formatted once per millisecond (many lines share one). */
function isoClock(now: () => number): () => string {
  let last = Number.NaN;
  let text = '';
  return () => {
    const at = now();
    if (at !== last) {
      last = at;
      text = new Date(at).toISOString();
    }
    return text;
  };
}

/**
 * Powertools' `xray_trace_id` field, read as it reads it: the `Root` of `_X_AMZN_TRACE_ID`, which
 * Lambda sets per invocation (the whole value when it has no `=`), parsed once per value.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
function traceField(env: NodeJS.ProcessEnv): () => string {
  let last: string | undefined;
  let field = '';
  return () => {
    const header = env._X_AMZN_TRACE_ID ?? '';
    if (header !== last) {
      last = header;
      const root = header.includes('=') ? header.split(';').map((part) => part.split('=')).find(([key]) => key === 'Root')?.[1] : header;
      field = root === undefined || root === '' ? '' : `,"xray_trace_id":${JSON.stringify(root)}`;
    }
    return field;
  };
}
