import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotifyClient } from 'notifications-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { PermanentFailure } from '../../../platform/outbox/outbox.js';
import { CALLBACK_TOPIC, notifyOutboxHandlers } from '../commands/deliver.js';
import { setDeliveryCallback } from '../commands/services.js';
import { notifySealingKey } from '../crypto.js';
import { addTemplate, issueKey, testConfig } from '../test/helpers.js';

/**
 * Providers' delivery receipts and bounces at /api/v1/providers/{sms,email}/status: the
 * notification's status, the body's callback, and the account whose address bounced.
 */
let app: TestApp;
let client: NotifyClient;
let callbackServer: Server;
let emailTemplate: string;
let smsTemplate: string;
const callbacks: Record<string, unknown>[] = [];

const TOKEN = 'provider-callback-shared-secret';
const CITIZEN = 'citizen@example.com';
const PASSWORD = 'demo-citizen-password';
const db = () => app.platform.database.db;

beforeAll(async () => {
  callbackServer = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      callbacks.push(JSON.parse(raw) as Record<string, unknown>);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  app = await startTestApp({ PROVIDER_CALLBACK_TOKEN: TOKEN });
  client = new NotifyClient(app.baseUrl, await issueKey(db(), 'stroud', 'live'));
  emailTemplate = await addTemplate(db(), 'stroud', 'email', 'Hello', 'Hello ((name))', 'Hi');
  smsTemplate = await addTemplate(db(), 'stroud', 'sms', 'Text', 'Hello ((name))');
  const stroud = await db()
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', 'stroud')
    .executeTakeFirstOrThrow();
  const set = await setDeliveryCallback(
    db(),
    notifySealingKey(testConfig.SESSION_SECRET),
    {
      organisationId: stroud.id,
      url: `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`,
      bearerToken: 'body-callback-token',
    },
    { userId: null, organisationId: stroud.id, role: 'test' },
  );
  expect(set.ok).toBe(true);
});
afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => callbackServer?.close(resolve));
});

