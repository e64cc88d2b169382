/**
 * `npm start`: the whole pipeline on this machine (docs/design.md §8). Parses options, starts the stack,
 * prints how to use it, and stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
 */
import { eventCatalogue } from '../lambda/core/inbound/events';
import { applyConfigFile, configFileToApply } from './apply-config-file';
import { createConsoleLog, logLevelOf } from './console-log';
import { demoEvents, publishEvents } from './demo-events';
import { formatDelivery } from './demo-receiver';
import { DEMO_SUBSCRIPTION, subscribeDemo } from './demo-subscription';
import { startLocalStack } from './local-stack';
import type { DiscardedMessages, LocalStack } from './local-stack';
import { LocalStackError, PortInUseError } from './local-stack-errors';
import { startBanner } from './start-banner';
import { parseStartOptions } from './start-options';
import { describeError } from '../lambda/core/errors';

// The SDK's Node.js-version notice is noise here; CloudWatch EMF lines would be too (the deployed function keeps both).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

/** Repeats of a signal within this window are the same keypress relayed by a wrapper. */
const REPEAT_SIGNAL_MS = 1000;

const print = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parseStartOptions(process.argv);
  const configFile = configFileToApply(options.config);
  const stack = await startLocalStack({
    port: options.port,
    receiverPort: options.receiverPort,
    dataDir: options.dataDir,
    logsMaxBytes: options.logsMaxMb * 2 ** 20,
    log: createConsoleLog(print, logLevelOf(process.env.POWERTOOLS_LOG_LEVEL)),
    onDelivery: (delivery) => print(formatDelivery(delivery)),
  });
  const signals = stopOnSignals(stack);
  try {
    stack.store.throttleReads(options.ssmTps);
    // Before the banner: a file that cannot be applied stops the stack with nothing else printed.
    const applied = configFile === undefined ? [] : await applyConfigFile({ ssm: stack.clients.ssm, path: stack.config.subscriptionsPath, file: configFile, env: process.env, catalogue: eventCatalogue(stack.config.extraEventTypes) });
    print(startBanner(stack));
    if (options.ssmTps !== undefined) print(`ssm: reads above ${options.ssmTps} per second answer ThrottlingException`);
    applied.forEach((line) => print(line));
    if (options.demo) {
      await subscribeDemo({ ssm: stack.clients.ssm, path: stack.config.subscriptionsPath, receiverUrl: stack.receiverUrl });
      const events = demoEvents();
      await publishEvents(stack.clients.sqs, stack.queueUrl, events);
      print(`demo: subscribed "${DEMO_SUBSCRIPTION}" to * (signed) and published ${events.length} sample events, one of each type`);
    }
  } catch (error) {
    if (signals.stopping()) return; // stopped while starting up: the stop in progress ends the process
    await stack.stop();
    throw error;
  }
  if (!signals.stopping()) print('ready');
}

/**
 * The first signal stops after the batch in progress and exits 0; another one a second or more later
 * exits at once. (Wrappers such as npm and tsx relay a Ctrl-C that the child also gets directly, so
 * one keypress can arrive two or three times within milliseconds.)
 */
function stopOnSignals(stack: LocalStack): { stopping(): boolean } {
  let stoppingSince: number | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < REPEAT_SIGNAL_MS) return;
      print(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stoppingSince = Date.now();
    print(`${signal}: stopping after the batch in progress (press Ctrl-C again to exit at once)`);
    stack.stop().then(
      (discarded) => print(stoppedLine(discarded)),
      (error: unknown) => fail(`could not stop cleanly: ${describeError(error)}`),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { stopping: () => stoppingSince !== undefined };
}

/** `stopped`, and what went with the queues: fauxqs keeps them in memory only (README, Quick start). */
function stoppedLine({ deadLetters, pending }: DiscardedMessages): string {
  const lost = [
    ...(deadLetters > 0 ? [`${deadLetters} dead letter${deadLetters === 1 ? '' : 's'}`] : []),
    ...(pending > 0 ? [`${pending} message${pending === 1 ? '' : 's'} waiting in the events and retry queues`] : []),
  ];
  if (lost.length === 0) return 'stopped';
  const hint = deadLetters > 0 ? ' ("npx webhooks dlq list" shows dead letters while the stack runs)' : '';
  return `stopped; the queues are kept in memory only, so ${lost.join(' and ')} ${deadLetters + pending === 1 ? 'was' : 'were'} discarded${hint}`;
}

/** The local stack's own errors are sentences for the user; anything else is described with its causes. */
function describeStartError(error: unknown): string {
  if (error instanceof PortInUseError) {
    return `${error.message}; pass ${error.server === 'endpoint' ? '--port' : '--receiver-port'} to choose another`;
  }
  return error instanceof LocalStackError ? error.message : describeError(error);
}

/** One `error: ` line per line of `message` (an invalid config file has one per problem). */
function fail(message: string): void {
  for (const line of message.split('\n')) process.stderr.write(`error: ${line}\n`);
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  fail(describeStartError(error));
  process.exit();
});
