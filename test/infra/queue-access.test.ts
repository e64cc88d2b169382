import { readFileSync } from 'node:fs';
import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { README } from '../../infra/settings-readme';
import type { PlatformWebhooksStack } from '../../infra/platform-webhooks-stack';
import { decide, queuePolicyStatements } from './queue-policy';
import { logicalId, synthFromContext, synthStack } from './synth-stack';

/** The first capture of `pattern` in the README, or a failed test. */
function fromReadme(pattern: RegExp): string {
  const found = pattern.exec(readFileSync(README, 'utf8'))?.[1];
  if (found === undefined) throw new Error(`README.md has no line matching ${pattern}`);
  return found;
}

describe('who may send to the queues, with the options the README recipes deploy', () => {
  // The values the recipes of the README's "Other envelopes" and "How the platform publishes" pass to `cdk deploy`.
  const topicArn = fromReadme(/^npx cdk deploy -c snsTopicArns=(\S+)$/m);
  const ruleArn = fromReadme(/^npx cdk deploy -c eventBridgeRuleArns=(\S+)$/m);
  const account = fromReadme(/^npx cdk deploy -c publisherAccountIds=(\S+)$/m);
  let stack: Stack;
  let template: Template;
  let ids: { queue: string; retryQueue: string; deadLetterQueue: string; role: string };

  beforeAll(() => {
    ({ stack, template } = synthFromContext({ snsTopicArns: topicArn, eventBridgeRuleArns: ruleArn, publisherAccountIds: account }));
    const { dispatcher } = stack as PlatformWebhooksStack;
    ids = {
      queue: logicalId(stack, dispatcher.queue),
      retryQueue: logicalId(stack, dispatcher.retryQueue),
      deadLetterQueue: logicalId(stack, dispatcher.deadLetterQueue),
      role: logicalId(stack, dispatcher.lambdaFunction.role!),
    };
  });

  it('deploys the topic and the rule the recipes subscribe and target', () => {
    // Assess
    expect(topicArn).toBe(fromReadme(/aws sns subscribe --topic-arn (\S+)/));
    expect(ruleArn.endsWith(`:rule/${fromReadme(/aws events put-rule --name (\S+)/)}`)).toBe(true);
    expect(fromReadme(/aws events put-targets --rule (\S+)/)).toBe(fromReadme(/aws events put-rule --name (\S+)/));
  });

  it.each([
    ['the SNS topic', { service: 'sns.amazonaws.com', sourceArn: topicArn }],
    ['the EventBridge rule', { service: 'events.amazonaws.com', sourceArn: ruleArn }],
    ['the publisher account', { account }],
    ['the publisher account looking the queue up', { account, action: 'sqs:GetQueueUrl' }],
  ])('lets %s send to the events queue', (_who, request) => {
    // Act
    const decision = decide(template, ids.queue, request);
    // Assess
    expect(decision).toBe('allowed');
  });

  it.each([
    ['another topic', { service: 'sns.amazonaws.com', sourceArn: topicArn.replace(/[^:]+$/, 'other-topic') }],
    ['the topic from another account', { service: 'sns.amazonaws.com', sourceArn: topicArn.replace(/:\d{12}:/, ':999999999999:') }],
    ['SNS without a source', { service: 'sns.amazonaws.com' }],
    ['SNS naming the rule', { service: 'sns.amazonaws.com', sourceArn: ruleArn }],
    ['another rule', { service: 'events.amazonaws.com', sourceArn: ruleArn.replace(/[^/]+$/, 'other-rule') }],
    ['EventBridge naming the topic', { service: 'events.amazonaws.com', sourceArn: topicArn }],
    ['another service', { service: 'lambda.amazonaws.com', sourceArn: topicArn }],
    ['another account', { account: '999999999999' }],
    ['the publisher account deleting messages', { account, action: 'sqs:DeleteMessage' }],
  ])('does not let %s send to the events queue', (_who, request) => {
    // Act
    const decision = decide(template, ids.queue, request);
    // Assess
    expect(decision).not.toBe('allowed');
  });

  it('refuses every publisher without TLS', () => {
    // Act
    const decision = decide(template, ids.queue, { service: 'sns.amazonaws.com', sourceArn: topicArn, secureTransport: false });
    // Assess
    expect(decision).toBe('denied');
  });

  it.each([
    ['the SNS topic', { service: 'sns.amazonaws.com', sourceArn: topicArn }],
    ['the EventBridge rule', { service: 'events.amazonaws.com', sourceArn: ruleArn }],
    ['the publisher account', { account }],
  ])('lets %s send to neither the retry queue nor the DLQ', (_who, request) => {
    // Act
    const decisions = [decide(template, ids.retryQueue, request), decide(template, ids.deadLetterQueue, request)];
    // Assess
    expect(decisions).toEqual(['denied', 'not allowed']);
  });

  it('denies every sender to the retry queue but the function, whatever its own IAM allows', () => {
    // Prepare
    const functionRole = `\${${ids.role}.Arn}`;
    // Act
    const byFunction = decide(template, ids.retryQueue, { principalArn: functionRole });
    const byAdmin = decide(template, ids.retryQueue, { principalArn: 'arn:aws:iam::123456789012:role/Admin' });
    // Assess
    expect(byFunction).toBe('not allowed'); // its IAM policy allows it
    expect(byAdmin).toBe('denied');
  });
});

describe('the events queue without publisher options', () => {
  it('allows no one by its policy: publishers of the account need IAM (grantPublish)', () => {
    // Prepare
    const { stack, template } = synthStack();
    // Act
    const statements = queuePolicyStatements(template, logicalId(stack, stack.dispatcher.queue));
    // Assess
    expect(statements.map((statement) => statement.Effect)).toEqual(['Deny']);
  });
});
