import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { InvalidPropsError } from '../../infra/errors';
import { STACK_OUTPUTS } from '../../infra/stack-outputs';
import { WebhookDispatcher } from '../../infra/webhook-dispatcher';
import { logicalId, testApp } from './synth-stack';

/** The construct in a stack of the user's own, as README "Use the construct in your CDK app" shows it. */
describe('WebhookDispatcher.addStackOutputs', () => {
  it('adds the outputs the CLI reads to the stack it is in, under the keys the CLI looks up', () => {
    // Prepare
    const stack = new Stack(testApp(), 'MlPlatform');
    const webhooks = new WebhookDispatcher(stack, 'Webhooks', { subscriptionsPath: '/ml-platform/webhooks', extraEventTypes: ['models.registered'] });

    // Act
    webhooks.addStackOutputs();

    // Assess
    const outputs = Template.fromStack(stack).toJSON().Outputs as Record<string, { Value: unknown }>;
    const withoutEgress = Object.values(STACK_OUTPUTS).filter((key) => key !== STACK_OUTPUTS.egressIps);
    expect(Object.keys(outputs).sort()).toEqual(withoutEgress.sort());
    expect(outputs[STACK_OUTPUTS.queueUrl]!.Value).toEqual({ Ref: logicalId(stack, webhooks.queue) });
    expect(outputs[STACK_OUTPUTS.deadLetterQueueUrl]!.Value).toEqual({ Ref: logicalId(stack, webhooks.deadLetterQueue) });
    expect(outputs[STACK_OUTPUTS.logGroupName]!.Value).toEqual({ Ref: logicalId(stack, webhooks.logGroup) });
    expect(outputs[STACK_OUTPUTS.subscriptionsPath]!.Value).toBe('/ml-platform/webhooks');
    expect(outputs[STACK_OUTPUTS.extraEventTypes]!.Value).toBe('models.registered');
  });

  it('refuses a second set of outputs in one stack, saying why', () => {
    // Prepare
    const stack = new Stack(testApp(), 'MlPlatform');
    new WebhookDispatcher(stack, 'First').addStackOutputs();
    const second = new WebhookDispatcher(stack, 'Second');

    // Act
    const add = (): void => second.addStackOutputs();

    // Assess
    expect(add).toThrow(InvalidPropsError);
    expect(add).toThrow('WebhookDispatcher.addStackOutputs: stack "MlPlatform" has the outputs of a dispatcher already; the CLI reads one dispatcher\'s outputs per stack, so put a second dispatcher in a stack of its own');
  });

  it('adds none until asked: the outputs and their names stay the app\'s choice', () => {
    // Prepare
    const stack = new Stack(testApp(), 'MlPlatform');

    // Act
    new WebhookDispatcher(stack, 'Webhooks');

    // Assess
    expect(Template.fromStack(stack).toJSON().Outputs).toBeUndefined();
  });
});
