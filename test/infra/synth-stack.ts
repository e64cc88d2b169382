import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../infra/create-app';
import { DEFAULT_STACK_NAME, PlatformWebhooksStack } from '../../infra/platform-webhooks-stack';
import type { WebhookDispatcherProps } from '../../infra/webhook-dispatcher-props';

const CDK_JSON = path.resolve(__dirname, '..', '..', 'cdk.json');

/**
 * The context `cdk synth` runs with (cdk.json's feature flags). The function's code is the asset
 * `npm run build` built (jest's globalSetup rebuilds it when stale), referenced where it is rather
 * than copied into a temporary cloud assembly per test app; cdk-synth.test.ts stages it for real.
 */
export function testContext(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { context } = JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> };
  return { ...context, 'aws:cdk:disable-asset-staging': true, ...extra };
}

/** A test app with the cdk.json context. */
export function testApp(extra: Record<string, unknown> = {}): App {
  return new App({ context: testContext(extra) });
}

/** The stack built with `dispatcher` props, and its template. */
export function synthStack(dispatcher?: WebhookDispatcherProps): { stack: PlatformWebhooksStack; template: Template } {
  const stack = new PlatformWebhooksStack(testApp(), 'Test', { dispatcher });
  return { stack, template: Template.fromStack(stack) };
}

/** The stack the real app entry builds from `context` (as `-c key=value` would), and its template. */
export function synthFromContext(context: Record<string, unknown>): { stack: Stack; template: Template } {
  const app = createApp({ context: testContext(context) });
  const name = typeof context.stackName === 'string' ? context.stackName : DEFAULT_STACK_NAME;
  const stack = app.node.findChild(name) as Stack;
  return { stack, template: Template.fromStack(stack) };
}

/**
 * Renders CloudFormation intrinsics as readable text, so that assertions read like ARNs:
 * `{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, …]] }` → `arn:${AWS::Partition}:…`.
 */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return `\${${String(object.Ref)}}`;
  if ('Fn::GetAtt' in object) return `\${${(object['Fn::GetAtt'] as string[]).join('.')}}`;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(text).join(separator);
  }
  return JSON.stringify(value);
}

/** One IAM statement with its actions and resources as arrays of {@link text}. */
export interface Statement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of the IAM policies attached to the role with logical id prefix `rolePrefix`. */
export function roleStatements(template: Template, rolePrefix: string): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: Record<string, any> }[];
  return policies
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(rolePrefix)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, any>[])
    .map((statement) => ({
      sid: statement.Sid,
      effect: statement.Effect,
      actions: [statement.Action].flat(),
      resources: [statement.Resource].flat().map(text),
      condition: statement.Condition,
    }));
}

/** The single resource of `type`, or a failed test. */
export function onlyResource(template: Template, type: string, props: Record<string, unknown> = {}): { logicalId: string; resource: Record<string, any> } {
  const found = Object.entries(template.findResources(type, props));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [logicalId, resource] = found[0]!;
  return { logicalId, resource };
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}
