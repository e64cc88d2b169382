import type { Log, LogFields } from '../lambda/core/ports';

/** The handler's log levels, plus `silent`; the same names as `POWERTOOLS_LOG_LEVEL`. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A log for a terminal: one readable line per entry, `10:00:01.234 handler  delivered  subscription=demo attempt=1`,
 * instead of the JSON lines the deployed function writes for CloudWatch. Entries below `level` are dropped.
 */
export function createConsoleLog(write: (line: string) => void, level: LogLevel = 'info'): Log {
  const threshold = LOG_LEVELS.indexOf(level);
  const at = (entryLevel: Exclude<LogLevel, 'silent'>) => (message: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(entryLevel) < threshold) return;
    const label = entryLevel === 'info' ? '' : `${entryLevel.toUpperCase()} `;
    write(`${clockTime(new Date())} handler   ${label}${message}${formatFields(fields)}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The log level named by `text` (case-insensitive), or `fallback` when it names none. */
export function logLevelOf(text: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  const level = text?.trim().toLowerCase();
  return LOG_LEVELS.find((name) => name === level) ?? fallback;
}

/** Local wall-clock time with milliseconds, `10:00:01.234`. */
export function clockTime(date: Date): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function formatFields(fields: LogFields | undefined): string {
  if (fields === undefined) return '';
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `  ${key}=${typeof value === 'string' && /^\S+$/.test(value) ? value : JSON.stringify(value)}`)
    .join('');
}
