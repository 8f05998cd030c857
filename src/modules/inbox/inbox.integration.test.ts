import { createHmac, createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, csrfToken, type TestApp } from '../../../test/helpers/app.js';
import { loadConfig } from '../../platform/config/config.js';
import { registerCitizen } from '../identity/index.js';
import { notifyKeyCreate } from '../notify/index.js';
import { createSubmission } from '../submissions/index.js';

const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const STROUD = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const CHELTENHAM = ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'] as const;
/** The config the test app runs with: the same secret seals the API keys. */
const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent' });

/** The smallest real files of each kind: the server looks at the bytes, not the name. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let app: TestApp;
let citizenId: string;
let stroudId: string;
let reference: string;

const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
  citizenId = (
    await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN[0])
      .executeTakeFirstOrThrow()
  ).id;
  stroudId = (
    await db()
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'stroud')
      .executeTakeFirstOrThrow()
  ).id;
  const service = await db()
    .selectFrom('services')
    .select('id')
    .where('organisation_id', '=', stroudId)
    .executeTakeFirstOrThrow();
  const submission = await createSubmission(
    db(),
    {
      draftId: randomUUID(),
      serviceId: service.id,
      organisationId: stroudId,
      applicantUserId: citizenId,
      answers: { values: {}, summary: { en: [], cy: [] } },
    },
    { userId: citizenId, organisationId: null, role: 'citizen' },
  );
  reference = submission.reference;
});
afterAll(async () => {
  await app?.close();
});

async function signedIn([email, password]: readonly [string, string]) {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/**
 * Posts "Send a message" as a browser does, multipart/form-data with files, using the visitor's
 * cookies and the CSRF token of the page it last saw.
 */
async function postMultipart(
  visitor: Visitor,
  path: string,
  fields: Record<string, string>,
  files: { name: string; content: Buffer; type?: string }[] = [],
) {
  const form = new FormData();
  form.append('_csrf', csrfToken(visitor.lastHtml));
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files)
    form.append(
      'files',
      new Blob([new Uint8Array(file.content)], { type: file.type ?? '' }),
      file.name,
    );
  // The Visitor keeps its cookie jar private; a browser would send the same cookies.
  const jar = (visitor as unknown as { cookies: Map<string, string> }).cookies;
  const response = await fetch(app.baseUrl + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    body: form,
  });
  return Object.assign(response, { html: await response.text() });
}

/** A Notify API key of an organisation, made as an operator would, and a JWT signed with it. */
async function apiKey(org: string, type: 'live' | 'team' | 'test' = 'live') {
  const result = await notifyKeyCreate(db(), config, ['--org', org, '--type', type]);
  if (result.code !== 0) throw new Error(result.err.join('\n'));
  return result.out[0]!;
}

function jwt(key: string, iat = Math.round(Date.now() / 1000)) {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ typ: 'JWT', alg: 'HS256' })}.${part({ iss: key.slice(-73, -37), iat })}`;
  return `${unsigned}.${createHmac('sha256', key.slice(-36)).update(unsigned).digest('base64url')}`;
}

async function callApi(body: unknown, key?: string) {
  const response = await fetch(`${app.baseUrl}/api/v1/inbox/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${jwt(key)}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function auditOf(resourceId: string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .orderBy('id')
    .execute();
}

async function messageBySubject(subject: string) {
  return db()
    .selectFrom('inbox_messages')
    .selectAll()
    .where('subject', '=', subject)
    .executeTakeFirstOrThrow();
}

