import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';
import { createPayKey } from '../../keys.js';

let app: TestApp;
let key: string;
const db = () => app.platform.database.db;
const RETURN_URL = 'https://permits.example.gov.uk/done';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON the test reads
type Json = Record<string, any>;

beforeAll(async () => {
  app = await startTestApp();
  const id = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  key = (
    await createPayKey(
      db(),
      { organisationId: id, name: 'pages' },
      { userId: null, organisationId: id, role: 'test' },
    )
  ).key;
});
afterAll(async () => {
  await app?.close();
});

async function api(method: string, path: string, body?: unknown): Promise<Json> {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await response.json()) as Json;
}

async function newPayment(language = 'en'): Promise<Json> {
  return api('POST', '/v1/payments', {
    amount: 4550,
    description: 'Resident parking permit',
    reference: 'PP-PAGES',
    return_url: RETURN_URL,
    language,
  });
}

/** The path of next_url (the app's BASE_URL is not the test server's). */
const nextPath = (payment: Json) => new URL(payment._links.next_url.href).pathname;

async function openCardPage(visitor: Visitor, payment: Json) {
  const opened = await visitor.get(nextPath(payment));
  expect(opened.status).toBe(303);
  const cardPage = await visitor.get(opened.headers.get('location')!);
  expect(cardPage.status).toBe(200);
  return cardPage;
}

const goodCard = {
  cardNo: '4444 3333 2222 1111',
  expiryMonth: '12',
  expiryYear: '39',
  cardholderName: 'Sam Smith',
  cvc: '123',
};

