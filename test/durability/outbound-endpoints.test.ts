import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import {
  connect,
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
  type Socket,
} from 'node:net';
import { NotifyClient } from 'notifications-node-client';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubDeliverySet, hubKeyCreate } from '../../src/modules/submissions/index.js';
import { addTemplate, issueKey } from '../../src/modules/notify/test/helpers.js';
import { startTestApp, weekdayAhead, type TestApp } from '../helpers/app.js';

/**
 * Every outbound endpoint slow or failing (issue 14, part 3): the SMTP server (a real one, behind
 * a TCP proxy that can refuse or stall connections), the SMS provider and a body's hub webhook
 * (HTTP receivers that can answer 5xx, refuse connections, or hold a request past our time limit).
 * With the worker running as in production, a request that causes a message must be acknowledged
 * and kept; the message retried with backoff while the endpoint fails, and delivered once it
 * recovers, with nobody's help; and a receiver that honours idempotency keys (Message-ID for
 * e-mail, `Idempotency-Key` for HTTP) holds each message once, even when a slow answer made us
 * send it again. The payments gateway's own failures are tested in src/modules/payments.
 *
 * Runs on both databases (the outbox's claims and leases differ between them).
 */
type Mode = 'ok' | 'failing' | 'refused' | 'slow';

/** What one receiver was sent, keyed as it de-duplicates: every arrival, and the distinct keys. */
class Received {
  arrivals: string[] = [];
  get distinct(): Set<string> {
    return new Set(this.arrivals);
  }
}

const listen = (server: TcpServer | HttpServer, port = 0) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

/** How long a slow receiver holds each request: past the 10 s limit of our HTTP clients. */
const HOLD_MS = 11_500;

