import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClients, CliIo } from './cli-io';
import { clientConfig, effectiveEndpoint, hasCustomEndpoint } from './client-config';
import { ForeignEndpointError, ResolutionError, UsageError } from './errors';
import { DEFAULT_SUBSCRIPTIONS_PATH, OPTION_ENV } from './global-options';
import type { GlobalOptions } from './global-options';
import { STACK_OUTPUTS } from '../infra/stack-outputs';
import { eventCatalogue } from '../lambda/core/inbound/events';
import type { EventCatalogue } from '../lambda/core/inbound/events';
import { parseSubscriptionsPath } from '../lambda/setting-types';
import { SETTINGS } from '../lambda/settings';

/** The queue names `npm start` creates; without stack outputs, the CLI finds the local queues by these names. */
export const LOCAL_QUEUE_NAMES = { events: 'platform-webhooks-events', retries: 'platform-webhooks-retries', deadLetter: 'platform-webhooks-dlq' } as const;

/** The log group of the function `npm start` runs; without stack outputs, the CLI reads the local history there. */
export const LOCAL_LOG_GROUP_NAME = '/aws/lambda/platform-webhooks-local';

/** The AWS side of one CLI run: clients built on first use, and where the queues and subscriptions are. */
export interface AwsContext extends Pick<AwsClients, 'ssm' | 'sqs'> {
  /** The SSM path of the subscriptions, without a trailing slash. */
  subscriptionsPath(): Promise<string>;
  queueUrl(): Promise<string>;
  deadLetterQueueUrl(): Promise<string>;
  /** The function's log group: `given` (`--log-group`), its environment variable, the `--stack` outputs, or the local stack's. */
  logGroupName(given?: string): Promise<string>;
  /**
   * The event types the deployment accepts (docs/design.md §10): the built-in ones and its extra
   * types, from `--extra-event-types`, else the `--stack` outputs, else `EXTRA_EVENT_TYPES` (what
   * `npm start` and the function read). Patterns and published types are checked against it.
   * @throws {UsageError} naming the entry that is not an extra event type, and where it came from.
   */
  eventCatalogue(): Promise<EventCatalogue>;
  /** Closes the clients this context built. */
  close(): void;
}

/** Where one queue's URL may come from, in order. */
interface QueueSource {
  readonly what: string;
  readonly option: string | undefined;
  readonly flag: string;
  readonly variable: string;
  readonly outputKey: string;
  readonly localName: string;
}

/**
 * Resolution order, for each setting: the option, its environment variable, the `--stack`
 * outputs, then (queues only, when an endpoint URL is set) a GetQueueUrl by the local stack's names.
 */
