import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotifyClient } from 'notifications-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { renderTextPdf } from '../../../platform/letters/pdf.js';
import { readStoredSms } from '../../../platform/sms/sms.js';
import { updateTemplate } from '../commands/templates.js';
import { addTemplate, issueKey } from '../test/helpers.js';

let app: TestApp;
let client: NotifyClient;
let testClient: NotifyClient;
let teamClient: NotifyClient;
let emailTemplate: string;
let smsTemplate: string;
let letterTemplate: string;

const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
  client = new NotifyClient(app.baseUrl, await issueKey(db(), 'stroud', 'live', 'Case system'));
  testClient = new NotifyClient(app.baseUrl, await issueKey(db(), 'E07000082', 'test'));
  teamClient = new NotifyClient(app.baseUrl, await issueKey(db(), 'stroud', 'team'));
  emailTemplate = await addTemplate(
    db(),
    'stroud',
    'email',
    'Collection booked',
    '# Your collection\n\nDear ((name)),\n\nWe will collect on ((date)).((urgent?? Please leave items out the night before.))',
    'Collection on ((date))',
  );
  smsTemplate = await addTemplate(
    db(),
    'stroud',
    'sms',
    'Reminder',
    'Hello ((name)), your bin goes out tomorrow.',
  );
  letterTemplate = await addTemplate(
    db(),
    'stroud',
    'letter',
    'Council tax',
    'Dear ((name)),\n\nYour new bill is enclosed.',
    'Your council tax bill',
  );
});
afterAll(async () => {
  await app?.close();
});

const ADDRESS = {
  address_line_1: 'Sam Smith',
  address_line_2: '1 High Street',
  address_line_3: 'Stroud',
  address_line_4: 'gl5 1aa',
};

async function outboxFor(topic: string) {
  return db().selectFrom('outbox').selectAll().where('topic', '=', topic).orderBy('id').execute();
}