/** An HTTP receiver (SMS provider or webhook) whose behaviour the test switches. */
class HttpReceiver {
  mode: Mode = 'ok';
  readonly received = new Received();
  private server: HttpServer | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    if (this.server) return;
    this.server = createHttpServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const key = String(request.headers['idempotency-key'] ?? '');
        if (this.mode === 'failing') {
          response.statusCode = 503;
          return response.end();
        }
        // A slow receiver still does the work: it answers after the sender has given up.
        const answer = () => {
          this.received.arrivals.push(key);
          response.statusCode = 200;
          response.setHeader('content-type', 'application/json');
          response.end('{}');
        };
        if (this.mode === 'slow') setTimeout(answer, HOLD_MS).unref();
        else answer();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.port = await listen(this.server, this.port);
  }

  /** Connection refused: nothing listens on the port until `start()` again. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    this.server = undefined;
  }
}

let smtp: SMTPServer;
let proxy: TcpServer;
let smtpMode: Mode = 'ok';
const smtpSockets = new Set<Socket>();
const mail = new Received();
const sms = new HttpReceiver();
const webhook = new HttpReceiver();

let app: TestApp;
let notify: NotifyClient;
let emailTemplate: string;
let smsTemplate: string;
let hubKey: string;
const db = () => app.platform.database.db;

beforeAll(async () => {
  smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
        mail.arrivals.push(id?.trim() ?? '');
        callback();
      });
    },
  });
  const smtpPort = await listen(smtp.server as unknown as TcpServer);
  // Refused: the connection is dropped. Slow: accepted, then nothing, not even the greeting.
  proxy = createTcpServer((socket) => {
    smtpSockets.add(socket);
    socket.on('close', () => smtpSockets.delete(socket));
    socket.on('error', () => undefined);
    if (smtpMode === 'refused' || smtpMode === 'failing') return socket.destroy();
    if (smtpMode === 'slow') return;
    const upstream = connect(smtpPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
  });
  const proxyPort = await listen(proxy);
  await sms.start();
  await webhook.start();

  app = await startTestApp({
    WORKER: 'on',
    WORKER_POLL_MS: '100',
    // One connection a message, and time limits short enough for a test (see mailer.ts).
    SMTP_URL: `smtp://127.0.0.1:${proxyPort}?pool=false&connectionTimeout=1500&greetingTimeout=1500&socketTimeout=3000`,
    SMS_URL: `http://127.0.0.1:${sms.port}/messages`,
    OUTBOX_MAX_ATTEMPTS: '20',
  });
  notify = new NotifyClient(app.baseUrl, await issueKey(db(), 'stroud', 'live'));
  emailTemplate = await addTemplate(db(), 'stroud', 'email', 'Receipt', 'Dear ((name))', 'Receipt');
  smsTemplate = await addTemplate(db(), 'stroud', 'sms', 'Code', 'Your code is ((code))');
  hubKey = (await hubKeyCreate(db(), ['--org', 'stroud', '--scope', 'submit'])).out[0]!;
  const set = await hubDeliverySet(db(), app.platform.config, [
    '--org',
    'stroud',
    '--mode',
    'push',
    '--url',
    `http://127.0.0.1:${webhook.port}/hook`,
    '--alert-email',
    'digital@stroud.example.gov.uk',
  ]);
  expect(set.out.join(' ')).toMatch(/whsec_/);
}, 60_000);

afterAll(async () => {
  smtpMode = 'ok';
  sms.mode = 'ok';
  webhook.mode = 'ok';
  // The receivers first, so nothing the worker still has in flight holds the app's close.
  await sms.stop();
  await webhook.stop();
  for (const socket of smtpSockets) socket.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await app?.close();
}, 60_000);

let sequence = 0;
/** One request of each kind that causes an outbound message; each must be acknowledged. */
async function causeOneOfEach(): Promise<{ email: string; sms: string; submission: string }> {
  sequence += 1;
  const email = await notify.sendEmail(emailTemplate, `resident${sequence}@example.com`, {
    personalisation: { name: `Sam ${sequence}` },
  });
  const text = await notify.sendSms(smsTemplate, '07700900123', {
    personalisation: { code: String(100_000 + sequence) },
  });
  const response = await fetch(
    `${app.baseUrl}/api/v1/services/request-a-bulky-waste-collection/submissions`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${hubKey}`,
        'content-type': 'application/json',
        'idempotency-key': `outbound-${sequence}`,
      },
      body: JSON.stringify({
        answers: {
          items: ['sofa'],
          itemDetails: `Outbound test ${sequence}`,
          addressLine1: `${sequence} Retry Road`,
          town: 'Stroud',
          postcode: 'GL5 4UB',
          preferredDate: weekdayAhead(7)
            .reverse()
            .map((p) => p.padStart(2, '0'))
            .join('-'),
        },
      }),
    },
  );
  expect(response.status, await response.clone().text()).toBe(202);
  const { id } = (await response.json()) as { id: string };
  return { email: email.data.id, sms: text.data.id, submission: id };
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
async function eventually(
  what: string,
  check: () => Promise<boolean>,
  ms = 30_000,
  state: () => Promise<unknown> = async () => '',
) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(await state())}`);
}

async function notificationStatus(id: string): Promise<string> {
  return (await notify.getNotificationById(id)).data.status as string;
}

async function submissionStatus(id: string): Promise<string> {
  const row = await db()
    .selectFrom('submissions')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}

/** The outbox messages still waiting to be retried, with their attempts and last errors. */
async function retrying() {
  return db()
    .selectFrom('outbox')
    .select(['topic', 'attempts', 'last_error', 'available_at'])
    .where('status', '=', 'pending')
    .where('attempts', '>', 0)
    .execute();
}

async function stateOf(ids: { email: string; sms: string; submission: string }) {
  return {
    email: await notificationStatus(ids.email),
    sms: await notificationStatus(ids.sms),
    submission: await submissionStatus(ids.submission),
    outbox: await db()
      .selectFrom('outbox')
      .select(['topic', 'status', 'attempts', 'last_error', 'available_at'])
      .where('status', '!=', 'done')
      .execute(),
  };
}

async function allDelivered(ids: { email: string; sms: string; submission: string }) {
  return (
    (await notificationStatus(ids.email)) === 'delivered' &&
    ['sending', 'delivered', 'sent'].includes(await notificationStatus(ids.sms)) &&
    (await submissionStatus(ids.submission)) === 'received'
  );
}

