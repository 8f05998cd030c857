import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { FormDefinitionSchema } from '../forms/index.js';
import { paymentSummary } from '../payments/index.js';
import { paymentFinishedHandler, PAYMENT_FINISHED_TOPIC } from './commands/charges.js';
import { sendParkingPermit } from '../../../test/helpers/journeys.js';

let app: TestApp;
const db = () => app.platform.database.db;
const CITIZEN = { email: 'citizen@example.com', password: 'demo-citizen-password' };
const COUNTER = { email: 'counter@stroud.example.gov.uk', password: 'demo-stroud-counter-adviser' };
const CHELTENHAM = {
  email: 'caseworker@cheltenham.example.gov.uk',
  password: 'demo-cheltenham-caseworker',
};
const GOOD_CARD = '4444333322221111';
const DECLINED_CARD = '4000000000000002';

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function signedIn(who: { email: string; password: string }): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(who.email, who.password);
  return visitor;
}

/** Answers the Stroud permit form and sends it; returns where sending sent the person. */
async function sendPermitApplication(visitor: Visitor, permit: 'first' | 'second') {
  const { check, declaration, sent } = await sendParkingPermit(visitor, { permit });
  return { check, declaration, location: sent.headers.get('location')! };
}

/**
 * Pays on the hosted pages with a sandbox card. Returns the last response: a 303 back to the
 * service when paid, the declined page (402) otherwise.
 */
async function pay(visitor: Visitor, nextUrl: string, cardNo: string) {
  const opened = await visitor.get(new URL(nextUrl, app.baseUrl).pathname);
  expect(opened.status).toBe(303);
  const cardPath = opened.headers.get('location')!;
  await visitor.get(cardPath);
  const id = /\/pay\/card\/([a-z0-9]+)/.exec(cardPath)![1]!;
  const submitted = await visitor.post(`/pay/card/${id}`, {
    cardNo,
    expiryMonth: '12',
    expiryYear: '39',
    cardholderName: 'Sam Citizen',
    cvc: '123',
  });
  if (submitted.status !== 303) return submitted;
  await visitor.get(submitted.headers.get('location')!);
  return visitor.post(`/pay/confirm/${id}`, {});
}

async function submissionOf(reference: string) {
  return db()
    .selectFrom('submissions')
    .select(['id', 'status'])
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
}

async function deliveryMessages(submissionId: string) {
  return db()
    .selectFrom('outbox')
    .select('id')
    .where('topic', '=', 'submission.submitted')
    .where('idempotency_key', '=', `submission.submitted:${submissionId}`)
    .execute();
}

async function eventsOf(submissionId: string) {
  return (
    await db()
      .selectFrom('submission_events')
      .select('status')
      .where('submission_id', '=', submissionId)
      .orderBy('id')
      .execute()
  ).map((e) => e.status);
}

/** Runs the fees module's outbox job for every payment-finished message, as the worker would. */
async function runFinishedMessages() {
  const messages = await db()
    .selectFrom('outbox')
    .select(['payload', 'idempotency_key'])
    .where('topic', '=', PAYMENT_FINISHED_TOPIC)
    .execute();
  for (const message of messages)
    await paymentFinishedHandler(message.payload as Record<string, unknown>, {
      db: db(),
      idempotencyKey: message.idempotency_key!,
      attempt: 1,
      logger: app.platform.app.log as never,
    });
  return messages.length;
}

