import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got. */
export interface ReceivedDelivery {
  idempotencyKey: string;
  signature: string;
  verified: boolean;
  raw: string;
  body: Record<string, unknown>;
  /** What the receiver answered (0 when it hung up or never answered). */
  answered: number;
}

/**
 * A body's system for tests: a real HTTP server on 127.0.0.1 that checks the
 * `Joinedup-Signature` of each webhook POST (as docs/guides/submission-hub.md shows, written
 * separately from the hub's own signing code), drops repeats by `Idempotency-Key`, and fails on
 * purpose when told: answers 500, hangs, or is down.
 */
export interface WebhookReceiver {
  url: string;
  /** `ok`: 2xx; `fail`: `failStatus`; `hang`: answers 200 only after `hangMs`. */
  behaviour: 'ok' | 'fail' | 'hang';
  failStatus: number;
  hangMs: number;
  /** The secrets the receiver holds (a rotation gives it the new one). */
  secrets: string[];
  deliveries: ReceivedDelivery[];
  /** Submissions taken (signature good, answered 2xx), once each however often they came. */
  accepted: Map<string, Record<string, unknown>>;
  /** How many times each Idempotency-Key arrived, repeats included. */
  arrivals: Map<string, number>;
  /** TCP connections made to the receiver, whether or not a request followed. */
  connections: number;
  /** Stops listening, as if the body's system were down. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** The check a body's developer writes (the guide's example): any v1 matching, `t` within 5 minutes. */
export function verifyJoinedupSignature(header: string, raw: string, secrets: string[]): boolean {
  const fields = header.split(',').map((field) => field.split('='));
  const t = fields.find(([name]) => name === 't')?.[1];
  if (!t || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const candidates = fields.filter(([name]) => name === 'v1').map(([, value]) => value ?? '');
  return secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
    return candidates.some((candidate) => {
      const given = Buffer.from(candidate, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  });
}

export async function startReceiver(
  options: { secrets?: string[]; port?: number } = {},
): Promise<WebhookReceiver> {
  let server: Server | undefined;
  let port = options.port ?? 0;
  const open = new Set<import('node:net').Socket>();

  const receiver: WebhookReceiver = {
    url: '',
    behaviour: 'ok',
    failStatus: 500,
    hangMs: 5_000,
    secrets: options.secrets ?? [],
    deliveries: [],
    accepted: new Map(),
    arrivals: new Map(),
    connections: 0,
    async down() {
      if (!server) return;
      const closing = server;
      server = undefined;
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    async up() {
      if (server) return;
      server = createServer((request, response) => void handle(request, response));
      server.on('connection', (socket) => {
        receiver.connections++;
        open.add(socket);
        socket.on('close', () => open.delete(socket));
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
      port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/joinedup/submissions`;
    },
    async close() {
      await receiver.down();
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const signature = String(request.headers['joinedup-signature'] ?? '');
    const idempotencyKey = String(request.headers['idempotency-key'] ?? '');
    const verified = verifyJoinedupSignature(signature, raw, receiver.secrets);
    const delivery: ReceivedDelivery = {
      idempotencyKey,
      signature,
      verified,
      raw,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
      answered: 0,
    };
    receiver.deliveries.push(delivery);
    receiver.arrivals.set(idempotencyKey, (receiver.arrivals.get(idempotencyKey) ?? 0) + 1);
    const answer = (status: number) => {
      delivery.answered = status;
      response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    };
    if (!verified) return answer(401);
    if (receiver.behaviour === 'fail') return answer(receiver.failStatus);
    if (receiver.behaviour === 'hang') {
      await new Promise((resolve) => setTimeout(resolve, receiver.hangMs));
      if (response.destroyed) return;
    }
    // Dropping repeats: the first arrival is taken, later ones are answered the same way.
    if (!receiver.accepted.has(idempotencyKey))
      receiver.accepted.set(idempotencyKey, delivery.body);
    return answer(200);
  }

  await receiver.up();
  return receiver;
}
