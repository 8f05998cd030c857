/**
 * Tender questions built with the forms engine, removing a notice's documents, and the retention
 * of sealed tender documents' files (issue 13, item 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aConfirmedCitizen, CITIZEN_PASSWORD } from '../../../test/helpers/citizens.js';
import { mailsTo } from '../../../test/helpers/outbox.js';
import type { CurrentUser } from '../../platform/http/types.js';
import { createDemoBusiness } from '../agents/index.js';
import { monthsBefore, runRetention } from '../retention/index.js';
import type { ProcurementActor } from './commands/actor.js';
import { awardContract } from './commands/awards.js';
import { removeNoticeDocument, removeTenderDocument } from './commands/documents.js';
import { agreeScores, saveScores } from './commands/evaluation.js';
import { changeTenderQuestions, editNotice, publishNotice } from './commands/notices.js';
import { registerSupplier } from './commands/suppliers.js';
import { submitTender } from './commands/tenders.js';
import type { NoticeRow } from './db/tables.js';
import type { NoticeForm } from './notices/form.js';
import { findNotice } from './queries/notices.js';
import { openTenders } from './queries/tenders.js';
import { clarificationRetention, tenderRetention } from './retention.js';
import { noticeForm as aNoticeForm } from './test/notice-form.js';
import { currentUserByEmail } from '../../../test/helpers/current-user.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

const OWNER = 'owner@stroud.example.gov.uk';
const OWNER_PASSWORD = 'demo-stroud-service-owner';
const CASEWORKER = 'caseworker@stroud.example.gov.uk';
const CASEWORKER_PASSWORD = 'demo-stroud-caseworker';
const CHELTENHAM = 'caseworker@cheltenham.example.gov.uk';
const CHELTENHAM_PASSWORD = 'demo-cheltenham-caseworker';

function userOf(email: string): Promise<CurrentUser> {
  return currentUserByEmail(db(), email);
}

const actor = async (email: string): Promise<ProcurementActor> => ({
  user: await userOf(email),
  baseUrl: 'https://joinedup.test',
});

let suppliersMade = 0;
async function aSupplier() {
  const n = ++suppliersMade;
  const email = `tq-supplier-${n}@example.com`;
  await aConfirmedCitizen(db(), { email, displayName: `Question Supplier ${n}` });
  const companyNumber = `0700000${n}`.slice(-8);
  const { businessId } = await createDemoBusiness(db(), {
    name: `Question Supplier ${n} Ltd`,
    companiesHouseNumber: companyNumber,
    administratorEmail: email,
  });
  const who = await actor(email);
  const outcome = await registerSupplier(db(), who, {
    businessId,
    companyNumber,
    vatNumber: '',
    isSme: 'yes',
    sectors: ['77000000'],
    regions: ['E12000009'],
    alerts: 'no',
  });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, CITIZEN_PASSWORD);
  return { email, who, supplier: outcome.supplier, visitor };
}

/** The notice form (test/notice-form.ts) with a shorter description and one CPV code. */
function noticeForm(now: Date, fields: Partial<NoticeForm> = {}): NoticeForm {
  return aNoticeForm(now, {
    description: 'Mowing, planting and litter picking.',
    cpvCodes: '77313000',
    ...fields,
  });
}

async function published(title: string): Promise<NoticeRow> {
  const now = new Date();
  const outcome = await publishNotice(db(), await actor(OWNER), noticeForm(now, { title }), now);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.notice;
}

