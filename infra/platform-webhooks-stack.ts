import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SETTINGS } from '../lambda/settings';
import { WebhookDispatcher } from './webhook-dispatcher';
import type { WebhookDispatcherProps } from './webhook-dispatcher-props';

/** The stack's name unless `-c stackName=…` gives another. */
export const DEFAULT_STACK_NAME = SETTINGS.stackName.default;

/** Props of {@link PlatformWebhooksStack}. */
export interface PlatformWebhooksStackProps extends StackProps {
  /**
   * Options of the webhook dispatcher.
   * @default - the WebhookDispatcher defaults
   */
  readonly dispatcher?: WebhookDispatcherProps;
}

/** The deployable system: one {@link WebhookDispatcher} and the outputs the CLI and the platform need. */
export class PlatformWebhooksStack extends Stack {
  /** The dispatcher; call `dispatcher.grantPublish(role)` to let a platform role in this app publish. */
  public readonly dispatcher: WebhookDispatcher;

  constructor(scope: Construct, id: string, props: PlatformWebhooksStackProps = {}) {
    super(scope, id, {
      description: 'platform-webhooks: signed webhook delivery for ML-platform events (SQS, Lambda, SSM Parameter Store)',
      ...props,
    });
    this.dispatcher = new WebhookDispatcher(this, 'Dispatcher', props.dispatcher);
    this.dispatcher.addStackOutputs();
  }
}
