/** The SSM operations the local Parameter Store stand-in implements (`X-Amz-Target: AmazonSSM.<name>`). */
export const SSM_OPERATIONS = [
  'PutParameter',
  'GetParameter',
  'GetParameters',
  'GetParametersByPath',
  'DeleteParameter',
  'DeleteParameters',
  'DescribeParameters',
] as const;

/** One of {@link SSM_OPERATIONS}. */
export type SsmOperation = (typeof SSM_OPERATIONS)[number];

/** Whether `name` is an operation this stand-in implements. */
export function isSsmOperation(name: string): name is SsmOperation {
  return (SSM_OPERATIONS as readonly string[]).includes(name);
}