/** A tender's questions as the forms engine's definition: choices, long text, money, pages. */
const QUESTION_FORM = {
  key: 'grounds-tender',
  title: { en: 'Grounds maintenance tender', cy: 'Tendr cynnal a chadw tiroedd' },
  pages: [
    {
      id: 'approach',
      title: { en: 'Your approach', cy: 'Eich dull' },
      questions: [
        {
          type: 'radios',
          name: 'mowing',
          label: { en: 'How will you mow?', cy: 'Sut y byddwch yn torri’r gwair?' },
          options: [
            { value: 'electric', label: { en: 'Electric mowers', cy: 'Peiriannau trydan' } },
            { value: 'petrol', label: { en: 'Petrol mowers', cy: 'Peiriannau petrol' } },
          ],
          messages: {
            required: { en: 'Select how you will mow', cy: 'Dewiswch sut y byddwch yn torri' },
          },
        },
        {
          type: 'textarea',
          name: 'staffing',
          label: { en: 'How will you staff the work?', cy: 'Sut y byddwch yn staffio’r gwaith?' },
          maxLength: 2000,
        },
      ],
    },
    {
      id: 'insurance',
      title: { en: 'Insurance', cy: 'Yswiriant' },
      questions: [
        {
          type: 'money',
          name: 'insurance',
          label: {
            en: 'Public liability insurance cover',
            cy: 'Yswiriant atebolrwydd cyhoeddus',
          },
          minPence: 500_000_000,
          messages: {
            minPence: {
              en: 'Cover must be at least £5 million',
              cy: 'Rhaid i’r yswiriant fod o leiaf £5 miliwn',
            },
          },
        },
      ],
    },
  ],
  confirmation: { body: { en: 'Thank you.', cy: 'Diolch.' } },
};

const ANSWERS = {
  supplierId: '',
  mowing: 'electric',
  staffing: 'Two teams of four, all year.',
  insurance: '5,000,000',
  price: '185000',
};

async function withQuestionForm(notice: NoticeRow): Promise<NoticeRow> {
  const changed = await changeTenderQuestions(
    db(),
    await actor(OWNER),
    notice.id,
    { definition: QUESTION_FORM, changeSummary: 'The questions are now a form' },
    new Date(),
  );
  if (!changed.ok) throw new Error(JSON.stringify(changed.errors));
  return changed.notice;
}

/** Moves a notice's deadlines into the past: tenders are unsealed. */
async function closeTenders(noticeId: string): Promise<NoticeRow> {
  await db()
    .updateTable('procurement_notices')
    .set({
      clarification_deadline: new Date(Date.now() - 2 * 86_400_000),
      tender_deadline: new Date(Date.now() - 1000),
    })
    .where('id', '=', noticeId)
    .execute();
  return (await findNotice(db(), noticeId))!;
}

const staff = async (email: string, password: string) => {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
};

