import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { NotifyClient } from 'notifications-node-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { addTemplate, issueKey } from '../test/helpers.js';

/**
 * The HTTP SMS provider adapter against a provider started here: it answers with the status
 * chosen for each number, and records what it was sent.
 */
let provider: Server;
let app: TestApp;
let client: NotifyClient;
let template: string;
const received: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
const answers = new Map<string, number>();

const db = () => app.platform.database.db;
const TOKEN = 'provider-api-token-123';

beforeAll(async () => {
  provider = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      received.push({ headers: request.headers, body });
      const status = answers.get(String(body.to)) ?? 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status < 300 ? { id: 'provider-1' } : { error: 'no' }));
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  const port = (provider.address() as AddressInfo).port;
  app = await startTestApp({
    SMS_URL: `http://127.0.0.1:${port}/messages`,
    SMS_TOKEN: TOKEN,
    OUTBOX_MAX_ATTEMPTS: '3',
  });
  client = new NotifyClient(app.baseUrl, await issueKey(db(), 'stroud', 'live'));
  template = await addTemplate(db(), 'stroud', 'sms', 'Reminder', 'Hello ((name)), bins tomorrow.');
});
afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => provider?.close(resolve));
});
beforeEach(() => {
  received.length = 0;
  answers.clear();
});

async function send(phone: string): Promise<string> {
  const sent = await client.sendSms(template, phone, { personalisation: { name: 'Sam' } });
  return sent.data.id;
}

const notification = (id: string) =>
  db()
    .selectFrom('notify_notifications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const deliveryMessage = (id: string) =>
  db()
    .selectFrom('outbox')
    .selectAll()
    .where('idempotency_key', '=', `notify.deliver:${id}`)
    .executeTakeFirstOrThrow();

describe('the HTTP SMS provider adapter', () => {
  it('POSTs the text as JSON with the bearer token, idempotency key and our reference, and leaves it sending on a 2xx', async () => {
    const id = await send('07700 900200');
    await app.platform.worker.drain();
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toEqual({
      to: '+447700900200',
      text: 'Hello Sam, bins tomorrow.',
      reference: id,
    });
    expect(received[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(received[0]!.headers['idempotency-key']).toBe(`notify.sms:${id}`);
    expect(received[0]!.headers['content-type']).toBe('application/json');
    const row = await notification(id);
    expect(row.status).toBe('sending');
    expect(row.sent_at).not.toBeNull();
    expect((await deliveryMessage(id)).status).toBe('done');
    expect((await client.getNotificationById(id)).data.status).toBe('sending');
  });

  it('records a 400 as a permanent failure, does not retry, and marks the account that uses the number', async () => {
    const citizen = await db()
      .updateTable('users')
      .set({ phone: '+447700900400', phone_verified_at: new Date() })
      .where('email', '=', 'citizen@example.com')
      .returning('id')
      .executeTakeFirstOrThrow();
    answers.set('+447700900400', 400);
    const id = await send('07700900400');
    await app.platform.worker.drain();
    expect(received).toHaveLength(1);
    const row = await notification(id);
    expect(row.status).toBe('permanent-failure');
    expect(row.failure_reason).toBe('SMS provider answered 400');
    expect(row.completed_at).not.toBeNull();
    const message = await deliveryMessage(id);
    expect(message.status).toBe('done');
    expect(message.attempts).toBe(1);
    const user = await db()
      .selectFrom('users')
      .select('phone_failed_at')
      .where('id', '=', citizen.id)
      .executeTakeFirstOrThrow();
    expect(user.phone_failed_at).not.toBeNull();
    const audit = await db()
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'identity.delivery-problem.marked')
      .where('subject_user_id', '=', citizen.id)
      .execute();
    expect(audit.map((a) => a.details)).toContainEqual(
      expect.objectContaining({ channel: 'sms', notificationId: id }),
    );
  });

  it('records a 500 as a temporary failure that the outbox retries, and delivers on the retry', async () => {
    answers.set('+447700900500', 500);
    const id = await send('07700900500');
    await app.platform.worker.drain();
    expect((await notification(id)).status).toBe('temporary-failure');
    const first = await deliveryMessage(id);
    expect(first.status).toBe('pending');
    expect(first.attempts).toBe(1);
    expect(first.last_error).toBe('SMS provider answered 500');

    answers.set('+447700900500', 200);
    await db()
      .updateTable('outbox')
      .set({ available_at: sql`now()` })
      .where('id', '=', first.id)
      .execute();
    await app.platform.worker.drain();
    expect(received).toHaveLength(2);
    expect(received[1]!.headers['idempotency-key']).toBe(`notify.sms:${id}`);
    expect((await notification(id)).status).toBe('sending');
    expect((await deliveryMessage(id)).status).toBe('done');
  });

  it('treats 429 as temporary and, after the last attempt, marks the message a technical failure', async () => {
    answers.set('+447700900429', 429);
    const id = await send('07700900429');
    for (let attempt = 1; attempt <= 3; attempt++) {
      await db()
        .updateTable('outbox')
        .set({ available_at: sql`now()` })
        .where('idempotency_key', '=', `notify.deliver:${id}`)
        .execute();
      await app.platform.worker.drain();
    }
    expect(received).toHaveLength(3);
    const row = await notification(id);
    expect(row.status).toBe('technical-failure');
    expect((await deliveryMessage(id)).status).toBe('dead');
  });
});