describe('the hosted payment pages', () => {
  it('take a sandbox card through card details and confirm, then back to return_url', async () => {
    const payment = await newPayment();
    const visitor = new Visitor(app.baseUrl);
    const card = await openCardPage(visitor, payment);
    expect(card.html).toContain('Enter card details');
    expect(card.html).toContain('£45.50');
    const submitted = await visitor.post(`/pay/card/${payment.payment_id}`, goodCard);
    expect(submitted.status).toBe(303);
    const confirm = await visitor.get(submitted.headers.get('location')!);
    expect(confirm.html).toContain('Confirm your payment');
    expect(confirm.html).toContain('Visa ending in 1111');
    expect(confirm.html).not.toContain('4444');
    const done = await visitor.post(`/pay/confirm/${payment.payment_id}`, {});
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(RETURN_URL);
    expect((await api('GET', `/v1/payments/${payment.payment_id}`)).state.status).toBe('success');
  });

  it('shows an error summary for bad card details, keeps nothing typed of the card, and changes nothing', async () => {
    const payment = await newPayment();
    const visitor = new Visitor(app.baseUrl);
    await openCardPage(visitor, payment);
    const bad = await visitor.post(`/pay/card/${payment.payment_id}`, {
      ...goodCard,
      cardNo: '4444333322221112',
      expiryMonth: '01',
      expiryYear: '20',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('href="#cardNo"');
    expect(bad.html).toContain('href="#expiryMonth"');
    expect(bad.html).not.toContain('4444333322221112');
    expect((await api('GET', `/v1/payments/${payment.payment_id}`)).state.status).toBe('started');
  });

  it('tells the person a declined card took no money, and the payment fails with P0010', async () => {
    const payment = await newPayment();
    const visitor = new Visitor(app.baseUrl);
    await openCardPage(visitor, payment);
    const declined = await visitor.post(`/pay/card/${payment.payment_id}`, {
      ...goodCard,
      cardNo: '4000000000000002',
    });
    expect(declined.status).toBe(402);
    expect(declined.html).toContain('Your payment has been declined');
    expect((await api('GET', `/v1/payments/${payment.payment_id}`)).state).toMatchObject({
      status: 'failed',
      code: 'P0010',
    });
  });

  it('works in Welsh when the payment’s language is cy', async () => {
    const payment = await newPayment('cy');
    const visitor = new Visitor(app.baseUrl);
    const card = await openCardPage(visitor, payment);
    expect(card.html).toContain('lang="cy"');
    expect(card.html).toContain('Rhowch fanylion y cerdyn');
  });

  it('lets next_url be followed once only', async () => {
    const payment = await newPayment();
    const visitor = new Visitor(app.baseUrl);
    await openCardPage(visitor, payment);
    const again = await new Visitor(app.baseUrl).get(nextPath(payment));
    expect(again.status).toBe(404);
    expect(again.html).toContain('This payment link has been used or has expired');
  });

  it('shows another browser nothing of a payment it did not open', async () => {
    const payment = await newPayment();
    await openCardPage(new Visitor(app.baseUrl), payment);
    const stranger = await new Visitor(app.baseUrl).get(`/pay/card/${payment.payment_id}`);
    expect(stranger.status).toBe(404);
    expect(stranger.html).not.toContain('Resident parking permit');
  });

  it('lets the person cancel: P0030, back to the service', async () => {
    const payment = await newPayment();
    const visitor = new Visitor(app.baseUrl);
    await openCardPage(visitor, payment);
    const cancelled = await visitor.post(`/pay/cancel/${payment.payment_id}`, {});
    expect(cancelled.headers.get('location')).toBe(RETURN_URL);
    expect((await api('GET', `/v1/payments/${payment.payment_id}`)).state).toMatchObject({
      status: 'failed',
      code: 'P0030',
    });
  });

  it('refuses a paid payment’s card page a second payment', async () => {
    const payment = await newPayment();
    const visitor = new Visitor(app.baseUrl);
    await openCardPage(visitor, payment);
    await visitor.post(`/pay/card/${payment.payment_id}`, goodCard);
    await visitor.get(`/pay/confirm/${payment.payment_id}`);
    await visitor.post(`/pay/confirm/${payment.payment_id}`, {});
    const again = await visitor.get(`/pay/card/${payment.payment_id}`);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(RETURN_URL);
  });
});

describe('card payments over the phone (MOTO)', () => {
  const motoBody = {
    amount: 6000,
    description: 'Resident parking permit',
    reference: 'PP-MOTO',
    return_url: RETURN_URL,
    moto: true,
  };

  async function post(body: unknown) {
    const response = await fetch(`${app.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Json };
  }

  async function staffVisitor(email: string, password: string) {
    const visitor = new Visitor(app.baseUrl);
    await visitor.signIn(email, password);
    return visitor;
  }

  /** A request with `owner`'s payment-page cookie but `other`'s sign-in: someone else at that browser. */
  async function asOtherAtSameBrowser(owner: Visitor, other: Visitor, path: string) {
    const payCookie = owner
      .cookieHeader()
      .split('; ')
      .find((c) => c.startsWith('jupay_session='))!;
    const response = await fetch(`${app.baseUrl}${path}`, {
      redirect: 'manual',
      headers: { cookie: `${other.cookieHeader()}; ${payCookie}` },
    });
    return { status: response.status, html: await response.text() };
  }

  it('refuses moto: true with Pay’s 422 P0196 until the body allows MOTO, making nothing', async () => {
    const refused = await post({ ...motoBody, reference: 'PP-MOTO-REFUSED' });
    expect(refused.status).toBe(422);
    expect(refused.json).toEqual({
      code: 'P0196',
      description: expect.stringMatching(/^MOTO payments are not enabled for this account/),
    });
    const bad = await post({ ...motoBody, moto: 'yes' });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ code: 'P0102', field: 'moto' });
    const made = await db()
      .selectFrom('payments')
      .select('id')
      .where('reference', '=', 'PP-MOTO-REFUSED')
      .execute();
    expect(made).toHaveLength(0);
    // Without moto the payment is the paying person's own, as before.
    expect((await newPayment()).moto).toBe(false);
  });

  it('lets an admin allow MOTO in the body’s payment settings, audited, and refuses a bad answer', async () => {
    const admin = await staffVisitor('admin@cabinet-office.example.gov.uk', 'demo-platform-admin');
    const page = await admin.get('/admin/payments/stroud');
    expect(page.html).toContain('Card payments over the phone (MOTO)');
    const bad = await admin.post('/admin/payments/stroud/settings', { motoAllowed: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#motoAllowed"');
    const saved = await admin.post('/admin/payments/stroud/settings', { motoAllowed: 'yes' });
    expect(saved.status).toBe(303);
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'payments.settings.moto-allowed')
      .execute();
    expect(audit).toHaveLength(1);
    expect((await admin.get('/admin/payments/stroud?done=settings')).html).toContain(
      'Your payment settings have been saved.',
    );
  });

  it('takes a MOTO payment on a page only the signed-in staff member who opened it can use, audited as them', async () => {
    const created = await post(motoBody);
    expect(created.status).toBe(201);
    expect(created.json.moto).toBe(true);
    const payment = created.json;

    // Nobody signed in, and staff of another body, are refused; the link is not spent by them.
    expect((await new Visitor(app.baseUrl).get(nextPath(payment))).status).toBe(404);
    const cheltenham = await staffVisitor(
      'caseworker@cheltenham.example.gov.uk',
      'demo-cheltenham-caseworker',
    );
    expect((await cheltenham.get(nextPath(payment))).status).toBe(404);

    const adviser = await staffVisitor(
      'caseworker@stroud.example.gov.uk',
      'demo-stroud-caseworker',
    );
    const card = await openCardPage(adviser, payment);
    expect(card.html).toContain('You are taking this card over the phone');
    expect(card.html).toContain('autocomplete="off"');
    expect(card.html).not.toContain('cc-number');

    // Someone else signed in at that browser gets nothing.
    const teamLeader = await staffVisitor(
      'team-leader@stroud.example.gov.uk',
      'demo-stroud-team-leader',
    );
    const other = await asOtherAtSameBrowser(
      adviser,
      teamLeader,
      `/pay/card/${payment.payment_id}`,
    );
    expect(other.status).toBe(404);
    expect(other.html).not.toContain('Resident parking permit');

    const submitted = await adviser.post(`/pay/card/${payment.payment_id}`, goodCard);
    expect(submitted.headers.get('location')).toBe(`/pay/confirm/${payment.payment_id}`);
    await adviser.get(`/pay/confirm/${payment.payment_id}`);
    expect((await adviser.post(`/pay/confirm/${payment.payment_id}`, {})).status).toBe(303);
    const paid = await api('GET', `/v1/payments/${payment.payment_id}`);
    expect(paid).toMatchObject({ moto: true, state: { status: 'success' } });
    expect(paid.card_details.last_digits_card_number).toBe('1111');

    const row = await db()
      .selectFrom('payments')
      .selectAll()
      .where('external_id', '=', payment.payment_id)
      .executeTakeFirstOrThrow();
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('resource_id', '=', row.id)
      .where('action', 'like', 'payments.moto.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'payments.moto.opened',
      'payments.moto.card-submitted',
      'payments.moto.confirmed',
    ]);
    expect(new Set(audit.map((a) => a.actor_user_id))).toEqual(new Set([row.moto_user_id]));
    expect(JSON.stringify(audit)).not.toContain('4444');
  });
});
