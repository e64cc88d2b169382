import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ResolutionError } from './errors';

/** A stack's output values by output key. */
export type StackOutputs = Readonly<Record<string, string>>;

/**
 * The outputs of a CloudFormation stack, by output key.
 * @throws {ResolutionError} when the stack does not exist (in this account and region).
 */
export async function readStackOutputs(client: CloudFormationClient, stackName: string): Promise<StackOutputs> {
  try {
    const { Stacks: stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = stacks[0]?.Outputs ?? [];
    return Object.fromEntries(outputs.flatMap((output) => (output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue]] : [])));
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) {
      throw new ResolutionError(`stack "${stackName}" does not exist in this account and region; check --stack, --region and --profile`, { cause: error });
    }
    throw error;
  }
}

/**
 * One output of the stack.
 * @throws {ResolutionError} when the stack has no such output.
 */
export function stackOutput(outputs: StackOutputs, stackName: string, key: string): string {
  const value = outputs[key];
  if (value === undefined) {
    throw new ResolutionError(`stack "${stackName}" has no output "${key}"; is it a platform-webhooks stack? (outputs: ${Object.keys(outputs).join(', ') || 'none'})`);
  }
  return value;
}
