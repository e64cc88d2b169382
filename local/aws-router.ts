import type { IncomingMessage, ServerResponse } from 'node:http';

import { LOGS_TARGET_PREFIX } from './logs-protocol';
import { refuseForeignHost } from './refuse-foreign-host';
import { SSM_TARGET_PREFIX } from './ssm-protocol';

/** A Node request handler. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The services behind the local stack's one endpoint. */
export interface AwsRoutes {
  /** SSM Parameter Store: requests whose `X-Amz-Target` starts with `AmazonSSM.`. */
  readonly ssm: RequestHandler;
  /** CloudWatch Logs: requests whose `X-Amz-Target` starts with `Logs_20140328.`. */
  readonly logs: RequestHandler;
  /** Everything else: SQS (and fauxqs's SNS and S3). */
  readonly other: RequestHandler;
}

/**
 * The local stack's one endpoint: routes each request by its `X-Amz-Target` header, so that
 * `AWS_ENDPOINT_URL` alone points the AWS SDK, the AWS CLI and the `webhooks` CLI at every service.
 * The body is left unread for the service to read. Requests addressed to another host than this
 * machine's loopback are refused first (see {@link refuseForeignHost}).
 */
export function createAwsRouter(routes: AwsRoutes): RequestHandler {
  return (req, res) => {
    if (refuseForeignHost(req, res)) return;
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith(SSM_TARGET_PREFIX)) routes.ssm(req, res);
    else if (typeof target === 'string' && target.startsWith(LOGS_TARGET_PREFIX)) routes.logs(req, res);
    else routes.other(req, res);
  };
}
