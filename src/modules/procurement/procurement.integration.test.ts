import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aConfirmedCitizen, CITIZEN_PASSWORD } from '../../../test/helpers/citizens.js';
import { mailsTo } from '../../../test/helpers/outbox.js';
import { DEVELOPMENT_OCID_PREFIX, loadConfig } from '../../platform/config/config.js';
import type { CurrentUser } from '../../platform/http/types.js';
import { createDemoBusiness } from '../agents/index.js';
import { monthsBefore, runRetention } from '../retention/index.js';
import type { ProcurementActor } from './commands/actor.js';
import { awardContract } from './commands/awards.js';
import { answerClarification, askClarification } from './commands/clarifications.js';
import { agreeScores, saveScores } from './commands/evaluation.js';
import {
  addTenderDocument,
  ownTenderDocumentFile,
  removeTenderDocument,
  tenderDocumentForPanel,
  tenderDocumentsForPanel,
} from './commands/documents.js';
import { editNotice, publishNotice } from './commands/notices.js';
import {
  approveInvoice,
  ordersForSupplier,
  rejectInvoice,
  submitInvoice,
} from './commands/invoices.js';
import { advanceOrder, raiseOrder } from './commands/orders.js';
import { registerSupplier, type SupplierForm } from './commands/suppliers.js';
import { submitTender } from './commands/tenders.js';
import type { NoticeRow } from './db/tables.js';
import { DEMO_SUPPLIER } from './demo.js';
import type { NoticeForm } from './notices/form.js';
import { procurementFigures } from './queries/finance.js';
import { financeByBody } from './queries/payment-performance.js';
import { findNotice } from './queries/notices.js';
import { openTenders, ownTender, tenderOfSupplier } from './queries/tenders.js';
import { clarificationRetention, tenderRetention } from './retention.js';
import { checkDigitsFor } from './validation/vat.js';
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

/** The signed-in user as pages see them, read from the seeded accounts. */
function userOf(email: string): Promise<CurrentUser> {
  return currentUserByEmail(db(), email);
}

const actor = async (email: string): Promise<ProcurementActor> => ({
  user: await userOf(email),
  baseUrl: 'https://joinedup.test',
});
const OWNER = 'owner@stroud.example.gov.uk';
const CASEWORKER = 'caseworker@stroud.example.gov.uk';
const TEAM_LEADER = 'team-leader@stroud.example.gov.uk';
const CHELTENHAM = 'caseworker@cheltenham.example.gov.uk';

const VAT = `1234567${checkDigitsFor('1234567', '9755')}`;

/** A new supplier business with its administrator; registered unless told otherwise. */
let suppliersMade = 0;
async function aSupplier(form: Partial<SupplierForm> = {}) {
  const n = ++suppliersMade;
  const email = `supplier-${n}@example.com`;
  await aConfirmedCitizen(db(), { email, displayName: `Supplier ${n}` });
  const { businessId } = await createDemoBusiness(db(), {
    name: `Test Supplier ${n} Ltd`,
    companiesHouseNumber: `0100000${n}`.slice(-8),
    administratorEmail: email,
  });
  const who = await actor(email);
  const outcome = await registerSupplier(db(), who, {
    businessId,
    companyNumber: `0100000${n}`.slice(-8),
    vatNumber: VAT,
    isSme: 'yes',
    sectors: ['90900000'],
    regions: ['E12000009'],
    alerts: 'yes',
    ...form,
  });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return { email, who, businessId, supplier: outcome.supplier };
}

/** The notice form (test/notice-form.ts), its value and CPV codes typed as people type them. */
function noticeForm(now: Date, fields: Partial<NoticeForm> = {}): NoticeForm {
  return aNoticeForm(now, { valueMax: '£250,000', cpvCodes: '90911200, 77313000-7', ...fields });
}

async function published(now: Date, fields: Partial<NoticeForm> = {}): Promise<NoticeRow> {
  const outcome = await publishNotice(db(), await actor(OWNER), noticeForm(now, fields), now);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.notice;
}

const at = (notice: NoticeRow, ms: number) => new Date(notice.tender_deadline.getTime() + ms);
const tender = (noticeId: string, supplierId: string, price = '185000') => ({
  noticeId,
  supplierId,
  answers: { q1: 'Two teams of four.', q2: 'Electric mowers.' },
  price,
});

