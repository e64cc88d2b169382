import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readAppContext } from './app-context';
import { PlatformWebhooksStack } from './platform-webhooks-stack';

/**
 * Builds the app `cdk synth` and `cdk deploy` run: the stack configured from context, with the
 * cdk-nag AwsSolutions checks and the AWS Control Tower proactive controls (cfn-guard, its binary
 * bundled in the package, offline) run at synthesis: a finding that is not acknowledged in code
 * with its reason fails it.
 * @throws {InvalidContextError} when a context key is unknown or a value is not valid.
 */
export function createApp(props?: AppProps): App {
  const app = new App(props);
  const { stackName, dispatcher } = readAppContext(app.node);
  new PlatformWebhooksStack(app, stackName, { dispatcher });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator());
  return app;
}
