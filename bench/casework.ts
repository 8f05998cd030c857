/**
 * The casework benchmark (issue 6): `npm run bench:casework` (tsx bench/casework.ts). Like the
 * others it is not part of `npm test` and never asserts timings: it measures, prints and exits 0
 * unless the scene does not do what it says (a page that is not the queue or the case).
 *
 * For each database — in-memory PGlite, then (when DATABASE_URL names a server) a throw-away
 * PostgreSQL database made for the run and dropped at the end — in ONE process it
 *   1. starts the real platform (demo data, outbox worker off) and fills `cases` with
 *      BENCH_CASES cases (default 1,000,000) in one INSERT … SELECT per 100,000: the measured
 *      body (Stroud) holds BENCH_BODY_CASES of them (default 50,000, a large council's year,
 *      a fifth still open, spread over every state, due date and assignee), the rest belong to
 *      the other demo bodies, so the queue's queries must find one body's work among a million;
 *   2. signs a Stroud caseworker in through the real pages;
 *   3. drives with autocannon:
 *        baseline     bare Fastify, same database: one indexed look-up of a case by reference
 *                     (`select … from cases where reference = $1`), answered as JSON;
 *        queue        GET /casework: the open queue sorted by due date, its total and the
 *                     counts per state, 50 rows rendered with service names and SLA risk;
 *        queue filter GET /casework?risk=overdue&assigned=unassigned: a filtered view;
 *        case         GET /casework/{reference} cycling over 1,000 open cases: the case, its
 *                     workflow, history, notes, links, panels, the answers, and the audited
 *                     read (an audit row written per view).
 *
 * Options (environment): BENCH_CASES, BENCH_BODY_CASES, BENCH_SECONDS (5), BENCH_WARMUP (1),
 * BENCH_CONNECTIONS (10), DATABASE_URL, BENCH_ONLY=postgres (skip PGlite).
 *
 * @example DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/casework.ts
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { createPlatform } from '../src/main/platform.js';
import { seedDemo } from '../src/main/seed.js';
import { loadConfig } from '../src/platform/config/config.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/connect.js';
import type { Db } from '../src/platform/db/database.js';
import { freshDatabase } from '../test/helpers/database.js';
import {
  describeRun,
  enterScratch,
  hiddenInput,
  listen,
  measure,
  printTable,
  progress,
  type Row,
  settle,
  Visitor,
} from './lib.js';

const TOTAL = Math.max(1_000, Number(process.env.BENCH_CASES ?? 1_000_000) || 1_000_000);
const BODY = Math.min(
  TOTAL,
  Math.max(100, Number(process.env.BENCH_BODY_CASES ?? 50_000) || 50_000),
);
const CHUNK = 100_000;
const CASE_SAMPLE = 1_000;
const CASEWORKER = {
  email: 'caseworker@stroud.example.gov.uk',
  password: 'demo-stroud-caseworker',
};
/** The default workflow's states the generated cases are spread over; the last three are closed. */
const OPEN_STATES = ['received', 'assigned', 'in-progress', 'awaiting-information'];
const CLOSED_STATES = ['approved', 'refused', 'withdrawn'];

const number = (n: number) => n.toLocaleString('en-GB');

interface Scene {
  organisationIds: string[];
  stroudId: string;
  serviceIds: string[];
  workflowId: string;
  staffIds: string[];
}

async function readScene(db: Db): Promise<Scene> {
  const organisations = await db.selectFrom('organisations').select(['id', 'slug']).execute();
  const stroud = organisations.find((o) => o.slug === 'stroud');
  if (!stroud) throw new Error('The demo data has no Stroud District Council');
  const services = await db
    .selectFrom('services')
    .select('id')
    .where('organisation_id', '=', stroud.id)
    .execute();
  const workflow = await db
    .selectFrom('workflow_versions')
    .select('id')
    .where('organisation_id', 'is', null)
    .where('key', '=', 'default')
    .where('status', '=', 'published')
    .orderBy('version', 'desc')
    .executeTakeFirst();
  if (!workflow) throw new Error('The platform default workflow was not published at start');
  const staff = await db
    .selectFrom('users')
    .select('id')
    .where('organisation_id', '=', stroud.id)
    .where('kind', '=', 'staff')
    .execute();
  return {
    organisationIds: organisations.filter((o) => o.id !== stroud.id).map((o) => o.id),
    stroudId: stroud.id,
    serviceIds: services.map((s) => s.id),
    workflowId: workflow.id,
    staffIds: staff.map((s) => s.id),
  };
}

/**
 * Cases numbered from..to (exclusive): numbers below BODY are Stroud's, a fifth of them open;
 * the rest go round the other bodies. Due dates spread from 20 days ago to 40 days ahead, so
 * every SLA risk has cases; a third of the open ones are unassigned.
 */
async function insertCases(db: Db, scene: Scene, from: number, to: number): Promise<void> {
  const all = [...OPEN_STATES, ...CLOSED_STATES];
  await sql`
    insert into cases (reference, organisation_id, service_id, source, applicant_name, workflow_id,
                       state, state_entered_at, due_at, assigned_to, opened_at, closed_at)
    select 'BENCH-' || lpad(n::text, 8, '0'),
           case when n < ${BODY} then ${scene.stroudId}::uuid
                else (${scene.organisationIds}::uuid[])[1 + n % ${scene.organisationIds.length}] end,
           (${scene.serviceIds}::uuid[])[1 + n % ${scene.serviceIds.length}],
           'submission', 'Applicant ' || n, ${scene.workflowId}::uuid,
           case when n % 5 = 0 then (${OPEN_STATES}::text[])[1 + (n / 5) % 4]
                else (${all}::text[])[5 + n % 3] end,
           now() - make_interval(days => n % 90),
           case when n % 5 = 0 then now() + make_interval(days => (n % 60) - 20) end,
           case when n % 5 = 0 and n % 3 <> 0 then (${scene.staffIds}::uuid[])[1 + n % ${scene.staffIds.length}] end,
           now() - make_interval(days => n % 365, mins => n % 1440),
           case when n % 5 <> 0 then now() - make_interval(days => n % 30) end
    from generate_series(${from}::int, ${to - 1}::int) as n`.execute(db);
}

