/**
 * A body's system for the webhook run of bench/submissions.ts: a bare node:http server on
 * 127.0.0.1 that reads each POST's raw body, checks its `Joinedup-Signature` with the secret the
 * hub gave (the receiver's side, `verifySignature`), answers 200 (401 for a bad signature) and
 * counts each submission once by its `Idempotency-Key`. It keeps no bodies.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../src/modules/submissions/index.js';

export interface CountingReceiver {
  url: string;
  /** Set once the hub has made the webhook's secret. */
  secret: string;
  /** Submission ids received with a good signature, once each. */
  received: Set<string>;
  /** Requests with a signature that did not verify (answered 401). */
  badSignatures: number;
  /** Requests for a submission received before (retries after a lost answer). */
  repeats: number;
  /** Resolves once `received` holds `count` ids. */
  waitFor(count: number, stallMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<CountingReceiver> {
  const waiting: { count: number; resolve: () => void }[] = [];
  let lastArrival = Date.now();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = request.headers['joinedup-signature'];
      const id = String(request.headers['idempotency-key'] ?? '');
      lastArrival = Date.now();
      if (
        !verifySignature(typeof signature === 'string' ? signature : undefined, raw, [
          receiver.secret,
        ])
      ) {
        receiver.badSignatures++;
        response.writeHead(401).end();
        return;
      }
      if (receiver.received.has(id)) receiver.repeats++;
      else receiver.received.add(id);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      for (const waiter of waiting.filter((w) => receiver.received.size >= w.count)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: CountingReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/joinedup/submissions`,
    secret: '',
    received: new Set(),
    badSignatures: 0,
    repeats: 0,
    waitFor(count, stallMs) {
      if (receiver.received.size >= count) return Promise.resolve();
      lastArrival = Date.now();
      return new Promise((resolve, reject) => {
        const entry = {
          count,
          resolve: () => {
            clearInterval(watch);
            resolve();
          },
        };
        const watch = setInterval(() => {
          if (Date.now() - lastArrival < stallMs) return;
          clearInterval(watch);
          waiting.splice(waiting.indexOf(entry), 1);
          reject(
            new Error(
              `The receiver has had nothing for ${stallMs / 1000} s: ${receiver.received.size} of ${count} ` +
                `submissions received, ${receiver.badSignatures} bad signatures`,
            ),
          );
        }, 250);
        waiting.push(entry);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return receiver;
}