describe('the official notifications-node-client against our /v2 API', () => {
  it('sends an e-mail with personalisation, returns Notify’s 201 shape and delivers it', async () => {
    const sent = await client.sendEmail(emailTemplate, 'Someone@Example.com', {
      personalisation: { name: 'Sam', date: '3 May', urgent: 'yes' },
      reference: 'booking-1',
    });
    expect(sent.status).toBe(201);
    expect(sent.data).toMatchObject({
      reference: 'booking-1',
      content: {
        subject: 'Collection on 3 May',
        body: '# Your collection\n\nDear Sam,\n\nWe will collect on 3 May. Please leave items out the night before.',
        from_email: 'no-reply@joinedup.invalid',
      },
      template: { id: emailTemplate, version: 1 },
      scheduled_for: null,
    });
    expect(sent.data.uri).toBe(`${app.baseUrl}/v2/notifications/${sent.data.id}`);
    const before = await client.getNotificationById(sent.data.id);
    expect(before.data.status).toBe('created');

    await app.platform.worker.drain();
    const after = await client.getNotificationById(sent.data.id);
    expect(after.data).toMatchObject({
      id: sent.data.id,
      type: 'email',
      status: 'delivered',
      email_address: 'someone@example.com',
      reference: 'booking-1',
      subject: 'Collection on 3 May',
      template: { id: emailTemplate, version: 1 },
    });
    expect(after.data.completed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // With no SMTP_URL the platform mailer writes the development mailbox.
    expect(existsSync(path.join(tmpdir(), 'joinedup-mailbox', `notify_${sent.data.id}.eml`))).toBe(
      true,
    );
  });

  it('sends a text message straight to the SMS provider (here the development log) with the number in E.164', async () => {
    const sent = await client.sendSms(smsTemplate, '07700 900123', {
      personalisation: { name: 'Sam' },
    });
    expect(sent.status).toBe(201);
    expect(sent.data.content).toEqual({
      body: 'Hello Sam, your bin goes out tomorrow.',
      from_number: 'Joinedup',
    });
    await app.platform.worker.drain();
    const sms = await readStoredSms({ DATA_DIR: ':memory:' }, `notify.sms_${sent.data.id}`);
    expect(sms).toMatchObject({
      to: '+447700900123',
      text: 'Hello Sam, your bin goes out tomorrow.',
    });
    const read = await client.getNotificationById(sent.data.id);
    expect(read.data).toMatchObject({
      type: 'sms',
      status: 'sending',
      phone_number: '07700 900123',
    });
    expect(read.data.cost_details).toMatchObject({ billable_sms_fragments: 1 });
  });

  it('sends a letter, renders it as a PDF for the letter topic and marks it accepted', async () => {
    const sent = await client.sendLetter(letterTemplate, {
      personalisation: { ...ADDRESS, name: 'Sam' },
      reference: 'tax-7',
    });
    expect(sent.status).toBe(201);
    expect(sent.data.content).toEqual({
      body: 'Dear Sam,\n\nYour new bill is enclosed.',
      subject: 'Your council tax bill',
    });
    await app.platform.worker.drain();
    const letter = (await outboxFor('letter.send')).find(
      (m) => m.idempotency_key === `notify.letter:${sent.data.id}`,
    );
    expect(letter?.payload.to).toEqual({
      name: 'Sam Smith',
      lines: ['1 High Street', 'Stroud', 'GL5 1AA'],
    });
    const pdf = Buffer.from(String(letter?.payload.pdfBase64), 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const read = await client.getNotificationById(sent.data.id);
    expect(read.data).toMatchObject({
      type: 'letter',
      status: 'accepted',
      line_1: 'Sam Smith',
      line_4: 'GL5 1AA',
      line_5: null,
      postage: 'second',
    });
    const fetched = await client.getPdfForLetterNotification(sent.data.id);
    expect(fetched.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('accepts a precompiled PDF letter and passes the same PDF on', async () => {
    const pdf = renderTextPdf([{ text: 'Sam Smith' }, { text: 'A precompiled letter' }]);
    const sent = await client.sendPrecompiledLetter('precompiled-1', pdf, 'first');
    expect(sent.status).toBe(201);
    expect(sent.data).toEqual({
      id: expect.any(String),
      reference: 'precompiled-1',
      postage: 'first',
    });
    expect((await client.getNotificationById(sent.data.id)).data.status).toBe(
      'pending-virus-check',
    );
    await app.platform.worker.drain();
    const letter = (await outboxFor('letter.send')).find(
      (m) => m.idempotency_key === `notify.letter:${sent.data.id}`,
    );
    expect(Buffer.from(String(letter?.payload.pdfBase64), 'base64').equals(pdf)).toBe(true);
    expect((await client.getNotificationById(sent.data.id)).data.status).toBe('accepted');
  });

  it('lists notifications newest first, filtered, with older_than paging links', async () => {
    const all = await client.getNotifications();
    expect(all.status).toBe(200);
    const ids = all.data.notifications.map((n) => n.id);
    expect(ids.length).toBe(4);
    expect(all.data.links.current).toBe(`${app.baseUrl}/v2/notifications`);
    expect(all.data.links.next).toBe(`${app.baseUrl}/v2/notifications?older_than=${ids.at(-1)}`);

    const older = await client.getNotifications(undefined, undefined, undefined, ids[1]);
    expect(older.data.notifications.map((n) => n.id)).toEqual(ids.slice(2));
    const none = await client.getNotifications(undefined, undefined, undefined, ids.at(-1));
    expect(none.data.notifications).toEqual([]);
    expect(none.data.links.next).toBeUndefined();

    const emails = await client.getNotifications('email', 'delivered', 'booking-1');
    expect(emails.data.notifications).toHaveLength(1);
    expect(emails.data.notifications[0]!.reference).toBe('booking-1');
    expect(emails.data.links.current).toBe(
      `${app.baseUrl}/v2/notifications?template_type=email&status=delivered&reference=booking-1`,
    );
    expect((await client.getNotifications('letter')).data.notifications).toHaveLength(2);
  });

  it('reads templates, their versions and the list, and previews with personalisation', async () => {
    const template = await client.getTemplateById(emailTemplate);
    expect(template.data).toMatchObject({
      id: emailTemplate,
      name: 'Collection booked',
      type: 'email',
      version: 1,
      subject: 'Collection on ((date))',
      updated_at: null,
    });
    const edited = await db()
      .transaction()
      .execute(async (trx) => {
        const service = await trx
          .selectFrom('organisations')
          .select('id')
          .where('slug', '=', 'stroud')
          .executeTakeFirstOrThrow();
        return updateTemplate(
          trx,
          service.id,
          emailTemplate,
          {
            name: 'Collection booked',
            subject: 'Your collection on ((date))',
            body: 'Dear ((name)), see you on ((date)).',
          },
          { userId: null, organisationId: service.id, role: 'test' },
        );
      });
    expect(edited).toEqual({ ok: true, version: 2 });
    expect((await client.getTemplateById(emailTemplate)).data).toMatchObject({
      version: 2,
      subject: 'Your collection on ((date))',
    });
    const first = await client.getTemplateByIdAndVersion(emailTemplate, 1);
    expect(first.data).toMatchObject({ version: 1, subject: 'Collection on ((date))' });

    const sms = await client.getAllTemplates('sms');
    expect(sms.data.templates.map((t) => t.id)).toEqual([smsTemplate]);
    expect((await client.getAllTemplates()).data.templates).toHaveLength(3); // not the hidden precompiled one

    const preview = await client.previewTemplateById(emailTemplate, {
      name: 'Sam <b>',
      date: 'Friday',
    });
    expect(preview.data).toMatchObject({
      id: emailTemplate,
      type: 'email',
      version: 2,
      subject: 'Your collection on Friday',
      body: 'Dear Sam <b>, see you on Friday.',
    });
    expect(preview.data.html).toContain('Dear Sam &lt;b&gt;, see you on Friday.');

    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('resource_id', '=', emailTemplate)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'notify.template.created',
      'notify.template.updated',
    ]);
  });

  it('simulates delivery for a test key: delivered, nothing sent, and kept apart from live listings', async () => {
    const sent = await testClient.sendEmail(emailTemplate, 'anyone@example.com', {
      personalisation: { name: 'Sam', date: 'Friday' },
    });
    await app.platform.worker.drain();
    expect((await testClient.getNotificationById(sent.data.id)).data.status).toBe('delivered');
    expect(existsSync(path.join(tmpdir(), 'joinedup-mailbox', `notify_${sent.data.id}.eml`))).toBe(
      false,
    );
    expect((await testClient.getNotifications()).data.notifications.map((n) => n.id)).toEqual([
      sent.data.id,
    ]);
    expect((await client.getNotifications()).data.notifications.map((n) => n.id)).not.toContain(
      sent.data.id,
    );
  });

  it('lets a team key send only to the organisation’s staff', async () => {
    const ok = await teamClient.sendEmail(emailTemplate, 'caseworker@stroud.example.gov.uk', {
      personalisation: { name: 'Cas', date: 'Friday' },
    });
    expect(ok.status).toBe(201);
    const refused = await teamClient
      .sendEmail(emailTemplate, 'citizen@example.com', {
        personalisation: { name: 'Sam', date: 'Friday' },
      })
      .catch((error: { response: { status: number; data: unknown } }) => error.response);
    expect(refused.status).toBe(400);
    expect(refused.data).toEqual({
      status_code: 400,
      errors: [
        {
          error: 'BadRequestError',
          message: 'Can’t send to this recipient using a team-only API key',
        },
      ],
    });
  });

  it('records the keys the command line issued in the audit log', async () => {
    const created = await db()
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'notify.api-key.created')
      .execute();
    expect(created.map((a) => a.details.keyType).sort()).toEqual(['normal', 'team', 'test']);
  });
});
