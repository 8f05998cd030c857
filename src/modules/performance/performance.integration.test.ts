import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hiddenValue,
  startTestApp,
  Visitor,
  weekdayAhead,
  type TestApp,
} from '../../../test/helpers/app.js';
import { signedInStaff, type DemoStaff } from '../../../test/helpers/staff.js';
import { aConfirmedCitizen, aSignedInCitizen } from '../../../test/helpers/citizens.js';
import {
  answerBulkyWaste,
  applyForBulkyWaste,
  approveBulkyWaste,
  BULKY_WASTE,
} from '../../../test/helpers/journeys.js';
import { londonDate } from '../../platform/time/london.js';
import { DEMO_SERVICES } from '../catalogue/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { hubKeyCreate } from '../submissions/index.js';
import { performanceBackfillCommand } from './commands/backfill.js';
import { recordJourneyStep } from './collect/journeys.js';
import { ALL, replaceContribution, transactionDeltas } from './collect/rollups.js';
import { measureSubmission } from './collect/transactions.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;
const today = londonDate(new Date());
const SERVICE = 'request-a-bulky-waste-collection';

const staff = (who: DemoStaff) => signedInStaff(app, who);

/** The headline figures of a dashboard page, in order: transactions, take-up, completion … */
function headline(html: string): string[] {
  return [...html.matchAll(/data-measure="\d+">([^<]*)</g)].map((m) => m[1]!.trim());
}

/** A table row's cells (after its header cell), found by the header's text. */
function row(html: string, header: string): string[] {
  const rows = [...html.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map(
    (m) => m[1]!,
  );
  const found = rows.find((r) => new RegExp(`<th[^>]*>\\s*${header}\\s*</th>`).test(r));
  if (!found) throw new Error(`no row "${header}"`);
  return [...found.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!.trim());
}

function csv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split('\r\n');
  const fields = head!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [fields[i]!, v])));
}

/** An adviser at the contact centre fills in bulky waste for a customer on the phone. */
async function applyByPhone(): Promise<string> {
  const customer = await aConfirmedCitizen(db(), { phone: '+447700900456' });
  const adviser = await staff('adviser');
  await adviser.get(`/adviser/customers/${customer.id}/confirm`);
  const confirmed = await adviser.post(`/adviser/customers/${customer.id}/confirm`, {
    reason: 'customer-called',
    details: '',
    email: customer.email,
    phone: '07700 900456',
  });
  expect(confirmed.status, confirmed.html.slice(0, 400)).toBe(303);
  await adviser.get(`/adviser/customers/${customer.id}/assist`);
  const started = await adviser.post(`/adviser/customers/${customer.id}/assist`, {
    serviceSlug: SERVICE,
    channel: 'phone',
    consent: 'yes',
  });
  expect(started.status, started.html.slice(0, 400)).toBe(303);
  const base = `${BULKY_WASTE}/apply`;
  const post = async (page: string, fields: Record<string, string | string[]>) => {
    await adviser.get(`${base}/${page}`);
    const response = await adviser.post(`${base}/${page}`, { actingFor: customer.id, ...fields });
    expect(response.status, `${page}: ${response.html.slice(0, 300)}`).toBe(303);
  };
  await post('items', { items: ['sofa'], itemDetails: '' });
  await post('address', {
    addressLine1: '1 High Street',
    addressLine2: '',
    town: 'Stroud',
    postcode: 'GL5 4UB',
  });
  const [d, m, y] = weekdayAhead(7);
  await post('date', { 'preferredDate-day': d, 'preferredDate-month': m, 'preferredDate-year': y });
  const check = await adviser.get(`${base}/check-answers`);
  const sent = await adviser.post(`${base}/submit`, {
    actingFor: customer.id,
    draftId: hiddenValue(check.html, 'draftId'),
  });
  expect(sent.status).toBe(303);
  return (sent.headers.get('location') ?? '').split('sent=')[1]!;
}

async function feedback(reference: string, rating: string, comment = '') {
  const visitor = new Visitor(app.baseUrl);
  const form = await visitor.get(`/performance/feedback/${reference}`);
  expect(form.status).toBe(200);
  return visitor.post(`/performance/feedback/${reference}`, { rating, comment });
}

