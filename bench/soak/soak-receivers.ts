import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { deliveryId } from '../../lambda/core/delivery/signature';
import { isSuccess, replyFor } from './receiver-behaviour';
import type { ReplyKind } from './receiver-behaviour';
import { hashUnit } from './seeded-random';
import type { SoakPlan, SoakSubscription } from './soak-plan';

/** One request a soak receiver got and how it answered. */
export interface ObservedRequest {
  /** The subscription whose receiver got the request. */
  readonly subscription: string;
  readonly webhookId: string;
  readonly attempt: number;
  readonly eventId: string;
  /** Epoch milliseconds. */
  readonly arrivedAt: number;
  readonly reply: ReplyKind;
}

export interface SoakReceivers {
  /** The URL to store in a subscription. */
  urlOf(subscription: string): string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly ObservedRequest[];
  /** How many requests were answered 2xx so far. */
  successes(): number;
  close(): Promise<void>;
}

/** A held ("timeout") request is dropped after this, well past any subscription's timeout. */
const HOLD_MS = 3000;

/** The path a subscription's receiver answers on. */
const HOOK_PATH = /^\/hooks\/([^/?]+)$/;

/**
 * Starts one real HTTP server on loopback that receives for every subscription, each on its own
 * path (`/hooks/<name>`): one server holds thousands of subscriptions of a scale run. Each request
 * is checked against its subscription: the Standard Webhooks signature (when it has a secret) and
 * `webhook-id`, the pair's delivery id; it is answered as the subscription's behaviour says
 * (`replyFor`) and recorded.
 */
export async function startSoakReceivers(plan: SoakPlan, seed: number): Promise<SoakReceivers> {
  const seqOf = new Map(plan.events.map((event) => [event.id, event.seq]));
  const byName = new Map(plan.subscriptions.map((subscription) => [subscription.name, subscription]));
  const verifiers = new Map<string, Webhook>();
  const requests: ObservedRequest[] = [];
  const held = new Set<NodeJS.Timeout>();
  let successes = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const subscription = byName.get(HOOK_PATH.exec(req.url ?? '')?.[1] ?? '');
      if (subscription === undefined) return void res.writeHead(404).end();
      const { secret } = subscription;
      let webhook = secret === undefined ? undefined : verifiers.get(subscription.name);
      if (secret !== undefined && webhook === undefined) verifiers.set(subscription.name, (webhook = new Webhook(secret)));
      const body = Buffer.concat(chunks).toString('utf8');
      const facts = readRequest(subscription, webhook, req.headers, body, seqOf);
      const reply = facts.ok ? replyFor(subscription.behaviour, { seed, ...facts }) : 'bad-request';
      requests.push({ subscription: subscription.name, webhookId: facts.webhookId, attempt: facts.attempt, eventId: facts.eventId, arrivedAt: Date.now(), reply });
      if (isSuccess(reply)) successes++;
      answer(reply, req, res, hashUnit(seed, facts.webhookId, facts.attempt, 'delay'), held);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urlOf: (name) => `http://127.0.0.1:${port}/hooks/${name}`,
    requests,
    successes: () => successes,
    async close() {
      for (const timer of held) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type RequestCheck = { readonly ok: boolean; readonly webhookId: string; readonly attempt: number; readonly eventId: string; readonly seq: number };

function readRequest(
  subscription: SoakSubscription,
  webhook: Webhook | undefined,
  headers: http.IncomingHttpHeaders,
  body: string,
  seqOf: ReadonlyMap<string, number>,
): RequestCheck {
  const webhookId = String(headers['webhook-id'] ?? '');
  const attempt = Number(headers['webhook-attempt'] ?? 0);
  let eventId = '';
  try {
    eventId = String((JSON.parse(body) as { id?: unknown }).id ?? '');
    webhook?.verify(body, headers as Record<string, string>);
  } catch {
    return { ok: false, webhookId, attempt, eventId, seq: -1 };
  }
  const seq = seqOf.get(eventId) ?? -1;
  const ok = seq >= 0 && webhookId === deliveryId(eventId, subscription.name) && Number.isInteger(attempt) && attempt >= 1;
  return { ok, webhookId, attempt, eventId, seq };
}

function answer(reply: ReplyKind, req: http.IncomingMessage, res: http.ServerResponse, roll: number, held: Set<NodeJS.Timeout>): void {
  switch (reply) {
    case 'ok':
      return void res.writeHead(200).end('ok');
    case 'slow': {
      const timer = setTimeout(() => {
        held.delete(timer);
        res.writeHead(200).end('ok');
      }, 100 + Math.round(roll * 400));
      held.add(timer);
      return;
    }
    case 'timeout': {
      const timer = setTimeout(() => {
        held.delete(timer);
        req.socket.destroy();
      }, HOLD_MS);
      held.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        held.delete(timer);
      });
      return;
    }
    case 'reset':
      return void req.socket.destroy();
    case 'http-429':
      return void res.writeHead(429, { 'retry-after': '1' }).end();
    case 'http-500':
      return void res.writeHead(500).end();
    case 'http-404':
      return void res.writeHead(404).end();
    case 'http-410':
      return void res.writeHead(410).end();
    case 'bad-request':
      return void res.writeHead(400).end();
  }
}
