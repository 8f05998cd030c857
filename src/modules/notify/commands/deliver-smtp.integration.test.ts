import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
} from 'node:http';
import {
  createServer as createTcpServer,
  connect,
  type Server as TcpServer,
  type Socket,
} from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { NotifyClient } from 'notifications-node-client';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { setDeliveryCallback } from './services.js';
import { notifySealingKey } from '../crypto.js';
import { addTemplate, issueKey, testConfig } from '../test/helpers.js';

interface Received {
  from: string;
  to: string[];
  data: string;
}

let smtp: SMTPServer;
let smtpPort: number;
/** A TCP proxy in front of the SMTP server that can drop every connection, as a failing network does. */
let proxy: TcpServer;
let dropConnections = false;
const sockets = new Set<Socket>();
const received: Received[] = [];

let hook: HttpServer;
let hookAnswers: number[] = [];
const callbacks: { authorization: string | undefined; body: Record<string, unknown> }[] = [];

let app: TestApp;
let client: NotifyClient;
let template: string;

const db = () => app.platform.database.db;

function listen(
  server: { listen(port: number, host: string, cb: () => void): unknown },
  address: () => unknown = () => (server as TcpServer).address(),
) {
  return new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@'))
        return callback(Object.assign(new Error('No such mailbox here'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  smtpPort = await listen(smtp, () => smtp.server.address());
  proxy = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (dropConnections) return socket.destroy();
    const upstream = connect(smtpPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  const proxyPort = await listen(proxy);

  hook = createHttpServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      callbacks.push({
        authorization: request.headers.authorization,
        body: JSON.parse(body) as Record<string, unknown>,
      });
      response.statusCode = hookAnswers.shift() ?? 200;
      response.end();
    });
  });
  const hookPort = await listen(hook);

  // One connection per message (pool=false), so "the server drops connections" reaches every send.
  app = await startTestApp({
    SMTP_URL: `smtp://127.0.0.1:${proxyPort}?pool=false`,
    OUTBOX_MAX_ATTEMPTS: '3',
  });
  client = new NotifyClient(app.baseUrl, await issueKey(db(), 'stroud', 'live'));
  template = await addTemplate(
    db(),
    'stroud',
    'email',
    'Receipt',
    'Dear ((name)),\n\nThank you.',
    'Receipt for ((name))',
  );
  const organisation = await db()
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', 'stroud')
    .executeTakeFirstOrThrow();
  const outcome = await setDeliveryCallback(
    db(),
    notifySealingKey(testConfig.SESSION_SECRET),
    {
      organisationId: organisation.id,
      url: `http://127.0.0.1:${hookPort}/notify-status`,
      bearerToken: 'callback-token-123',
    },
    { userId: null, organisationId: organisation.id, role: 'test' },
  );
  expect(outcome).toEqual({ ok: true });
});
afterAll(async () => {
  await app?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await new Promise((resolve) => hook?.close(resolve));
});

async function status(id: string) {
  return (await client.getNotificationById(id)).data;
}

/** Drains the outbox until nothing is due (a stopped worker's drain() takes one batch). */
async function drain() {
  while ((await app.platform.worker.drain()) > 0);
}

/** Makes messages that are waiting out their backoff due now, then drains the outbox. */
async function retryNow() {
  await db()
    .updateTable('outbox')
    .set({ available_at: sql`now()` })
    .where('status', '=', 'pending')
    .execute();
  await drain();
}

describe('e-mail delivery over SMTP', () => {
  it('delivers through a real SMTP server and tells the body’s callback URL', async () => {
    const sent = await client.sendEmail(template, 'resident@example.com', {
      personalisation: { name: 'Sam' },
      reference: 'receipt-1',
    });
    await drain(); // the e-mail, then the callback it queued
    const message = received.find((m) => m.to.includes('resident@example.com'));
    expect(message?.from).toBe('no-reply@joinedup.invalid');
    expect(message?.data).toContain('Subject: Receipt for Sam');
    expect(message?.data).toContain('Dear Sam,');
    expect(message?.data).toContain('Thank you.');
    const read = await status(sent.data.id);
    expect(read.status).toBe('delivered');
    expect(read.sent_at).not.toBeNull();

    const callback = callbacks.find((c) => c.body.id === sent.data.id);
    expect(callback?.authorization).toBe('Bearer callback-token-123');
    expect(callback?.body).toEqual({
      id: sent.data.id,
      reference: 'receipt-1',
      to: 'resident@example.com',
      status: 'delivered',
      created_at: read.created_at,
      completed_at: read.completed_at,
      sent_at: read.sent_at,
      notification_type: 'email',
      template_id: template,
      template_version: 1,
    });
  });

  it('marks a message the server refuses with 550 a permanent failure, without retrying', async () => {
    const sent = await client.sendEmail(template, 'nobody@example.com', {
      personalisation: { name: 'X' },
    });
    await drain();
    expect((await status(sent.data.id)).status).toBe('permanent-failure');
    const deliver = await db()
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('idempotency_key', '=', `notify.deliver:${sent.data.id}`)
      .executeTakeFirstOrThrow();
    expect(deliver).toEqual({ status: 'done', attempts: 1 });
    expect(received.some((m) => m.to.includes('nobody@example.com'))).toBe(false);
    expect(callbacks.find((c) => c.body.id === sent.data.id)?.body.status).toBe(
      'permanent-failure',
    );
  });

  it('retries when the connection drops: temporary failure, then delivered once the server is back', async () => {
    const sent = await client.sendEmail(template, 'later@example.com', {
      personalisation: { name: 'Lee' },
    });
    dropConnections = true;
    await drain();
    expect((await status(sent.data.id)).status).toBe('temporary-failure');
    const waiting = await db()
      .selectFrom('outbox')
      .select(['status', 'attempts', 'last_error'])
      .where('idempotency_key', '=', `notify.deliver:${sent.data.id}`)
      .executeTakeFirstOrThrow();
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(callbacks.some((c) => c.body.id === sent.data.id)).toBe(false);

    dropConnections = false;
    await retryNow();
    expect((await status(sent.data.id)).status).toBe('delivered');
    expect(received.filter((m) => m.to.includes('later@example.com'))).toHaveLength(1);
  });

  it('gives up after the last attempt as a technical failure, keeping the message as a dead letter', async () => {
    const sent = await client.sendEmail(template, 'never@example.com', {
      personalisation: { name: 'N' },
    });
    dropConnections = true;
    await drain();
    await retryNow();
    await retryNow();
    dropConnections = false;
    expect((await status(sent.data.id)).status).toBe('technical-failure');
    const dead = await db()
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('idempotency_key', '=', `notify.deliver:${sent.data.id}`)
      .executeTakeFirstOrThrow();
    expect(dead).toEqual({ status: 'dead', attempts: 3 });
  });

  it('retries a callback the body’s server answers with 500 or 429', async () => {
    hookAnswers = [500, 429];
    const sent = await client.sendEmail(template, 'twice@example.com', {
      personalisation: { name: 'T' },
    });
    await drain();
    await retryNow();
    await retryNow();
    const tries = callbacks.filter((c) => c.body.id === sent.data.id);
    expect(tries).toHaveLength(3);
    const row = await db()
      .selectFrom('outbox')
      .select('status')
      .where('idempotency_key', '=', `notify.callback:${sent.data.id}:delivered`)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('done');
  });
});
