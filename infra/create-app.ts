import { App, Validations } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { dispatcherPropsFromContext } from './dispatcher-context';
import { InvalidContextError } from './errors';
import { DEFAULT_STACK_NAME, PlatformWebhooksStack } from './platform-webhooks-stack';

/**
 * Builds the app `cdk synth` and `cdk deploy` run: the stack configured from context, with the
 * cdk-nag AwsSolutions checks run at synthesis (a violation fails it).
 * @throws {InvalidContextError} when a context value is not valid.
 */
export function createApp(props?: AppProps): App {
  const app = new App(props);
  const stackName = readStackName(app);
  new PlatformWebhooksStack(app, stackName, { dispatcher: dispatcherPropsFromContext(app.node) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

function readStackName(app: App): string {
  const raw: unknown = app.node.tryGetContext('stackName');
  if (raw === undefined) return DEFAULT_STACK_NAME;
  if (typeof raw !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(raw)) {
    throw new InvalidContextError(`context "stackName" must be a CloudFormation stack name (a letter, then letters, digits or hyphens, at most 128), got ${JSON.stringify(raw)}`);
  }
  return raw;
}