describe('a caseworker sends a message', () => {
  it('puts it, with its attachment, in the account of the applicant of their organisation’s application', async () => {
    const stroud = await signedIn(STROUD);
    await stroud.get('/inbox/staff/new');
    const sent = await postMultipart(
      stroud,
      '/inbox/staff/new',
      {
        reference: reference.toLowerCase(),
        subject: 'Your collection is booked',
        body: 'We will collect your sofa on Monday.\n\nPut it outside by 7am.',
        repliesAllowed: 'yes',
      },
      [{ name: 'booking letter.pdf', content: PDF, type: 'application/pdf' }],
    );
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/inbox/staff?sent=1');

    const message = await messageBySubject('Your collection is booked');
    expect(message).toMatchObject({
      recipient_user_id: citizenId,
      organisation_id: stroudId,
      submission_reference: reference,
      replies_allowed: true,
      read_at: null,
    });
    const files = await db()
      .selectFrom('inbox_attachments')
      .selectAll()
      .where('message_id', '=', message.id)
      .execute();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      filename: 'booking letter.pdf',
      content_type: 'application/pdf',
      size_bytes: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
    const audit = await auditOf(message.id);
    expect(audit.map((a) => [a.action, a.subject_user_id, a.actor_role])).toEqual([
      ['inbox.message.sent', citizenId, 'caseworker'],
    ]);
    // The application was opened through the submissions policy, and that view logged.
    const viewed = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'submission.viewed')
      .where('subject_user_id', '=', citizenId)
      .execute();
    expect(viewed.length).toBeGreaterThan(0);
  });

  it('e-mails the person only that they have a new message, with a link: no subject, sender or name', async () => {
    const message = await messageBySubject('Your collection is booked');
    const mail = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('idempotency_key', '=', `inbox.new-message:${message.id}`)
      .executeTakeFirstOrThrow();
    const { to, subject, text } = mail.payload as { to: string; subject: string; text: string };
    expect(to).toBe(CITIZEN[0]);
    expect(subject).toBe(
      'You have a new message in your account / Mae gennych neges newydd yn eich cyfrif',
    );
    expect(text).toContain('You have a new message in your account');
    expect(text).toContain('http://localhost:3000/inbox');
    for (const secret of [
      'collection',
      'sofa',
      'Stroud',
      'booking',
      reference,
      'Sam',
      'Citizen',
      message.id,
    ])
      expect(`${subject}\n${text}`).not.toContain(secret);
  });

  it('refuses a reference of another council’s application as not found, and logs the attempt', async () => {
    const cheltenham = await signedIn(CHELTENHAM);
    await cheltenham.get('/inbox/staff/new');
    const refused = await postMultipart(cheltenham, '/inbox/staff/new', {
      reference,
      subject: 'Hello',
      body: 'Hello',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain(
      'There is no application of your organisation with that reference',
    );
    const attempts = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'submission.view_refused')
      .execute();
    expect(attempts.length).toBeGreaterThan(0);
  });

  it('refuses a file that is not a PDF, PNG or JPEG, or is over 2 MB, naming the file', async () => {
    const stroud = await signedIn(STROUD);
    await stroud.get('/inbox/staff/new');
    const before = await db().selectFrom('inbox_messages').select('id').execute();
    const refused = await postMultipart(
      stroud,
      '/inbox/staff/new',
      { reference, subject: 'Files', body: 'See the files' },
      [
        {
          name: 'script.pdf',
          content: Buffer.from('<script>alert(1)</script>'),
          type: 'application/pdf',
        },
        { name: 'huge.png', content: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]) },
      ],
    );
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('There is a problem');
    expect(refused.html).toContain('The selected file script.pdf must be a PDF, PNG or JPEG');
    expect(refused.html).toContain('The selected file huge.png must be smaller than 2 MB');
    expect(await db().selectFrom('inbox_messages').select('id').execute()).toHaveLength(
      before.length,
    );
  });

  it('asks for the reference, subject and message when they are missing', async () => {
    const stroud = await signedIn(STROUD);
    await stroud.get('/inbox/staff/new');
    const refused = await stroud.post('/inbox/staff/new', { reference: '', subject: '', body: '' });
    expect(refused.status).toBe(400);
    for (const text of ['Enter the application reference', 'Enter a subject', 'Enter the message'])
      expect(refused.html).toContain(text);
  });

  it('shows a citizen no staff pages, and reads no upload from someone signed out', async () => {
    const citizen = await signedIn(CITIZEN);
    expect((await citizen.get('/inbox/staff')).status).toBe(404);
    expect((await citizen.get('/inbox/staff/new')).status).toBe(404);
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(PDF)]), 'a.pdf');
    const anonymous = await fetch(`${app.baseUrl}/inbox/staff/new`, {
      method: 'POST',
      redirect: 'manual',
      body: form,
    });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/sign-in/);
  });
});