describe('tender questions built with the forms engine', () => {
  it('a service owner writes them as a form definition, checked like the forms editor; the change is a new version and tenderers are told', async () => {
    const notice = await published('Questions as a form test');
    const early = await aSupplier();
    const sent = await submitTender(
      db(),
      early.who,
      {
        noticeId: notice.id,
        supplierId: early.supplier.id,
        answers: { q1: 'Two teams.', q2: 'Electric mowers.' },
        price: '190000',
      },
      new Date(),
    );
    expect(sent.ok).toBe(true);
    const path = `/staff/procurement/${notice.id}/questions`;

    // Only the lead buyer's service owners: a caseworker, another body and a supplier get 404.
    for (const visitor of [
      await staff(CASEWORKER, CASEWORKER_PASSWORD),
      await staff(CHELTENHAM, CHELTENHAM_PASSWORD),
      early.visitor,
    ]) {
      expect((await visitor.get(path)).status).toBe(404);
      const token = csrfToken((await visitor.get('/procurement')).html);
      expect(
        (await visitor.post(path, { questionForm: '{}', changeSummary: 'x' }, token)).status,
      ).toBe(404);
    }
    await expect(
      changeTenderQuestions(
        db(),
        await actor(CASEWORKER),
        notice.id,
        { definition: QUESTION_FORM, changeSummary: 'Not mine to change' },
        new Date(),
      ),
    ).rejects.toMatchObject({ status: 404 });

    // The page starts from the questions one a line, as the definition they are read as.
    const owner = await staff(OWNER, OWNER_PASSWORD);
    const page = await owner.get(path);
    expect(page.status).toBe(200);
    expect(page.html).toContain('&quot;name&quot;: &quot;q1&quot;');
    expect(page.html).toContain('How will you reduce emissions?');

    // Broken JSON: where, in words; a file question: refused, with its path and line.
    const broken = await owner.post(path, {
      questionForm: '{\n  "key": "grounds-tender",\n}',
      changeSummary: 'Broken',
    });
    expect(broken.status).toBe(400);
    expect(broken.html).toContain('govuk-error-summary');
    expect(broken.html).toContain('Line 3, column 1');
    const withFile = structuredClone(QUESTION_FORM) as Record<string, unknown> & {
      pages: { questions: Record<string, unknown>[] }[];
    };
    withFile.pages[1]!.questions = [
      { type: 'file', name: 'certificate', label: { en: 'Certificate', cy: 'Tystysgrif' } },
    ];
    const refused = await owner.post(path, {
      questionForm: JSON.stringify(withFile, null, 2),
      changeSummary: 'With a file',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('pages.1.questions.0.type (line');
    expect(refused.html).toContain('cannot ask a file question');
    // A misspelt key is the forms schema's error.
    const misspelt = await owner.post(path, {
      questionForm: JSON.stringify({ ...QUESTION_FORM, titel: QUESTION_FORM.title }),
      changeSummary: 'Misspelt',
    });
    expect(misspelt.status).toBe(400);
    expect(misspelt.html).toContain('titel');
    // No reason given: nothing changes.
    const unexplained = await owner.post(path, {
      questionForm: JSON.stringify(QUESTION_FORM),
      changeSummary: '',
    });
    expect(unexplained.status).toBe(400);
    expect(unexplained.html).toContain('Say what changed');
    expect((await findNotice(db(), notice.id))!.version).toBe(1);

    const saved = await owner.post(path, {
      questionForm: JSON.stringify(QUESTION_FORM, null, 2),
      changeSummary: 'The questions are now a form with insurance',
    });
    expect(saved.status, saved.html).toBe(303);
    expect(saved.headers.get('location')).toBe(`/staff/procurement/${notice.id}?done=questions`);
    const changed = (await findNotice(db(), notice.id))!;
    expect(changed.version).toBe(2);
    expect((changed.question_form as { key: string }).key).toBe('grounds-tender');
    expect(changed.questions).toEqual([
      { text: 'How will you mow?' },
      { text: 'How will you staff the work?' },
      { text: 'Public liability insurance cover' },
    ]);
    const earlier = await db()
      .selectFrom('procurement_notice_versions')
      .select(['version', 'snapshot', 'change_summary'])
      .where('notice_id', '=', notice.id)
      .executeTakeFirstOrThrow();
    expect(earlier.version).toBe(1);
    expect(earlier.change_summary).toBe('The questions are now a form with insurance');
    expect((earlier.snapshot as { questions: unknown }).questions).toEqual(notice.questions);
    // The supplier who had tendered is told, through the notice-change path.
    const told = (await mailsTo(db(), early.email)).find((m) =>
      m.subject.startsWith('An opportunity you tendered for has changed'),
    );
    expect(told?.text).toContain('The questions are now a form with insurance');
    const audit = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'procurement.notice_changed')
      .where('resource_id', '=', notice.id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ version: 2, what: 'questions', suppliers_told: 1 });
    // Its tender stays, made against version 1: the supplier's page says so.
    const tenderPage = await early.visitor.get(`/procurement/${notice.id}/tender`);
    expect(tenderPage.html).toContain(
      'The buyer has changed the notice since you sent your tender',
    );

    // The public notice lists the questions in the reader's language.
    const anyone = new Visitor(app.baseUrl);
    expect((await anyone.get(`/procurement/${notice.id}`)).html).toContain('How will you mow?');
    expect((await anyone.get(`/procurement/${notice.id}?lang=cy`)).html).toContain(
      'Sut y byddwch yn torri’r gwair?',
    );

    // Changing the notice's other details keeps the form: its questions change on their page.
    const edit = await owner.get(`/staff/procurement/${notice.id}/edit`);
    expect(edit.html).toContain(path);
    expect(edit.html).not.toContain('name="questions"');
    const edited = await editNotice(
      db(),
      await actor(OWNER),
      notice.id,
      {
        form: noticeForm(new Date(), { title: 'Questions as a form test, renamed', questions: '' }),
        changeSummary: 'New title',
      },
      new Date(),
    );
    expect(edited.ok).toBe(true);
    const renamed = (await findNotice(db(), notice.id))!;
    expect(renamed.version).toBe(3);
    expect(renamed.question_form).toEqual(changed.question_form);
    expect(renamed.questions).toEqual(changed.questions);

    // After the deadline the questions can no longer change.
    await closeTenders(notice.id);
    // The panel reads the early tender with the questions it answered (version 1's).
    const earlyTender = await (
      await staff(CASEWORKER, CASEWORKER_PASSWORD)
    ).get(`/staff/procurement/${notice.id}/tenders/${sent.ok ? sent.response.id : ''}`);
    expect(earlyTender.status).toBe(200);
    expect(earlyTender.html).toContain('How will you reduce emissions?');
    expect(earlyTender.html).toContain('Electric mowers.');
    expect(earlyTender.html).not.toContain('Public liability insurance cover');
    const late = await changeTenderQuestions(
      db(),
      await actor(OWNER),
      notice.id,
      { definition: QUESTION_FORM, changeSummary: 'Too late' },
      new Date(),
    );
    expect(!late.ok && late.errors[0]!.message).toBe('procurement.notice.closed');
  });

  it('a supplier answers them with the forms engine’s questions and validation; the answers are sealed until the deadline, then the panel reads them in words', async () => {
    const notice = await withQuestionForm(await published('Answers as a form test'));
    const supplier = await aSupplier();
    const path = `/procurement/${notice.id}/tender`;
    const form = await supplier.visitor.get(path);
    expect(form.status).toBe(200);
    expect(form.html).toContain('name="mowing"');
    expect(form.html).toContain('name="staffing"');
    expect(form.html).toContain('name="insurance"');
    expect(form.html).toContain('Your approach');
    const welsh = await supplier.visitor.get(`${path}?lang=cy`);
    expect(welsh.html).toContain('Sut y byddwch yn torri’r gwair?');
    await supplier.visitor.get(`${path}?lang=en`);

    // The forms engine's rules, with the buyer's messages, in an error summary; nothing kept.
    const fields = { ...ANSWERS, supplierId: supplier.supplier.id };
    const empty = await supplier.visitor.post(path, { supplierId: supplier.supplier.id });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('govuk-error-summary');
    expect(empty.html).toContain('Select how you will mow');
    expect(empty.html).toContain('href="#mowing"');
    expect(empty.html).toContain('Enter the price in pounds');
    const small = await supplier.visitor.post(path, { ...fields, insurance: '1000' });
    expect(small.status).toBe(400);
    expect(small.html).toContain('Cover must be at least £5 million');
    // What was typed stays on the page.
    expect(small.html).toContain('Two teams of four, all year.');
    const inWelsh = await supplier.visitor.post(`${path}?lang=cy`, {
      ...fields,
      insurance: '1000',
    });
    expect(inWelsh.html).toContain('Rhaid i’r yswiriant fod o leiaf £5 miliwn');
    await supplier.visitor.get(`${path}?lang=en`);
    const notAnOption = await supplier.visitor.post(path, { ...fields, mowing: 'scythe' });
    expect(notAnOption.status).toBe(400);
    expect(
      await db()
        .selectFrom('procurement_responses')
        .select('id')
        .where('notice_id', '=', notice.id)
        .execute(),
    ).toHaveLength(0);

    const sent = await supplier.visitor.post(path, fields);
    expect(sent.status, sent.html).toBe(303);
    const kept = await db()
      .selectFrom('procurement_responses')
      .selectAll()
      .where('notice_id', '=', notice.id)
      .executeTakeFirstOrThrow();
    // Normalised by the forms engine: money in pence, the option's value.
    expect(kept.answers).toEqual({
      mowing: 'electric',
      staffing: 'Two teams of four, all year.',
      insurance: '500000000',
    });
    expect(kept.notice_version).toBe(notice.version);
    // The supplier sees its answers again, to change them before the deadline.
    const again = await supplier.visitor.get(path);
    expect(again.html).toMatch(/value="electric" checked/);
    expect(again.html).toContain('value="5000000"');

    // Sealed: the service layer refuses the buying body, whatever the role; the page too.
    for (const who of [OWNER, CASEWORKER])
      await expect(openTenders(db(), await actor(who), notice, new Date())).rejects.toMatchObject({
        code: 'tenders_sealed',
        status: 403,
      });
    const owner = await staff(OWNER, OWNER_PASSWORD);
    const early = await owner.get(`/staff/procurement/${notice.id}/tenders/${kept.id}`);
    expect(early.status).toBe(403);
    expect(early.html).not.toContain('Two teams of four');

    // After the deadline the panel reads the answers in words, beside the scoring.
    await closeTenders(notice.id);
    const caseworker = await staff(CASEWORKER, CASEWORKER_PASSWORD);
    const opened = await caseworker.get(`/staff/procurement/${notice.id}/tenders/${kept.id}`);
    expect(opened.status).toBe(200);
    expect(opened.html).toContain('How will you mow?');
    expect(opened.html).toContain('Electric mowers');
    expect(opened.html).toContain('£5,000,000');
    expect(opened.html).toContain('Two teams of four, all year.');
    expect(opened.html).toContain('id="score-1"');
    // Another body's staff: 404.
    const other = await staff(CHELTENHAM, CHELTENHAM_PASSWORD);
    expect((await other.get(`/staff/procurement/${notice.id}/tenders/${kept.id}`)).status).toBe(
      404,
    );
    // Too late to send or replace it.
    const late = await supplier.visitor.post(path, fields);
    expect(late.status).toBe(400);
    expect(late.html).toContain('The deadline for tenders has passed');
  });

  it('a notice with questions one a line asks them as long-text questions; a tender kept as a list is read as q1, q2 …', async () => {
    const notice = await published('Questions one a line test');
    const supplier = await aSupplier();
    const path = `/procurement/${notice.id}/tender`;
    const form = await supplier.visitor.get(path);
    expect(form.html).toContain('name="q1"');
    expect(form.html).toContain('How will you reduce emissions?');
    const missing = await supplier.visitor.post(path, {
      supplierId: supplier.supplier.id,
      q1: 'Two teams.',
      price: '100000',
    });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('href="#q2"');
    // A tender kept before tender questions were forms: its answers were a list.
    await db()
      .insertInto('procurement_responses')
      .values({
        notice_id: notice.id,
        supplier_id: supplier.supplier.id,
        answers: JSON.stringify(['Kept as a list.', 'Electric mowers only.']),
        price_pence: 10_000_000,
        notice_version: 1,
        submitted_by: supplier.who.user.id,
        submitted_at: new Date(),
      })
      .execute();
    const again = await supplier.visitor.get(path);
    expect(again.html).toContain('Kept as a list.');
    const closed = await closeTenders(notice.id);
    const [opened] = await openTenders(db(), await actor(CASEWORKER), closed, new Date());
    const owner = await staff(OWNER, OWNER_PASSWORD);
    const page = await owner.get(`/staff/procurement/${notice.id}/tenders/${opened!.id}`);
    expect(page.html).toContain('How will you reduce emissions?');
    expect(page.html).toContain('Electric mowers only.');
  });
});

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** Posts a file (multipart) to `path` as the visitor, with the CSRF token of `csrfFrom`. */
async function upload(
  visitor: Visitor,
  path: string,
  csrfFrom: string,
  name: string,
  fields: Record<string, string> = {},
) {
  const page = await visitor.get(csrfFrom);
  const form = new FormData();
  form.append('_csrf', csrfToken(page.html));
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(PDF)]), name);
  const response = await fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: { cookie: visitor.cookieHeader() },
    body: form,
    redirect: 'manual',
  });
  return Object.assign(response, { html: await response.text() });
}