describe('supplier accounts', () => {
  it('a business administrator registers it with a checked VAT number, sectors and regions; audited', async () => {
    const { supplier, who } = await aSupplier();
    expect(supplier.vat_number).toBe(VAT);
    expect(supplier.sectors).toEqual(['90900000']);
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'procurement.supplier_registered')
      .where('resource_id', '=', supplier.id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(who.user.id);
  });

  it('a wrong VAT check digit, a bad company number and unknown sectors are refused, field by field', async () => {
    const { businessId, who } = await aSupplier();
    const wrongCheck = `1234567${String((Number(VAT.slice(7)) + 1) % 100).padStart(2, '0')}`;
    const outcome = await registerSupplier(db(), who, {
      businessId,
      companyNumber: '1234',
      vatNumber: `GB ${wrongCheck}`,
      isSme: '',
      sectors: ['12345678'],
      regions: ['nowhere'],
      alerts: 'yes',
    });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.map((e) => e.field)).toEqual([
      'companyNumber',
      'vatNumber',
      'isSme',
      'sectors',
      'regions',
    ]);
  });

  it('someone who is not the business’s administrator gets 404 and nothing changes', async () => {
    const { businessId } = await aSupplier();
    await expect(
      registerSupplier(db(), await actor('citizen@example.com'), {
        businessId,
        companyNumber: '01234567',
        vatNumber: '',
        isSme: 'no',
        sectors: ['45000000'],
        regions: ['E12000009'],
        alerts: 'no',
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('publishing and finding opportunities', () => {
  it('a service owner publishes; matching suppliers get an alert, others do not; anyone finds it without an account', async () => {
    const now = new Date();
    const matching = await aSupplier({ sectors: ['77000000'], regions: ['E12000009'] });
    const otherSector = await aSupplier({ sectors: ['45000000'] });
    const otherRegion = await aSupplier({ regions: ['E12000007'] });
    const notice = await published(now, { title: 'Grounds maintenance alert test' });
    expect(notice.ocid).toBe(`ocds-jndup1-${notice.id}`);
    expect(notice.cpv_codes).toEqual(['90911200', '77313000']);
    expect(notice.value_max_pence).toBe(25_000_000);
    const alert = (await mailsTo(db(), matching.email)).find((m) =>
      m.subject.includes('alert test'),
    );
    expect(alert?.text).toContain(`https://joinedup.test/procurement/${notice.id}`);
    for (const other of [otherSector, otherRegion])
      expect((await mailsTo(db(), other.email)).some((m) => m.subject.includes('alert test'))).toBe(
        false,
      );

    const visitor = new Visitor(app.baseUrl);
    const search = await visitor.get(
      '/procurement?q=alert+test&sector=77000000&region=E12000009&sme=yes',
    );
    expect(search.status).toBe(200);
    expect(search.html).toContain('Grounds maintenance alert test');
    expect((await visitor.get('/procurement?q=alert+test&sector=45000000')).html).not.toContain(
      'Grounds maintenance alert test',
    );
    const page = await visitor.get(`/procurement/${notice.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Grounds maintenance alert test');
    expect((await visitor.get('/contracts')).headers.get('location')).toBe('/procurement');
  });

  it('a caseworker may not publish; bad dates and weights are refused with reasons', async () => {
    const now = new Date();
    await expect(
      publishNotice(db(), await actor(CASEWORKER), noticeForm(now), now),
    ).rejects.toMatchObject({
      status: 404,
    });
    const outcome = await publishNotice(
      db(),
      await actor(OWNER),
      noticeForm(now, { 'tender-year': '2020', criteria: 'Quality 60\nPrice 30' }),
      now,
    );
    expect(!outcome.ok && outcome.errors.map((e) => e.message)).toEqual([
      'procurement.notice.tender.past',
      'procurement.notice.criteria.weights',
    ]);
  });
});

describe('clarification questions', () => {
  it('are answered publicly without saying who asked, and close at their deadline', async () => {
    const now = new Date();
    const notice = await published(now);
    const { who, supplier, email } = await aSupplier();
    const asked = await askClarification(
      db(),
      who,
      { noticeId: notice.id, supplierId: supplier.id, question: 'Is litter picking daily?' },
      now,
    );
    expect(asked.ok).toBe(true);
    const answered = await answerClarification(
      db(),
      await actor(OWNER),
      { clarificationId: asked.ok ? asked.clarification.id : '', answer: 'Yes, on weekdays.' },
      now,
    );
    expect(answered.ok).toBe(true);
    const page = await new Visitor(app.baseUrl).get(`/procurement/${notice.id}`);
    expect(page.html).toContain('Is litter picking daily?');
    expect(page.html).toContain('Yes, on weekdays.');
    expect(page.html).not.toContain('Test Supplier');
    expect((await mailsTo(db(), email)).at(-1)?.subject).toContain('answered');
    const late = await askClarification(
      db(),
      who,
      { noticeId: notice.id, supplierId: supplier.id, question: 'Too late?' },
      notice.clarification_deadline,
    );
    expect(!late.ok && late.errors[0]!.message).toBe('procurement.clarification.closed');
  });
});

describe('sealed tenders', () => {
  it('a tender a second before the deadline is taken; one a second after is refused and nothing is stored', async () => {
    const notice = await published(new Date());
    const a = await aSupplier();
    const b = await aSupplier();
    const onTime = await submitTender(
      db(),
      a.who,
      tender(notice.id, a.supplier.id),
      at(notice, -1000),
    );
    expect(onTime.ok).toBe(true);
    const late = await submitTender(
      db(),
      b.who,
      tender(notice.id, b.supplier.id),
      at(notice, 1000),
    );
    expect(!late.ok && late.errors[0]!.message).toBe('procurement.tender.late');
    const exactly = await submitTender(
      db(),
      b.who,
      tender(notice.id, b.supplier.id),
      at(notice, 0),
    );
    expect(exactly.ok).toBe(false);
    expect(await ownTender(db(), b.who.user.id, b.supplier.id, notice.id)).toBeUndefined();
    expect(await ownTender(db(), a.who.user.id, a.supplier.id, notice.id)).toMatchObject({
      price_pence: 18_500_000,
    });
  });

  it('no one at the buying body can open a tender before the deadline — not the evaluator, not the service owner', async () => {
    const notice = await published(new Date());
    const a = await aSupplier();
    await submitTender(db(), a.who, tender(notice.id, a.supplier.id), at(notice, -60_000));
    for (const email of [CASEWORKER, OWNER])
      await expect(
        openTenders(db(), await actor(email), notice, at(notice, -1)),
      ).rejects.toMatchObject({
        code: 'tenders_sealed',
        status: 403,
      });
    const response = await db()
      .selectFrom('procurement_responses')
      .select('id')
      .where('notice_id', '=', notice.id)
      .executeTakeFirstOrThrow();
    const caseworker = new Visitor(app.baseUrl);
    await caseworker.signIn(CASEWORKER, 'demo-stroud-caseworker');
    const page = await caseworker.get(`/staff/procurement/${notice.id}/tenders/${response.id}`);
    expect(page.status).toBe(403);
    expect(page.html).not.toContain('Two teams of four.');
    const overview = await caseworker.get(`/staff/procurement/${notice.id}`);
    expect(overview.status).toBe(200);
    expect(overview.html).not.toContain('Two teams of four.');
    expect(await openTenders(db(), await actor(CASEWORKER), notice, at(notice, 0))).toHaveLength(1);
    await expect(
      openTenders(db(), await actor(CHELTENHAM), notice, at(notice, 0)),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it('a supplier cannot see another supplier’s tender, by its id or by naming the other supplier', async () => {
    const notice = await published(new Date());
    const a = await aSupplier();
    const b = await aSupplier();
    const sent = await submitTender(
      db(),
      a.who,
      tender(notice.id, a.supplier.id),
      at(notice, -5000),
    );
    const responseId = sent.ok ? sent.response.id : '';
    expect((await tenderOfSupplier(db(), a.who.user.id, responseId)).id).toBe(responseId);
    await expect(tenderOfSupplier(db(), b.who.user.id, responseId)).rejects.toMatchObject({
      status: 404,
    });
    await expect(ownTender(db(), b.who.user.id, a.supplier.id, notice.id)).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      submitTender(db(), b.who, tender(notice.id, a.supplier.id), at(notice, -4000)),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('a notice changed after tenders arrived is versioned, and the suppliers who tendered are told', async () => {
    const now = new Date();
    const notice = await published(now, { title: 'Versioned notice' });
    const a = await aSupplier();
    const quiet = await aSupplier();
    await submitTender(db(), a.who, tender(notice.id, a.supplier.id), now);
    const changed = await editNotice(
      db(),
      await actor(OWNER),
      notice.id,
      {
        form: noticeForm(now, { title: 'Versioned notice', valueMax: '300000' }),
        changeSummary: 'Budget raised',
      },
      now,
    );
    expect(changed.ok && changed.suppliersTold).toBe(1);
    const after = await findNotice(db(), notice.id);
    expect(after?.version).toBe(2);
    expect(after?.value_max_pence).toBe(30_000_000);
    const old = await db()
      .selectFrom('procurement_notice_versions')
      .selectAll()
      .where('notice_id', '=', notice.id)
      .executeTakeFirstOrThrow();
    expect(old).toMatchObject({ version: 1, change_summary: 'Budget raised' });
    expect((old.snapshot as { valueMaxPence: number }).valueMaxPence).toBe(25_000_000);
    const told = (await mailsTo(db(), a.email)).at(-1)!;
    expect(told.subject).toContain('has changed');
    expect(told.text).toContain('Budget raised');
    expect((await mailsTo(db(), quiet.email)).some((m) => m.subject.includes('has changed'))).toBe(
      false,
    );
    expect((await ownTender(db(), a.who.user.id, a.supplier.id, notice.id))?.notice_version).toBe(
      1,
    );
    const noSummary = await editNotice(
      db(),
      await actor(OWNER),
      notice.id,
      { form: noticeForm(now), changeSummary: '' },
      now,
    );
    expect(!noSummary.ok && noSummary.errors[0]!.field).toBe('changeSummary');
  });
});

describe('evaluation, award and orders', () => {
  it('two evaluators saving the same sheet at once: one is saved, the other is told and changes nothing', async () => {
    const notice = await published(new Date());
    const a = await aSupplier();
    const sent = await submitTender(
      db(),
      a.who,
      tender(notice.id, a.supplier.id),
      at(notice, -1000),
    );
    const responseId = sent.ok ? sent.response.id : '';
    const after = at(notice, 1000);
    const scores = (score: string) => ({
      scores: [
        { score, comment: 'Fine' },
        { score, comment: 'Fair' },
      ],
    });
    const first = await saveScores(
      db(),
      await actor(CASEWORKER),
      notice,
      responseId,
      { ...scores('5'), version: null },
      after,
    );
    expect(first.ok).toBe(true);
    // Both opened version 1 and save at the same moment, each in its own transaction.
    const evaluators = [
      [await actor(CASEWORKER), '7'],
      [await actor(TEAM_LEADER), '9'],
    ] as const;
    const [x, y] = await Promise.all(
      evaluators.map(([who, score]) =>
        db()
          .transaction()
          .execute((trx) =>
            saveScores(trx, who, notice, responseId, { ...scores(score), version: 1 }, after),
          ),
      ),
    );
    expect([x!.ok, y!.ok].sort()).toEqual([false, true]);
    const loser = x!.ok ? y! : x!;
    expect(!loser.ok && loser.errors[0]!.message).toBe('procurement.evaluation.conflict');
    const row = await db()
      .selectFrom('procurement_evaluations')
      .selectAll()
      .where('response_id', '=', responseId)
      .executeTakeFirstOrThrow();
    expect(row.version).toBe(2);
    expect(row.scores[0]!.score).toBe(x!.ok ? 7 : 9);
    const stale = await saveScores(
      db(),
      await actor(CASEWORKER),
      notice,
      responseId,
      { ...scores('1'), version: null },
      after,
    );
    expect(stale.ok).toBe(false);
  });

  it('the moderator agrees, the body awards, losers get their own scores and the reasons, and OCDS is valid', async () => {
    const notice = await published(new Date(), { title: 'Award test notice', partners: [] });
    const winner = await aSupplier();
    const loser = await aSupplier();
    const w = await submitTender(
      db(),
      winner.who,
      tender(notice.id, winner.supplier.id, '180000'),
      at(notice, -2000),
    );
    const l = await submitTender(
      db(),
      loser.who,
      tender(notice.id, loser.supplier.id, '210000'),
      at(notice, -1000),
    );
    const after = at(notice, 60_000);
    const evaluator = await actor(CASEWORKER);
    const owner = await actor(OWNER);
    for (const [response, quality] of [
      [w, '9'],
      [l, '4'],
    ] as const) {
      const id = response.ok ? response.response.id : '';
      await saveScores(
        db(),
        evaluator,
        notice,
        id,
        {
          scores: [
            { score: quality, comment: `Quality ${quality}` },
            { score: '8', comment: 'Price' },
          ],
          version: null,
        },
        after,
      );
      // Only the moderator agrees; an evaluator cannot.
      await expect(agreeScores(db(), evaluator, notice, id, 1, after)).rejects.toMatchObject({
        status: 404,
      });
      expect((await agreeScores(db(), owner, notice, id, 1, after)).ok).toBe(true);
    }
    const awarded = await awardContract(
      db(),
      owner,
      notice,
      { responseId: w.ok ? w.response.id : '', reasons: 'Best quality for the price.' },
      after,
    );
    expect(awarded.ok).toBe(true);
    expect((await findNotice(db(), notice.id))?.status).toBe('awarded');
    const loserMail = (await mailsTo(db(), loser.email)).at(-1)!;
    expect(loserMail.subject).toContain('not successful');
    expect(loserMail.text).toContain('Quality 4');
    expect(loserMail.text).toContain('Best quality for the price.');
    expect(loserMail.text).not.toContain('Quality 9');
    expect((await mailsTo(db(), winner.email)).at(-1)!.subject).toContain('successful');

    const visitor = new Visitor(app.baseUrl);
    const page = await visitor.get(`/procurement/${notice.id}`);
    expect(page.html).toContain('Contract award notice');
    const one = await (
      await fetch(`${app.baseUrl}/procurement/ocds/releases/${notice.ocid}.json`)
    ).json();
    const all = await (await fetch(`${app.baseUrl}/procurement/ocds/releases.json`)).json();
    const ajv = new Ajv({ allErrors: true, strict: false });
    (formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
    const validate = ajv.compile(
      JSON.parse(
        readFileSync(new URL('./ocds/release-package.schema.json', import.meta.url), 'utf8'),
      ),
    );
    for (const pack of [one, all])
      expect(validate(pack), JSON.stringify(validate.errors)).toBe(true);
    const tags = (one.releases as { tag: string[] }[]).map((r) => r.tag[0]);
    expect(tags).toEqual(['tender', 'award']);
    const award = (
      one.releases as { awards?: { value: { amount: number }; suppliers: { name: string }[] }[] }[]
    )[1]!.awards![0]!;
    expect(award.value.amount).toBe(180000);
    expect(award.suppliers[0]!.name).toMatch(/^Test Supplier \d+ Ltd$/);
    expect(JSON.stringify(one)).not.toContain('Two teams of four.');
    // The schema is not a rubber stamp: a release without its required fields fails it.
    expect(validate({ ...one, releases: [{ ocid: notice.ocid }] })).toBe(false);

    const awardRow = await db()
      .selectFrom('procurement_awards')
      .selectAll()
      .where('notice_id', '=', notice.id)
      .executeTakeFirstOrThrow();
    const before = await procurementFigures(db(), {
      from: new Date(0),
      to: new Date(Date.now() + 86_400_000 * 400),
    });
    const order = await raiseOrder(
      db(),
      owner,
      { awardId: awardRow.id, description: 'First quarter', amount: '45,000' },
      after,
    );
    expect(order.ok).toBe(true);
    const orderId = order.ok ? order.order.id : '';
    const outOfOrder = await advanceOrder(db(), owner, { orderId, step: 'approved' }, after);
    expect(!outOfOrder.ok && outOfOrder.errors[0]!.message).toBe('procurement.order.outOfOrder');
    expect((await advanceOrder(db(), owner, { orderId, step: 'received' }, after)).ok).toBe(true);
    expect(
      (
        await advanceOrder(
          db(),
          owner,
          { orderId, step: 'invoiced', invoiceNumber: 'INV-1', invoiceAmount: '44000' },
          after,
        )
      ).ok,
    ).toBe(true);
    expect((await advanceOrder(db(), owner, { orderId, step: 'approved' }, after)).ok).toBe(true);
    await expect(
      advanceOrder(db(), await actor(CHELTENHAM), { orderId, step: 'received' }, after),
    ).rejects.toMatchObject({
      status: 404,
    });
    const figures = await procurementFigures(db(), {
      from: new Date(0),
      to: new Date(Date.now() + 86_400_000 * 400),
    });
    expect(figures.ordersRaised - before.ordersRaised).toBe(1);
    expect(figures.orderedPence - before.orderedPence).toBe(4_500_000);
    expect(figures.approvedForPaymentPence - before.approvedForPaymentPence).toBe(4_400_000);
    const stroudOnly = await procurementFigures(db(), {
      organisationId: (await userOf(CHELTENHAM)).organisationId!,
      from: new Date(0),
      to: new Date(Date.now() + 86_400_000 * 400),
    });
    expect(stroudOnly.orderedPence).toBe(0);
  });
});

describe('demo data', () => {
  it('the demo supplier is registered and Stroud’s cleaning opportunity with Cheltenham is open', async () => {
    const supplier = await db()
      .selectFrom('procurement_suppliers')
      .selectAll()
      .where('company_number', '=', DEMO_SUPPLIER.companiesHouseNumber)
      .executeTakeFirstOrThrow();
    expect(supplier.vat_number).toBe(DEMO_SUPPLIER.vatNumber);
    const page = await new Visitor(app.baseUrl).get('/procurement');
    expect(page.html).toContain('Cleaning of council offices in Stroud and Cheltenham');
  });
});

describe('pages', () => {
  it('the bakery’s administrator registers it on the page: a bad VAT number gets an error summary, then it is saved', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn('citizen@example.com', 'demo-citizen-password');
    const form = await citizen.get('/procurement/suppliers/register');
    expect(form.status).toBe(200);
    const businessId = /name="businessId" type="radio" value="([0-9a-f-]{36})"/.exec(
      form.html,
    )?.[1];
    expect(businessId).toBeDefined();
    const fields = {
      businessId: businessId!,
      companyNumber: '09876543',
      vatNumber: 'GB 999 9999 74',
      isSme: 'yes',
      sectors: ['15000000', '55000000'],
      regions: ['E12000009', 'W92000004'],
      alerts: 'yes',
    };
    const refused = await citizen.post('/procurement/suppliers/register', fields);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('govuk-error-summary');
    expect(refused.html).toContain('Check the VAT number');
    const saved = await citizen.post('/procurement/suppliers/register', {
      ...fields,
      vatNumber: 'GB 999 9999 73',
    });
    expect(saved.status).toBe(303);
    const list = await citizen.get('/procurement/suppliers');
    expect(list.html).toContain('999999973');
    expect(list.html).toContain('Food, beverages, tobacco and related products');
    const welsh = await citizen.get('/procurement/suppliers?lang=cy');
    expect(welsh.html).toContain('Eich cyfrifon cyflenwr');
  });

  it('another body’s staff and suppliers get 404 on a body’s procurement pages', async () => {
    const notice = await published(new Date(), { title: 'Staff pages test' });
    const cheltenham = new Visitor(app.baseUrl);
    await cheltenham.signIn(CHELTENHAM, 'demo-cheltenham-caseworker');
    expect((await cheltenham.get(`/staff/procurement/${notice.id}`)).status).toBe(404);
    const supplier = new Visitor(app.baseUrl);
    await supplier.signIn(DEMO_SUPPLIER.administratorEmail, 'demo-supplier-password');
    expect((await supplier.get('/staff/procurement')).status).toBe(404);
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(OWNER, 'demo-stroud-service-owner');
    const overview = await owner.get(`/staff/procurement/${notice.id}`);
    expect(overview.status).toBe(200);
    expect(overview.html).toContain('Staff pages test');
    const publish = await owner.get('/staff/procurement/new');
    const bad = await owner.post('/staff/procurement/new', { title: '' });
    expect(publish.status).toBe(200);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Enter a title');
    const edit = await owner.get(`/staff/procurement/${notice.id}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.html).toContain('value="Staff pages test"');
    expect(edit.html).toContain('What changed');
    const fields = Object.fromEntries(
      Object.entries(noticeForm(new Date(), { title: 'Staff pages test, changed' })).filter(
        ([name]) => name !== 'partners',
      ),
    ) as Record<string, string>;
    const unexplained = await owner.post(`/staff/procurement/${notice.id}/edit`, fields);
    expect(unexplained.status).toBe(400);
    expect(unexplained.html).toContain('Say what changed');
    const changed = await owner.post(`/staff/procurement/${notice.id}/edit`, {
      ...fields,
      changeSummary: 'New title',
    });
    expect(changed.status).toBe(303);
    const page = await new Visitor(app.baseUrl).get(`/procurement/${notice.id}`);
    expect(page.html).toContain('Staff pages test, changed');
    expect(page.html).toContain('Version 2');
  });
});

/**
 * A contract awarded to `winner` after a tender competition against `loser`, `awardedAt` (the
 * deadline passed a minute before); returns the notice, the award and the loser's tender.
 */
async function anAwardedContract(
  winner: Awaited<ReturnType<typeof aSupplier>>,
  loser: Awaited<ReturnType<typeof aSupplier>>,
  title: string,
) {
  const notice = await published(new Date(), { title });
  const responses = [];
  for (const [who, price] of [
    [winner, '180000'],
    [loser, '210000'],
  ] as const) {
    const made = await submitTender(
      db(),
      who.who,
      tender(notice.id, who.supplier.id, price),
      at(notice, -1000),
    );
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    responses.push(made.response);
  }
  const after = at(notice, 60_000);
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
  if (!awarded.ok) throw new Error(JSON.stringify(awarded.errors));
  const award = await db()
    .selectFrom('procurement_awards')
    .selectAll()
    .where('notice_id', '=', notice.id)
    .executeTakeFirstOrThrow();
  return { notice, award, loserTender: responses[1]!, after };
}

/** An order raised under an award and marked received by the buyer. */
async function aReceivedOrder(awardId: string, amount: string, when: Date) {
  const owner = await actor(OWNER);
  const raised = await raiseOrder(
    db(),
    owner,
    { awardId, description: 'Monthly cleaning', amount },
    when,
  );
  if (!raised.ok) throw new Error(JSON.stringify(raised.errors));
  await advanceOrder(db(), owner, { orderId: raised.order.id, step: 'received' }, when);
  return raised.order;
}

const invoiceFields = (number: string, amount: string, date = '2026-03-27') => {
  const [year, month, day] = date.split('-');
  return {
    invoiceNumber: number,
    invoiceAmount: amount,
    'invoiceDate-day': String(Number(day)),
    'invoiceDate-month': String(Number(month)),
    'invoiceDate-year': year!,
  };
};

/** An order's status and its invoices (number, amount, status), oldest first. */
async function orderState(orderId: string) {
  const order = await db()
    .selectFrom('procurement_orders')
    .select('status')
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const invoices = await db()
    .selectFrom('procurement_invoices')
    .select(['invoice_number', 'amount_pence', 'status'])
    .where('order_id', '=', orderId)
    .orderBy('submitted_at')
    .orderBy('invoice_number')
    .execute();
  return { status: order.status, invoices };
}

describe('supplier orders and invoices', () => {
  it('a supplier sees only the orders placed with its business; another supplier and a citizen get 404', async () => {
    const winner = await aSupplier();
    const loser = await aSupplier();
    const { award, after } = await anAwardedContract(winner, loser, 'Supplier orders test');
    const order = await aReceivedOrder(award.id, '12,000', after);

    expect((await ordersForSupplier(db(), winner.who.user.id)).map((o) => o.id)).toEqual([
      order.id,
    ]);
    expect(await ordersForSupplier(db(), loser.who.user.id)).toEqual([]);

    const mine = new Visitor(app.baseUrl);
    await mine.signIn(winner.email, CITIZEN_PASSWORD);
    const list = await mine.get('/procurement/orders');
    expect(list.status).toBe(200);
    expect(list.html).toContain(order.reference);
    const page = await mine.get(`/procurement/orders/${order.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Monthly cleaning');
    expect(page.html).toContain('£12,000');
    expect(page.html).toContain('Send an invoice');
    const welsh = await mine.get(`/procurement/orders/${order.id}?lang=cy`);
    expect(welsh.html).toContain('Anfon anfoneb');

    const other = new Visitor(app.baseUrl);
    await other.signIn(loser.email, CITIZEN_PASSWORD);
    expect((await other.get('/procurement/orders')).html).not.toContain(order.reference);
    expect((await other.get(`/procurement/orders/${order.id}`)).status).toBe(404);
    await other.get('/procurement/orders');
    expect(
      (await other.post(`/procurement/orders/${order.id}/invoice`, invoiceFields('X-1', '10')))
        .status,
    ).toBe(404);
    await expect(
      submitInvoice(db(), loser.who, { orderId: order.id, ...invoiceFields('X-1', '10') }, after),
    ).rejects.toMatchObject({ status: 404 });
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn('citizen@example.com', 'demo-citizen-password');
    expect((await citizen.get(`/procurement/orders/${order.id}`)).status).toBe(404);
    expect(await orderState(order.id)).toEqual({ status: 'received', invoices: [] });
  });

  it('an invoice over the order’s remaining value, or with a number the supplier used before, is refused and changes nothing', async () => {
    const winner = await aSupplier();
    const loser = await aSupplier();
    const { award, after } = await anAwardedContract(winner, loser, 'Invoice rules test');
    const first = await aReceivedOrder(award.id, '1,000', after);
    const second = await aReceivedOrder(award.id, '2,000', after);

    const visitor = new Visitor(app.baseUrl);
    await visitor.signIn(winner.email, CITIZEN_PASSWORD);
    await visitor.get(`/procurement/orders/${first.id}`);
    const tooMuch = await visitor.post(
      `/procurement/orders/${first.id}/invoice`,
      invoiceFields('INV-100', '1000.01'),
    );
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.html).toContain('govuk-error-summary');
    expect(tooMuch.html).toContain('more than what is left to invoice');
    expect(tooMuch.html).toContain('value="INV-100"');
    const badDate = await visitor.post(`/procurement/orders/${first.id}/invoice`, {
      ...invoiceFields('INV-100', '1000'),
      'invoiceDate-day': '31',
      'invoiceDate-month': '2',
    });
    expect(badDate.status).toBe(400);
    expect(badDate.html).toContain('must be a real date');
    const sent = await visitor.post(
      `/procurement/orders/${first.id}/invoice`,
      invoiceFields('INV-100', '1000'),
    );
    expect(sent.status).toBe(303);
    const page = await visitor.get(`/procurement/orders/${first.id}`);
    expect(page.html).toContain('Invoice received');
    expect(page.html).toContain('27 March 2026');
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', first.id)
      .where('action', '=', 'procurement.invoice_submitted')
      .execute();
    expect(audit).toHaveLength(1);

    // The same number on another order of the same supplier, in any case, is refused.
    await visitor.get(`/procurement/orders/${second.id}`);
    const duplicate = await visitor.post(
      `/procurement/orders/${second.id}/invoice`,
      invoiceFields('inv-100', '500'),
    );
    expect(duplicate.status).toBe(400);
    expect(duplicate.html).toContain('already used this invoice number');
    // The buyer recording it for the supplier is held to the same rule.
    const byBuyer = await advanceOrder(
      db(),
      await actor(OWNER),
      { orderId: second.id, step: 'invoiced', invoiceNumber: 'INV-100', invoiceAmount: '500' },
      after,
    );
    expect(!byBuyer.ok && byBuyer.errors[0]!.message).toBe('procurement.order.invoiceNumber.used');
    expect(await orderState(second.id)).toEqual({ status: 'received', invoices: [] });
    // Another supplier may use the same number for its own invoices.
    const otherContract = await anAwardedContract(loser, winner, 'Invoice rules test 2');
    const theirs = await aReceivedOrder(otherContract.award.id, '900', after);
    const ok = await submitInvoice(
      db(),
      loser.who,
      { orderId: theirs.id, ...invoiceFields('INV-100', '900') },
      after,
    );
    expect(ok.ok).toBe(true);
  });

  it('the buyer rejects an invoice with a reason the supplier reads, and the supplier invoices again', async () => {
    const winner = await aSupplier();
    const loser = await aSupplier();
    const { notice, award, after } = await anAwardedContract(winner, loser, 'Invoice reject test');
    const order = await aReceivedOrder(award.id, '3,000', after);
    expect(
      (
        await submitInvoice(
          db(),
          winner.who,
          { orderId: order.id, ...invoiceFields('A-1', '3000') },
          after,
        )
      ).ok,
    ).toBe(true);
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(OWNER, 'demo-stroud-service-owner');
    await owner.get(`/staff/procurement/${notice.id}`);
    const noReason = await owner.post(
      `/staff/procurement/${notice.id}/orders/${order.id}/rejected`,
      {
        reason: '',
      },
    );
    expect(noReason.headers.get('location')).toContain('done=order-refused');
    const rejected = await owner.post(
      `/staff/procurement/${notice.id}/orders/${order.id}/rejected`,
      {
        reason: 'No purchase order number on the invoice.',
      },
    );
    expect(rejected.headers.get('location')).toContain('done=invoice-rejected');
    await expect(
      rejectInvoice(db(), await actor(CHELTENHAM), { orderId: order.id, reason: 'x' }, after),
    ).rejects.toMatchObject({ status: 404 });

    const supplier = new Visitor(app.baseUrl);
    await supplier.signIn(winner.email, CITIZEN_PASSWORD);
    const page = await supplier.get(`/procurement/orders/${order.id}`);
    expect(page.html).toContain('Invoice rejected');
    expect(page.html).toContain('No purchase order number on the invoice.');
    const again = await supplier.post(
      `/procurement/orders/${order.id}/invoice`,
      invoiceFields('A-2', '3000'),
    );
    expect(again.status).toBe(303);
    expect(
      (await advanceOrder(db(), await actor(OWNER), { orderId: order.id, step: 'approved' }, after))
        .ok,
    ).toBe(true);
    expect((await supplier.get(`/procurement/orders/${order.id}`)).html).toContain(
      'Approved for payment',
    );
  });
});

describe('part invoices, the database’s invoice-number rule and the supplier’s e-mails', () => {
  it('takes several invoices per order up to its value, approves each on its own, keeps the figures right and e-mails the supplier once per event', async () => {
    const winner = await aSupplier();
    const loser = await aSupplier();
    const { notice, award, after } = await anAwardedContract(winner, loser, 'Part invoice test');
    const owner = await actor(OWNER);
    const range = { from: new Date(0), to: new Date(Date.now() + 86_400_000 * 400) };
    const before = await procurementFigures(db(), range);
    const order = await aReceivedOrder(award.id, '1,000', after);
    // The supplier was told of the order, once.
    const orderMails = (await mailsTo(db(), winner.email)).filter((m) =>
      m.subject.includes(order.reference),
    );
    expect(orderMails).toHaveLength(1);
    expect(orderMails[0]!.text).toContain('£1,000.00');

    const part = (n: string, amount: string) =>
      submitInvoice(db(), winner.who, { orderId: order.id, ...invoiceFields(n, amount) }, after);
    expect((await part('P-1', '400')).ok).toBe(true);
    expect(await orderState(order.id)).toMatchObject({ status: 'received' });
    // More than what is left (£600) is refused.
    const over = await part('P-2', '600.01');
    expect(!over.ok && over.errors[0]!.message).toBe('procurement.invoice.amount.tooMuch');
    expect((await part('P-2', '600')).ok).toBe(true);
    expect(await orderState(order.id)).toEqual({
      status: 'invoiced',
      invoices: [
        { invoice_number: 'P-1', amount_pence: 40_000, status: 'submitted' },
        { invoice_number: 'P-2', amount_pence: 60_000, status: 'submitted' },
      ],
    });
    // Nothing is left to invoice now.
    const full = await part('P-3', '1');
    expect(!full.ok && full.errors[0]!.message).toBe('procurement.invoice.notDue');

    const [p1, p2] = await db()
      .selectFrom('procurement_invoices')
      .select(['id', 'invoice_number'])
      .where('order_id', '=', order.id)
      .orderBy('invoice_number')
      .execute();
    // Each is approved (or rejected) on its own, through the page, by its id.
    const buyer = new Visitor(app.baseUrl);
    await buyer.signIn(OWNER, 'demo-stroud-service-owner');
    const staffPage = await buyer.get(`/staff/procurement/${notice.id}`);
    expect(staffPage.html).toContain('Invoice P-1');
    expect(staffPage.html).toContain(`name="invoiceId" value="${p2!.id}"`);
    const approved = await buyer.post(
      `/staff/procurement/${notice.id}/orders/${order.id}/approved`,
      { invoiceId: p2!.id },
    );
    expect(approved.headers.get('location')).toContain('done=approved');
    expect((await orderState(order.id)).invoices.map((i) => i.status)).toEqual([
      'submitted',
      'approved',
    ]);
    expect((await orderState(order.id)).status).toBe('invoiced');
    // Approving the same invoice again changes nothing and sends nothing more.
    const twice = await approveInvoice(
      db(),
      owner,
      { orderId: order.id, invoiceId: p2!.id },
      after,
    );
    expect(twice.ok).toBe(false);
    // Another body's staff, or an invoice id of another order: 404.
    await expect(
      approveInvoice(
        db(),
        await actor(CHELTENHAM),
        { orderId: order.id, invoiceId: p1!.id },
        after,
      ),
    ).rejects.toMatchObject({ status: 404 });
    const rejected = await rejectInvoice(
      db(),
      owner,
      { orderId: order.id, invoiceId: p1!.id, reason: 'Wrong VAT rate.' },
      after,
    );
    expect(rejected.ok).toBe(true);
    expect((await orderState(order.id)).status).toBe('received');
    const mails = await mailsTo(db(), winner.email);
    expect(mails.filter((m) => m.subject === 'Invoice P-2 approved for payment')).toHaveLength(1);
    const rejectedMail = mails.filter((m) => m.subject === 'Invoice P-1 rejected');
    expect(rejectedMail).toHaveLength(1);
    expect(rejectedMail[0]!.text).toContain('Wrong VAT rate.');
    // The rejected £400 is free to invoice again, under a new number; then approved: the order is paid.
    expect((await part('P-1', '400')).ok).toBe(false);
    expect((await part('P-4', '400')).ok).toBe(true);
    expect((await approveInvoice(db(), owner, { orderId: order.id }, after)).ok).toBe(true);
    expect((await orderState(order.id)).status).toBe('approved');
    const supplierPage = new Visitor(app.baseUrl);
    await supplierPage.signIn(winner.email, CITIZEN_PASSWORD);
    const page = (await supplierPage.get(`/procurement/orders/${order.id}`)).html;
    for (const text of ['P-1', 'P-2', 'P-4', 'Wrong VAT rate.', 'Approved for payment'])
      expect(page).toContain(text);

    const figures = await procurementFigures(db(), range);
    expect(figures.orderedPence - before.orderedPence).toBe(100_000);
    // £600 + £400 invoiced and approved; the rejected £400 counts in neither.
    expect(figures.invoicedPence - before.invoicedPence).toBe(100_000);
    expect(figures.approvedForPaymentPence - before.approvedForPaymentPence).toBe(100_000);
    const [stroud] = await financeByBody(db(), {
      ...range,
      organisationIds: [notice.organisation_id],
    });
    const invoicesOfStroud = await db()
      .selectFrom('procurement_invoices as i')
      .innerJoin('procurement_orders as o', 'o.id', 'i.order_id')
      .innerJoin('procurement_awards as a', 'a.id', 'o.award_id')
      .innerJoin('procurement_notices as n', 'n.id', 'a.notice_id')
      .select(['i.amount_pence', 'i.status'])
      .where('n.organisation_id', '=', notice.organisation_id)
      .execute();
    const live = invoicesOfStroud.filter((i) => i.status !== 'rejected');
    expect(stroud!.invoices).toBe(live.length);
    expect(stroud!.invoicedPence).toBe(live.reduce((sum, i) => sum + Number(i.amount_pence), 0));
  });

  it('the database itself refuses a supplier’s invoice number used twice, in any letter case', async () => {
    const winner = await aSupplier();
    const loser = await aSupplier();
    const { award, after } = await anAwardedContract(winner, loser, 'Invoice constraint test');
    const order = await aReceivedOrder(award.id, '500', after);
    const row = {
      order_id: order.id,
      supplier_id: winner.supplier.id,
      amount_pence: 100,
      submitted_at: after,
    };
    await db()
      .insertInto('procurement_invoices')
      .values({ ...row, invoice_number: 'DB-1' })
      .execute();
    // Straight past the code's check, as two requests at once would be.
    await expect(
      db()
        .insertInto('procurement_invoices')
        .values({ ...row, invoice_number: 'db-1' })
        .execute(),
    ).rejects.toThrow(/unique|duplicate/i);
    // Another supplier may use it.
    await db()
      .insertInto('procurement_invoices')
      .values({ ...row, supplier_id: loser.supplier.id, invoice_number: 'DB-1' })
      .execute();
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
  file: Buffer,
  name: string,
  fields: Record<string, string> = {},
) {
  const page = await visitor.get(csrfFrom);
  const form = new FormData();
  form.append('_csrf', csrfToken(page.html));
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(file)]), name);
  const response = await fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: { cookie: visitor.cookieHeader() },
    body: form,
    redirect: 'manual',
  });
  return Object.assign(response, { html: await response.text() });
}

describe('documents on notices and on sealed tenders', () => {
  it('a buyer’s notice documents are public through the app; a tender’s documents are sealed from the buyer until the deadline and never shown to another supplier', async () => {
    const now = new Date();
    const notice = await published(now, { title: 'Documents test notice' });
    const buyer = new Visitor(app.baseUrl);
    await buyer.signIn(OWNER, 'demo-stroud-service-owner');
    const docsPage = `/staff/procurement/${notice.id}/documents`;
    // A file whose content is not what its name says is refused (the attachments module sniffs it).
    const fake = await upload(buyer, docsPage, docsPage, Buffer.from('plain words'), 'spec.pdf');
    expect(fake.status).toBe(400);
    expect(fake.html).toContain('govuk-error-summary');
    const added = await upload(buyer, docsPage, docsPage, PDF, 'Specification.pdf');
    expect(added.status).toBe(303);
    const [noticeDoc] = await db()
      .selectFrom('procurement_notice_documents')
      .selectAll()
      .where('notice_id', '=', notice.id)
      .execute();
    expect(noticeDoc).toBeDefined();
    // Another body's staff cannot attach to it (404 before any file is read).
    const other = new Visitor(app.baseUrl);
    await other.signIn(CHELTENHAM, 'demo-cheltenham-caseworker');
    expect((await other.get(docsPage)).status).toBe(404);

    const anyone = new Visitor(app.baseUrl);
    const publicPage = await anyone.get(`/procurement/${notice.id}`);
    expect(publicPage.html).toContain('Specification.pdf');
    const download = await anyone.get(`/procurement/${notice.id}/documents/${noticeDoc!.id}`);
    expect(download.status).toBe(200);
    expect(download.html.startsWith('%PDF-1.4')).toBe(true);
    // The id of a document of another notice, or of no document: 404.
    expect(
      (await anyone.get(`/procurement/${notice.id}/documents/${noticeDoc!.attachment_id}`)).status,
    ).toBe(404);

    const a = await aSupplier();
    const b = await aSupplier();
    const mine = new Visitor(app.baseUrl);
    await mine.signIn(a.email, CITIZEN_PASSWORD);
    const tenderDocs = `/procurement/${notice.id}/tender/documents?supplier=${a.supplier.id}`;
    const sent = await upload(
      mine,
      `/procurement/${notice.id}/tender/documents`,
      tenderDocs,
      PDF,
      'Method statement.pdf',
      { supplierId: a.supplier.id },
    );
    expect(sent.status).toBe(303);
    expect((await submitTender(db(), a.who, tender(notice.id, a.supplier.id), now)).ok).toBe(true);
    const [tenderDoc] = await db()
      .selectFrom('procurement_tender_documents')
      .selectAll()
      .where('notice_id', '=', notice.id)
      .execute();
    expect(tenderDoc!.supplier_id).toBe(a.supplier.id);
    expect((await mine.get(tenderDocs)).html).toContain('Method statement.pdf');
    const own = await mine.get(
      `/procurement/${notice.id}/tender/documents/${tenderDoc!.id}?supplier=${a.supplier.id}`,
    );
    expect(own.status).toBe(200);

    // Another supplier never: naming the first supplier, or its own, or uploading as it.
    const theirs = new Visitor(app.baseUrl);
    await theirs.signIn(b.email, CITIZEN_PASSWORD);
    for (const supplier of [a.supplier.id, b.supplier.id])
      expect(
        (
          await theirs.get(
            `/procurement/${notice.id}/tender/documents/${tenderDoc!.id}?supplier=${supplier}`,
          )
        ).status,
      ).toBe(404);
    expect((await theirs.get(tenderDocs)).status).toBe(404);
    expect((await theirs.get(`/attachments/${tenderDoc!.attachment_id}`)).status).toBe(404);
    await expect(
      ownTenderDocumentFile(db(), b.who, {
        noticeId: notice.id,
        supplierId: a.supplier.id,
        documentId: tenderDoc!.id,
      }),
    ).rejects.toMatchObject({ status: 404 });

    // The buyer, before the deadline: sealed, whoever asks, in the service layer and the page.
    for (const who of [OWNER, CASEWORKER, TEAM_LEADER]) {
      const staff = await actor(who);
      await expect(tenderDocumentsForPanel(db(), staff, notice, now)).rejects.toMatchObject({
        code: 'tenders_sealed',
      });
      await expect(
        tenderDocumentForPanel(db(), staff, notice, tenderDoc!.id, now),
      ).rejects.toMatchObject({ code: 'tenders_sealed' });
    }
    const early = await buyer.get(
      `/staff/procurement/${notice.id}/tender-documents/${tenderDoc!.id}`,
    );
    expect(early.status).toBe(403);
    expect(early.html.startsWith('%PDF')).toBe(false);
    // Nor through the attachments module's own download route.
    expect((await buyer.get(`/attachments/${tenderDoc!.attachment_id}`)).status).toBe(404);
    // Another body's staff: 404 before and after.
    await expect(
      tenderDocumentsForPanel(db(), await actor(CHELTENHAM), notice, at(notice, 1000)),
    ).rejects.toMatchObject({ status: 404 });

    // At the deadline a second late, the supplier can no longer add or remove documents.
    const late = await addTenderDocument(
      db(),
      a.who,
      { noticeId: notice.id, supplierId: a.supplier.id, attachmentId: tenderDoc!.attachment_id },
      at(notice, 1000),
    );
    expect(late).toEqual({ ok: false, reason: 'late' });
    expect(
      (
        await removeTenderDocument(
          db(),
          a.who,
          { noticeId: notice.id, supplierId: a.supplier.id, documentId: tenderDoc!.id },
          at(notice, 0),
        )
      ).ok,
    ).toBe(false);

    // After the deadline the panel opens them; each read is audited.
    await db()
      .updateTable('procurement_notices')
      .set({
        clarification_deadline: new Date(Date.now() - 2 * 86_400_000),
        tender_deadline: new Date(Date.now() - 1000),
      })
      .where('id', '=', notice.id)
      .execute();
    const closed = (await findNotice(db(), notice.id))!;
    const panel = await tenderDocumentsForPanel(db(), await actor(CASEWORKER), closed, new Date());
    expect(panel.get(a.supplier.id)?.map((d) => d.attachment.name)).toEqual([
      'Method statement.pdf',
    ]);
    const opened = await buyer.get(
      `/staff/procurement/${notice.id}/tender-documents/${tenderDoc!.id}`,
    );
    expect(opened.status).toBe(200);
    expect(opened.html.startsWith('%PDF-1.4')).toBe(true);
    const reads = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('resource_id', '=', tenderDoc!.attachment_id)
      .execute();
    expect(reads.length).toBeGreaterThanOrEqual(2);
    const tenderPage = await buyer.get(
      `/staff/procurement/${notice.id}/tenders/${(await ownTender(db(), a.who.user.id, a.supplier.id, notice.id))!.id}`,
    );
    expect(tenderPage.html).toContain('Method statement.pdf');
    // After the deadline the buyer can no longer add notice documents either.
    const afterDeadline = await upload(buyer, docsPage, docsPage, PDF, 'Late.pdf');
    expect(afterDeadline.status).toBe(409);
  });
});

describe('the registered OCDS prefix', () => {
  it('is configured, warned about while it is the development default, and used for new ocids', async () => {
    expect(loadConfig({}).OCDS_OCID_PREFIX).toBe(DEVELOPMENT_OCID_PREFIX);
    expect(loadConfig({}).warnings.join(' ')).toMatch(
      /OCDS_OCID_PREFIX is the development default/,
    );
    const own = loadConfig({ OCDS_OCID_PREFIX: 'ocds-b5fd17' });
    expect(own.OCDS_OCID_PREFIX).toBe('ocds-b5fd17');
    expect(own.warnings.join(' ')).not.toMatch(/OCDS_OCID_PREFIX/);
    for (const bad of ['ocds-b5fd1', 'ocds-B5FD17', 'ocds-b5fd177', 'oc4ids-b5fd17'])
      expect(() => loadConfig({ OCDS_OCID_PREFIX: bad })).toThrow(/OCDS_OCID_PREFIX/);
    const now = new Date();
    const outcome = await publishNotice(
      db(),
      { ...(await actor(OWNER)), ocidPrefix: 'ocds-b5fd17' },
      noticeForm(now, { title: 'Registered prefix test' }),
      now,
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    expect(outcome.notice.ocid).toBe(`ocds-b5fd17-${outcome.notice.id}`);
    const release = await new Visitor(app.baseUrl).get(
      `/procurement/ocds/releases/${outcome.notice.ocid}.json`,
    );
    expect(release.status).toBe(200);
    expect(release.html).toContain(`"ocid":"ocds-b5fd17-${outcome.notice.id}"`);
  });
});

describe('retention of tenders and clarification questions', () => {
  it('removes an old unsuccessful tender and keeps a recent one and every winning tender; anonymises old questions', async () => {
    const winner = await aSupplier();
    const loser = await aSupplier();
    const old = await anAwardedContract(winner, loser, 'Retention old contract');
    const recent = await anAwardedContract(winner, loser, 'Retention recent contract');
    // Asked while the notice was open (askClarification is tested above; the notice is closed now).
    const question = await db()
      .insertInto('procurement_clarifications')
      .values({
        notice_id: old.notice.id,
        supplier_id: loser.supplier.id,
        asked_by: loser.who.user.id,
        question: 'Is weekend work needed?',
        asked_at: old.notice.published_at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const now = new Date();
    // The old contract was awarded (and its tenders closed) six years and a day ago.
    const longAgo = new Date(monthsBefore(now, 72).getTime() - 86_400_000);
    await db()
      .updateTable('procurement_awards')
      .set({ awarded_at: longAgo })
      .where('id', '=', old.award.id)
      .execute();
    await db()
      .updateTable('procurement_notices')
      .set({
        published_at: new Date(longAgo.getTime() - 20 * 86_400_000),
        clarification_deadline: new Date(longAgo.getTime() - 10 * 86_400_000),
        tender_deadline: longAgo,
      })
      .where('id', '=', old.notice.id)
      .execute();

    await runRetention(db(), [tenderRetention, clarificationRetention], {
      now,
      runKey: `procurement-test:${now.toISOString()}`,
    });
    const left = await db()
      .selectFrom('procurement_responses')
      .select(['id', 'notice_id'])
      .where('notice_id', 'in', [old.notice.id, recent.notice.id])
      .execute();
    expect(left.find((r) => r.id === old.loserTender.id)).toBeUndefined();
    expect(left.some((r) => r.id === old.award.response_id)).toBe(true);
    expect(left.some((r) => r.id === recent.loserTender.id)).toBe(true);
    const asked = await db()
      .selectFrom('procurement_clarifications')
      .select(['asked_by', 'supplier_id', 'question'])
      .where('id', '=', question.id)
      .executeTakeFirstOrThrow();
    expect(asked).toEqual({
      asked_by: null,
      supplier_id: null,
      question: 'Is weekend work needed?',
    });
  });
});