async function report(channel: 'sms' | 'email', body: unknown, token: string | null = TOKEN) {
  const response = await fetch(`${app.baseUrl}/api/v1/providers/${channel}/status`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const statusOf = async (id: string) =>
  (
    await db()
      .selectFrom('notify_notifications')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

async function sentSms(): Promise<string> {
  const sent = await client.sendSms(smsTemplate, '07700900111', { personalisation: { name: 'A' } });
  await app.platform.worker.drain();
  return sent.data.id;
}

async function sentEmail(to: string): Promise<string> {
  const sent = await client.sendEmail(emailTemplate, to, { personalisation: { name: 'Sam' } });
  await app.platform.worker.drain();
  return sent.data.id;
}

const citizen = () =>
  db()
    .selectFrom('users')
    .select(['id', 'email', 'email_bounced_at'])
    .where('email', '=', CITIZEN)
    .executeTakeFirstOrThrow();

async function auditActions(userId: string, action: string) {
  return db()
    .selectFrom('audit_log')
    .select(['details', 'actor_user_id'])
    .where('subject_user_id', '=', userId)
    .where('action', '=', action)
    .execute();
}

describe('provider status callbacks', () => {
  it('refuses a report without the shared secret, or with a wrong one, and changes nothing', async () => {
    const id = await sentSms();
    expect(await statusOf(id)).toBe('sending');
    const none = await report('sms', { reference: id, status: 'delivered' }, null);
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ errors: [{ error: 'unauthorised' }] });
    expect((await report('sms', { reference: id, status: 'delivered' }, 'wrong')).status).toBe(401);
    // Even a malformed body gets 401 first: a stranger learns nothing from validation.
    expect((await report('sms', { nonsense: true }, null)).status).toBe(401);
    expect(await statusOf(id)).toBe('sending');
  });

  it('records a text-message delivery receipt and tells the body’s callback URL, once', async () => {
    const id = await sentSms();
    callbacks.length = 0;
    const first = await report('sms', { reference: id, status: 'delivered' });
    expect(first).toEqual({ status: 200, json: { id, status: 'delivered', changed: true } });
    expect(await statusOf(id)).toBe('delivered');
    expect((await client.getNotificationById(id)).data.completed_at).not.toBeNull();
    await app.platform.worker.drain();
    expect(callbacks).toEqual([expect.objectContaining({ id, status: 'delivered' })]);
    const again = await report('sms', { reference: id, status: 'delivered' });
    expect(again.json).toMatchObject({ changed: false });
    await app.platform.worker.drain();
    expect(callbacks).toHaveLength(1);
  });

  it('records a provider’s temporary failure as final and reports it to the body', async () => {
    const id = await sentSms();
    callbacks.length = 0;
    expect((await report('sms', { reference: id, status: 'temporary-failure' })).status).toBe(200);
    expect(await statusOf(id)).toBe('temporary-failure');
    await app.platform.worker.drain();
    expect(callbacks).toEqual([expect.objectContaining({ id, status: 'temporary-failure' })]);
  });

  it('answers 404 for a reference it does not know or of the other channel, and 400 for a bad body', async () => {
    const emailId = await sentEmail('someone@example.com');
    expect((await report('sms', { reference: emailId, status: 'delivered' })).status).toBe(404);
    expect(
      (await report('email', { reference: crypto.randomUUID(), status: 'delivered' })).status,
    ).toBe(404);
    const bad = await report('email', { reference: 'not-a-uuid', status: 'lost' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('body.reference');
  });

  it('marks a Joinedup account whose e-mail bounced, and shows the person a prompt on Your account', async () => {
    const id = await sentEmail(CITIZEN);
    expect(await statusOf(id)).toBe('delivered');
    callbacks.length = 0;
    const bounce = await report('email', {
      reference: id,
      status: 'permanent-failure',
      reason: '550 5.1.1 mailbox unknown',
    });
    expect(bounce.status).toBe(200);
    expect(await statusOf(id)).toBe('permanent-failure');
    await app.platform.worker.drain();
    expect(callbacks).toEqual([expect.objectContaining({ id, status: 'permanent-failure' })]);
    const { id: userId, email_bounced_at } = await citizen();
    expect(email_bounced_at).not.toBeNull();
    expect(await auditActions(userId, 'identity.delivery-problem.marked')).toContainEqual(
      expect.objectContaining({
        actor_user_id: null,
        details: expect.objectContaining({ channel: 'email', notificationId: id }),
      }),
    );

    const visitor = new Visitor(app.baseUrl);
    await visitor.signIn(CITIZEN, PASSWORD);
    const page = await visitor.get('/account');
    expect(page.html).toContain(
      'We could not deliver e-mails to citizen@example.com — check your e-mail address',
    );
    expect(page.html).toContain('href="/account/email"');
    const welsh = await visitor.get('/account?lang=cy');
    expect(welsh.html).toContain(
      'Nid oeddem yn gallu anfon e-byst i citizen@example.com — gwiriwch eich cyfeiriad e-bost',
    );
    await visitor.get('/account?lang=en');

    // "My e-mail address is right" clears the mark, audited as the person.
    const confirmed = await visitor.post('/account/delivery-problem', { channel: 'email' });
    expect(confirmed.status).toBe(303);
    expect((await citizen()).email_bounced_at).toBeNull();
    expect(await auditActions(userId, 'identity.delivery-problem.cleared')).toContainEqual(
      expect.objectContaining({
        actor_user_id: userId,
        details: { channel: 'email', why: 'confirmed' },
      }),
    );
    expect((await visitor.get('/account')).html).not.toContain('We could not deliver e-mails');
  });

  it('clears the mark when the person changes their e-mail address', async () => {
    const id = await sentEmail(CITIZEN);
    await report('email', { reference: id, status: 'permanent-failure' });
    await app.platform.worker.drain();
    const { id: userId } = await citizen();
    expect((await citizen()).email_bounced_at).not.toBeNull();

    const visitor = new Visitor(app.baseUrl);
    await visitor.signIn(CITIZEN, PASSWORD);
    await visitor.get('/account/email');
    const started = await visitor.post('/account/email', {
      email: 'sam.new@example.com',
      password: PASSWORD,
    });
    expect(started.status).toBe(303);
    const mails = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'mail.send')
      .orderBy('id', 'desc')
      .execute();
    const mail = mails.find((m) => m.payload.to === 'sam.new@example.com');
    const code = /\b(\d{6})\b/.exec(String(mail?.payload.text))![1]!;
    await visitor.get('/account/email/confirm?email=sam.new%40example.com');
    const done = await visitor.post('/account/email/confirm', {
      email: 'sam.new@example.com',
      code,
    });
    expect(done.status).toBe(303);
    const after = await db()
      .selectFrom('users')
      .select(['email', 'email_bounced_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ email: 'sam.new@example.com', email_bounced_at: null });
    expect(await auditActions(userId, 'identity.delivery-problem.cleared')).toContainEqual(
      expect.objectContaining({ details: { channel: 'email', why: 'changed' } }),
    );
  });

  it('does not mark anything when the bounced address is no Joinedup account’s', async () => {
    const before = await db()
      .selectFrom('users')
      .select('id')
      .where('email_bounced_at', 'is not', null)
      .execute();
    const id = await sentEmail('stranger@example.com');
    await report('email', { reference: id, status: 'permanent-failure' });
    await app.platform.worker.drain();
    const after = await db()
      .selectFrom('users')
      .select('id')
      .where('email_bounced_at', 'is not', null)
      .execute();
    expect(after).toEqual(before);
  });
});

describe('the body’s callback address', () => {
  it('is never called on a private or local address where private targets are not allowed (SSRF)', async () => {
    let connections = 0;
    const onConnection = () => connections++;
    callbackServer.on('connection', onConnection);
    try {
      const service = await db()
        .selectFrom('notify_services')
        .innerJoin('organisations', 'organisations.id', 'notify_services.organisation_id')
        .select('notify_services.id')
        .where('organisations.slug', '=', 'stroud')
        .executeTakeFirstOrThrow();
      const live = { ...testConfig, hubAllowPrivateWebhooks: false };
      const handler = notifyOutboxHandlers(live, notifySealingKey(testConfig.SESSION_SECRET))[
        CALLBACK_TOPIC
      ]!;
      await expect(
        handler(
          { serviceId: service.id, body: { id: 'x', status: 'delivered' } },
          { db: db(), logger: app.platform.logger, idempotencyKey: 'ssrf-test', attempt: 1 },
        ),
      ).rejects.toBeInstanceOf(PermanentFailure);
      expect(connections).toBe(0);
    } finally {
      callbackServer.off('connection', onConnection);
    }
  });
});