describe('a form that charges a fee', () => {
  it('holds the application, unsent, until the fee is paid, then sends it on as any other', async () => {
    const citizen = await signedIn(CITIZEN);
    const { check, declaration, location } = await sendPermitApplication(citizen, 'first');
    expect(check.html).toContain('£60.00');
    expect(declaration.html).toContain('Accept, send and pay');
    expect(declaration.html).toContain('Next you pay the fee of £60.00 by card.');
    expect(location).toMatch(/^\/pay\//);
    const charge = await db()
      .selectFrom('fee_charges')
      .selectAll()
      .where('kind', '=', 'form')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(charge.amount).toBe(6000);
    const held = await submissionOf(charge.reference);
    expect(held.status).toBe('awaiting-payment');
    expect(await deliveryMessages(held.id)).toHaveLength(0);
    // The applicant sees it held, with a way to pay; the body's caseworkers cannot open it.
    const page = await citizen.get(`/applications/${charge.reference}`);
    expect(page.html).toContain('Awaiting payment');
    expect(page.html).toContain('Pay £60.00');
    const caseworker = await signedIn({
      email: 'caseworker@stroud.example.gov.uk',
      password: 'demo-stroud-caseworker',
    });
    expect((await caseworker.get(`/casework/${charge.reference}`)).status).toBe(404);

    const paid = await pay(citizen, location, GOOD_CARD);
    expect(paid.status).toBe(303);
    const back = await citizen.get(paid.headers.get('location')!);
    expect(back.headers.get('location')).toBe(`/applications/${charge.reference}/confirmation`);
    expect((await submissionOf(charge.reference)).status).toBe('submitted');
    expect(await deliveryMessages(held.id)).toHaveLength(1);
    expect(await eventsOf(held.id)).toEqual(['awaiting-payment', 'submitted']);

    // The outbox's message of the same success comes later and changes nothing.
    expect(await runFinishedMessages()).toBeGreaterThan(0);
    expect(await eventsOf(held.id)).toEqual(['awaiting-payment', 'submitted']);
    expect(await deliveryMessages(held.id)).toHaveLength(1);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', charge.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['fees.charge.paid']);
  });

  it('calculates the fee from an answer: a second permit costs £90', async () => {
    const citizen = await signedIn(CITIZEN);
    const { check } = await sendPermitApplication(citizen, 'second');
    expect(check.html).toContain('£90.00');
    const charge = await db()
      .selectFrom('fee_charges')
      .select('amount')
      .where('kind', '=', 'form')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(charge.amount).toBe(9000);
  });

  it('keeps the application unsent when the card is declined, and sends it once paid on a second try', async () => {
    const citizen = await signedIn(CITIZEN);
    const { location } = await sendPermitApplication(citizen, 'first');
    const declined = await pay(citizen, location, DECLINED_CARD);
    expect(declined.status).toBe(402);
    const returnPath = /href="(\/fees\/return\/[^"]+)"/.exec(declined.html)![1]!;
    const outcome = await citizen.get(returnPath);
    expect(outcome.status).toBe(200);
    expect(outcome.html).toContain('Your payment was not taken');
    expect(outcome.html).toContain('has not been sent yet');
    const charge = await db()
      .selectFrom('fee_charges')
      .selectAll()
      .where('kind', '=', 'form')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(charge.status).toBe('unpaid');
    await runFinishedMessages();
    const held = await submissionOf(charge.reference);
    expect(held.status).toBe('awaiting-payment');
    expect(await deliveryMessages(held.id)).toHaveLength(0);

    const again = await citizen.post(returnPath.replace('/return/', '/pay/'), {});
    expect(again.status).toBe(303);
    const paid = await pay(citizen, again.headers.get('location')!, GOOD_CARD);
    expect(paid.status).toBe(303);
    await runFinishedMessages();
    expect((await submissionOf(charge.reference)).status).toBe('submitted');
    expect(await deliveryMessages(held.id)).toHaveLength(1);
    // Paid: trying to pay again asks for no new payment.
    const attempts = () =>
      db().selectFrom('fee_attempts').select('id').where('charge_id', '=', charge.id).execute();
    const before = (await attempts()).length;
    expect((await citizen.post(returnPath.replace('/return/', '/pay/'), {})).status).toBe(303);
    expect(await attempts()).toHaveLength(before);
  });

  it('takes the fee from someone without an account and then sends the application on', async () => {
    const slug = 'resident-parking-permit-stroud';
    const permits = () => db().updateTable('services').where('slug', '=', slug);
    const { required_level: level } = await db()
      .selectFrom('services')
      .select('required_level')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    await permits().set({ required_level: 0 }).execute();
    try {
      const visitor = new Visitor(app.baseUrl);
      const { location } = await sendPermitApplication(visitor, 'first');
      expect(location).toMatch(/^\/pay\//);
      const charge = await db()
        .selectFrom('fee_charges')
        .selectAll()
        .where('kind', '=', 'form')
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(charge.user_id).toBeNull();
      const held = await submissionOf(charge.reference);
      expect(held.status).toBe('awaiting-payment');
      expect(await deliveryMessages(held.id)).toHaveLength(0);

      const paid = await pay(visitor, location, GOOD_CARD);
      expect(paid.status).toBe(303);
      const back = await visitor.get(paid.headers.get('location')!);
      expect(back.status).toBe(200);
      expect(back.html).toContain('Payment received');
      expect(back.html).toContain(charge.reference);
      expect((await submissionOf(charge.reference)).status).toBe('submitted');
      expect(await deliveryMessages(held.id)).toHaveLength(1);
    } finally {
      await permits().set({ required_level: level }).execute();
    }
  });

  it('shows a 404 page for a return link whose token is not genuine', async () => {
    const charge = await db().selectFrom('fee_charges').select('id').executeTakeFirstOrThrow();
    const response = await new Visitor(app.baseUrl).get(`/fees/return/${charge.id}.forged`);
    expect(response.status).toBe(404);
  });

  it('refuses a form whose fee prices a question that is not there, or leaves an option unpriced', () => {
    const form = (amount: unknown) => ({
      key: 'test-fee',
      title: { en: 'Test', cy: 'Prawf' },
      pages: [
        {
          id: 'size',
          title: { en: 'Size', cy: 'Maint' },
          questions: [
            {
              type: 'radios',
              name: 'size',
              label: { en: 'Size', cy: 'Maint' },
              options: [
                { value: 'small', label: { en: 'Small', cy: 'Bach' } },
                { value: 'large', label: { en: 'Large', cy: 'Mawr' } },
              ],
            },
          ],
        },
      ],
      fee: { description: { en: 'Fee', cy: 'Ffi' }, amount },
      confirmation: { body: { en: 'Done', cy: 'Wedi gorffen' } },
    });
    const ok = FormDefinitionSchema.safeParse(
      form({ type: 'table', question: 'size', pence: { small: 100, large: 200 } }),
    );
    expect(ok.success).toBe(true);
    for (const amount of [
      { type: 'table', question: 'colour', pence: { small: 100 } },
      { type: 'table', question: 'size', pence: { small: 100 } },
      { type: 'perItem', question: 'size', pence: 100 },
      { type: 'fixed', pence: 0 },
      { type: 'fixed', pence: 10_000_001 },
    ])
      expect(FormDefinitionSchema.safeParse(form(amount)).success, JSON.stringify(amount)).toBe(
        false,
      );
  });
});

