import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { loadConfig } from '../../../platform/config/config.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { confirmPayment, openPaymentPage, submitCard } from '../commands/card.js';
import { paymentOutboxHandlers } from '../commands/expiry.js';
import { EXPIRE_TOPIC, EXPIRY_MS } from '../commands/payments.js';
import { payKeyCreate } from '../commands/cli.js';
import { sandboxGateway } from '../gateway/gateway.js';
import { createPayKey, revokePayKey } from '../keys.js';

let app: TestApp;
const SECRET = 'payments-integration-test-secret-0123456789';
const db = () => app.platform.database.db;
let stroudKey: string;
let cheltenhamKey: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON the test reads
type Json = Record<string, any>;

async function keyFor(slug: string): Promise<string> {
  const id = (await findOrganisationBySlug(db(), slug))!.id;
  const created = await createPayKey(
    db(),
    { organisationId: id, name: `${slug} test` },
    { userId: null, organisationId: id, role: 'test' },
  );
  return created.key;
}

beforeAll(async () => {
  app = await startTestApp({ SESSION_SECRET: SECRET });
  stroudKey = await keyFor('stroud');
  cheltenhamKey = await keyFor('cheltenham');
});
afterAll(async () => {
  await app?.close();
});

async function call(
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Json }> {
  const key = options.key === undefined ? stroudKey : options.key;
  const response = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.startsWith('application/json');
  return { status: response.status, json: json && text ? (JSON.parse(text) as Json) : {} };
}

const permit = (overrides: Json = {}) => ({
  amount: 4500,
  description: 'Resident parking permit',
  reference: 'PP-1001',
  return_url: 'https://permits.example.gov.uk/done',
  ...overrides,
});

async function create(overrides: Json = {}, key?: string): Promise<Json> {
  const { status, json } = await call('POST', '/v1/payments', { body: permit(overrides), key });
  expect(status).toBe(201);
  return json;
}

/** Pays a created payment with a sandbox card, as the hosted pages will. */
async function pay(payment: Json, card = '4444333322221111') {
  const token = new URL(payment._links.next_url.href).pathname.split('/').pop()!;
  const opened = await db()
    .transaction()
    .execute((trx) => openPaymentPage(trx, SECRET, token));
  if (!opened.ok) throw new Error(`could not open: ${opened.reason}`);
  const submitted = await submitCard(db(), sandboxGateway, opened.payment.id, {
    number: card,
    expiry: '12/39',
    cvc: '123',
    cardholderName: 'Sam Smith',
  });
  await db()
    .transaction()
    .execute((trx) => confirmPayment(trx, opened.payment.id));
  return submitted;
}

