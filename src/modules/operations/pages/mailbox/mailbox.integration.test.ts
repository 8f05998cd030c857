import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { queueLetter } from '../../../../platform/letters/letters.js';
import { renderTextPdf } from '../../../../platform/letters/pdf.js';
import { MAIL_TOPIC } from '../../../../platform/mail/mailer.js';
import { enqueue } from '../../../../platform/outbox/outbox.js';
import { SMS_TOPIC } from '../../../../platform/sms/sms.js';

const PLATFORM_ADMIN = ['admin@cabinet-office.example.gov.uk', 'demo-platform-admin'] as const;
const CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const SERVICE_OWNER = ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'] as const;

let app: TestApp;
let dataDir: string;
const mark = randomBytes(4).toString('hex');

async function signedIn([email, password]: readonly [string, string], on = app) {
  const visitor = new Visitor(on.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** Delivers everything queued, however many hops a message takes (e.g. through notify). */
async function deliverAll() {
  for (let round = 0; round < 5; round++) await app.platform.worker.drain();
}

beforeAll(async () => {
  // A folder of its own, so the list holds only this test's messages.
  dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-mailbox-test-'));
  app = await startTestApp({ DATA_DIR: dataDir });
  const db = app.platform.database.db;
  await enqueue(db, {
    topic: MAIL_TOPIC,
    payload: {
      to: 'sam@example.com',
      subject: `Your collection is booked ${mark} – Mae’ch casgliad wedi’i drefnu`,
      text: `Dear Sam,\n\nWe will collect your sofa on 3 May.\n\nReference ${mark}`,
    },
    idempotencyKey: `mailbox-test-mail-${mark}`,
  });
  await enqueue(db, {
    topic: SMS_TOPIC,
    payload: { to: '07700900123', text: `Your code is 123456 (${mark})` },
    idempotencyKey: `mailbox-test-sms-${mark}`,
  });
  await queueLetter(
    db,
    {
      to: { name: 'Sam Smith', lines: ['1 High Street', 'Stroud', 'GL5 1AA'] },
      pdf: renderTextPdf([{ text: 'Sam Smith' }, { text: `Your activation code ${mark}` }]),
    },
    `mailbox-test-letter-${mark}`,
  );
  await deliverAll();
});
afterAll(async () => {
  await app?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the development mailbox', () => {
  it('shows a platform admin the delivered e-mail, text message and letter, each of which opens', async () => {
    const admin = await signedIn(PLATFORM_ADMIN);
    const list = await admin.get('/dev/mailbox');
    expect(list.status).toBe(200);
    expect(list.html).toContain(
      `Your collection is booked ${mark} – Mae’ch casgliad wedi’i drefnu`,
    );
    expect(list.html).toContain('sam@example.com');
    expect(list.html).toContain(`Your code is 123456 (${mark})`);
    expect(list.html).toContain('07700900123');

    const mailLink = /href="(\/dev\/mailbox\/email\/[^"]+)"/.exec(list.html)![1]!;
    const mail = await admin.get(mailLink);
    expect(mail.status).toBe(200);
    expect(mail.html).toContain('We will collect your sofa on 3 May.');
    expect(mail.html).toContain(`Reference ${mark}`);

    const smsLink = /href="(\/dev\/mailbox\/sms\/[^"]+)"/.exec(list.html)![1]!;
    const sms = await admin.get(smsLink);
    expect(sms.status).toBe(200);
    expect(sms.html).toContain(`Your code is 123456 (${mark})`);

    const letterLink = /href="(\/dev\/mailbox\/letters\/[^"/]+)"/.exec(list.html)![1]!;
    const letter = await admin.get(letterLink);
    expect(letter.status).toBe(200);
    expect(letter.html).toContain(`Your activation code ${mark}`);
    const pdf = await fetch(app.baseUrl + `${letterLink}/pdf`, {
      headers: { cookie: (await cookieOf(admin)) ?? '' },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.pdf"$/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('lists the newest message first', async () => {
    await enqueue(app.platform.database.db, {
      topic: MAIL_TOPIC,
      payload: { to: 'later@example.com', subject: `Later ${mark}`, text: 'Sent second' },
      idempotencyKey: `mailbox-test-later-${mark}`,
    });
    await new Promise((resolve) => setTimeout(resolve, 20)); // a later file time
    await deliverAll();
    const list = await (await signedIn(PLATFORM_ADMIN)).get('/dev/mailbox');
    expect(list.html.indexOf(`Later ${mark}`)).toBeGreaterThan(-1);
    expect(list.html.indexOf(`Later ${mark}`)).toBeLessThan(
      list.html.indexOf(`Your collection is booked ${mark}`),
    );
  });

  it('is in Welsh when the admin asks for Welsh', async () => {
    const list = await (await signedIn(PLATFORM_ADMIN)).get('/dev/mailbox?lang=cy');
    expect(list.html).toContain('Blwch post datblygu');
    expect(list.html).toContain('Negeseuon testun');
  });

  it('is a 404 for a caseworker and for a service owner, and a message cannot be opened by them', async () => {
    for (const account of [CASEWORKER, SERVICE_OWNER]) {
      const visitor = await signedIn(account);
      expect((await visitor.get('/dev/mailbox')).status).toBe(404);
      expect((await visitor.get(`/dev/mailbox/sms/mailbox-test-sms-${mark}`)).status).toBe(404);
    }
  });

  it('sends someone not signed in to sign in', async () => {
    const response = await new Visitor(app.baseUrl).get('/dev/mailbox');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/sign-in/);
  });

  it('does not let an id climb out of the mailbox folder', async () => {
    const admin = await signedIn(PLATFORM_ADMIN);
    expect((await admin.get('/dev/mailbox/email/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    expect((await admin.get('/dev/mailbox/letters/.hidden')).status).toBe(404);
  });
});

describe('the development mailbox in production', () => {
  let production: TestApp;
  beforeAll(async () => {
    production = await startTestApp({ DATA_DIR: dataDir, SMTP_URL: 'smtp://127.0.0.1:2525' });
  });
  afterAll(async () => {
    await production?.close();
  });

  it('is a 404 even for a platform admin when SMTP_URL is set', async () => {
    const admin = await signedIn(PLATFORM_ADMIN, production);
    expect((await admin.get('/dev/mailbox')).status).toBe(404);
    expect((await admin.get(`/dev/mailbox/sms/mailbox-test-sms-${mark}`)).status).toBe(404);
    expect((await admin.get('/admin/outbox')).html).not.toContain('/dev/mailbox');
  });
});

/** The visitor's cookies as a header, for a download the Visitor would read as text. */
async function cookieOf(visitor: Visitor): Promise<string | undefined> {
  return (visitor as unknown as { cookies: Map<string, string> }).cookies.size
    ? [...(visitor as unknown as { cookies: Map<string, string> }).cookies]
        .map(([k, v]) => `${k}=${v}`)
        .join('; ')
    : undefined;
}
