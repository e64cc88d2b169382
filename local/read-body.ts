import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body whole, or `undefined` when it is larger than `maxBytes`. A body that is too
 * large is still drained, so the connection stays usable for the error response.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return size > maxBytes ? undefined : Buffer.concat(chunks);
}