describe('creating a payment', () => {
  it('answers 201 in GOV.UK Pay’s shape, in created, with a next_url', async () => {
    const payment = await create({ language: 'cy', metadata: { ledger: 'PK', vat: false, n: 2 } });
    expect(payment).toMatchObject({
      amount: 4500,
      description: 'Resident parking permit',
      reference: 'PP-1001',
      language: 'cy',
      metadata: { ledger: 'PK', vat: false, n: 2 },
      state: { status: 'created', finished: false },
      payment_provider: 'sandbox',
      refund_summary: { status: 'pending', amount_available: 0, amount_submitted: 0 },
    });
    expect(payment.payment_id).toMatch(/^[a-z0-9]{26}$/);
    expect(payment._links.self.href).toMatch(new RegExp(`/v1/payments/${payment.payment_id}$`));
    expect(payment._links.next_url.method).toBe('GET');
    expect(payment._links.cancel.method).toBe('POST');
  });

  it.each([
    ['0', 0, 'Must be greater than or equal to 1'],
    ['negative', -100, 'Must be greater than or equal to 1'],
    ['over the limit', 10_000_001, 'Must be less than or equal to 10000000'],
    ['not an integer', 12.5, 'Must be an integer'],
    ['a string', '4500', 'Must be an integer'],
  ])('refuses an amount of %s with 422 P0102 and creates nothing', async (_name, amount, why) => {
    const before = await db()
      .selectFrom('payments')
      .select(db().fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const { status, json } = await call('POST', '/v1/payments', { body: permit({ amount }) });
    expect(status).toBe(422);
    expect(json).toEqual({
      field: 'amount',
      code: 'P0102',
      description: `Invalid attribute value: amount. ${why}`,
    });
    const after = await db()
      .selectFrom('payments')
      .select(db().fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('accepts the most Pay allows, £100,000', async () => {
    expect((await create({ amount: 10_000_000 })).amount).toBe(10_000_000);
  });

  it('refuses a missing attribute with 400 P0101', async () => {
    const { amount: _amount, ...noAmount } = permit();
    const { status, json } = await call('POST', '/v1/payments', { body: noAmount });
    expect(status).toBe(400);
    expect(json).toEqual({
      field: 'amount',
      code: 'P0101',
      description: 'Missing mandatory attribute: amount',
    });
  });

  it('refuses an unknown field', async () => {
    const { status, json } = await call('POST', '/v1/payments', {
      body: permit({ colour: 'red' }),
    });
    expect(status).toBe(422);
    expect(json).toMatchObject({ field: 'colour', code: 'P0102' });
  });

  it('refuses a return_url that is not https', async () => {
    const { status, json } = await call('POST', '/v1/payments', {
      body: permit({ return_url: 'http://permits.example.gov.uk/done' }),
    });
    expect(status).toBe(422);
    expect(json).toMatchObject({ field: 'return_url', code: 'P0102' });
  });

  it('keeps to Pay’s metadata limits', async () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    for (const metadata of [
      eleven,
      { ['k'.repeat(31)]: 1 },
      { note: 'x'.repeat(101) },
      { nested: { a: 1 } },
    ]) {
      const { status, json } = await call('POST', '/v1/payments', { body: permit({ metadata }) });
      expect(status).toBe(422);
      expect(json).toMatchObject({ field: 'metadata', code: 'P0102' });
    }
  });

  it('refuses bad JSON with P0197', async () => {
    const response = await fetch(`${app.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stroudKey}`, 'content-type': 'application/json' },
      body: '{"amount":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'P0197' });
  });
});

describe('Idempotency-Key', () => {
  it('gives the same payment for the same key and body, and 409 for another body', async () => {
    const headers = { 'idempotency-key': 'permit-7-attempt' };
    const first = await call('POST', '/v1/payments', {
      body: permit({ reference: 'PP-7' }),
      headers,
    });
    const again = await call('POST', '/v1/payments', {
      body: {
        return_url: permit().return_url,
        reference: 'PP-7',
        description: permit().description,
        amount: 4500,
      },
      headers,
    });
    expect(again.json.payment_id).toBe(first.json.payment_id);
    expect(again.json._links.next_url.href).toBe(first.json._links.next_url.href);
    const different = await call('POST', '/v1/payments', {
      body: permit({ reference: 'PP-8' }),
      headers,
    });
    expect(different.status).toBe(409);
    expect(different.json.code).toBe('P0191');
    const rows = await db()
      .selectFrom('payments')
      .select('id')
      .where('idempotency_key', '=', 'permit-7-attempt')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('makes one payment when the same request comes twice at once', async () => {
    const headers = { 'idempotency-key': 'simultaneous' };
    const [a, b] = await Promise.all([
      call('POST', '/v1/payments', { body: permit({ reference: 'PP-S' }), headers }),
      call('POST', '/v1/payments', { body: permit({ reference: 'PP-S' }), headers }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json.payment_id).toBe(b.json.payment_id);
  });

  it('keeps one body’s keys apart from another’s', async () => {
    const headers = { 'idempotency-key': 'shared-key-text' };
    const stroud = await call('POST', '/v1/payments', { body: permit(), headers });
    const cheltenham = await call('POST', '/v1/payments', {
      body: permit(),
      headers,
      key: cheltenhamKey,
    });
    expect(cheltenham.status).toBe(201);
    expect(cheltenham.json.payment_id).not.toBe(stroud.json.payment_id);
  });
});

describe('keys', () => {
  it('refuses a request without a key, with a wrong key and with a revoked key', async () => {
    const refused = await fetch(`${app.baseUrl}/v1/payments`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect(await refused.text()).toBe('Credentials are required to access this resource.');
    expect(
      (await call('GET', '/v1/payments', { key: `${stroudKey.slice(0, -4)}AAAA` })).status,
    ).toBe(401);
    const key = await keyFor('stroud');
    expect((await call('GET', '/v1/payments', { key })).status).toBe(200);
    const keyId = key.split('.')[1]!.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
    const organisationId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
    await revokePayKey(
      db(),
      { organisationId, keyId },
      { userId: null, organisationId, role: 'test' },
    );
    expect((await call('GET', '/v1/payments', { key })).status).toBe(401);
  });

  it('lets a key see its own body’s payment and gives another body’s key 404 everywhere', async () => {
    const payment = await create({ reference: 'PP-OWN' });
    const id = payment.payment_id as string;
    expect((await call('GET', `/v1/payments/${id}`)).status).toBe(200);
    for (const [method, path, code] of [
      ['GET', `/v1/payments/${id}`, 'P0200'],
      ['GET', `/v1/payments/${id}/events`, 'P0300'],
      ['POST', `/v1/payments/${id}/cancel`, 'P0500'],
      ['GET', `/v1/payments/${id}/refunds`, 'P0800'],
    ] as const) {
      const { status, json } = await call(method, path, { key: cheltenhamKey });
      expect(status).toBe(404);
      expect(json.code).toBe(code);
    }
    const refund = await call('POST', `/v1/payments/${id}/refunds`, {
      key: cheltenhamKey,
      body: { amount: 1 },
    });
    expect(refund.json.code).toBe('P0600');
    const search = await call('GET', '/v1/payments?reference=PP-OWN', { key: cheltenhamKey });
    expect(search.json.total).toBe(0);
    expect((await call('GET', `/v1/payments/${id}`)).json.state.status).toBe('created');
  });

  it('pay:key:create makes a key for a body named by its GSS code, printed once', async () => {
    const result = await payKeyCreate(db(), ['--org', 'E07000078', '--name', 'Parking']);
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(/^jupay\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
    const secret = result.out[0]!.split('.')[2]!;
    const stored = await db()
      .selectFrom('pay_api_keys')
      .selectAll()
      .where('name', '=', 'Parking')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect((await call('GET', '/v1/payments', { key: result.out[0]! })).status).toBe(200);
    expect((await payKeyCreate(db(), ['--org', 'nowhere'])).code).toBe(1);
    expect((await payKeyCreate(db(), [])).code).toBe(64);
  });
});

describe('search', () => {
  it('pages through the body’s payments with Pay’s _links, total, count and page', async () => {
    for (let i = 0; i < 5; i++) await create({ reference: 'PAGED', amount: 100 + i });
    const first = await call('GET', '/v1/payments?reference=PAGED&display_size=2');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ total: 5, count: 2, page: 1 });
    expect(first.json.results.map((r: Json) => r.amount)).toEqual([104, 103]);
    expect(first.json._links.prev_page).toBeNull();
    expect(first.json._links.next_page.href).toContain('page=2');
    expect(first.json._links.last_page.href).toContain('page=3');
    const last = await call(
      'GET',
      new URL(first.json._links.last_page.href).pathname +
        new URL(first.json._links.last_page.href).search,
    );
    expect(last.json).toMatchObject({ total: 5, count: 1, page: 3 });
    expect(last.json._links.next_page).toBeNull();
    expect(
      (await call('GET', '/v1/payments?reference=PAGED&display_size=2&page=4')).json.code,
    ).toBe('P0402');
  });

  it('refuses bad search parameters with 422 P0401', async () => {
    const { status, json } = await call('GET', '/v1/payments?state=paid&display_size=501');
    expect(status).toBe(422);
    expect(json.code).toBe('P0401');
    expect(json.description).toContain('state, display_size');
  });
});

describe('cancel, events and expiry', () => {
  it('cancels an unfinished payment (204, P0040) and then refuses to cancel it again', async () => {
    const payment = await create();
    const cancel = await call('POST', `/v1/payments/${payment.payment_id}/cancel`);
    expect(cancel.status).toBe(204);
    const after = await call('GET', `/v1/payments/${payment.payment_id}`);
    expect(after.json.state).toEqual({
      status: 'cancelled',
      finished: true,
      code: 'P0040',
      message: 'Payment was cancelled by your service',
    });
    expect(after.json._links.cancel).toBeUndefined();
    const again = await call('POST', `/v1/payments/${payment.payment_id}/cancel`);
    expect(again.status).toBe(400);
    expect(again.json.code).toBe('P0501');
  });

  it('lists a payment’s events in order', async () => {
    const payment = await create();
    await pay(payment);
    const { json } = await call('GET', `/v1/payments/${payment.payment_id}/events`);
    expect(json.events.map((e: Json) => e.state.status)).toEqual([
      'created',
      'started',
      'submitted',
      'success',
    ]);
    expect(json.events[0]._links.payment_url.href).toContain(payment.payment_id);
  });

  it('schedules expiry 90 minutes on, and the job fails an unfinished payment with P0020', async () => {
    const payment = await create();
    const row = await db()
      .selectFrom('payments')
      .selectAll()
      .where('external_id', '=', payment.payment_id)
      .executeTakeFirstOrThrow();
    const job = await db()
      .selectFrom('outbox')
      .selectAll()
      .where('idempotency_key', '=', `${EXPIRE_TOPIC}:${row.id}`)
      .executeTakeFirstOrThrow();
    expect(new Date(job.available_at).getTime() - row.created_at.getTime()).toBe(EXPIRY_MS);
    const expire = paymentOutboxHandlers(loadConfig({ SESSION_SECRET: SECRET }))[EXPIRE_TOPIC]!;
    const context = {
      db: db(),
      idempotencyKey: job.idempotency_key,
      attempt: 1,
      logger: app.platform.logger,
    };
    await expire({ paymentId: row.id }, context);
    const after = await call('GET', `/v1/payments/${payment.payment_id}`);
    expect(after.json.state).toMatchObject({
      status: 'failed',
      code: 'P0020',
      message: 'Payment expired',
    });
    await expire({ paymentId: row.id }, context); // again: nothing changes
    const paid = await create();
    await pay(paid);
    const paidRow = await db()
      .selectFrom('payments')
      .select('id')
      .where('external_id', '=', paid.payment_id)
      .executeTakeFirstOrThrow();
    await expire({ paymentId: paidRow.id }, context);
    expect((await call('GET', `/v1/payments/${paid.payment_id}`)).json.state.status).toBe(
      'success',
    );
  });
});

describe('paying with sandbox cards', () => {
  it.each([
    ['4444333322221111', 'success', undefined],
    ['4000000000000002', 'failed', 'P0010'],
    ['4000000000000069', 'failed', 'P0010'],
    ['4000000000000127', 'failed', 'P0010'],
    ['4000000000000119', 'error', 'P0050'],
  ])('card %s ends %s', async (card, status, code) => {
    const payment = await create();
    await pay(payment, card);
    const { json } = await call('GET', `/v1/payments/${payment.payment_id}`);
    expect(json.state.status).toBe(status);
    expect(json.state.code).toBe(code);
    expect(json.card_details).toMatchObject({
      last_digits_card_number: card.slice(-4),
      card_brand: 'Visa',
    });
  });

  it('lets next_url be used once only', async () => {
    const payment = await create();
    const token = new URL(payment._links.next_url.href).pathname.split('/').pop()!;
    const secret = SECRET;
    const first = await db()
      .transaction()
      .execute((trx) => openPaymentPage(trx, secret, token));
    expect(first.ok).toBe(true);
    const second = await db()
      .transaction()
      .execute((trx) => openPaymentPage(trx, secret, token));
    expect(second).toEqual({ ok: false, reason: 'used' });
    const forged = await db()
      .transaction()
      .execute((trx) => openPaymentPage(trx, secret, `${token.split('.')[0]}.x`));
    expect(forged).toEqual({ ok: false, reason: 'unknown' });
    expect(
      (await call('GET', `/v1/payments/${payment.payment_id}`)).json._links.next_url,
    ).toBeUndefined();
  });

  it('refuses a card that fails the Luhn check or has expired, changing nothing', async () => {
    const payment = await create();
    const token = new URL(payment._links.next_url.href).pathname.split('/').pop()!;
    const opened = await db()
      .transaction()
      .execute((trx) => openPaymentPage(trx, SECRET, token));
    if (!opened.ok) throw new Error('not opened');
    const outcome = await submitCard(db(), sandboxGateway, opened.payment.id, {
      number: '4444333322221112',
      expiry: '01/20',
      cvc: '12',
      cardholderName: ' ',
    });
    expect(outcome).toMatchObject({ ok: false });
    expect('problems' in outcome && outcome.problems.map((p) => p.field)).toEqual([
      'cardNo',
      'expiry',
      'cvc',
      'cardholderName',
    ]);
    expect((await call('GET', `/v1/payments/${payment.payment_id}`)).json.state.status).toBe(
      'started',
    );
  });

  it('never stores the card number, only its last four digits and brand', async () => {
    const card = '4000056655665556';
    const payment = await create({ reference: 'PP-CARD' });
    await pay(payment, card);
    const tables = [
      'payments',
      'payment_events',
      'payment_refunds',
      'outbox',
      'audit_log',
    ] as const;
    for (const table of tables) {
      const rows = await db().selectFrom(table).selectAll().execute();
      const text = JSON.stringify(rows);
      expect(text).not.toContain(card);
      expect(text).not.toContain(card.slice(0, 12));
    }
    const { json } = await call('GET', `/v1/payments/${payment.payment_id}`);
    expect(JSON.stringify(json)).not.toContain(card.slice(0, 12));
    expect(json.card_details.last_digits_card_number).toBe('5556');
  });
});

describe('refunds', () => {
  async function paid(amount = 5000): Promise<Json> {
    const payment = await create({ amount });
    await pay(payment);
    return payment;
  }

  it('refunds part of a payment (202), then lists and reads it', async () => {
    const payment = await paid();
    const id = payment.payment_id as string;
    const refund = await call('POST', `/v1/payments/${id}/refunds`, {
      body: { amount: 2000, refund_amount_available: 5000 },
    });
    expect(refund.status).toBe(202);
    expect(refund.json).toMatchObject({ amount: 2000, status: 'success' });
    const list = await call('GET', `/v1/payments/${id}/refunds`);
    expect(list.json._embedded.refunds).toHaveLength(1);
    const one = await call('GET', `/v1/payments/${id}/refunds/${refund.json.refund_id}`);
    expect(one.json.refund_id).toBe(refund.json.refund_id);
    expect((await call('GET', `/v1/payments/${id}/refunds/nope`)).json.code).toBe('P0700');
    const after = await call('GET', `/v1/payments/${id}`);
    expect(after.json.refund_summary).toEqual({
      status: 'available',
      amount_available: 3000,
      amount_submitted: 2000,
    });
  });

  it('refuses to refund more than is available', async () => {
    const payment = await paid(1000);
    const { status, json } = await call('POST', `/v1/payments/${payment.payment_id}/refunds`, {
      body: { amount: 1001 },
    });
    expect(status).toBe(422);
    expect(json).toMatchObject({ field: 'amount', code: 'P0602' });
  });

  it('refuses with 412 P0604 when refund_amount_available is not what is left', async () => {
    const payment = await paid(1000);
    const { status, json } = await call('POST', `/v1/payments/${payment.payment_id}/refunds`, {
      body: { amount: 100, refund_amount_available: 999 },
    });
    expect(status).toBe(412);
    expect(json.code).toBe('P0604');
  });

  it('refuses to refund a payment that did not succeed (412 P0603)', async () => {
    const payment = await create();
    const { status, json } = await call('POST', `/v1/payments/${payment.payment_id}/refunds`, {
      body: { amount: 1 },
    });
    expect(status).toBe(412);
    expect(json.code).toBe('P0603');
  });

  it('refuses bad refund amounts', async () => {
    const payment = await paid();
    for (const amount of [0, -1, 1.5, '1']) {
      const { status, json } = await call('POST', `/v1/payments/${payment.payment_id}/refunds`, {
        body: { amount },
      });
      expect(status).toBe(422);
      expect(json.code).toBe('P0602');
    }
    expect(
      (await call('POST', `/v1/payments/${payment.payment_id}/refunds`, { body: {} })).json.code,
    ).toBe('P0601');
  });

  it('lets two refunds at once together come to no more than was paid', async () => {
    const payment = await paid(1000);
    const attempts = await Promise.all(
      Array.from({ length: 4 }, () =>
        call('POST', `/v1/payments/${payment.payment_id}/refunds`, { body: { amount: 600 } }),
      ),
    );
    expect(attempts.filter((a) => a.status === 202)).toHaveLength(1);
    const after = await call('GET', `/v1/payments/${payment.payment_id}`);
    expect(after.json.refund_summary).toMatchObject({
      amount_available: 400,
      amount_submitted: 600,
    });
  });

  it('refunds all of a payment in two parts, and then nothing more', async () => {
    const payment = await paid(1000);
    const id = payment.payment_id as string;
    await Promise.all([
      call('POST', `/v1/payments/${id}/refunds`, { body: { amount: 500 } }),
      call('POST', `/v1/payments/${id}/refunds`, { body: { amount: 500 } }),
    ]);
    const after = await call('GET', `/v1/payments/${id}`);
    expect(after.json.refund_summary).toEqual({
      status: 'full',
      amount_available: 0,
      amount_submitted: 1000,
    });
    const more = await call('POST', `/v1/payments/${id}/refunds`, { body: { amount: 1 } });
    expect(more.status).toBe(412);
    expect(more.json.code).toBe('P0603');
  });
});

describe('the API document', () => {
  it('describes the payments endpoints and their key', async () => {
    const document = (await (await fetch(`${app.baseUrl}/api/openapi.json`)).json()) as Json;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/payments',
        '/v1/payments/{paymentId}',
        '/v1/payments/{paymentId}/refunds',
      ]),
    );
    expect(
      document.paths['/v1/payments'].post.requestBody.content['application/json'].schema.required,
    ).toContain('amount');
    expect(document.components.securitySchemes.payApiKey.scheme).toBe('bearer');
  });
});
