/**
 * `platform-webhooks/cdk`: the construct and the stack for a CDK app of your own (README, "Use the
 * construct in your CDK app"). `aws-cdk-lib` and `constructs` are the app's, as peer dependencies;
 * the function's code ships pre-built in the package (docs/design.md §7).
 */
export { WebhookDispatcher } from '../infra/webhook-dispatcher';
export type { WebhookDispatcherProps } from '../infra/webhook-dispatcher-props';
export { PlatformWebhooksStack } from '../infra/platform-webhooks-stack';
export type { PlatformWebhooksStackProps } from '../infra/platform-webhooks-stack';
