import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { apiRoute, apiSecurityScheme } from '../../../platform/http/api.js';
import { consumeRateLimit } from '../../../platform/http/rate-limit-store.js';
import type { AppContext } from '../../../platform/http/types.js';
import { cancelPayment, createPayment } from '../commands/payments.js';
import { createRefund } from '../commands/refunds.js';
import {
  cancelNotFound,
  eventsNotFound,
  invalidAttribute,
  missingAttribute,
  PAY_CODES,
  PayError,
  paymentNotFound,
  refundNotFound,
  refundPaymentNotFound,
  refundsNotFound,
} from '../errors.js';
import { authenticatePayKey, type PayCaller } from '../keys.js';
import {
  findPayment,
  paymentEvents,
  paymentRefunds,
  refundedByPayment,
  searchPayments,
  serializePayment,
  serializeRefund,
  type LinkContext,
} from '../queries/payments.js';
import { PAYMENT_STATUSES, stateView, type PaymentStatus } from '../state.js';
import { MAX_AMOUNT, parseNewPayment } from './validate.js';

const TAG = 'Payments';
const SCHEME = 'payApiKey';
const SECURITY = [{ [SCHEME]: [] }];
/** Printable ASCII without spaces, as the Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const PAGE_SIZE = 500;

const PayObject = z.record(z.string(), z.unknown());
const CreateBody = z
  .object({
    amount: z.number().int().min(1).max(MAX_AMOUNT).describe('In pence'),
    description: z.string().max(255),
    reference: z.string().max(255),
    return_url: z.string().describe('https (http://localhost on a development site)'),
    language: z.enum(['en', 'cy']).optional(),
    email: z.string().max(254).optional(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    moto: z
      .boolean()
      .optional()
      .describe(
        'A card payment over the phone: the card page is used by a signed-in member of the body’s staff, with no 3-D Secure. Refused (422 P0196) unless the body’s admins allow MOTO',
      ),
  })
  .strict();
const RefundBody = z
  .object({ amount: z.number().int().min(1), refund_amount_available: z.number().int().optional() })
  .strict();

const callers = new WeakMap<FastifyRequest, PayCaller>();
const callerOf = (request: FastifyRequest) => callers.get(request)!;
const paymentIdOf = (request: FastifyRequest) =>
  (request.params as { paymentId: string }).paymentId;

function payErrorHandler(
  error: FastifyError | PayError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof PayError) {
    request.log.info({ code: error.code, status: error.status }, 'payments api error');
    return reply.code(error.status).send(error.envelope());
  }
  const status = error.statusCode ?? 500;
  if (status === 400 && error.code?.startsWith('FST_ERR_CTP'))
    return reply.code(400).send({ code: 'P0197', description: 'Unable to parse JSON' });
  if (status >= 400 && status < 500)
    return reply.code(status).send({ code: 'P0197', description: error.message });
  request.log.error({ err: error }, 'payments api failed');
  return reply.code(500).send({ code: 'P0198', description: 'Downstream system error' });
}

function parseRefund(body: unknown): { amount: number; refundAmountAvailable: number | null } {
  const { missing, invalid } = PAY_CODES.refund;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new PayError(400, 'P0697', 'Unable to parse JSON');
  const record = body as Record<string, unknown>;
  if (record.amount === undefined || record.amount === null)
    throw missingAttribute(missing, 'amount');
  const unexpected = Object.keys(record).find(
    (k) => k !== 'amount' && k !== 'refund_amount_available',
  );
  if (unexpected) throw invalidAttribute(invalid, unexpected, 'Unexpected attribute');
  const integer = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
  if (!integer(record.amount) || (record.amount as number) < 1)
    throw invalidAttribute(invalid, 'amount', 'Must be an integer greater than or equal to 1');
  const available = record.refund_amount_available;
  if (available !== undefined && !integer(available))
    throw invalidAttribute(invalid, 'refund_amount_available', 'Must be an integer');
  return { amount: record.amount as number, refundAmountAvailable: (available as number) ?? null };
}

interface SearchQuery {
  reference?: string;
  email?: string;
  state?: PaymentStatus;
  fromDate?: Date;
  toDate?: Date;
  page: number;
  displaySize: number;
}

function parseSearch(query: Record<string, string | undefined>): SearchQuery {
  const bad: string[] = [];
  const positive = (name: string, fallback: number, max: number) => {
    const text = query[name];
    if (text === undefined) return fallback;
    const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
    if (!(n >= 1 && n <= max)) bad.push(name);
    return n;
  };
  const date = (name: string) => {
    const text = query[name];
    if (text === undefined) return undefined;
    const d = new Date(text);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(d.getTime())) bad.push(name);
    return d;
  };
  const state = query.state;
  if (state !== undefined && !(PAYMENT_STATUSES as readonly string[]).includes(state))
    bad.push('state');
  const parsed = {
    reference: query.reference,
    email: query.email,
    state: state as PaymentStatus | undefined,
    fromDate: date('from_date'),
    toDate: date('to_date'),
    page: positive('page', 1, 1e9),
    displaySize: positive('display_size', PAGE_SIZE, PAGE_SIZE),
  };
  if (bad.length)
    throw new PayError(
      422,
      'P0401',
      `Invalid parameters: ${bad.join(', ')}. See Public API documentation for the correct data formats`,
    );
  return parsed;
}

function searchLinks(
  baseUrl: string,
  query: Record<string, string | undefined>,
  page: number,
  last: number,
  size: number,
) {
  const href = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && k !== 'page' && k !== 'display_size') params.set(k, v);
    params.set('page', String(p));
    params.set('display_size', String(size));
    return { href: `${baseUrl}/v1/payments?${params.toString()}` };
  };
  return {
    self: href(page),
    first_page: href(1),
    last_page: href(last),
    prev_page: page > 1 ? href(page - 1) : null,
    next_page: page < last ? href(page + 1) : null,
  };
}

/**
 * The payments API at `/v1/payments`, shaped like GOV.UK Pay's so a service written against Pay
 * can switch its base URL and key. In its own plugin scope so its errors keep Pay's envelope.
 */
