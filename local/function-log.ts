import { randomBytes } from 'node:crypto';

import { auditToLog } from '../lambda/adapters/audit-to-log';
import type { AuditLog, Log, LogFields } from '../lambda/core/ports';
import { LOG_LEVELS } from './console-log';
import type { LogLevel } from './console-log';
import type { LogStore } from './log-store';

/** The local function's log and audit trail. */
export interface FunctionLog {
  readonly log: Log;
  readonly audit: AuditLog;
  /** The log stream its lines go to, named as Lambda names one: `2026/11/27/[$LATEST]<32 hex digits>`. */
  readonly stream: string;
}

export interface FunctionLogOptions {
  readonly store: LogStore;
  /** The log group, as the deployed function's (the CLI finds the local one by its fixed name). */
  readonly group: string;
  /** Where a person reads the log (the terminal of `npm start`); every line goes there too. */
  readonly console: Log;
  /** Lines below this level are not kept, as Lambda drops them below the function's log level; default `info`. */
  readonly level?: Exclude<LogLevel, 'silent'>;
  readonly now?: () => Date;
}

/**
 * The local function's log as the deployed function's reaches CloudWatch Logs: each line, the
 * audit lines (docs/design.md §11) among them, is kept in the CloudWatch Logs stand-in as the JSON
 * Powertools Logger writes (`level`, `message`, `timestamp`, `service`, then the fields), so the
 * same filter patterns select it locally and deployed; and each is shown on the console as well.
 */
export function createFunctionLog(options: FunctionLogOptions): FunctionLog {
  const now = options.now ?? (() => new Date());
  const stream = `${now().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  options.store.ensureStream(options.group, stream);
  const at = (level: Exclude<LogLevel, 'silent'>) => (message: string, fields?: LogFields) => {
    options.console[level](message, fields);
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const at = now();
    const line = { level: level.toUpperCase(), message, timestamp: at.toISOString(), service: 'platform-webhooks', ...fields };
    options.store.append(options.group, stream, JSON.stringify(line, replaceErrors), at.getTime());
  };
  const log: Log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, audit: auditToLog(log), stream };
}

/** Errors as Powertools writes them: name, message and stack rather than `{}`. */
function replaceErrors(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}