describe('the performance platform, from journeys people make', () => {
  const references: string[] = [];

  beforeAll(async () => {
    // Two people apply online; two stop part way; an adviser applies for someone by phone.
    for (let i = 0; i < 2; i++)
      references.push(await applyForBulkyWaste((await aSignedInCitizen(app)).visitor));
    const first = (await aSignedInCitizen(app)).visitor;
    await first.get(`${BULKY_WASTE}/apply/items`);
    await first.post(`${BULKY_WASTE}/apply/items`, { items: ['sofa'], itemDetails: '' });
    const second = (await aSignedInCitizen(app)).visitor;
    await answerBulkyWaste(second);
    references.push(await applyByPhone());
    await app.platform.worker.drain();
  });

  it('asks for feedback on the confirmation page, takes it once, anonymously, and checks it', async () => {
    const bad = await feedback(references[0]!, '9');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Select how you felt about the service');
    expect((await feedback(references[0]!, '5', 'Quick and clear')).status).toBe(303);
    expect((await feedback(references[1]!, '2')).status).toBe(303);
    const again = await feedback(references[0]!, '1');
    expect(again.html).toContain('You have already given feedback');
    const nonsense = new Visitor(app.baseUrl);
    expect((await nonsense.get('/performance/feedback/not-a-reference')).status).toBe(404);
    const stored = await db().selectFrom('performance_feedback').selectAll().execute();
    expect(stored.map((f) => f.rating).sort()).toEqual([2, 5]);
    // Nothing ties a rating to the person or the application.
    expect(Object.keys(stored[0]!).sort()).toEqual(
      ['comment', 'day', 'id', 'organisation_id', 'rating', 'service_id'].sort(),
    );
  });

  it('shows each figure on the service’s public page and in the open data', async () => {
    const owner = await staff('owner');
    await owner.get('/staff/performance/costs');
    const refused = await owner.post('/staff/performance/costs', { online: 'lots' });
    expect(refused.status).toBe(400);
    const saved = await owner.post('/staff/performance/costs', {
      online: '0.20',
      phone: '3.00',
      'face-to-face': '8',
    });
    expect(saved.status).toBe(303);

    const caseworker = await staff('caseworker');
    await caseworker.get(`/casework/${references[0]}`);
    expect((await approveBulkyWaste(caseworker, references[0]!)).status).toBe(303);
    await app.platform.worker.drain();

    const page = await new Visitor(app.baseUrl).get(
      `/performance/services/${SERVICE}?from=${today}&to=${today}`,
    );
    expect(page.status).toBe(200);
    // 3 transactions (2 online, 1 by phone): take-up 2/3; 5 journeys begun, 3 sent: 60%;
    // ratings 5 and 2: half satisfied; cost (2 × 20p + 300p) / 3 = £1.13; one decision.
    const [transactions, takeUp, completion, satisfied, cost, median] = headline(page.html);
    expect(transactions).toBe('3');
    expect(takeUp).toBe('66.7%');
    expect(completion).toBe('60%');
    expect(satisfied).toBe('50%');
    expect(cost).toBe('£1.13');
    expect(median).toBe('0 hours');
    expect(row(page.html, 'Phone')).toEqual(['1', '33.3%']);
    expect(row(page.html, 'Online')).toEqual(['2', '66.7%']);
    expect(row(page.html, 'address')).toEqual(['1', '20%']);
    expect(row(page.html, 'Check your answers')).toEqual(['1', '20%']);
    // Saving: 2 online × (300p phone − 20p) = 560p.
    expect(row(page.html, 'Saving from digital channels')).toEqual(['£5.60']);
    expect(row(page.html, 'Decisions made')).toEqual(['1']);
    expect(page.html).toContain('<svg class="app-chart__svg"');

    const data = await new Visitor(app.baseUrl).get(
      `/performance/data/take-up.csv?from=${today}&to=${today}&service=${SERVICE}`,
    );
    expect(data.headers.get('content-type')).toContain('text/csv');
    expect(csv(data.html)).toEqual([
      expect.objectContaining({
        body: 'stroud',
        service: SERVICE,
        transactions: '3',
        digital: '2',
        take_up: '0.6667',
      }),
    ]);
    const completionCsv = csv(
      (
        await new Visitor(app.baseUrl).get(
          `/performance/data/completion.csv?from=${today}&to=${today}&service=${SERVICE}`,
        )
      ).html,
    );
    expect(completionCsv).toEqual([
      expect.objectContaining({ started: '5', completed: '3', completion_rate: '0.6' }),
    ]);
    const costJson = await new Visitor(app.baseUrl).get(
      `/performance/data/cost.json?from=${today}&to=${today}&body=stroud`,
    );
    expect(JSON.parse(costJson.html).rows).toEqual([
      expect.objectContaining({
        body: 'stroud',
        costed_transactions: 3,
        total_pence: 340,
        saving_pence: 560,
      }),
    ]);
    const bad = await new Visitor(app.baseUrl).get(
      '/performance/data/take-up.json?from=2026-13-01',
    );
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.html).errors[0]).toMatchObject({
      error: 'validation_error',
      field: 'from',
    });
    expect((await new Visitor(app.baseUrl).get('/performance/data/nothing.csv')).status).toBe(404);
  });

  it('counts each transaction and journey once however often and in whatever order its messages come', async () => {
    const before = (
      await new Visitor(app.baseUrl).get(
        `/performance/data/completion.json?from=${today}&to=${today}&service=${SERVICE}`,
      )
    ).html;
    const facts = await db()
      .selectFrom('performance_transactions')
      .select('submission_id')
      .execute();
    const journeys = await db().selectFrom('performance_journeys').selectAll().execute();
    await db()
      .transaction()
      .execute(async (trx) => {
        for (const { submission_id } of facts) await measureSubmission(trx, submission_id);
        for (const j of journeys)
          await recordJourneyStep(trx, {
            draftId: j.draft_id,
            serviceId: j.service_id,
            organisationId: j.organisation_id,
            page: 'items',
            at: new Date(j.started_at.getTime() - 1000).toISOString(),
          });
      });
    const after = (
      await new Visitor(app.baseUrl).get(
        `/performance/data/completion.json?from=${today}&to=${today}&service=${SERVICE}`,
      )
    ).html;
    expect(JSON.parse(after).rows).toEqual(JSON.parse(before).rows);
    const counted = await db()
      .selectFrom('performance_daily_transactions')
      .select((eb) => eb.fn.sum<number>('transactions').as('sum'))
      .where('service_id', '<>', ALL)
      .executeTakeFirstOrThrow();
    expect(Number(counted.sum)).toBe(facts.length);
  });

  it('counts the adviser’s phone line as e-enabled in the register, and service owners keep it', async () => {
    const rows = csv(
      (
        await new Visitor(app.baseUrl).get(
          `/performance/data/e-enablement.csv?service=${SERVICE}&body=stroud`,
        )
      ).html,
    );
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.interactions)).toBeGreaterThan(0);
    const owner = await staff('owner');
    const register = await owner.get('/staff/performance/e-enablement');
    expect(register.status).toBe(200);
    const service = await db()
      .selectFrom('services')
      .select('id')
      .where('slug', '=', SERVICE)
      .executeTakeFirstOrThrow();
    const link = new RegExp(`href="(/staff/performance/e-enablement/${service.id}/[^"]+)"`).exec(
      register.html,
    )![1]!;
    const form = await owner.get(link);
    expect(form.html).toContain('value="phone" checked');
    const refused = await owner.post(link, {
      applicable: 'yes',
      exemption: 'legal',
      exemptionReason: '',
      eEnabled: 'no',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Enter the reason for the exemption');
    const saved = await owner.post(link, {
      applicable: 'yes',
      exemption: 'none',
      eEnabled: 'no',
      'targetDate-day': '31',
      'targetDate-month': '3',
      'targetDate-year': '2027',
    });
    expect(saved.status).toBe(303);
    const dashboard = await owner.get('/staff/performance');
    expect(dashboard.html).toContain('2027-03-31');
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['performance.e-enablement.saved', 'performance.unit-costs.set'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'performance.e-enablement.saved',
      'performance.unit-costs.set',
    ]);
  });

  it('shows a body’s dashboard to its staff and the centre, and to nobody else', async () => {
    const caseworker = await staff('caseworker');
    const own = await caseworker.get(`/staff/performance?from=${today}&to=${today}`);
    expect(own.status).toBe(200);
    expect(headline(own.html)[0]).toBe('3');
    expect(own.html).toContain('Quick and clear');
    expect((await caseworker.get('/staff/performance?body=cheltenham')).status).toBe(404);
    expect((await caseworker.post('/staff/performance/costs', { online: '1' })).status).toBe(404);
    const cheltenham = await staff('cheltenham');
    const theirs = await cheltenham.get(`/staff/performance?from=${today}&to=${today}`);
    expect(headline(theirs.html)[0]).toBe('0');
    expect(theirs.html).not.toContain('Quick and clear');
    const admin = await staff('admin');
    expect(
      (await admin.get(`/staff/performance?body=stroud&from=${today}&to=${today}`)).status,
    ).toBe(200);
    const citizen = (await aSignedInCitizen(app)).visitor;
    expect((await citizen.get('/staff/performance')).status).toBe(404);
    const anonymous = await new Visitor(app.baseUrl).get('/staff/performance');
    expect(anonymous.status).toBe(303);
  });

  it('publishes the outbox’s age and failed deliveries and refused sign-ins at /metrics', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/sign-in');
    expect(
      (await visitor.post('/sign-in', { email: 'nobody@example.com', password: 'x' })).status,
    ).toBe(400);
    await db()
      .insertInto('outbox')
      .values({ topic: 'test.failing', payload: '{}', idempotency_key: 'test.failing:1' })
      .execute();
    await db()
      .updateTable('outbox')
      .set({ last_error: 'connection refused' })
      .where('idempotency_key', '=', 'test.failing:1')
      .execute();
    const metrics = (await visitor.get('/metrics')).html;
    expect(metrics).toMatch(/joinedup_sign_in_failures_total\{status="400"\} [1-9]/);
    expect(metrics).toMatch(/joinedup_outbox_oldest_due_seconds \d/);
    expect(metrics).toContain(
      'joinedup_outbox_failed_messages{topic="test.failing",state="retrying"} 1',
    );
    await db().deleteFrom('outbox').where('idempotency_key', '=', 'test.failing:1').execute();
  });

  it('refuses a bad date range with the error summary, and speaks Welsh', async () => {
    const bad = await new Visitor(app.baseUrl).get('/performance?from=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('href="#from"');
    const welsh = await new Visitor(app.baseUrl).get('/performance?lang=cy');
    expect(welsh.html).toContain('Perfformiad gwasanaethau cyhoeddus');
  });
});