describe('a body’s system sends a message through the API', () => {
  it('accepts a live Notify key of the body, by e-mail address or by application reference', async () => {
    const key = await apiKey('stroud');
    const byEmail = await callApi(
      {
        email_address: 'CITIZEN@example.com',
        subject: 'Council Tax bill',
        body: 'Your bill is attached.',
        attachments: [{ filename: 'bill.png', content_base64: PNG.toString('base64') }],
      },
      key,
    );
    expect(byEmail.status).toBe(201);
    const message = await messageBySubject('Council Tax bill');
    expect(byEmail.json).toEqual({ id: message.id });
    expect(message).toMatchObject({ recipient_user_id: citizenId, replies_allowed: false });
    const audit = await auditOf(message.id);
    expect(audit.map((a) => [a.action, a.actor_user_id, a.actor_role, a.subject_user_id])).toEqual([
      ['inbox.message.sent', null, 'api', citizenId],
    ]);

    const byReference = await callApi(
      {
        submission_reference: reference,
        subject: 'A question',
        body: 'Is the sofa upstairs?',
        replies_allowed: true,
      },
      key,
    );
    expect(byReference.status).toBe(201);
    expect(await messageBySubject('A question')).toMatchObject({
      recipient_user_id: citizenId,
      submission_reference: reference,
      replies_allowed: true,
    });
  });

  it('takes attachments of up to 2 MB each, beyond the app’s usual 1 MB body limit', async () => {
    const scan = Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024 - PDF.length)]);
    const sent = await callApi(
      {
        email_address: CITIZEN[0],
        subject: 'Scanned form',
        body: 'Your signed form.',
        attachments: [{ filename: 'form.pdf', content_base64: scan.toString('base64') }],
      },
      await apiKey('stroud'),
    );
    expect(sent.status).toBe(201);
    const file = await db()
      .selectFrom('inbox_attachments')
      .select(['size_bytes', 'sha256'])
      .where('message_id', '=', String(sent.json.id))
      .executeTakeFirstOrThrow();
    expect(file).toEqual({
      size_bytes: 2 * 1024 * 1024,
      sha256: createHash('sha256').update(scan).digest('hex'),
    });
  });

  it('is described in the OpenAPI document', async () => {
    const openapi = (await (await fetch(`${app.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, { post?: { tags: string[] } }>;
    };
    expect(openapi.paths['/api/v1/inbox/messages']?.post?.tags).toEqual(['Inbox']);
  });

  it('refuses a request without a key, with a test key, or with another body’s reference', async () => {
    const body = { email_address: CITIZEN[0], subject: 'Hi', body: 'Hi' };
    expect((await callApi(body)).status).toBe(401);
    expect((await callApi(body, await apiKey('stroud', 'test'))).status).toBe(403);
    const cheltenham = await callApi(
      { submission_reference: reference, subject: 'Hi', body: 'Hi' },
      await apiKey('cheltenham'),
    );
    expect(cheltenham.status).toBe(400);
    expect(JSON.stringify(cheltenham.json)).toContain('no application of your organisation');
  });

  it('refuses a wrong file type and bad base64 with a clear error', async () => {
    const key = await apiKey('stroud');
    const wrongType = await callApi(
      {
        email_address: CITIZEN[0],
        subject: 'Bad file',
        body: 'x',
        attachments: [
          { filename: 'page.html', content_base64: Buffer.from('<html>').toString('base64') },
        ],
      },
      key,
    );
    expect(wrongType.status).toBe(400);
    expect(JSON.stringify(wrongType.json)).toContain(
      'The selected file page.html must be a PDF, PNG or JPEG',
    );
    const notBase64 = await callApi(
      {
        email_address: CITIZEN[0],
        subject: 'Bad file',
        body: 'x',
        attachments: [{ filename: 'a.pdf', content_base64: '%%%' }],
      },
      key,
    );
    expect(notBase64.status).toBe(400);
    expect(JSON.stringify(notBase64.json)).toContain('is not valid base64');
  });
});

describe('the person’s inbox', () => {
  it('counts unread messages in the heading, marks them in the list, and opening one reads it', async () => {
    const citizen = await signedIn(CITIZEN);
    const list = await citizen.get('/inbox');
    expect(list.status).toBe(200);
    expect(list.html).toContain('Your messages (4 unread)');
    expect(list.html.match(/>Unread</g)).toHaveLength(4);

    const message = await messageBySubject('Your collection is booked');
    const opened = await citizen.get(`/inbox/${message.id}`);
    expect(opened.status).toBe(200);
    expect(opened.html).toContain('We will collect your sofa on Monday.');
    expect(opened.html).toContain('Stroud District Council');
    expect((await messageBySubject('Your collection is booked')).read_at).not.toBeNull();
    expect((await citizen.get('/inbox')).html).toContain('Your messages (3 unread)');
    expect((await auditOf(message.id)).map((a) => a.action)).toContain('inbox.message.read');
  });

  it('lets only the recipient download an attachment, as a download that is not sniffed', async () => {
    const message = await messageBySubject('Your collection is booked');
    const file = await db()
      .selectFrom('inbox_attachments')
      .select('id')
      .where('message_id', '=', message.id)
      .executeTakeFirstOrThrow();
    const path = `/inbox/${message.id}/attachments/${file.id}`;

    const citizen = await signedIn(CITIZEN);
    const download = await citizen.get(path);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="booking letter.pdf"/,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.html).toBe(PDF.toString());

    await db()
      .transaction()
      .execute(async (trx) => {
        const other = await registerCitizen(trx, {
          email: 'other@example.com',
          password: 'another-long-password',
          displayName: 'Other Person',
        });
        if (!other.ok) throw new Error('could not register');
        await trx
          .updateTable('users')
          .set({ email_verified_at: new Date() })
          .where('id', '=', other.user.id)
          .execute();
      });
    const other = await signedIn(['other@example.com', 'another-long-password']);
    expect((await other.get(path)).status).toBe(404);
    expect((await other.get(`/inbox/${message.id}`)).status).toBe(404);
    expect((await other.get('/inbox')).html).toContain('You have no messages.');
    const cheltenham = await signedIn(CHELTENHAM);
    expect(
      (await cheltenham.get(`/inbox/staff/messages/${message.id}/attachments/${file.id}`)).status,
    ).toBe(404);
  });

  it('takes a reply where the body allows it and refuses one where it does not', async () => {
    const citizen = await signedIn(CITIZEN);
    const allowed = await messageBySubject('Your collection is booked');
    await citizen.get(`/inbox/${allowed.id}`);
    const empty = await citizen.post(`/inbox/${allowed.id}/reply`, { reply: '' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter your reply');
    const replied = await citizen.post(`/inbox/${allowed.id}/reply`, {
      reply: 'Thank you. The sofa will be by the gate.',
    });
    expect(replied.status).toBe(303);
    expect((await citizen.get(`/inbox/${allowed.id}`)).html).toContain(
      'The sofa will be by the gate.',
    );
    expect((await auditOf(allowed.id)).map((a) => a.action)).toContain('inbox.reply.sent');

    const notAllowed = await messageBySubject('Council Tax bill');
    const page = await citizen.get(`/inbox/${notAllowed.id}`);
    expect(page.html).toContain('You cannot reply to this message');
    expect(page.html).not.toContain('name="reply"');
    const refused = await citizen.post(`/inbox/${notAllowed.id}/reply`, { reply: 'Why?' });
    expect(refused.status).toBe(403);
    expect(
      await db()
        .selectFrom('inbox_replies')
        .select('id')
        .where('message_id', '=', notAllowed.id)
        .execute(),
    ).toHaveLength(0);
  });

  it('shows the reply to the sending body’s caseworkers, auditing each read with the person as subject', async () => {
    const message = await messageBySubject('Your collection is booked');
    const stroud = await signedIn(STROUD);
    const list = await stroud.get('/inbox/staff');
    expect(list.html).toContain('Your collection is booked');

    const page = await stroud.get(`/inbox/staff/messages/${message.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('The sofa will be by the gate.');
    expect(page.html).toContain('Sam Citizen');
    const file = await db()
      .selectFrom('inbox_attachments')
      .select('id')
      .where('message_id', '=', message.id)
      .executeTakeFirstOrThrow();
    const download = await stroud.get(`/inbox/staff/messages/${message.id}/attachments/${file.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);

    const reads = (await auditOf(message.id)).filter((a) => a.actor_role === 'caseworker');
    expect(reads.map((a) => [a.action, a.subject_user_id])).toEqual([
      ['inbox.message.sent', citizenId],
      ['inbox.message.viewed_by_staff', citizenId],
      ['inbox.attachment.downloaded_by_staff', citizenId],
    ]);

    const cheltenham = await signedIn(CHELTENHAM);
    expect((await cheltenham.get(`/inbox/staff/messages/${message.id}`)).status).toBe(404);
    expect((await cheltenham.get('/inbox/staff')).html).not.toContain('Your collection is booked');
  });

  it('deletes a message from the person’s inbox while the body keeps its copy', async () => {
    const citizen = await signedIn(CITIZEN);
    const message = await messageBySubject('A question');
    await citizen.get(`/inbox/${message.id}/delete`);
    const deleted = await citizen.post(`/inbox/${message.id}/delete`, {});
    expect(deleted.headers.get('location')).toBe('/inbox?deleted=1');
    expect((await citizen.get('/inbox?deleted=1')).html).not.toContain('A question');
    expect((await citizen.get(`/inbox/${message.id}`)).status).toBe(404);
    expect((await auditOf(message.id)).map((a) => a.action)).toContain('inbox.message.deleted');

    const stroud = await signedIn(STROUD);
    const kept = await stroud.get(`/inbox/staff/messages/${message.id}`);
    expect(kept.status).toBe(200);
    expect(kept.html).toContain('Deleted by recipient');
  });

  it('erases a person’s messages and replies when they delete their account', async () => {
    const key = await apiKey('stroud');
    expect(
      (
        await callApi(
          {
            email_address: 'other@example.com',
            subject: 'For the other person',
            body: 'Hi',
            replies_allowed: true,
          },
          key,
        )
      ).status,
    ).toBe(201);
    const other = await signedIn(['other@example.com', 'another-long-password']);
    const message = await messageBySubject('For the other person');
    await other.get(`/inbox/${message.id}`);
    expect((await other.post(`/inbox/${message.id}/reply`, { reply: 'My reply' })).status).toBe(
      303,
    );

    await other.get('/account/delete');
    expect(
      (await other.post('/account/delete', { password: 'another-long-password' })).status,
    ).toBe(303);
    expect(
      await db().selectFrom('inbox_messages').select('id').where('id', '=', message.id).execute(),
    ).toHaveLength(0);
    expect(
      await db()
        .selectFrom('inbox_replies')
        .select('id')
        .where('message_id', '=', message.id)
        .execute(),
    ).toHaveLength(0);
  });
});