export function paymentsApiRoutes(
  app: FastifyInstance,
  context: AppContext,
  gatewayName: string,
): void {
  const { db, config } = context;
  const links: LinkContext = { baseUrl: config.baseUrl, secret: config.SESSION_SECRET };
  apiSecurityScheme(app, SCHEME, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'jupay.<key id>.<secret>',
    description:
      'A body’s payments API key, from `npx joinedup pay:key:create`. See docs/guides/payments.md.',
  });
  async function withRefunds(rows: Awaited<ReturnType<typeof searchPayments>>['rows']) {
    const refunded = await refundedByPayment(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((row) => serializePayment(row, refunded.get(row.id) ?? 0, links));
  }

  void app.register(async (v1) => {
    v1.setErrorHandler(payErrorHandler);
    v1.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/v1/payments')) return;
      const caller = await authenticatePayKey(db, request.headers.authorization);
      // Pay answers a missing or wrong key as its framework does: 401 and a line of plain
      // text, no error code (P0940 is Pay's "account not fully configured").
      if (!caller)
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .type('text/plain; charset=utf-8')
          .send('Credentials are required to access this resource.');
      callers.set(request, caller);
      // Counted in the database, so every node shares one count per key.
      const limit = await consumeRateLimit(
        db,
        `pay-api:${caller.keyId}`,
        config.PAY_API_REQUESTS_PER_MINUTE,
        60_000,
      );
      if (!limit.allowed)
        return reply
          .code(429)
          .header('retry-after', String(Math.max(1, Math.ceil(limit.resetInMs / 1000))))
          .send({ code: 'P0900', description: 'Too many requests' });
    });

    apiRoute(v1, {
      method: 'POST',
      url: '/v1/payments',
      summary: 'Create a payment (GOV.UK Pay compatible); Idempotency-Key makes it safe to retry',
      tag: TAG,
      security: SECURITY,
      requestContent: { 'application/json': z.toJSONSchema(CreateBody) as Record<string, unknown> },
      response: PayObject,
      handler: async (_input, request) => {
        const header = request.headers['idempotency-key'];
        const idempotencyKey = typeof header === 'string' ? header : null;
        if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey))
          throw new PayError(
            400,
            'P0102',
            'Invalid Idempotency-Key: 1 to 255 printable characters',
            'Idempotency-Key',
          );
        const payment = parseNewPayment(request.body, config.developmentSite);
        const caller = callerOf(request);
        const { payment: row, replayed } = await db.transaction().execute((trx) =>
          createPayment(trx, {
            organisationId: caller.organisationId,
            apiKeyId: caller.keyId,
            payment,
            idempotencyKey,
            gateway: gatewayName,
          }),
        );
        // A replay answers 201 with the payment as it is now, as the first request did.
        const refunded = replayed ? ((await refundedByPayment(db, [row.id])).get(row.id) ?? 0) : 0;
        return serializePayment(row, refunded, links);
      },
    });

    apiRoute(v1, {
      method: 'GET',
      url: '/v1/payments/:paymentId',
      summary: 'Get a payment',
      tag: TAG,
      security: SECURITY,
      response: PayObject,
      handler: async (_input, request) => {
        const row = await findPayment(db, callerOf(request), paymentIdOf(request));
        if (!row) throw paymentNotFound();
        return (await withRefunds([row]))[0]!;
      },
    });

    apiRoute(v1, {
      method: 'GET',
      url: '/v1/payments',
      summary: 'Search payments, a page at a time (page, display_size up to 500)',
      tag: TAG,
      security: SECURITY,
      response: PayObject,
      handler: async (_input, request) => {
        const query = request.query as Record<string, string | undefined>;
        const filters = parseSearch(query);
        const { total, rows } = await searchPayments(db, callerOf(request), filters);
        const last = Math.max(1, Math.ceil(total / filters.displaySize));
        if (filters.page > last) throw new PayError(404, 'P0402', 'Page not found');
        return {
          total,
          count: rows.length,
          page: filters.page,
          results: await withRefunds(rows),
          _links: searchLinks(config.baseUrl, query, filters.page, last, filters.displaySize),
        };
      },
    });

    apiRoute(v1, {
      method: 'POST',
      url: '/v1/payments/:paymentId/cancel',
      summary: 'Cancel a payment that is not finished',
      tag: TAG,
      security: SECURITY,
      successStatus: 204,
      response: z.null(),
      handler: async (_input, request) => {
        const row = await findPayment(db, callerOf(request), paymentIdOf(request));
        if (!row) throw cancelNotFound();
        await db.transaction().execute((trx) => cancelPayment(trx, row));
        return null;
      },
    });

    apiRoute(v1, {
      method: 'GET',
      url: '/v1/payments/:paymentId/events',
      summary: 'A payment’s state changes, oldest first',
      tag: TAG,
      security: SECURITY,
      response: PayObject,
      handler: async (_input, request) => {
        const row = await findPayment(db, callerOf(request), paymentIdOf(request));
        if (!row) throw eventsNotFound();
        const self = `${config.baseUrl}/v1/payments/${row.external_id}`;
        return {
          payment_id: row.external_id,
          events: (await paymentEvents(db, row.id)).map((event) => ({
            payment_id: row.external_id,
            state: stateView(event.status, event.state_code),
            updated: event.created_at.toISOString(),
            _links: { payment_url: { href: self, method: 'GET' } },
          })),
          _links: { self: { href: `${self}/events`, method: 'GET' } },
        };
      },
    });

    apiRoute(v1, {
      method: 'POST',
      url: '/v1/payments/:paymentId/refunds',
      summary: 'Refund some or all of a successful payment',
      tag: TAG,
      security: SECURITY,
      successStatus: 202,
      requestContent: { 'application/json': z.toJSONSchema(RefundBody) as Record<string, unknown> },
      response: PayObject,
      handler: async (_input, request) => {
        const input = parseRefund(request.body);
        const row = await findPayment(db, callerOf(request), paymentIdOf(request));
        if (!row) throw refundPaymentNotFound();
        const refund = await db.transaction().execute((trx) => createRefund(trx, row, input));
        return serializeRefund(refund, row.external_id, config.baseUrl);
      },
    });

    apiRoute(v1, {
      method: 'GET',
      url: '/v1/payments/:paymentId/refunds',
      summary: 'A payment’s refunds',
      tag: TAG,
      security: SECURITY,
      response: PayObject,
      handler: async (_input, request) => {
        const row = await findPayment(db, callerOf(request), paymentIdOf(request));
        if (!row) throw refundsNotFound();
        const payment = `${config.baseUrl}/v1/payments/${row.external_id}`;
        return {
          payment_id: row.external_id,
          _links: {
            self: { href: `${payment}/refunds`, method: 'GET' },
            payment: { href: payment, method: 'GET' },
          },
          _embedded: {
            refunds: (await paymentRefunds(db, row.id)).map((r) =>
              serializeRefund(r, row.external_id, config.baseUrl),
            ),
          },
        };
      },
    });

    apiRoute(v1, {
      method: 'GET',
      url: '/v1/payments/:paymentId/refunds/:refundId',
      summary: 'One refund',
      tag: TAG,
      security: SECURITY,
      response: PayObject,
      handler: async (_input, request) => {
        const { refundId } = request.params as { refundId: string };
        const row = await findPayment(db, callerOf(request), paymentIdOf(request));
        const refund =
          row && (await paymentRefunds(db, row.id)).find((r) => r.external_id === refundId);
        if (!row || !refund) throw refundNotFound();
        return serializeRefund(refund, row.external_id, config.baseUrl);
      },
    });
  });
}