/** Walks tell us once for a change of address, ticking the given agreements' consents. */
async function tellMove(visitor: Visitor, consents: string[]): Promise<void> {
  const step = async (path: string, fields: Record<string, string | string[]>) => {
    await visitor.get(path);
    const response = await visitor.post(path, fields);
    expect(response.status, `${path}: ${response.html.slice(0, 300)}`).toBe(303);
  };
  await step('/tell-us-once/change', { type: 'change-of-address' });
  await step('/tell-us-once/step/postcode', { postcode: 'gl5 4ub' });
  await step('/tell-us-once/step/address', { uprn: '900000000002' });
  await step('/tell-us-once/step/moved', {
    'movedOn-day': '2',
    'movedOn-month': '11',
    'movedOn-year': '2026',
  });
  await step('/tell-us-once/bodies', { consent: consents });
  await step('/tell-us-once/check', {});
}

describe('joined-up services, purchasing and the back-fill', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    for (const slug of ['stroud', 'gloucestershire', 'dwp', 'cheltenham'])
      ids[slug] = (await findOrganisationBySlug(db(), slug))!.id;
  });

  it('measures a change told once to two bodies and delivered to one as 50% delivered, told to every body 0%', async () => {
    // Known to four bodies: Stroud (public task: no consent needed), Gloucestershire (consent,
    // given), DWP (consent, not given) and Cheltenham (no agreement). Two are to be told.
    const citizen = await aSignedInCitizen(app);
    for (const slug of Object.keys(ids))
      await db()
        .insertInto('sharing_relationships')
        .values({
          organisation_id: ids[slug]!,
          user_id: citizen.userId,
          body_reference: `${slug}-${citizen.userId.slice(0, 8)}`,
          matched_by: 'demo',
          matched_reference: 'test',
          declared_by_key_id: null,
        })
        .execute();
    const county = await db()
      .selectFrom('sharing_agreements')
      .select('id')
      .where('organisation_id', '=', ids.gloucestershire!)
      .executeTakeFirstOrThrow();
    await tellMove(citizen.visitor, [county.id]);
    await app.platform.worker.drain();
    // Stroud takes the change from its inbox; the county has not yet.
    const key = await hubKeyCreate(db(), ['--org', 'stroud', '--scope', 'receive']);
    const inbox = await fetch(`${app.baseUrl}/api/v1/sharing/inbox`, {
      headers: { authorization: `Bearer ${key.out[0]}` },
    });
    expect(((await inbox.json()) as { changes: unknown[] }).changes).toHaveLength(1);
    await app.platform.worker.drain();

    const range = `from=${today}&to=${today}`;
    const national = await new Visitor(app.baseUrl).get(`/performance?${range}`);
    expect(row(national.html, 'Changes of circumstances told once')).toEqual(['1']);
    expect(row(national.html, 'Bodies to be told')).toEqual(['2']);
    expect(row(national.html, 'Delivered to the body')).toEqual(['50%']);
    expect(row(national.html, 'Told to every body that should be told')).toEqual(['0%']);
    expect(national.html).toContain('or the agreement&#39;s legal basis needs no consent');
    // Stroud's own figure: its one change reached it, but not every body.
    const stroud = await new Visitor(app.baseUrl).get(`/performance?${range}&body=stroud`);
    expect(row(stroud.html, 'Delivered to the body')).toEqual(['100%']);
    expect(row(stroud.html, 'Told to every body that should be told')).toEqual(['0%']);
    const area = await new Visitor(app.baseUrl).get(`/performance?${range}&area=gloucestershire`);
    expect(row(area.html, 'Delivered to the body')).toEqual(['50%']);
    const welsh = await new Visitor(app.baseUrl).get(`/performance?${range}&lang=cy`);
    expect(row(welsh.html, 'Wedi’u danfon i’r corff')).toEqual(['50%']);

    const told = csv(
      (await new Visitor(app.baseUrl).get(`/performance/data/tell-us-once.csv?${range}`)).html,
    );
    expect(told).toEqual([
      expect.objectContaining({
        body: 'gloucestershire',
        to_be_told: '1',
        delivered: '0',
        delivered_share: '0',
        told_every_body: '0',
      }),
      expect.objectContaining({
        body: 'stroud',
        to_be_told: '1',
        delivered: '1',
        delivered_share: '1',
        told_every_body_share: '0',
      }),
    ]);
    const lastYear = await new Visitor(app.baseUrl).get(
      '/performance/data/tell-us-once.json?from=2025-01-01&to=2025-12-31',
    );
    expect(JSON.parse(lastYear.html).rows).toEqual([]);
  });

  it('counts the online services a person uses with the single account, by body', async () => {
    const own = DEMO_SERVICES.filter((s) => s.organisation === 'stroud');
    const single = own.filter((s) => s.formKey).length;
    const online = own.filter(
      (s) => s.formKey || s.channels.some((c) => c.kind === 'online-elsewhere'),
    ).length;
    expect(single).toBeGreaterThan(0);
    expect(online).toBeGreaterThan(single);
    const rows = JSON.parse(
      (await new Visitor(app.baseUrl).get('/performance/data/single-account.json?body=stroud'))
        .html,
    ).rows;
    expect(rows).toEqual([
      {
        body: 'stroud',
        body_name: 'Stroud District Council',
        online_services: online,
        single_account_services: single,
        single_account_share: Math.round((single / online) * 10_000) / 10_000,
      },
    ]);
    const caseworker = await staff('caseworker');
    const dashboard = await caseworker.get(`/staff/performance?from=${today}&to=${today}`);
    expect(row(dashboard.html, 'Online services')).toEqual([String(online)]);
    expect(row(dashboard.html, 'Used with the single account')).toEqual([String(single)]);
  });

  it('shows each body’s orders, invoices, approvals and prompt payment from its purchase orders', async () => {
    const notice = await db()
      .selectFrom('procurement_notices')
      .select('id')
      .where('organisation_id', '=', ids.stroud!)
      .executeTakeFirstOrThrow();
    const supplier = await db()
      .selectFrom('procurement_suppliers')
      .select('id')
      .executeTakeFirstOrThrow();
    // The contract, as if tendered, evaluated and awarded (the procurement tests walk that).
    const response = await db()
      .insertInto('procurement_responses')
      .values({
        notice_id: notice.id,
        supplier_id: supplier.id,
        answers: JSON.stringify([]),
        price_pence: 18_000_000,
        notice_version: 1,
        submitted_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('procurement_awards')
      .values({
        notice_id: notice.id,
        response_id: response.id,
        supplier_id: supplier.id,
        value_pence: 18_000_000,
        reasons: 'Best value',
        awarded_at: new Date(),
      })
      .execute();
    const owner = await staff('owner');
    const page = `/staff/procurement/${notice.id}`;
    const act = async (path: string, fields: Record<string, string> = {}) => {
      await owner.get(page);
      const done = await owner.post(`${page}${path}`, fields);
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).not.toContain('refused');
    };
    await act('/orders', { description: 'First month', amount: '450' });
    await act('/orders', { description: 'Second month', amount: '300' });
    const orders = await db()
      .selectFrom('procurement_orders')
      .select('id')
      .orderBy('amount_pence', 'desc')
      .execute();
    expect(orders).toHaveLength(2);
    for (const [order, amount] of [
      [orders[0]!.id, '440'],
      [orders[1]!.id, '300'],
    ] as const) {
      await act(`/orders/${order}/received`);
      await act(`/orders/${order}/invoiced`, {
        invoiceNumber: `INV-${amount}`,
        invoiceAmount: amount,
      });
    }
    await act(`/orders/${orders[0]!.id}/approved`);
    // The second invoice came 40 days ago and is still not approved: late.
    await db()
      .updateTable('procurement_invoices')
      .set({ submitted_at: new Date(Date.now() - 40 * 86_400_000) })
      .where('order_id', '=', orders[1]!.id)
      .execute();

    const dashboard = await owner.get('/staff/performance');
    // Orders £750, invoices £740 (one of them 40 days ago), £440 approved, 1 of 2 on time.
    expect(row(dashboard.html, 'Stroud District Council')).toEqual([
      '2',
      '£750',
      '2',
      '£740',
      '£440',
      '50%',
    ]);
    const today_ = await owner.get(`/staff/performance?from=${today}&to=${today}`);
    expect(row(today_.html, 'Stroud District Council')).toEqual([
      '2',
      '£750',
      '1',
      '£440',
      '£440',
      '100%',
    ]);
    const cheltenham = await staff('cheltenham');
    expect((await cheltenham.get('/staff/performance')).html).not.toContain('£750');
    // The same figures in the open data, for anyone.
    const open = await new Visitor(app.baseUrl).get(
      '/performance/data/purchasing.json?body=stroud',
    );
    expect(JSON.parse(open.html).rows).toEqual([
      {
        body: 'stroud',
        body_name: 'Stroud District Council',
        orders: 2,
        ordered_pence: 75_000,
        invoices: 2,
        invoiced_pence: 74_000,
        approved_pence: 44_000,
        invoices_due: 2,
        approved_within_target: 1,
        approved_within_target_share: 0.5,
      },
    ]);
    const csv = await new Visitor(app.baseUrl).get('/performance/data/purchasing.csv?body=stroud');
    expect(csv.html.split('\r\n')[0]).toBe(
      'body,body_name,orders,ordered_pence,invoices,invoiced_pence,approved_pence,invoices_due,approved_within_target,approved_within_target_share',
    );
  });

  it('back-fills facts made before the module was installed, and changes nothing when run again', async () => {
    const rollups = async () =>
      db()
        .selectFrom('performance_daily_transactions')
        .select(['day', 'service_id', 'organisation_id', 'channel', 'transactions'])
        .where('transactions', '<>', 0)
        .orderBy('day')
        .orderBy('service_id')
        .orderBy('organisation_id')
        .orderBy('channel')
        .execute();
    const sharing = async () =>
      db()
        .selectFrom('performance_sharing_deliveries')
        .selectAll()
        .orderBy('delivery_id')
        .execute();
    const before = { rollups: await rollups(), sharing: await sharing() };
    expect(before.sharing.length).toBeGreaterThan(0);
    // As if the phone application and the change were made before the module was installed.
    const fact = await db()
      .selectFrom('performance_transactions')
      .selectAll()
      .where('channel', '=', 'phone')
      .executeTakeFirstOrThrow();
    await db()
      .transaction()
      .execute(async (trx) => {
        await replaceContribution(trx, transactionDeltas(fact), []);
        await trx
          .deleteFrom('performance_transactions')
          .where('submission_id', '=', fact.submission_id)
          .execute();
        await trx.deleteFrom('performance_sharing_deliveries').execute();
      });
    expect(await rollups()).not.toEqual(before.rollups);

    const refused = await performanceBackfillCommand(db(), ['--since', '2026-02-30']);
    expect(refused.code).toBe(64);
    expect(await sharing()).toEqual([]);

    const first = await performanceBackfillCommand(db(), []);
    expect(first.code).toBe(0);
    expect(first.out[0]).toBe('Measured: submissions 3, changes of circumstances 1');
    expect(await rollups()).toEqual(before.rollups);
    expect(await sharing()).toEqual(before.sharing);
    const again = await performanceBackfillCommand(db(), ['--since', today]);
    expect(again.code).toBe(0);
    expect(await rollups()).toEqual(before.rollups);
    expect(await sharing()).toEqual(before.sharing);
  });
});
