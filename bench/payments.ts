/**
 * The payments benchmark (issue 8): `npm run bench:payments` runs this, then bench/bookings.ts
 * (bookings a second on one popular resource). Like the others it measures, prints and exits 0
 * unless a scene does not do what it says; it never asserts timings.
 *
 * In ONE process, over the demo data (in-memory PGlite, or the database named by DATABASE_URL),
 * with a Pay API key of Stroud's, it drives with autocannon:
 *   baseline      bare Fastify, same database: one INSERT of a row shaped like a payment
 *                 (amount, description, reference, return URL, status) answered as JSON;
 *   create        POST /v1/payments as a service written against GOV.UK Pay sends it: the key
 *                 checked, the body validated, the rate limit counted, the payment, its first
 *                 event and its 90-minute expiry job written in one transaction, answered 201;
 *   idempotent    the same with a new Idempotency-Key each request (the digest stored too);
 *   get           GET /v1/payments/{id} over the payments just made.
 * The table prints each scenario's requests a second and its ratio to the baseline.
 *
 * Options (environment): BENCH_SECONDS (5), BENCH_WARMUP (1), BENCH_CONNECTIONS (10), DATABASE_URL.
 *
 * @example DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_payments npx tsx bench/payments.ts
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { findOrganisationBySlug } from '../src/modules/organisations/index.js';
import { createPayKey } from '../src/modules/payments/index.js';
import {
  describeRun,
  enterScratch,
  listen,
  measure,
  printTable,
  type Row,
  settle,
  startPlatform,
} from './lib.js';

const PAYMENT = {
  amount: 2500,
  description: 'Resident parking permit',
  reference: 'BENCH-PERMIT',
  return_url: 'https://service.example.gov.uk/permits/return',
  language: 'en',
};

function createRequest(key: string, idempotent: boolean): autocannon.Request {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  return {
    method: 'POST',
    path: '/v1/payments',
    headers,
    body: JSON.stringify(PAYMENT),
    ...(idempotent
      ? {
          setupRequest: (request: autocannon.Request) => ({
            ...request,
            headers: { ...headers, 'idempotency-key': randomUUID() },
          }),
        }
      : {}),
  };
}

async function main(): Promise<void> {
  const leave = enterScratch('joinedup-bench-payments-', { tmpdir: true });
  const kind = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
  // The API's own rate limit (Pay's P0900) would otherwise be what is measured.
  const { platform, base } = await startPlatform({ PAY_API_REQUESTS_PER_MINUTE: '600000' });
  const bare = Fastify({ logger: false });
  try {
    const db = platform.database.db;
    const stroud = (await findOrganisationBySlug(db, 'stroud'))!;
    const { key } = await createPayKey(
      db,
      { organisationId: stroud.id, name: 'Benchmark' },
      { userId: null, organisationId: stroud.id, role: null },
    );

    // A real table, not a temporary one: every pooled connection must see it.
    await sql`create table if not exists bench_payments (
      id uuid primary key default gen_random_uuid(), amount integer not null,
      description text not null, reference text not null, return_url text not null,
      status text not null, created_at timestamptz not null default now())`.execute(db);
    bare.post('/payments', async () =>
      sql<{
        id: string;
      }>`insert into bench_payments (amount, description, reference, return_url, status)
        values (${PAYMENT.amount}, ${PAYMENT.description}, ${PAYMENT.reference}, ${PAYMENT.return_url}, 'created')
        returning id`
        .execute(db)
        .then((result) => result.rows[0]),
    );
    const bareBase = await listen(bare);

    const created = (status: number) => status === 201;
    const rows: Row[] = [];
    rows.push(
      await measure(
        bareBase,
        'baseline',
        'bare Fastify: one INSERT of a payment-shaped row, as JSON',
        {
          method: 'POST',
          path: '/payments',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        },
        (status) => status === 200,
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'create',
        'POST /v1/payments: key, validation, rate limit, payment + event + expiry job, 201',
        createRequest(key, false),
        created,
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'idempotent',
        'the same with a new Idempotency-Key each request',
        createRequest(key, true),
        created,
      ),
    );
    await settle();
    const ids = await db
      .selectFrom('payments')
      .select('external_id')
      .where('organisation_id', '=', stroud.id)
      .limit(1000)
      .execute();
    let next = 0;
    rows.push(
      await measure(
        base,
        'get',
        `GET /v1/payments/{id} over ${ids.length.toLocaleString('en-GB')} payments`,
        {
          method: 'GET',
          path: `/v1/payments/${ids[0]!.external_id}`,
          headers: { authorization: `Bearer ${key}` },
          setupRequest: (request) => ({
            ...request,
            path: `/v1/payments/${ids[next++ % ids.length]!.external_id}`,
          }),
        },
        (status) => status === 200,
      ),
    );
    printTable(
      rows,
      `Payments created through the Pay-shaped API against a bare baseline: ${describeRun(kind)}`,
      '"ratio to baseline" is req/s divided by the bare INSERT\'s req/s in the same run.\n' +
        'Timings vary by machine and load; nothing here is asserted.',
    );
    if (rows.some((row) => row.expected !== row.requests)) process.exitCode = 1;
  } finally {
    await sql`drop table if exists bench_payments`.execute(platform.database.db).catch(() => {});
    await bare.close();
    await platform.close();
    leave();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
