import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

/** One change a body's test system received. */
export interface Arrival {
  idempotencyKey: string;
  verified: boolean;
  body: Record<string, unknown> & { id: string; data: Record<string, unknown> };
}

/**
 * A body's system for tests: a real HTTP server on 127.0.0.1 that checks the
 * `Joinedup-Signature` of each POST as the guide tells a body to (written apart from the
 * hub's signing code), answers 200 (or 500 when told to fail) and can go down and come back.
 */
export interface BodyReceiver {
  url: string;
  secrets: string[];
  failing: boolean;
  arrivals: Arrival[];
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

function verify(header: string, raw: string, secrets: string[]): boolean {
  const fields = header.split(',').map((field) => field.split('='));
  const t = fields.find(([name]) => name === 't')?.[1];
  if (!t || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const given = fields
    .filter(([name]) => name === 'v1')
    .map(([, v]) => Buffer.from(v ?? '', 'hex'));
  return secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
    return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected));
  });
}

export async function startBodyReceiver(): Promise<BodyReceiver> {
  let server: Server | undefined;
  let port = 0;
  const sockets = new Set<Socket>();
  const receiver: BodyReceiver = {
    url: '',
    secrets: [],
    failing: false,
    arrivals: [],
    async down() {
      if (!server) return;
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    async up() {
      if (server) return;
      server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const verified = verify(
            String(request.headers['joinedup-signature'] ?? ''),
            raw,
            receiver.secrets,
          );
          receiver.arrivals.push({
            idempotencyKey: String(request.headers['idempotency-key'] ?? ''),
            verified,
            body: JSON.parse(raw || '{}') as Arrival['body'],
          });
          response.writeHead(!verified ? 401 : receiver.failing ? 500 : 200).end('{}');
        });
      });
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
      port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/joinedup/changes`;
    },
    async close() {
      await receiver.down();
    },
  };
  await receiver.up();
  return receiver;
}
