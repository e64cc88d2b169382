import type { Node } from 'constructs';
import { closest } from '../lambda/core/closest-word';
import { CDK_SETTINGS, SETTINGS, readSettings } from '../lambda/settings';
import { InvalidContextError } from './errors';
import { propsFromSettings } from './webhook-dispatcher-props';
import type { WebhookDispatcherProps } from './webhook-dispatcher-props';

/** What the app takes from CDK context (`-c key=value`, or `cdk.json` "context"). */
export interface AppContext {
  readonly stackName: string;
  readonly dispatcher: WebhookDispatcherProps;
}

/**
 * Context keys that belong to CDK, not to this app: feature flags (`@aws-cdk/…`,
 * `@aws-cdk-containers/…`), the CLI's own keys (`aws:cdk:…`, `aws-cdk:…`, `cli-telemetry`, the
 * notices it was told to acknowledge) and cached context lookups (`<provider>:account=…`).
 * @see https://docs.aws.amazon.com/cdk/v2/guide/context.html
 */
const CDK_OWN_KEY = /^(@aws-cdk|aws:cdk:|aws-cdk:|cli-telemetry$|acknowledged-issue-numbers$|[a-z-]+:account=)/;

/**
 * Reads the app's options from context with the same settings, and so the same checks, as the
 * construct's props. Values from `-c` arrive as text, those from `cdk.json` may also be numbers,
 * booleans or arrays. Absent keys stay undefined so that the construct's defaults apply.
 * @throws {InvalidContextError} listing every unknown key (with the nearest known one) and every invalid value.
 */
export function readAppContext(node: Node): AppContext {
  const context = node.getAllContext() as Record<string, unknown>;
  const known: string[] = CDK_SETTINGS.map((name) => SETTINGS[name].key);
  const unknown = Object.keys(context)
    .filter((key) => !known.includes(key) && !CDK_OWN_KEY.test(key))
    .map((key) => `context "${key}" is not an option of this app; did you mean "${closest(key, known)}"?`);
  const given = CDK_SETTINGS.filter((name) => context[SETTINGS[name].key] !== undefined);
  const { values, problems } = readSettings(given, 'cdk', (name) => context[SETTINGS[name].key], (name) => `context "${SETTINGS[name].key}"`);
  if (unknown.length + problems.length > 0) throw new InvalidContextError([...unknown, ...problems].join('; '));
  return { stackName: values.stackName ?? SETTINGS.stackName.default, dispatcher: propsFromSettings(values) };
}
