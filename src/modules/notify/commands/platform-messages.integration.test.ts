import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotifyClient } from 'notifications-node-client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { applyForBulkyWaste } from '../../../../test/helpers/journeys.js';
import type { Mailer, MailMessage } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { issueKey, testConfig } from '../test/helpers.js';
import {
  PLATFORM_ORGANISATION_SLUG,
  platformMessageHandlers,
  platformNotificationId,
} from './platform-messages.js';

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function serviceOf(slug: string) {
  return db()
    .selectFrom('notify_services as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .select(['s.id', 'o.name'])
    .where('o.slug', '=', slug)
    .executeTakeFirst();
}

async function notificationsWithReference(pattern: string) {
  return db()
    .selectFrom('notify_notifications')
    .selectAll()
    .where('reference', 'like', pattern)
    .execute();
}

/** A bulky waste application from the demo citizen to Stroud; returns its reference. */
async function applyToStroud(): Promise<string> {
  const citizen = new Visitor(app.baseUrl);
  await citizen.signIn('citizen@example.com', 'demo-citizen-password');
  return applyForBulkyWaste(citizen, { items: ['sofa'], postcode: 'gl5 4ub' });
}

describe('the platform’s own messages go through Notify', () => {
  it('records a submission receipt as a delivered notification of the providing council, listed by its API', async () => {
    const reference = await applyToStroud();
    await app.platform.worker.drain();

    const submission = await db()
      .selectFrom('submissions')
      .select('id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    const key = `submission.submitted:${submission.id}:mail`;
    const [receipt, ...others] = await notificationsWithReference(
      `submission.submitted:${submission.id}%`,
    );
    expect(others).toHaveLength(0);
    const stroud = await serviceOf('stroud');
    expect(receipt).toMatchObject({
      id: platformNotificationId(key),
      service_id: stroud!.id,
      type: 'email',
      recipient: 'citizen@example.com',
      status: 'delivered',
      api_key_id: null,
    });
    expect(receipt!.subject).toContain(reference);
    expect(receipt!.completed_at).not.toBeNull();
    // The development mailbox file is still named by the outbox key.
    expect(
      existsSync(path.join(tmpdir(), 'joinedup-mailbox', `${key.replace(/[^\w.-]/g, '_')}.eml`)),
    ).toBe(true);

    const client = new NotifyClient(app.baseUrl, await issueKey(db(), 'stroud', 'live'));
    const listed = await client.getNotifications('email', 'delivered');
    const found = (listed.data.notifications as Record<string, unknown>[]).find(
      (n) => n.id === receipt!.id,
    );
    expect(found).toMatchObject({
      email_address: 'citizen@example.com',
      status: 'delivered',
      reference: key,
      template: { name: 'Platform e-mail' },
    });
    expect(String(found!.subject)).toContain(reference);
    const one = await client.getNotificationById(receipt!.id);
    expect(one.data).toMatchObject({ id: receipt!.id, status: 'delivered' });

    // Another council's key does not see it.
    const cheltenham = new NotifyClient(app.baseUrl, await issueKey(db(), 'cheltenham', 'live'));
    const theirs = await cheltenham.getNotifications();
    expect((theirs.data.notifications as { id: string }[]).some((n) => n.id === receipt!.id)).toBe(
      false,
    );
    // The system template is hidden from the council's templates.
    const templates = await client.getAllTemplates();
    expect(
      (templates.data.templates as { name: string }[]).some((t) => t.name === 'Platform e-mail'),
    ).toBe(false);
  });

  it('records an account confirmation code e-mail as a notification of the platform’s own service', async () => {
    const newcomer = new Visitor(app.baseUrl);
    await newcomer.get('/register');
    const registered = await newcomer.post('/register', {
      displayName: 'New Person',
      email: 'platform-message@example.com',
      password: 'a long enough password',
      returnTo: '/',
    });
    expect(registered.status).toBe(303);
    await app.platform.worker.drain();

    const notification = await db()
      .selectFrom('notify_notifications')
      .selectAll()
      .where('recipient', '=', 'platform-message@example.com')
      .executeTakeFirstOrThrow();
    const platform = await serviceOf(PLATFORM_ORGANISATION_SLUG);
    expect(platform).toMatchObject({ name: 'Joinedup' });
    expect(notification).toMatchObject({
      service_id: platform!.id,
      type: 'email',
      status: 'delivered',
    });
    // The code it carried is not kept where an API key could read it.
    expect(notification.body).toBe('');

    // The operator can list the platform's messages with a key of the platform's service.
    const client = new NotifyClient(
      app.baseUrl,
      await issueKey(db(), PLATFORM_ORGANISATION_SLUG, 'live'),
    );
    const listed = await client.getNotifications('email');
    expect(
      (listed.data.notifications as { id: string }[]).some((n) => n.id === notification.id),
    ).toBe(true);
  });

  it('keeps one notification through a failed attempt and its retry, then marks it delivered', async () => {
    let calls = 0;
    const flaky: Mailer = {
      async send() {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error('Try again later'), { responseCode: 421 });
      },
    };
    const handler = platformMessageHandlers(testConfig, flaky)['mail.send']!;
    const key = 'test.platform-message:retry';
    const payload = { to: 'retry@example.com', subject: 'Hello', text: 'Body' };
    const context = (attempt: number) => ({
      db: db(),
      idempotencyKey: key,
      attempt,
      logger: pino({ level: 'silent' }),
    });
    await expect(handler(payload, context(1))).rejects.toThrow('Try again later');
    const failed = await notificationsWithReference(key);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      status: 'temporary-failure',
      failure_reason: 'Try again later',
    });

    await handler(payload, context(2));
    await handler(payload, context(3)); // a repeat after delivery sends nothing more
    const settled = await notificationsWithReference(key);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toMatchObject({ status: 'delivered', failure_reason: null });
    expect(calls).toBe(2);
  });

  it('passes one-click unsubscribe headers on to the mail, and drops any other header', async () => {
    const sent: MailMessage[] = [];
    const recording: Mailer = {
      async send(message) {
        sent.push(message);
      },
    };
    const handler = platformMessageHandlers(testConfig, recording)['mail.send']!;
    const unsubscribe = '<https://example.gov.uk/reminders/unsubscribe/abc>';
    await handler(
      {
        to: 'reminded@example.com',
        subject: 'Reminder',
        text: 'Body',
        headers: {
          'List-Unsubscribe': unsubscribe,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          Bcc: 'someone-else@example.com',
        },
      },
      {
        db: db(),
        idempotencyKey: 'test.platform-message:headers',
        attempt: 1,
        logger: pino({ level: 'silent' }),
      },
    );
    expect(sent.map((m) => m.headers)).toEqual([
      { 'List-Unsubscribe': unsubscribe, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    ]);
  });

  it('marks an e-mail the receiving server refuses for good as a permanent failure, without retrying', async () => {
    const refusing: Mailer = {
      async send() {
        throw Object.assign(new Error('550 No such mailbox'), { responseCode: 550 });
      },
    };
    const handler = platformMessageHandlers(testConfig, refusing)['mail.send']!;
    const key = 'test.platform-message:refused';
    await handler(
      { to: 'nobody@example.com', subject: 'Hello', text: 'Body' },
      { db: db(), idempotencyKey: key, attempt: 1, logger: pino({ level: 'silent' }) },
    );
    const [row] = await notificationsWithReference(key);
    expect(row).toMatchObject({
      status: 'permanent-failure',
      failure_reason: '550 No such mailbox',
    });
    // Reported, so an account that uses the address is asked to check it.
    const reported = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'account.delivery-problem')
      .where('idempotency_key', '=', `account.delivery-problem:${row!.id}`)
      .executeTakeFirst();
    expect(reported?.payload).toMatchObject({ channel: 'email', address: 'nobody@example.com' });
  });

  it('records a letter naming its council under that council’s service and passes Notify’s own letters straight through', async () => {
    const stroud = await db()
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'stroud')
      .executeTakeFirstOrThrow();
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    await enqueue(db(), {
      topic: 'letter.send',
      payload: {
        to: { name: 'Sam Smith', lines: ['1 High Street', 'Stroud', 'GL5 1AA'] },
        pdfBase64: pdf.toString('base64'),
        organisationId: stroud.id,
      },
      idempotencyKey: 'letter:test-activation:1',
    });
    await enqueue(db(), {
      topic: 'letter.send',
      payload: {
        to: { name: 'Jo Bloggs', lines: ['2 High Street'] },
        pdfBase64: pdf.toString('base64'),
      },
      idempotencyKey: 'notify.letter:00000000-0000-4000-8000-000000000000',
    });
    await app.platform.worker.drain();
    const [letter, ...others] = await notificationsWithReference('letter:test-activation:1');
    expect(others).toHaveLength(0);
    expect(letter).toMatchObject({
      service_id: (await serviceOf('stroud'))!.id,
      type: 'letter',
      recipient: 'Sam Smith',
      address_lines: ['Sam Smith', '1 High Street', 'Stroud', 'GL5 1AA'],
      status: 'accepted',
    });
    // The letter (with its activation code) is not kept where the council's keys could read it.
    expect(letter!.precompiled_pdf).toBeNull();
    void pdf;
    expect(await notificationsWithReference('notify.letter:%')).toHaveLength(0);
    const outbox = await db()
      .selectFrom('outbox')
      .select('status')
      .where('idempotency_key', '=', 'notify.letter:00000000-0000-4000-8000-000000000000')
      .executeTakeFirstOrThrow();
    expect(outbox.status).toBe('done');
  });

  it('records a text message and gives the provider its notification id as the reference', async () => {
    const sent: { reference?: string | undefined }[] = [];
    const handler = platformMessageHandlers(testConfig, undefined, {
      sms: {
        async send(message) {
          sent.push(message);
          return { status: 'accepted', via: 'log' };
        },
      },
    })['sms.send']!;
    const key = 'test.platform-message:sms';
    await handler(
      { to: '07700900123', text: 'Your code is 123456' },
      { db: db(), idempotencyKey: key, attempt: 1, logger: pino({ level: 'silent' }) },
    );
    const [row] = await notificationsWithReference(key);
    expect(row).toMatchObject({
      id: platformNotificationId(key),
      service_id: (await serviceOf(PLATFORM_ORGANISATION_SLUG))!.id,
      type: 'sms',
      status: 'sending',
      recipient: '07700900123',
    });
    expect(sent).toEqual([expect.objectContaining({ reference: row!.id, idempotencyKey: key })]);
  });
});
