import { createHash } from 'node:crypto';

/** A message attribute as the SQS APIs carry it (`BinaryValue` base64-encoded). */
export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * SQS's MD5OfMessageAttributes, computed here as the SQS Developer Guide describes it, to check
 * the endpoint's answers against: attributes sorted by name, each as length-prefixed name and data
 * type, a transport byte (1 string, 2 binary), and the length-prefixed value.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, MessageAttribute>>): string {
  const parts: Buffer[] = [];
  const field = (bytes: Buffer): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name] as MessageAttribute;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(attribute.DataType, 'utf8'));
    const binary = attribute.DataType.startsWith('Binary');
    parts.push(Buffer.from([binary ? 2 : 1]));
    field(binary ? Buffer.from(attribute.BinaryValue ?? '', 'base64') : Buffer.from(attribute.StringValue ?? '', 'utf8'));
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}
