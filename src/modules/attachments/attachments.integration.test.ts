import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createSubmission } from '../submissions/index.js';
import {
  attachmentsByIds,
  attachmentsModule,
  canReadAttachment,
  linkAttachments,
  UNSENT_RETENTION_DAYS,
} from './index.js';
import type { LocalFileStore } from './store/local.js';
import {
  lyingZipBomb,
  minimalDocx,
  minimalPdf,
  minimalPng,
  nestedZip,
  windowsProgram,
  zipBomb,
} from './test/files.js';
import {
  rawPost,
  TEST_API_PREFIX,
  TEST_API_TOKEN,
  UploadClient,
  uploadTestModule,
} from './test/harness.js';

const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const OTHER_CITIZEN = ['agent@cotswold-accountants.example.com', 'demo-agent-password'] as const;
const STROUD = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const CHELTENHAM = ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'] as const;
const MAX_UPLOAD = 256 * 1024;

let app: TestApp;
let stroudId = '';
const db = () => app.platform.database.db;
const storedFiles = () => {
  const { directory } = app.platform.app.attachmentServices.store as LocalFileStore;
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
};

beforeAll(async () => {
  app = await startTestApp({ UPLOAD_MAX_BYTES: String(MAX_UPLOAD) }, [
    uploadTestModule(() => stroudId),
  ]);
  const stroud = await db()
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', 'stroud')
    .executeTakeFirstOrThrow();
  stroudId = stroud.id;
});
afterAll(async () => {
  await app?.close();
});

async function signedIn(account: readonly [string, string]): Promise<UploadClient> {
  const client = new UploadClient(app.baseUrl);
  await client.signIn(...account);
  return client;
}

type Outcome = { ok: boolean; problem?: string; attachment?: Record<string, unknown> };

async function uploadAs(
  client: UploadClient,
  file: { name: string; data: Buffer },
  query = '',
): Promise<Outcome> {
  const response = await client.upload(`/test/upload${query}`, [['file', file]]);
  expect(response.status).toBe(200);
  return response.data().outcome as Outcome;
}

/** A submission to Stroud by the demo citizen, with these files linked to it. */
async function sendToStroud(ids: string[]): Promise<string> {
  const citizen = await db()
    .selectFrom('users')
    .select('id')
    .where('email', '=', CITIZEN[0])
    .executeTakeFirstOrThrow();
  const service = await db()
    .selectFrom('services')
    .select('id')
    .where('organisation_id', '=', stroudId)
    .executeTakeFirstOrThrow();
  return db()
    .transaction()
    .execute(async (trx) => {
      const submission = await createSubmission(
        trx,
        {
          serviceId: service.id,
          organisationId: stroudId,
          applicantUserId: citizen.id,
          answers: { values: {}, summary: { en: [], cy: [] } },
        },
        { userId: citizen.id, organisationId: null, role: 'citizen' },
      );
      expect(await linkAttachments(trx, submission.id, stroudId, ids)).toEqual(ids);
      return submission.id;
    });
}