export function createAwsContext(options: GlobalOptions, io: CliIo): AwsContext {
  const env = io.env ?? process.env;
  const config = clientConfig(options, env);
  const built: Array<{ destroy(): void }> = [];
  const lazy = <T extends { destroy(): void }>(given: T | undefined, build: () => T): (() => T) => {
    let client = given;
    return () => {
      if (client === undefined) built.push((client = build()));
      return client;
    };
  };
  const ssm = lazy(io.clients?.ssm, () => explainForeignAnswers(new SSMClient(config)));
  const sqs = lazy(io.clients?.sqs, () => explainForeignAnswers(new SQSClient(config)));
  const stackName = options.stack ?? nonEmpty(env[OPTION_ENV.stack]);
  let lookUp: Promise<{ readonly outputs: Readonly<Record<string, string>>; value(key: string): string }> | undefined;
  /**
   * The stack's outputs, when a stack is named (read once). The CloudFormation client is loaded
   * only then: it adds a fifth to the CLI's start-up time (BENCHMARKS.md, CLI start time).
   */
  const stack = (): typeof lookUp => {
    if (stackName === undefined) return undefined;
    lookUp ??= (async () => {
      const [cloudFormation, { readStackOutputs, stackOutput }] = await Promise.all([import('@aws-sdk/client-cloudformation'), import('./stack-outputs.js')]);
      // Imported at run time from the bundle's ES-module chunks, a CommonJS package's exports may come as `default`.
      const CloudFormationClient = cloudFormation.CloudFormationClient ?? (cloudFormation as unknown as { default: typeof cloudFormation }).default.CloudFormationClient;
      const outputs = await readStackOutputs(lazy(io.clients?.cloudFormation, () => explainForeignAnswers(new CloudFormationClient(config)))(), stackName);
      return { outputs, value: (name: string) => stackOutput(outputs, stackName, name) };
    })();
    return lookUp;
  };
  /** The stack's output `key`, when a stack is named. @throws {ResolutionError} when the stack has no such output. */
  const stackValue = (key: string): Promise<string> | undefined => stack()?.then((outputs) => outputs.value(key));

  async function resolveQueue(queue: QueueSource): Promise<string> {
    const given = queue.option ?? nonEmpty(env[queue.variable]);
    if (given !== undefined) return given;
    const fromStack = stackValue(queue.outputKey);
    if (fromStack !== undefined) return fromStack;
    if (hasCustomEndpoint(options, env)) return lookUpQueue(sqs(), queue.localName, effectiveEndpoint(options, env));
    throw new ResolutionError(`no ${queue.what} given; pass ${queue.flag}, set ${queue.variable}, name the deployed stack with --stack, or point --endpoint-url at the local stack`);
  }

  return {
    get ssm() {
      return ssm();
    },
    get sqs() {
      return sqs();
    },
    async subscriptionsPath() {
      const given = options.path ?? nonEmpty(env[OPTION_ENV.path]);
      if (given !== undefined) return checkPath(given);
      const fromStack = stackValue(STACK_OUTPUTS.subscriptionsPath);
      if (fromStack !== undefined) return checkPath(await fromStack);
      return DEFAULT_SUBSCRIPTIONS_PATH;
    },
    queueUrl: () => resolveQueue({
      what: 'events queue', option: options.queueUrl, flag: '--queue-url', variable: OPTION_ENV.queueUrl, outputKey: STACK_OUTPUTS.queueUrl, localName: LOCAL_QUEUE_NAMES.events,
    }),
    deadLetterQueueUrl: () => resolveQueue({
      what: 'dead-letter queue', option: options.dlqUrl, flag: '--dlq-url', variable: OPTION_ENV.dlqUrl, outputKey: STACK_OUTPUTS.deadLetterQueueUrl, localName: LOCAL_QUEUE_NAMES.deadLetter,
    }),
    async logGroupName(given) {
      const named = given ?? nonEmpty(env[OPTION_ENV.logGroup]);
      if (named !== undefined) return named;
      const fromStack = stackValue(STACK_OUTPUTS.logGroupName);
      if (fromStack !== undefined) return fromStack;
      if (hasCustomEndpoint(options, env)) return LOCAL_LOG_GROUP_NAME;
      throw new ResolutionError(`no log group given; pass --log-group, set ${OPTION_ENV.logGroup}, name the deployed stack with --stack, or point --endpoint-url at the local stack`);
    },
    async eventCatalogue() {
      if (options.extraEventTypes !== undefined) return catalogueOf(options.extraEventTypes, '--extra-event-types');
      const deployed = stack();
      if (deployed !== undefined) {
        // A stack deployed without extra types has no such output.
        const { outputs } = await deployed;
        return catalogueOf(outputs[STACK_OUTPUTS.extraEventTypes] ?? '', `stack "${stackName}" output ${STACK_OUTPUTS.extraEventTypes}`);
      }
      return catalogueOf(env[SETTINGS.extraEventTypes.env] ?? '', SETTINGS.extraEventTypes.env);
    },
    close() {
      for (const client of built) client.destroy();
    },
  };
}

/**
 * Turns the bare `SyntaxError` the SDK throws when it cannot parse an answer (a web server, a
 * proxy's error page, the demo receiver's port) into a {@link ForeignEndpointError} naming the
 * endpoint that answered. At the build step, so it sees the request and wraps the retries.
 */
function explainForeignAnswers<T extends SSMClient | SQSClient | CloudFormationClient>(client: T): T {
  // The clients' stacks differ only in their input and output types, which this middleware passes through.
  const stack = client.middlewareStack as SSMClient['middlewareStack'];
  stack.add((next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      const failed = error as { name?: unknown; message?: unknown; $response?: { statusCode?: number } } | undefined;
      if (failed?.name !== 'SyntaxError' || failed.$response === undefined) throw error;
      const { protocol = 'http:', hostname = '', port } = args.request as { protocol?: string; hostname?: string; port?: number };
      const detail = String(failed.message).split('\n')[0] ?? '';
      throw new ForeignEndpointError(`${protocol}//${hostname}${port === undefined ? '' : `:${port}`}`, failed.$response.statusCode, detail, { cause: error });
    }
  }, { step: 'build', name: 'explainForeignAnswers' });
  return client;
}

async function lookUpQueue(client: SQSClient, name: string, endpoint: string | undefined): Promise<string> {
  try {
    const { QueueUrl: url } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    if (url) return url;
  } catch (error) {
    if (!/QueueDoesNotExist|NonExistentQueue/.test((error as Error).name)) throw error;
  }
  throw new ResolutionError(`there is no queue named "${name}" at ${endpoint ?? 'the endpoint'}; is the local stack running (npm start)? Otherwise pass the queue URL`);
}

/** The catalogue with the extra types of a comma list, by the function's own rule. @throws {UsageError} naming the entry and `where` it came from. */
function catalogueOf(list: string, where: string): EventCatalogue {
  try {
    return eventCatalogue(list.trim() === '' ? [] : SETTINGS.extraEventTypes.type.read(list, 'env'));
  } catch (error) {
    throw new UsageError(`${where} ${(error as Error).message}, got "${list}"`, { cause: error });
  }
}

/** A subscriptions path without its trailing slash, by the function's own rule. @throws {UsageError} saying what is wrong. */
export function checkPath(path: string): string {
  try {
    return parseSubscriptionsPath(path);
  } catch (error) {
    throw new UsageError(`--path ${(error as Error).message}, got "${path}"`, { cause: error });
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
