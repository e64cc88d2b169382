import type { SqsQueryError } from './sqs-query-errors';

/** The XML namespace of SQS's query-protocol responses (API version 2012-11-05). */
const SQS_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/**
 * Writes a JSON-protocol value as the query protocol's XML element(s) named `name`, or nothing
 * when the value is absent. The writers mirror how botocore's query parser reads a response with
 * the service model: a flattened list is its items repeated under the item's `locationName`
 * (`<QueueUrl>`, `<Message>`), a flattened map is `<Entry><Key/><Value/></Entry>` repeated.
 */
export type XmlWriter = (value: unknown, name: string) => string;

export const scalar: XmlWriter = (value, name) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? element(name, escapeXml(String(value))) : '';

/** A flattened list: each item as an `itemName` element (the member's own name is not written). */
export function flatList(itemName: string, item: XmlWriter): XmlWriter {
  return (value) => (Array.isArray(value) ? value.map((entry) => item(entry, itemName)).join('') : '');
}

/** A flattened map: each pair as `<entryName><keyName>key</keyName><valueName>…</valueName></entryName>`. */
export function flatMap(entryName: string, keyName: string, valueName: string, write: XmlWriter): XmlWriter {
  return (value) =>
    isObject(value)
      ? Object.entries(value).map(([key, entry]) => element(entryName, element(keyName, escapeXml(key)) + write(entry, valueName))).join('')
      : '';
}

/** A structure: its members in the order given, each written by its writer under its JSON name. */
export function structure(members: Readonly<Record<string, XmlWriter>>): XmlWriter {
  return (value, name) =>
    isObject(value) ? element(name, Object.entries(members).map(([member, write]) => write(value[member], member)).join('')) : '';
}

/**
 * A successful response: `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`,
 * where `result` is the written result element (empty for actions that have none).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-xml-api-responses.html
 */
export function queryResponse(action: string, result: string, requestId: string): string {
  const metadata = element('ResponseMetadata', element('RequestId', escapeXml(requestId)));
  return `<?xml version="1.0"?><${action}Response xmlns="${SQS_NAMESPACE}">${result}${metadata}</${action}Response>`;
}

/** An error response: `<ErrorResponse><Error><Type/><Code/><Message/><Detail/></Error><RequestId/>`. */
export function errorResponse(error: SqsQueryError, requestId: string): string {
  const detail = element('Type', error.type) + element('Code', escapeXml(error.code)) + element('Message', escapeXml(error.message)) + '<Detail/>';
  return `<?xml version="1.0"?><ErrorResponse xmlns="${SQS_NAMESPACE}">${element('Error', detail)}${element('RequestId', escapeXml(requestId))}</ErrorResponse>`;
}

function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/**
 * Escapes text for element content. A carriage return is written as a character reference,
 * since an XML parser turns a literal one into a line feed and the body would no longer match
 * its MD5; characters XML 1.0 cannot carry at all (SQS refuses them in messages) become U+FFFD.
 */
function escapeXml(text: string): string {
  return text.replace(/[&<>\r]/g, (char) => ESCAPES[char] ?? char).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