describe('uploading a file', () => {
  it('stores a real PDF streamed from the page, with its sniffed type, size and SHA-256', async () => {
    const citizen = await signedIn(CITIZEN);
    const pdf = minimalPdf();
    const response = await citizen.upload('/test/upload', [
      ['before', 'one'],
      ['file', { name: 'C:\\Users\\sam\\Council tax letter.PDF', data: pdf }],
      ['after', 'two'],
    ]);
    expect(response.status).toBe(200);
    const { outcome, body } = response.data() as { outcome: Outcome; body: Record<string, string> };
    expect(outcome).toMatchObject({
      ok: true,
      attachment: {
        name: 'Council tax letter.pdf',
        type: 'application/pdf',
        size: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      },
    });
    // The fields on both sides of the file reach the page.
    expect(body).toMatchObject({ before: 'one', after: 'two' });
    const id = String(outcome.attachment!.id);
    const [row] = await attachmentsByIds(db(), [id]);
    expect(row).toMatchObject({ name: 'Council tax letter.pdf', submissionId: null });
    expect(row!.ownerUserId).not.toBeNull();
    const row2 = await db()
      .selectFrom('attachments')
      .select('storage_key')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // Named in the store by a random key, never the person's file name.
    expect(storedFiles()).toContain(row2.storage_key);
    expect(storedFiles().join()).not.toContain('Council');
    // …and deleted in 28 days unless it is sent with an application.
    const expiry = await db()
      .selectFrom('outbox')
      .select(['available_at'])
      .where('idempotency_key', '=', `attachments.expire:${id}`)
      .executeTakeFirstOrThrow();
    const days = (expiry.available_at.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(UNSENT_RETENTION_DAYS - 0.01);
    expect(days).toBeLessThan(UNSENT_RETENTION_DAYS + 0.01);
  });

  it('stores a real PNG, and a Word document when the question takes one', async () => {
    const citizen = await signedIn(CITIZEN);
    expect(await uploadAs(citizen, { name: 'photo.png', data: minimalPng() })).toMatchObject({
      ok: true,
      attachment: { type: 'image/png', name: 'photo.png' },
    });
    expect(
      await uploadAs(
        citizen,
        { name: 'band.docx', data: minimalDocx() },
        '?accept=application/pdf,.docx',
      ),
    ).toMatchObject({
      ok: true,
      attachment: {
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
    });
  });

  it('refuses files whose content does not match their name, and keeps nothing of them', async () => {
    const citizen = await signedIn(CITIZEN);
    const before = storedFiles().length;
    const rows = await db()
      .selectFrom('attachments')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const html = Buffer.from('<!doctype html><html><script>document.cookie</script></html>');
    expect(await uploadAs(citizen, { name: 'letter.pdf', data: html })).toEqual({
      ok: false,
      problem: 'mismatch',
    });
    expect(await uploadAs(citizen, { name: 'holiday.png', data: windowsProgram() })).toEqual({
      ok: false,
      problem: 'mismatch',
    });
    // An unknown name claims nothing, but a program is still not an image or a PDF.
    expect(await uploadAs(citizen, { name: 'setup', data: windowsProgram() })).toEqual({
      ok: false,
      problem: 'wrong-type',
    });
    expect(await uploadAs(citizen, { name: 'notes.txt', data: Buffer.from('hello') })).toEqual({
      ok: false,
      problem: 'wrong-type',
    });
    expect(storedFiles()).toHaveLength(before);
    const after = await db()
      .selectFrom('attachments')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(rows.n);
  });

  it('refuses a file over the question’s limit, and one over the platform’s without reading it', async () => {
    const citizen = await signedIn(CITIZEN);
    const before = storedFiles().length;
    const big = Buffer.concat([minimalPdf(), Buffer.alloc(5000, ' ')]);
    expect(await uploadAs(citizen, { name: 'big.pdf', data: big }, '?max=4000')).toEqual({
      ok: false,
      problem: 'too-big',
    });
    // A question may not allow more than UPLOAD_MAX_BYTES.
    const huge = Buffer.concat([minimalPdf(), Buffer.alloc(MAX_UPLOAD, ' ')]);
    expect(
      await uploadAs(citizen, { name: 'huge.pdf', data: huge }, `?max=${MAX_UPLOAD * 4}`),
    ).toEqual({
      ok: false,
      problem: 'too-big',
    });
    // Longer than any upload may be: answered before the file is read, and the connection closed.
    const enormous = await citizen.upload('/test/upload', [
      ['file', { name: 'enormous.pdf', data: Buffer.alloc(MAX_UPLOAD + 2 * 1024 * 1024) }],
    ]);
    expect(enormous.data().outcome).toEqual({ ok: false, problem: 'too-big' });
    expect(enormous.headers.get('connection')).toBe('close');
    expect(storedFiles()).toHaveLength(before);
  });

  it('refuses zip bombs, honest, lying or nested, even where ZIPs are allowed', async () => {
    const citizen = await signedIn(CITIZEN);
    const before = storedFiles().length;
    for (const data of [zipBomb(), lyingZipBomb(), nestedZip()]) {
      expect(
        await uploadAs(citizen, { name: 'archive.zip', data }, '?accept=application/zip'),
      ).toEqual({
        ok: false,
        problem: 'zip-bomb',
      });
    }
    expect(storedFiles()).toHaveLength(before);
  });

  it('calls an empty file empty, and no file chosen missing', async () => {
    const citizen = await signedIn(CITIZEN);
    expect(await uploadAs(citizen, { name: 'empty.pdf', data: Buffer.alloc(0) })).toEqual({
      ok: false,
      problem: 'empty',
    });
    expect(await uploadAs(citizen, { name: '', data: Buffer.alloc(0) })).toEqual({
      ok: false,
      problem: 'missing',
    });
    const noFile = await citizen.upload('/test/upload', [['other', 'x']]);
    expect(noFile.data().outcome).toEqual({ ok: false, problem: 'missing' });
  });

  it('keeps CSRF protection: the token must come, and come before the file', async () => {
    const citizen = await signedIn(CITIZEN);
    const file: [string, { name: string; data: Buffer }] = [
      'file',
      { name: 'a.png', data: minimalPng() },
    ];
    const without = await citizen.upload('/test/upload', [file], { csrf: 'none' });
    expect(without.status).toBe(403);
    const after = await citizen.upload('/test/upload', [file], { csrf: 'last' });
    expect(after.status).toBe(403);
    // The connection still serves the next request.
    expect((await citizen.upload('/test/upload', [file])).status).toBe(200);
  });

  it('refuses an upload that does not say its length', async () => {
    const response = await rawPost(
      `${app.baseUrl}/test/upload`,
      { 'content-type': 'multipart/form-data; boundary=x', 'transfer-encoding': 'chunked' },
      Buffer.from('--x--\r\n'),
    );
    expect(response.status).toBe(411);
  });
});

describe('the upload API', () => {
  it('takes a file from a body’s system with a good key, and nothing without one', async () => {
    const form = () => {
      const data = new FormData();
      data.append('file', new Blob([new Uint8Array(minimalPdf())]), 'evidence.pdf');
      return data;
    };
    const refused = await fetch(`${app.baseUrl}${TEST_API_PREFIX}/api/v1/attachments`, {
      method: 'POST',
      body: form(),
    });
    expect(refused.status).toBe(401);
    const accepted = await fetch(`${app.baseUrl}${TEST_API_PREFIX}/api/v1/attachments`, {
      method: 'POST',
      body: form(),
      headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
    });
    expect(accepted.status).toBe(201);
    const created = (await accepted.json()) as { id: string; type: string };
    expect(created.type).toBe('application/pdf');
    const row = await db()
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ owner_user_id: null, uploader_organisation_id: stroudId });

    const bomb = new FormData();
    bomb.append('file', new Blob([new Uint8Array(zipBomb())]), 'bomb.docx');
    const bombed = await fetch(`${app.baseUrl}${TEST_API_PREFIX}/api/v1/attachments`, {
      method: 'POST',
      body: bomb,
      headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
    });
    expect(bombed.status).toBe(422);
    expect(await bombed.json()).toMatchObject({ errors: [{ error: 'upload_refused' }] });
  });
});