async function deleteFilesJob(attachmentId: string) {
  return db()
    .selectFrom('outbox')
    .select('topic')
    .where('idempotency_key', '=', `attachments.delete-files:body-file:${attachmentId}`)
    .executeTakeFirst();
}

async function attachmentExists(attachmentId: string) {
  return !!(await db()
    .selectFrom('attachments')
    .select('id')
    .where('id', '=', attachmentId)
    .executeTakeFirst());
}

describe('removing a document from a notice', () => {
  it('a service owner removes one before the deadline: the file goes, it is audited, the notice gets a new version and tenderers are told; others get 404', async () => {
    const notice = await published('Document removal test');
    const owner = await staff(OWNER, OWNER_PASSWORD);
    const docsPage = `/staff/procurement/${notice.id}/documents`;
    expect((await upload(owner, docsPage, docsPage, 'Old specification.pdf')).status).toBe(303);
    expect((await upload(owner, docsPage, docsPage, 'Site map.pdf')).status).toBe(303);
    const rows = await db()
      .selectFrom('procurement_notice_documents')
      .select(['id', 'attachment_id'])
      .where('notice_id', '=', notice.id)
      .orderBy('added_at')
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(2);
    const [gone, kept] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const tenderer = await aSupplier();
    expect(
      (
        await submitTender(
          db(),
          tenderer.who,
          {
            noticeId: notice.id,
            supplierId: tenderer.supplier.id,
            answers: { q1: 'Two teams.', q2: 'Electric.' },
            price: '150000',
          },
          new Date(),
        )
      ).ok,
    ).toBe(true);

    const removePath = `${docsPage}/${gone.id}/remove`;
    expect((await owner.get(docsPage)).html).toContain(removePath);
    // A caseworker, another body's staff and a supplier: 404, and nothing changes.
    for (const visitor of [
      await staff(CASEWORKER, CASEWORKER_PASSWORD),
      await staff(CHELTENHAM, CHELTENHAM_PASSWORD),
      tenderer.visitor,
    ]) {
      expect((await visitor.get(removePath)).status).toBe(404);
      const token = csrfToken((await visitor.get('/procurement')).html);
      expect((await visitor.post(removePath, { changeSummary: 'Gone' }, token)).status).toBe(404);
    }
    await expect(
      removeNoticeDocument(
        db(),
        await actor(CASEWORKER),
        { noticeId: notice.id, documentId: gone.id, changeSummary: 'Gone' },
        new Date(),
      ),
    ).rejects.toMatchObject({ status: 404 });
    // Not through another notice, nor a made-up id.
    const other = await published('Document removal, another notice');
    expect(
      (await owner.get(`/staff/procurement/${other.id}/documents/${gone.id}/remove`)).status,
    ).toBe(404);
    expect((await owner.get(`${docsPage}/not-an-id/remove`)).status).toBe(404);

    // The confirmation page names the file and offers the reason suppliers will read.
    const confirm = await owner.get(removePath);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Old specification.pdf');
    const unexplained = await owner.post(removePath, { changeSummary: '' });
    expect(unexplained.status).toBe(400);
    expect(unexplained.html).toContain('Say what changed');
    expect(await attachmentExists(gone.attachment_id)).toBe(true);

    const removed = await owner.post(removePath, {
      changeSummary: 'The old specification was withdrawn',
    });
    expect(removed.status, removed.html).toBe(303);
    expect(removed.headers.get('location')).toBe(`${docsPage}?removed=1`);
    expect((await owner.get(`${docsPage}?removed=1`)).html).toContain(
      'The document has been removed',
    );
    const left = await db()
      .selectFrom('procurement_notice_documents')
      .select('id')
      .where('notice_id', '=', notice.id)
      .execute();
    expect(left.map((r) => r.id)).toEqual([kept.id]);
    expect(await attachmentExists(gone.attachment_id)).toBe(false);
    expect((await deleteFilesJob(gone.attachment_id))?.topic).toBe('attachments.delete-files');
    const audit = await db()
      .selectFrom('audit_log')
      .select(['details', 'actor_user_id'])
      .where('action', '=', 'procurement.notice_document_removed')
      .where('resource_id', '=', notice.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({
      document_id: gone.id,
      name: 'Old specification.pdf',
    });
    // Versioned like any change to the notice; the tenderer is told why.
    const changed = (await findNotice(db(), notice.id))!;
    expect(changed.version).toBe(2);
    const version = await db()
      .selectFrom('procurement_notice_versions')
      .select(['snapshot', 'change_summary'])
      .where('notice_id', '=', notice.id)
      .executeTakeFirstOrThrow();
    expect(version.change_summary).toBe('The old specification was withdrawn');
    expect(version.snapshot).toMatchObject({
      removedDocument: { id: gone.id, name: 'Old specification.pdf' },
    });
    const told = (await mailsTo(db(), tenderer.email)).find((m) =>
      m.subject.startsWith('An opportunity you tendered for has changed'),
    );
    expect(told?.text).toContain('The old specification was withdrawn');
    // Gone from the public page and its download; the other stays.
    const anyone = new Visitor(app.baseUrl);
    expect((await anyone.get(`/procurement/${notice.id}/documents/${gone.id}`)).status).toBe(404);
    expect((await anyone.get(`/procurement/${notice.id}/documents/${kept.id}`)).status).toBe(200);
    const publicPage = await anyone.get(`/procurement/${notice.id}`);
    expect(publicPage.html).not.toContain('Old specification.pdf');
    expect(publicPage.html).toContain('The old specification was withdrawn');
    // Removing it again: 404.
    expect((await owner.post(removePath, { changeSummary: 'Again' })).status).toBe(404);

    // From the deadline, documents stay.
    await closeTenders(notice.id);
    const late = await owner.post(`${docsPage}/${kept.id}/remove`, { changeSummary: 'Late' });
    expect(late.status).toBe(409);
    expect(await attachmentExists(kept.attachment_id)).toBe(true);
  });
});

describe('adding a document to a notice', () => {
  it('before any tender it is part of the notice; after tenders arrived it makes a new version and tenderers are told', async () => {
    const notice = await published('Document added after tenders');
    const owner = await staff(OWNER, OWNER_PASSWORD);
    const docsPage = `/staff/procurement/${notice.id}/documents`;
    expect((await upload(owner, docsPage, docsPage, 'Specification.pdf')).status).toBe(303);
    expect((await findNotice(db(), notice.id))!.version).toBe(1);
    const tenderer = await aSupplier();
    const sent = await submitTender(
      db(),
      tenderer.who,
      {
        noticeId: notice.id,
        supplierId: tenderer.supplier.id,
        answers: { q1: 'Two teams.', q2: 'Electric.' },
        price: '120000',
      },
      new Date(),
    );
    expect(sent.ok).toBe(true);

    expect((await upload(owner, docsPage, docsPage, 'Addendum.pdf')).status).toBe(303);
    expect((await findNotice(db(), notice.id))!.version).toBe(2);
    const version = await db()
      .selectFrom('procurement_notice_versions')
      .select(['snapshot', 'change_summary'])
      .where('notice_id', '=', notice.id)
      .executeTakeFirstOrThrow();
    expect(version.change_summary).toBe('Document added: Addendum.pdf');
    expect(version.snapshot).toMatchObject({ addedDocument: { name: 'Addendum.pdf' } });
    const told = (await mailsTo(db(), tenderer.email)).find((m) =>
      m.subject.startsWith('An opportunity you tendered for has changed'),
    );
    expect(told?.text).toContain('Document added: Addendum.pdf');
  });
});

describe('retention of sealed tender documents', () => {
  it('an unsuccessful tender’s documents are erased from the file store with it; the winner’s stay; a document the supplier removes is erased at once', async () => {
    const notice = await published('Tender documents retention test');
    const winner = await aSupplier();
    const loser = await aSupplier();
    const docs = `/procurement/${notice.id}/tender/documents`;
    for (const who of [winner, loser]) {
      const sent = await upload(
        who.visitor,
        docs,
        `${docs}?supplier=${who.supplier.id}`,
        `${who.email} method.pdf`,
        { supplierId: who.supplier.id },
      );
      expect(sent.status).toBe(303);
    }
    // The loser also uploads a document and removes it before the deadline: erased at once.
    expect(
      (
        await upload(loser.visitor, docs, `${docs}?supplier=${loser.supplier.id}`, 'Draft.pdf', {
          supplierId: loser.supplier.id,
        })
      ).status,
    ).toBe(303);
    const documentsOf = (supplierId: string) =>
      db()
        .selectFrom('procurement_tender_documents')
        .select(['id', 'attachment_id'])
        .where('notice_id', '=', notice.id)
        .where('supplier_id', '=', supplierId)
        .orderBy('added_at')
        .orderBy('id')
        .execute();
    const [loserDoc, draft] = await documentsOf(loser.supplier.id);
    const [winnerDoc] = await documentsOf(winner.supplier.id);
    const removed = await removeTenderDocument(
      db(),
      loser.who,
      { noticeId: notice.id, supplierId: loser.supplier.id, documentId: draft!.id },
      new Date(),
    );
    expect(removed.ok).toBe(true);
    expect(await attachmentExists(draft!.attachment_id)).toBe(false);
    expect(await deleteFilesJob(draft!.attachment_id)).toBeDefined();

    const before = new Date(notice.tender_deadline.getTime() - 1000);
    const responses = [];
    for (const [who, price] of [
      [winner, '180000'],
      [loser, '210000'],
    ] as const) {
      const made = await submitTender(
        db(),
        who.who,
        {
          noticeId: notice.id,
          supplierId: who.supplier.id,
          answers: { q1: 'Two teams.', q2: 'Electric.' },
          price,
        },
        before,
      );
      if (!made.ok) throw new Error(JSON.stringify(made.errors));
      responses.push(made.response);
    }
    const after = new Date(notice.tender_deadline.getTime() + 60_000);
    const owner = await actor(OWNER);
    for (const response of responses) {
      const scores = [
        { score: '7', comment: 'Quality' },
        { score: '7', comment: 'Price' },
      ];
      await saveScores(db(), owner, notice, response.id, { scores, version: null }, after);
      await agreeScores(db(), owner, notice, response.id, 1, after);
    }
    const awarded = await awardContract(
      db(),
      owner,
      notice,
      { responseId: responses[0]!.id, reasons: 'Best value.' },
      after,
    );
    expect(awarded.ok).toBe(true);

    // Not yet due: nothing goes.
    const now = new Date();
    await runRetention(db(), [tenderRetention, clarificationRetention], {
      now,
      runKey: `tender-documents-early:${now.toISOString()}`,
    });
    expect(await attachmentExists(loserDoc!.attachment_id)).toBe(true);

    // Six years and a day after the award the unsuccessful tender goes, with its files.
    const longAgo = new Date(monthsBefore(now, 72).getTime() - 86_400_000);
    await db()
      .updateTable('procurement_awards')
      .set({ awarded_at: longAgo })
      .where('notice_id', '=', notice.id)
      .execute();
    await runRetention(db(), [tenderRetention, clarificationRetention], {
      now,
      runKey: `tender-documents-due:${now.toISOString()}`,
    });
    const left = await db()
      .selectFrom('procurement_responses')
      .select('id')
      .where('notice_id', '=', notice.id)
      .execute();
    expect(left.map((r) => r.id)).toEqual([responses[0]!.id]);
    expect(await documentsOf(loser.supplier.id)).toEqual([]);
    expect(await attachmentExists(loserDoc!.attachment_id)).toBe(false);
    expect((await deleteFilesJob(loserDoc!.attachment_id))?.topic).toBe('attachments.delete-files');
    // The winning tender is the contract's record: its document and file stay.
    expect((await documentsOf(winner.supplier.id)).map((d) => d.id)).toEqual([winnerDoc!.id]);
    expect(await attachmentExists(winnerDoc!.attachment_id)).toBe(true);
    expect(await deleteFilesJob(winnerDoc!.attachment_id)).toBeUndefined();
  });
});
