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
