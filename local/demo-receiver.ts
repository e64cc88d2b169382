import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { Webhook } from 'standardwebhooks';

import { clockTime } from './console-log';
import { closeServer, listenOnLoopback, LOOPBACK } from './listen-on-loopback';
import { readBody } from './read-body';

/** Requests larger than this are answered 413 (a delivery body is far smaller). */
const MAX_BODY_BYTES = 1024 * 1024;

/** What the receiver made of a delivery's signature. */
export type SignatureCheck =
  | { readonly result: 'verified' }
  | { readonly result: 'invalid'; readonly reason: string }
  | { readonly result: 'unsigned' }
  | { readonly result: 'unknown-subscription' };

/** One delivery the receiver got. */
export interface ReceivedDelivery {
  readonly receivedAt: Date;
  /** The subscription name: the first segment of the request path. */
  readonly subscription: string;
  readonly event?: string;
  readonly webhookId?: string;
  readonly attempt?: string;
  readonly signature: SignatureCheck;
  readonly body: string;
}

/** A subscription as the receiver needs it: whether it exists and its secret, if any. */
export interface SubscriptionSecret {
  readonly exists: boolean;
  readonly secret?: string;
}

export interface DemoReceiverOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Looks up the subscription a delivery was sent for (by the name in its path). */
  readonly lookup: (name: string) => Promise<SubscriptionSecret>;
  readonly onDelivery: (delivery: ReceivedDelivery) => void;
}

export interface DemoReceiver {
  /** `http://127.0.0.1:<port>`; subscriptions point at `<url>/<name>`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A webhook receiver for trying the pipeline: answers every POST `/<name>` with 200 and reports it,
 * with its signature checked by the `standardwebhooks` library against subscription `<name>`'s secret.
 * @throws PortInUseError when the port is taken.
 */
export async function startDemoReceiver(options: DemoReceiverOptions): Promise<DemoReceiver> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('platform-webhooks demo receiver: POST deliveries to /<subscription name>\n');
      return;
    }
    receive(req, options).then(
      (delivery) => {
        res.writeHead(delivery === undefined ? 413 : 200).end();
        if (delivery !== undefined) options.onDelivery(delivery);
      },
      () => res.writeHead(500).end(),
    );
  });
  const port = await listenOnLoopback(server, options.port, 'receiver');
  return { url: `http://${LOOPBACK}:${port}`, close: () => closeServer(server) };
}

/** One line for a terminal: time, subscription, event, webhook-id, attempt and the signature check. */
export function formatDelivery(delivery: ReceivedDelivery): string {
  const { signature } = delivery;
  const check =
    signature.result === 'verified' ? 'signature verified'
    : signature.result === 'invalid' ? `signature INVALID (${signature.reason})`
    : signature.result === 'unsigned' ? 'unsigned'
    : 'no such subscription; signature not checked';
  const name = delivery.subscription === '' ? '(no name in path)' : delivery.subscription;
  return `${clockTime(delivery.receivedAt)} receiver  ${name}  ${delivery.event ?? '?'}  webhook-id=${delivery.webhookId ?? '?'}  attempt=${delivery.attempt ?? '?'}  ${check}`;
}

async function receive(req: IncomingMessage, options: DemoReceiverOptions): Promise<ReceivedDelivery | undefined> {
  const receivedAt = new Date();
  const bytes = await readBody(req, MAX_BODY_BYTES);
  if (bytes === undefined) return undefined;
  const body = bytes.toString('utf8');
  const subscription = nameInPath(req.url ?? '/');
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(' ') : value;
  };
  const found = await options.lookup(subscription);
  return {
    receivedAt,
    subscription,
    event: header('webhook-event'),
    webhookId: header('webhook-id'),
    attempt: header('webhook-attempt'),
    signature: checkSignature(found, body, header),
    body,
  };
}

function checkSignature(found: SubscriptionSecret, body: string, header: (name: string) => string | undefined): SignatureCheck {
  if (!found.exists) return { result: 'unknown-subscription' };
  if (found.secret === undefined) return { result: 'unsigned' };
  const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, header(name) ?? '']));
  try {
    new Webhook(found.secret).verify(body, headers);
    return { result: 'verified' };
  } catch (error) {
    return { result: 'invalid', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The subscription name in a request path: its first segment, `/demo` → `demo`. */
function nameInPath(url: string): string {
  const segment = url.split('?')[0]?.split('/')[1] ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
