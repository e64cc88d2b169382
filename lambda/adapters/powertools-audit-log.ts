import type { Logger } from '@aws-lambda-powertools/logger';

import { auditLine } from '../core/delivery/audit-entry';
import type { AuditLog } from '../core/ports';

/**
 * The audit trail through Powertools Logger: one JSON line per entry on the function's log, its
 * fields at the top level beside Powertools' `level`, `message`, `timestamp` and `service`, where
 * CloudWatch Logs filter patterns (`{ $.subscription = "ops" }`) reach them (docs/design.md §11).
 */
export function createPowertoolsAuditLog(logger: Logger): AuditLog {
  return {
    record(entry) {
      const { level, message, fields } = auditLine(entry);
      logger[level](message, fields);
    },
  };
}
