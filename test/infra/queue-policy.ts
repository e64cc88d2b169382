import type { Template } from 'aws-cdk-lib/assertions';
import { text } from './synth-stack';

/** One `sqs:SendMessage` (or other action) request, as the queue's resource policy sees it. */
export interface QueueRequest {
  /** An AWS service (`sns.amazonaws.com`), or an account's principal: its id, or a role's ARN in `principalArn`. */
  readonly service?: string;
  readonly account?: string;
  readonly principalArn?: string;
  readonly sourceArn?: string;
  /** Default true. */
  readonly secureTransport?: boolean;
  /** Default `sqs:SendMessage`. */
  readonly action?: string;
}

/** What the queue's resource policy decides: an explicit deny, an allow, or neither (only the caller's own IAM could allow it). */
export type PolicyDecision = 'denied' | 'allowed' | 'not allowed';

interface PolicyStatementJson {
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: unknown;
  readonly Action: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/**
 * Evaluates `request` against the statements of the queue policy attached to the queue with
 * logical id `queueId`, as IAM does for a resource policy: an explicit deny wins, else any allow.
 * Only the condition operators this app uses are known; another one fails the test.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function decide(template: Template, queueId: string, request: QueueRequest): PolicyDecision {
  const matching = queuePolicyStatements(template, queueId).filter((statement) => principalMatches(statement.Principal, request) && actionMatches(statement.Action, request.action ?? 'sqs:SendMessage') && conditionsHold(statement.Condition ?? {}, request));
  if (matching.some((statement) => statement.Effect === 'Deny')) return 'denied';
  return matching.some((statement) => statement.Effect === 'Allow') ? 'allowed' : 'not allowed';
}

/** The statements of every queue policy attached to `queueId`. */
export function queuePolicyStatements(template: Template, queueId: string): PolicyStatementJson[] {
  return Object.values(template.findResources('AWS::SQS::QueuePolicy'))
    .filter((policy) => (policy.Properties.Queues as { Ref: string }[]).some((queue) => queue.Ref === queueId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
}

function principalMatches(principal: unknown, request: QueueRequest): boolean {
  if (principal === '*') return true;
  const { Service, AWS } = principal as { Service?: string | string[]; AWS?: unknown };
  if (Service !== undefined) return request.service !== undefined && [Service].flat().includes(request.service);
  const principals = [AWS].flat().map(text);
  if (principals.includes('*')) return true;
  return request.account !== undefined && principals.some((arn) => arn === request.account || arn.endsWith(`:iam::${request.account}:root`));
}

function actionMatches(action: string | string[], wanted: string): boolean {
  return [action].flat().some((pattern) => pattern === wanted || (pattern.endsWith('*') && wanted.startsWith(pattern.slice(0, -1))));
}

function conditionsHold(conditions: Record<string, Record<string, unknown>>, request: QueueRequest): boolean {
  const context: Record<string, string | undefined> = {
    'aws:SecureTransport': String(request.secureTransport ?? true),
    'aws:SourceArn': request.sourceArn,
    'aws:PrincipalArn': request.principalArn,
  };
  return Object.entries(conditions).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => {
      const given = context[key];
      const listed = [values].flat().map(text);
      switch (operator) {
        case 'Bool':
        case 'ArnEquals':
        case 'StringEquals':
          return given !== undefined && listed.includes(given);
        case 'ArnNotEquals':
          // A key absent from the request matches no value, so the negated operator holds.
          return given === undefined || !listed.includes(given);
        default:
          throw new Error(`the test's policy evaluator does not know the condition operator ${operator}`);
      }
    }),
  );
}
