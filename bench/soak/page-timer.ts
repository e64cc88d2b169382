import type { SSMClient } from '@aws-sdk/client-ssm';

/** One container's answered GetParametersByPath calls, their time, and when each refresh read its first page. */
export interface PageTimes {
  pages: number;
  ms: number;
  /** Epoch milliseconds of each answered first page (a call without NextToken): the container's loads, in order. */
  readonly refreshStarts: number[];
  /** Epoch milliseconds of each answered last page (an answer without NextToken): its loads done. */
  readonly refreshEnds: number[];
}

/**
 * Times the client's answered GetParametersByPath calls (SDK retries included) and notes when each
 * refresh read its first page, through the client's middleware stack: the pages' mean time is how
 * long a refresh takes, which lengthens a container's period beyond its cache time, and the refresh
 * starts of containers started together show how far their jittered cache times move them apart
 * (docs/scale.md).
 */
export function timePages(client: SSMClient): PageTimes {
  const times: PageTimes = { pages: 0, ms: 0, refreshStarts: [], refreshEnds: [] };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'GetParametersByPathCommand') return next(args);
      const startedAt = performance.now();
      const output = await next(args);
      times.pages += 1;
      times.ms += performance.now() - startedAt;
      if ((args.input as { NextToken?: string }).NextToken === undefined) times.refreshStarts.push(Date.now());
      if ((output.output as { NextToken?: string }).NextToken === undefined) times.refreshEnds.push(Date.now());
      return output;
    },
    { step: 'initialize', name: 'soakPageTimer' },
  );
  return times;
}