function dateFields(prefix: string, daysAhead: number): Record<string, string> {
  const date = new Date(Date.now() + daysAhead * 86_400_000);
  return {
    [`${prefix}-day`]: String(date.getUTCDate()),
    [`${prefix}-month`]: String(date.getUTCMonth() + 1),
    [`${prefix}-year`]: String(date.getUTCFullYear()),
  };
}

describe('bills', () => {
  it('a body raises a bill, the person pays it from their account, and staff see it paid', async () => {
    const { visitor: person, email, userId } = await aSignedInCitizen(app);
    const counter = await signedIn(COUNTER);
    await counter.get('/fees/staff/bills/new');
    const raised = await counter.post('/fees/staff/bills', {
      email,
      reference: 'PCN-7001',
      description: 'Penalty charge notice',
      amount: '70',
      ...dateFields('due', 14),
    });
    expect(raised.status).toBe(303);
    const bill = await db()
      .selectFrom('fee_charges')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(bill).toMatchObject({ kind: 'bill', amount: 7000, status: 'unpaid' });

    const bills = await person.get('/account/bills');
    expect(bills.html).toContain('PCN-7001');
    expect(bills.html).toContain('Pay £70.00');
    const started = await person.post(`/account/bills/${bill.id}/pay`, {});
    expect(started.status).toBe(303);
    const paid = await pay(person, started.headers.get('location')!, GOOD_CARD);
    const outcome = await person.get(paid.headers.get('location')!);
    expect(outcome.status).toBe(200);
    expect(outcome.html).toContain('Payment received');
    expect((await person.get('/account/bills')).html).not.toContain('Pay £70.00');

    const list = await counter.get('/fees/staff');
    expect(list.html).toMatch(/PCN-7001[\s\S]*?Paid/);
    expect((await counter.get(`/fees/staff/bills/${bill.id}`)).status).toBe(200);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', bill.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'fees.bill.raised',
      'fees.charge.paid',
      'fees.bill.viewed',
    ]);
  });

  it('refunds a second payment of a bill already paid (two tabs), so nobody pays twice', async () => {
    const { visitor: person, email, userId } = await aSignedInCitizen(app);
    const counter = await signedIn(COUNTER);
    await counter.get('/fees/staff/bills/new');
    await counter.post('/fees/staff/bills', {
      email,
      reference: 'PCN-7002',
      description: 'Penalty charge notice',
      amount: '35.50',
      ...dateFields('due', 14),
    });
    const bill = await db()
      .selectFrom('fee_charges')
      .select(['id', 'amount'])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(bill.amount).toBe(3550);
    await person.get('/account/bills');
    const first = (await person.post(`/account/bills/${bill.id}/pay`, {})).headers.get('location')!;
    const second = (await person.post(`/account/bills/${bill.id}/pay`, {})).headers.get(
      'location',
    )!;
    await person.get((await pay(person, first, GOOD_CARD)).headers.get('location')!);
    await person.get((await pay(person, second, GOOD_CARD)).headers.get('location')!);
    await runFinishedMessages();
    const attempts = await db()
      .selectFrom('fee_attempts')
      .select('payment_id')
      .where('charge_id', '=', bill.id)
      .orderBy('id')
      .execute();
    const [kept, refunded] = await Promise.all(
      attempts.map((a) => paymentSummary(db(), a.payment_id)),
    );
    expect(kept).toMatchObject({ status: 'success', refundable: 3550 });
    expect(refunded).toMatchObject({ status: 'success', refundable: 0 });
    const charge = await db()
      .selectFrom('fee_charges')
      .select(['status', 'paid_by_payment'])
      .where('id', '=', bill.id)
      .executeTakeFirstOrThrow();
    expect(charge).toEqual({ status: 'paid', paid_by_payment: attempts[0]!.payment_id });
  });

  it('is not seen or paid by another person, nor seen by another body’s staff', async () => {
    const bill = await db()
      .selectFrom('fee_charges')
      .select(['id', 'reference'])
      .where('kind', '=', 'bill')
      .executeTakeFirstOrThrow();
    const { visitor: stranger } = await aSignedInCitizen(app);
    expect((await stranger.get('/account/bills')).html).not.toContain(bill.reference);
    await stranger.get('/account/bills');
    expect((await stranger.post(`/account/bills/${bill.id}/pay`, {})).status).toBe(404);
    const cheltenham = await signedIn(CHELTENHAM);
    expect((await cheltenham.get(`/fees/staff/bills/${bill.id}`)).status).toBe(404);
    expect((await cheltenham.get('/fees/staff')).html).not.toContain(bill.reference);
    const owner = await signedIn({
      email: 'owner@stroud.example.gov.uk',
      password: 'demo-stroud-service-owner',
    });
    expect((await owner.get('/fees/staff')).status).toBe(404);
  });

  it('refuses bad input with an error summary and raises nothing', async () => {
    const counter = await signedIn(COUNTER);
    const count = async () =>
      Number(
        (
          await db()
            .selectFrom('fee_charges')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await counter.get('/fees/staff/bills/new');
    const cases: [Record<string, string>, string][] = [
      [{ amount: '0' }, 'Enter an amount in pounds'],
      [{ amount: '-5' }, 'Enter an amount in pounds'],
      [{ amount: '12.345' }, 'Enter an amount in pounds'],
      [{ amount: '100000.01' }, 'Enter an amount in pounds'],
      [{ email: 'nobody@example.com' }, 'There is no account with this e-mail address'],
      [{ ...dateFields('due', -2) }, 'The date must be today or in the future'],
      [{ 'due-month': '13' }, 'Enter a real date'],
      [{ reference: '' }, 'Enter a reference'],
    ];
    for (const [fields, message] of cases) {
      const response = await counter.post('/fees/staff/bills', {
        email: CITIZEN.email,
        reference: 'PCN-BAD',
        description: 'Penalty charge notice',
        amount: '70',
        ...dateFields('due', 7),
        ...fields,
      });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(response.html).toContain('govuk-error-summary');
      expect(response.html).toContain(message);
    }
    await counter.get('/fees/staff/plans/new');
    const plan = await counter.post('/fees/staff/plans', {
      email: CITIZEN.email,
      reference: 'CT-BAD',
      description: 'Council Tax',
      total: '1200',
      instalments: '13',
      ...dateFields('first', 7),
    });
    expect(plan.status).toBe(400);
    expect(plan.html).toContain('from 2 to 12');
    expect(await count()).toBe(before);
  });
});

