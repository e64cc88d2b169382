import { auditLine } from '../core/delivery/audit-entry';
import type { AuditLog, Log } from '../core/ports';

/**
 * The audit trail (docs/design.md §11) written as lines of a log: each entry at its level, with its
 * message and its fields beside the logger's own. Over Powertools Logger (the deployed function)
 * the fields land at the top level of a JSON line, where CloudWatch Logs filter patterns
 * (`{ $.subscription = "ops" }`) reach them.
 */
export function auditToLog(log: Log): AuditLog {
  return {
    record(entry) {
      const { level, message, fields } = auditLine(entry);
      log[level](message, fields);
    },
  };
}