async function fillCases(db: Db, scene: Scene): Promise<number> {
  const started = Date.now();
  for (let from = 0; from < TOTAL; from += CHUNK) {
    await insertCases(db, scene, from, Math.min(TOTAL, from + CHUNK));
    progress(`${number(Math.min(TOTAL, from + CHUNK))} of ${number(TOTAL)} cases`);
  }
  await sql`analyze cases`.execute(db);
  return (Date.now() - started) / 1000;
}

/** Open Stroud cases to cycle the case page over. */
async function sampleReferences(db: Db, scene: Scene): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .select('reference')
    .where('organisation_id', '=', scene.stroudId)
    .where('closed_at', 'is', null)
    .orderBy('reference')
    .limit(CASE_SAMPLE)
    .execute();
  return rows.map((r) => r.reference);
}

async function signIn(base: string): Promise<string> {
  const visitor = new Visitor(base);
  const page = await visitor.send('GET', '/sign-in');
  const signedIn = await visitor.send('POST', '/sign-in', {
    email: CASEWORKER.email,
    password: CASEWORKER.password,
    _csrf: hiddenInput(page.html, '_csrf'),
  });
  if (signedIn.status !== 303) throw new Error(`Caseworker sign-in answered ${signedIn.status}`);
  return visitor.cookieHeader();
}

/** GETs cycling over `paths`. */
function cycling(paths: string[], cookie: string): autocannon.Request {
  let next = 0;
  return {
    method: 'GET',
    path: paths[0]!,
    headers: { cookie },
    setupRequest(request) {
      return { ...request, path: paths[next++ % paths.length]! };
    },
  };
}

async function benchDatabase(kind: 'PGlite' | 'PostgreSQL'): Promise<Row[]> {
  const database: DatabaseHandle =
    kind === 'PostgreSQL' ? await freshDatabase() : await openDatabase({ dataDir: ':memory:' });
  const config = loadConfig({ DATA_DIR: ':memory:', WORKER: 'off', LOG_LEVEL: 'silent' });
  const platform = await createPlatform(config, { database });
  const bare = Fastify({ logger: false });
  try {
    const db = platform.database.db;
    await seedDemo(db);
    const scene = await readScene(db);
    progress(`${kind}: filling ${number(TOTAL)} cases (${number(BODY)} Stroud's)`);
    const seconds = await fillCases(db, scene);
    progress(`${kind}: filled in ${seconds.toFixed(0)} s`);
    const base = await listen(platform.app);
    const references = await sampleReferences(db, scene);
    const cookie = await signIn(base);

    bare.get('/cases/:reference', async (request) => {
      const { reference } = request.params as { reference: string };
      return db
        .selectFrom('cases')
        .select(['id', 'reference', 'state', 'due_at', 'assigned_to', 'version'])
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
    });
    const bareBase = await listen(bare);

    const json = (status: number, _h: unknown, body: string) =>
      status === 200 && body.includes('"reference"');
    const queuePage = (status: number, _h: unknown, body: string) =>
      status === 200 && body.includes('BENCH-');
    const casePage = (status: number, _h: unknown, body: string) =>
      status === 200 && body.includes('name="version"');

    const rows: Row[] = [];
    rows.push(
      await measure(
        bareBase,
        'baseline',
        'bare Fastify: indexed look-up of one case by reference, as JSON',
        cycling(
          references.map((r) => `/cases/${r}`),
          '',
        ),
        json,
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'queue',
        'GET /casework: open queue by due date, total, counts per state, 50 rows',
        cycling(['/casework'], cookie),
        queuePage,
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'queue filtered',
        'GET /casework?risk=overdue&assigned=unassigned',
        cycling(['/casework?risk=overdue&assigned=unassigned'], cookie),
        queuePage,
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'case',
        'GET /casework/{reference} over 1,000 open cases, audited read',
        cycling(
          references.map((r) => `/casework/${r}`),
          cookie,
        ),
        casePage,
      ),
    );
    await settle();
    return rows;
  } finally {
    await bare.close();
    await platform.close();
    await database.close();
  }
}

async function main(): Promise<void> {
  const leave = enterScratch('joinedup-bench-casework-');
  try {
    // BENCH_ONLY=postgres skips PGlite: a million cases take it many minutes to load.
    const kinds = !process.env.DATABASE_URL
      ? (['PGlite'] as const)
      : process.env.BENCH_ONLY === 'postgres'
        ? (['PostgreSQL'] as const)
        : (['PGlite', 'PostgreSQL'] as const);
    for (const kind of kinds) {
      const rows = await benchDatabase(kind);
      printTable(
        rows,
        `Casework with ${number(TOTAL)} cases in the database, ${number(BODY)} of them the measured body's: ` +
          describeRun(kind),
        '"ratio to baseline" is req/s divided by the bare indexed look-up\'s req/s in the same run.\n' +
          'Timings vary by machine and load; nothing here is asserted.',
      );
      if (rows.some((row) => row.expected !== row.requests)) process.exitCode = 1;
    }
  } finally {
    leave();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