describe('reading an uploaded file', () => {
  let id = '';
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = minimalPdf();
    const citizen = await signedIn(CITIZEN);
    const outcome = await uploadAs(citizen, { name: 'Llythyr – treth “band”.pdf', data: pdf });
    id = String(outcome.attachment!.id);
  });

  it('gives it to the person who uploaded it, as a download the browser must not sniff', async () => {
    const citizen = await signedIn(CITIZEN);
    const response = await citizen.get(`/attachments/${id}`);
    expect(response.status).toBe(200);
    expect(response.bytes).toEqual(pdf);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Llythyr _ treth _band_.pdf"; filename*=UTF-8''Llythyr%20%E2%80%93%20treth%20%E2%80%9Cband%E2%80%9D.pdf`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('is not found for anyone signed out, another citizen, or staff before it is sent', async () => {
    expect((await new UploadClient(app.baseUrl).get(`/attachments/${id}`)).status).toBe(404);
    expect((await (await signedIn(OTHER_CITIZEN)).get(`/attachments/${id}`)).status).toBe(404);
    expect((await (await signedIn(STROUD)).get(`/attachments/${id}`)).status).toBe(404);
    expect((await new UploadClient(app.baseUrl).get('/attachments/not-a-uuid')).status).toBe(404);
  });

  it('gives it to a caseworker of the body it was sent to, and writes that in the audit log for the person', async () => {
    await sendToStroud([id]);
    const caseworker = await signedIn(STROUD);
    const response = await caseworker.get(`/attachments/${id}`);
    expect(response.status).toBe(200);
    expect(response.bytes).toEqual(pdf);
    const owner = await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN[0])
      .executeTakeFirstOrThrow();
    const entries = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('resource_type', '=', 'attachment')
      .where('resource_id', '=', id)
      .execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'account.attachment-read',
      subject_user_id: owner.id,
      actor_organisation_id: stroudId,
    });
    // The person sees it among their security events.
    const citizen = await signedIn(CITIZEN);
    const security = await citizen.get('/account/security');
    expect(security.bytes.toString()).toContain(
      'A caseworker at the organisation you sent an application to opened a file you uploaded with it',
    );
    // The owner's own reads are not audited as staff reads.
    await citizen.get(`/attachments/${id}`);
    expect(
      await db().selectFrom('audit_log').select('id').where('resource_id', '=', id).execute(),
    ).toHaveLength(1);
  });

  it('is not found for a caseworker of another body, even once sent', async () => {
    expect((await (await signedIn(CHELTENHAM)).get(`/attachments/${id}`)).status).toBe(404);
    const cheltenham = await db()
      .selectFrom('users')
      .select(['id'])
      .where('email', '=', CHELTENHAM[0])
      .executeTakeFirstOrThrow();
    expect(
      await canReadAttachment(
        db(),
        {
          id: cheltenham.id,
          email: CHELTENHAM[0],
          displayName: 'Jo',
          kind: 'staff',
          organisationId: 'cheltenham',
          organisationName: 'Cheltenham',
          roles: ['caseworker'],
          credentialLevel: 'Cl',
          identityLevel: 'P0',
        },
        id,
      ),
    ).toBe(false);
  });

  it('links only the named owner’s uploads, so an id copied from someone else links nothing', async () => {
    const other = await signedIn(OTHER_CITIZEN);
    const theirs = String(
      (await uploadAs(other, { name: 'theirs.png', data: minimalPng() })).attachment!.id,
    );
    const [row] = await attachmentsByIds(db(), [theirs]);
    const submission = '00000000-0000-4000-8000-000000000001';
    const link = (options: Parameters<typeof linkAttachments>[4]) =>
      db()
        .transaction()
        .execute((trx) => linkAttachments(trx, submission, stroudId, [theirs], options));
    expect(await link({ ownerUserId: '00000000-0000-4000-8000-00000000000a' })).toEqual([]);
    expect(await link({ ownerUserId: null })).toEqual([]);
    expect(await link({ uploaderOrganisationId: stroudId })).toEqual([]);
    expect(row!.ownerUserId).not.toBeNull();
  });

  it('cannot be linked to a second application', async () => {
    const again = await db()
      .transaction()
      .execute((trx) =>
        linkAttachments(trx, '00000000-0000-4000-8000-000000000000', stroudId, [id]),
      );
    expect(again).toEqual([]);
  });
});

