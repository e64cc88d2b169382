import type { Context } from 'aws-lambda';

/**
 * A Lambda `Context` for running the handler outside Lambda: `getRemainingTimeInMillis` counts
 * down from the function timeout, as it does in Lambda.
 */
export function lambdaContext(timeoutMs: number, functionName = 'platform-webhooks-local'): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
