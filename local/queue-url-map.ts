/** SQS operations whose responses carry queue URLs (AWS JSON protocol member names). */
const URL_MEMBERS: Readonly<Record<string, 'QueueUrl' | 'QueueUrls'>> = {
  CreateQueue: 'QueueUrl',
  GetQueueUrl: 'QueueUrl',
  ListQueues: 'QueueUrls',
};

/**
 * Translates queue URLs between what clients see and what fauxqs stores.
 *
 * fauxqs names a queue `http://sqs.us-east-1.localhost:PORT/000000000000/<name>`, and `*.localhost`
 * does not resolve on every machine; the SQS SDK sends each request to its QueueUrl's host unless an
 * endpoint is set. So clients are handed `<endpoint>/000000000000/<name>`, which resolves wherever
 * the endpoint does, and any URL with a known queue's path (whatever its host) is translated back.
 * The map learns fauxqs's URLs from the responses that hand them out (every queue is created
 * through one), so it does not depend on how fauxqs spells them.
 */
export class QueueUrlMap {
  readonly #publicOrigin: string;
  readonly #internalByPath = new Map<string, string>();

  /** @param publicOrigin the endpoint's origin, e.g. `http://127.0.0.1:4566`. */
  constructor(publicOrigin: string) {
    this.#publicOrigin = new URL(publicOrigin).origin;
  }

  /** The URL a client sees for a URL fauxqs handed out; remembers the pair. */
  toPublic(internalUrl: string): string {
    const path = pathOf(internalUrl);
    if (path === undefined) return internalUrl;
    this.#internalByPath.set(path, internalUrl);
    return `${this.#publicOrigin}${path}`;
  }

  /** The URL fauxqs knows for a queue URL a client sent; a URL of no known queue is left as it is. */
  toInternal(url: string): string {
    const path = pathOf(url);
    return (path !== undefined && this.#internalByPath.get(path)) || url;
  }

  /** A JSON request body with its `QueueUrl` translated for fauxqs; a body that is not JSON is left as it is. */
  rewriteRequest(body: string): string {
    const input = parseJsonObject(body);
    if (input === undefined || typeof input.QueueUrl !== 'string') return body;
    return JSON.stringify({ ...input, QueueUrl: this.toInternal(input.QueueUrl) });
  }

  /** A JSON response body of `operation` with the queue URLs it hands out translated for clients. */
  rewriteResponse(operation: string, body: string): string {
    const member = URL_MEMBERS[operation];
    const output = member === undefined ? undefined : parseJsonObject(body);
    if (member === undefined || output === undefined) return body;
    const value = output[member];
    if (typeof value === 'string') return JSON.stringify({ ...output, [member]: this.toPublic(value) });
    if (Array.isArray(value)) {
      return JSON.stringify({ ...output, [member]: value.map((url) => (typeof url === 'string' ? this.toPublic(url) : url)) });
    }
    return body;
  }
}

function pathOf(url: string): string | undefined {
  try {
    const { pathname } = new URL(url);
    return pathname === '/' ? undefined : pathname;
  } catch {
    return undefined;
  }
}

/** `text` parsed as JSON when it is a JSON object, else `undefined`. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