describe('instalment plans', () => {
  it('shows the person what is due and when, and takes the instalments in order', async () => {
    const { visitor: person, email, userId } = await aSignedInCitizen(app);
    const counter = await signedIn(COUNTER);
    await counter.get('/fees/staff/plans/new');
    const set = await counter.post('/fees/staff/plans', {
      email,
      reference: 'CT-5000',
      description: 'Council Tax 2026 to 2027',
      total: '1000.03',
      instalments: '10',
      ...dateFields('first', 3),
    });
    expect(set.status).toBe(303);
    const instalments = await db()
      .selectFrom('fee_charges')
      .select(['id', 'amount', 'instalment'])
      .where('user_id', '=', userId)
      .orderBy('instalment')
      .execute();
    expect(instalments.map((i) => i.amount)).toEqual([10_003, ...Array(9).fill(10_000)]);

    const page = await person.get('/account/bills');
    expect(page.html).toContain('Council Tax 2026 to 2027');
    expect(page.html).toContain('Pay the next instalment of £100.03');
    // The second instalment cannot be paid before the first.
    expect(
      (await person.post(`/account/bills/${instalments[1]!.id}/pay`, {})).headers.get('location'),
    ).toBe('/account/bills');
    const started = await person.post(`/account/bills/${instalments[0]!.id}/pay`, {});
    const paid = await pay(person, started.headers.get('location')!, GOOD_CARD);
    await person.get(paid.headers.get('location')!);
    expect((await person.get('/account/bills')).html).toContain(
      'Pay the next instalment of £100.00',
    );
  });

  it('the demo citizen has the demo bill and Council Tax plan from Stroud', async () => {
    const citizen = await signedIn(CITIZEN);
    const page = await citizen.get('/account/bills');
    expect(page.html).toContain('SD40123456');
    expect(page.html).toContain('Council Tax 2026 to 2027');
    const welsh = await citizen.get('/account/bills?lang=cy');
    expect(welsh.html).toContain('Biliau i’w talu');
  });
});