describe('clean-up', () => {
  it('deletes an upload never sent after 28 days, and keeps one that was sent', async () => {
    const citizen = await signedIn(CITIZEN);
    const kept = String(
      (await uploadAs(citizen, { name: 'a.png', data: minimalPng() })).attachment!.id,
    );
    const dropped = String(
      (await uploadAs(citizen, { name: 'b.png', data: minimalPng() })).attachment!.id,
    );
    await sendToStroud([kept]);
    const filesBefore = storedFiles().length;
    // The clock moves on 28 days: the expiry messages come due.
    await db()
      .updateTable('outbox')
      .set({ available_at: sql`now()` })
      .where('idempotency_key', 'in', [
        `attachments.expire:${kept}`,
        `attachments.expire:${dropped}`,
      ])
      .execute();
    await app.platform.worker.drain();
    expect((await attachmentsByIds(db(), [kept, dropped])).map((a) => a.id)).toEqual([kept]);
    expect(storedFiles()).toHaveLength(filesBefore - 1);
  });

  it('deletes a deleted account’s unsent uploads, rows in its transaction and files after it commits', async () => {
    const citizen = await signedIn(OTHER_CITIZEN);
    const id = String(
      (await uploadAs(citizen, { name: 'c.png', data: minimalPng() })).attachment!.id,
    );
    const [attachment] = await attachmentsByIds(db(), [id]);
    const filesBefore = storedFiles().length;
    const unsent = await db()
      .selectFrom('attachments')
      .select('id')
      .where('owner_user_id', '=', attachment!.ownerUserId!)
      .where('submission_id', 'is', null)
      .execute();
    expect(unsent.length).toBeGreaterThanOrEqual(1);
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await attachmentsModule.onAccountEvent!(trx, {
            type: 'deleted',
            userId: attachment!.ownerUserId!,
          });
          throw new Error('rolled back');
        }),
    ).rejects.toThrow('rolled back');
    await app.platform.worker.drain();
    expect(await attachmentsByIds(db(), [id])).toHaveLength(1);
    expect(storedFiles()).toHaveLength(filesBefore);

    await db()
      .transaction()
      .execute((trx) =>
        attachmentsModule.onAccountEvent!(trx, {
          type: 'deleted',
          userId: attachment!.ownerUserId!,
        }),
      );
    expect(await attachmentsByIds(db(), [id])).toHaveLength(0);
    expect(storedFiles()).toHaveLength(filesBefore); // the file goes after the commit, by the outbox
    await app.platform.worker.drain();
    expect(storedFiles()).toHaveLength(filesBefore - unsent.length);
  });
});
