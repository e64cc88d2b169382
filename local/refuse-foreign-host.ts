import type { IncomingMessage, ServerResponse } from 'node:http';

// The names this machine's loopback goes by, each with or without a port.
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

/**
 * Answers 403 and returns true when the request's `Host` header is not 127.0.0.1, localhost or [::1]
 * (with any port). The local endpoint checks no credentials, so a web page must not reach it by DNS
 * rebinding (its own name made to resolve to 127.0.0.1): the browser still sends that name as `Host`.
 * Call it first, before anything reads the request.
 */
export function refuseForeignHost(req: IncomingMessage, res: ServerResponse): boolean {
  if (LOOPBACK_HOST.test(req.headers.host ?? '')) return false;
  const body = JSON.stringify({
    __type: 'AccessDeniedException',
    message: `The local endpoint answers only requests addressed to 127.0.0.1, localhost or [::1]; use http://127.0.0.1:${req.socket.localPort ?? '<port>'}.`,
  });
  res.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
  return true;
}
