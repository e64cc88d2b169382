import type { SSMClient } from '@aws-sdk/client-ssm';

/** GetParametersByPath calls a client made that SSM answered, and the milliseconds they took together. */
export interface PageTimes {
  pages: number;
  ms: number;
}

/**
 * Times the client's answered GetParametersByPath calls (SDK retries included), through its
 * middleware stack: with the pages a refresh reads, their mean time is how long a refresh takes,
 * which lengthens each container's period between refreshes beyond its cache time (docs/scale.md).
 */
export function timePages(client: SSMClient, times: PageTimes): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'GetParametersByPathCommand') return next(args);
      const startedAt = performance.now();
      const output = await next(args);
      times.pages += 1;
      times.ms += performance.now() - startedAt;
      return output;
    },
    { step: 'initialize', name: 'soakPageTimer' },
  );
}
