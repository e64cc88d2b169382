import { createServer } from 'node:http';

import { closeServer, listenOnLoopback, LOOPBACK } from './listen-on-loopback';
import { LogStore } from './log-store';
import type { LogStoreOptions } from './log-store';
import { createLogsRequestHandler } from './logs-protocol';
import { refuseForeignHost } from './refuse-foreign-host';

/** A running CloudWatch Logs stand-in on a server of its own. */
export interface LogsServer {
  /** Base URL for `new CloudWatchLogsClient({ endpoint })`. */
  readonly endpoint: string;
  /** The state behind it: seed it or read it directly. */
  readonly store: LogStore;
  /** Stops listening and flushes the store. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the CloudWatch Logs stand-in alone on a free loopback port (tests and `npm run bench`);
 * the local stack mounts {@link createLogsRequestHandler} behind its one endpoint instead.
 * @throws LogDataFileError when the data file cannot be read.
 */
export async function startLogsServer(options: LogStoreOptions = {}): Promise<LogsServer> {
  const store = await LogStore.open(options);
  const handle = createLogsRequestHandler(store);
  const server = createServer((req, res) => {
    if (!refuseForeignHost(req, res)) handle(req, res);
  });
  const port = await listenOnLoopback(server, 0, 'endpoint');
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    store,
    close: () => (closing ??= closeServer(server).then(() => store.close())),
  };
}