describe('every outbound endpoint failing, then recovering', () => {
  it('acknowledges the requests, retries with backoff, and delivers each message once on recovery', async () => {
    smtpMode = 'refused';
    sms.mode = 'failing';
    await webhook.stop(); // connection refused
    const mailBefore = mail.arrivals.length;
    const smsBefore = sms.received.arrivals.length;
    const ids = await causeOneOfEach();

    // Retried, not lost: each is waiting out its backoff with the endpoint's error recorded.
    await eventually(
      'three failed attempts recorded',
      async () => (await retrying()).length >= 3,
      20_000,
    );
    // Backed off, not hammered: polled every 100 ms, yet a handful of attempts in 4 seconds.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const waiting = await retrying();
    expect(waiting.map((m) => m.topic).length).toBeGreaterThanOrEqual(3);
    expect(waiting.every((m) => Boolean(m.last_error))).toBe(true);
    expect(Math.max(...waiting.map((m) => m.attempts))).toBeLessThanOrEqual(5);
    expect(mail.arrivals.length).toBe(mailBefore);
    expect(sms.received.arrivals.length).toBe(smsBefore);
    expect(await submissionStatus(ids.submission)).toBe('submitted');

    // A second attempt fails too (and its wait is longer), then the endpoints come back.
    sms.mode = 'ok';
    smtpMode = 'ok';
    await webhook.start();
    await eventually(
      'delivery after recovery',
      () => allDelivered(ids),
      40_000,
      () => stateOf(ids),
    );

    // Once each, and under one key: nothing was half-sent while the endpoints failed.
    expect(mail.arrivals).toHaveLength(1);
    expect(sms.received.arrivals).toEqual([`notify.sms:${ids.sms}`]);
    expect(webhook.received.arrivals).toEqual([ids.submission]);
  }, 90_000);
});

describe('every outbound endpoint slow (past our time limit), then quick again', () => {
  it('gives up on the slow answer, retries, and the idempotent receivers hold each message once', async () => {
    await webhook.start(); // should the test before have stopped early
    smtpMode = 'slow';
    sms.mode = 'slow';
    webhook.mode = 'slow';
    const ids = await causeOneOfEach();
    // Our time limits end each attempt (1.5 s for SMTP here, 10 s for HTTP): retrying, not stuck.
    await eventually(
      'the slow attempts timed out and were retried',
      async () => (await retrying()).length >= 3,
      25_000,
    );
    expect(await submissionStatus(ids.submission)).toBe('submitted');

    smtpMode = 'ok';
    sms.mode = 'ok';
    webhook.mode = 'ok';
    await eventually(
      'delivery once quick again',
      () => allDelivered(ids),
      40_000,
      () => stateOf(ids),
    );
    // The slow receivers did the work of the first attempt after we had given up on it, then
    // got the retry under the same key: a receiver that honours the key holds each message once.
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    const smsKey = `notify.sms:${ids.sms}`;
    expect(sms.received.arrivals.filter((k) => k === smsKey).length).toBeGreaterThanOrEqual(1);
    expect(
      webhook.received.arrivals.filter((k) => k === ids.submission).length,
    ).toBeGreaterThanOrEqual(1);
    // Every message of the two rounds under exactly one key each: no second key for a retry.
    expect(sms.received.distinct.size).toBe(2);
    expect(webhook.received.distinct.size).toBe(2);
    // A stalled SMTP server never got as far as the message: the mail came once.
    expect(mail.arrivals).toHaveLength(2);
    expect(mail.distinct.size).toBe(2);
  }, 90_000);

  it('recovers by itself: ready, and a new message goes straight through', async () => {
    expect((await fetch(`${app.baseUrl}/readyz`)).status).toBe(200);
    const ids = await causeOneOfEach();
    const started = Date.now();
    await eventually(
      'prompt delivery',
      () => allDelivered(ids),
      15_000,
      () => stateOf(ids),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    // Nothing failed on the way: no message waits for a retry. (A message just delivered may
    // still be claimed for a moment, its receiver's answer recorded before the worker marks it
    // done: that is not a retry, so the claims are given a few seconds to end.)
    expect((await retrying()).filter((m) => m.last_error !== null)).toEqual([]);
    await eventually(
      'the worker to finish its claims',
      async () => (await retrying()).length === 0,
      5_000,
      retrying,
    );
  }, 30_000);
});
