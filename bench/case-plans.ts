/**
 * The case plans benchmark (issue 17): `npm run bench:case-plans` (tsx bench/case-plans.ts). Like
 * the others it is not part of `npm test` and never asserts timings: it measures, prints and
 * exits 0 unless a scene does not do what it says (a page that is not the chronology).
 *
 * For each database — in-memory PGlite, then (when DATABASE_URL names a server) a throw-away
 * PostgreSQL database made for the run and dropped at the end — in ONE process it
 *   1. starts the real platform (demo data, outbox worker off); Stroud's caseworker opens a case
 *      plan and invites the 7 other demo bodies through the real pages (8 bodies in the plan);
 *      Cheltenham's caseworker accepts through the page (shared: the plan and the chronology),
 *      the other six are marked accepted in the database (shared: every section);
 *   2. loads BENCH_EVENTS chronology events (default 5,000) into that plan, spread over the 8
 *      bodies and the 5 sections, and BENCH_OTHER_PLANS other plans (default 200) of
 *      BENCH_OTHER_EVENTS events each (default 500), so the plan's events are found among
 *      100,000;
 *   3. drives with autocannon:
 *        baseline            bare Fastify, same database: the plan's 51 newest events by the
 *                            chronology's index (`where case_plan_id = $1 order by occurred_at
 *                            desc, id desc limit 51`), answered as JSON;
 *        chronology          GET /staff/case-plans/{reference}/chronology as the lead: the plan
 *                            and its bodies loaded, the policies, break-glass grants, the page of
 *                            50 events, body names, the audited read (an audit row per view);
 *        chronology, body    the same as Cheltenham: events of its shared sections or its own;
 *        chronology, page 50 the lead's 50th page (events 2,451–2,500: offset paging).
 * It prints the table (req/s ratios to the baseline), then each page's p99 against the
 * baseline's p99.
 *
 * Options (environment): BENCH_EVENTS, BENCH_OTHER_PLANS, BENCH_OTHER_EVENTS, BENCH_SECONDS (5),
 * BENCH_WARMUP (1), BENCH_CONNECTIONS (10), DATABASE_URL, BENCH_ONLY=postgres (skip PGlite).
 *
 * @example DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/case-plans.ts
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
  milliseconds,
  printTable,
  progress,
  type Row,
  settle,
  Visitor,
} from './lib.js';

const EVENTS = Math.max(100, Number(process.env.BENCH_EVENTS ?? 5_000) || 5_000);
const OTHER_PLANS = Math.max(0, Number(process.env.BENCH_OTHER_PLANS ?? 200) || 0);
const OTHER_EVENTS = Math.max(1, Number(process.env.BENCH_OTHER_EVENTS ?? 500) || 500);
const BODIES = 8;
const SECTIONS = ['assessment', 'plan', 'conferences', 'chronology', 'links'];
const LEAD = { email: 'caseworker@stroud.example.gov.uk', password: 'demo-stroud-caseworker' };
const CHELTENHAM = {
  email: 'caseworker@cheltenham.example.gov.uk',
  password: 'demo-cheltenham-caseworker',
};

const number = (n: number) => n.toLocaleString('en-GB');

async function signIn(base: string, who: { email: string; password: string }): Promise<Visitor> {
  const visitor = new Visitor(base);
  const page = await visitor.send('GET', '/sign-in');
  const signedIn = await visitor.send('POST', '/sign-in', {
    email: who.email,
    password: who.password,
    _csrf: hiddenInput(page.html, '_csrf'),
  });
  if (signedIn.status !== 303) throw new Error(`${who.email} sign-in answered ${signedIn.status}`);
  return visitor;
}

/** Posts a form from a page, with that page's CSRF token; throws unless it redirects. */
async function postFrom(
  visitor: Visitor,
  page: string,
  action: string,
  form: Record<string, string | string[]>,
): Promise<string> {
  const { html } = await visitor.send('GET', page);
  const answer = await visitor.send('POST', action, { ...form, _csrf: hiddenInput(html, '_csrf') });
  if (answer.status !== 303)
    throw new Error(`POST ${action} answered ${answer.status}: ${answer.html.slice(0, 500)}`);
  return answer.location;
}

interface Scene {
  reference: string;
  planId: string;
  lead: string;
  cheltenham: string;
}

/** The plan with its 8 bodies, set up through the real pages as far as the demo's accounts go. */
async function openPlan(db: Db, base: string): Promise<Scene> {
  const organisations = await db
    .selectFrom('organisations')
    .select(['id', 'slug'])
    .orderBy('slug')
    .execute();
  const stroud = organisations.find((o) => o.slug === 'stroud');
  const cheltenham = organisations.find((o) => o.slug === 'cheltenham');
  const others = organisations.filter((o) => o.slug !== 'stroud' && o.slug !== 'cheltenham');
  if (!stroud || !cheltenham || others.length < BODIES - 2)
    throw new Error(`The demo data has fewer than ${BODIES} bodies`);
  const invited = [cheltenham, ...others.slice(0, BODIES - 2)];
  const leadUser = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', LEAD.email)
    .executeTakeFirstOrThrow();

  const lead = await signIn(base, LEAD);
  const location = await postFrom(lead, '/staff/case-plans/new', '/staff/case-plans/new', {
    kind: 'family-support',
    subject: 'household',
    personName: 'Bench Household',
    leadProfessionalId: leadUser.id,
    sensitive: 'no',
  });
  const reference = location.split('/').pop()!;
  const plan = `/staff/case-plans/${reference}`;
  for (const body of invited)
    await postFrom(lead, plan, `${plan}/invite`, {
      organisationId: body.id,
      basis: 'safeguarding',
      basisDetail: 'Children Act 2004 s.11',
      sections: body === cheltenham ? ['plan', 'chronology'] : SECTIONS,
    });
  const cheltenhamVisitor = await signIn(base, CHELTENHAM);
  await postFrom(cheltenhamVisitor, `${plan}/invitation`, `${plan}/invitation`, {
    answer: 'accept',
  });
  const row = await db
    .selectFrom('case_plans')
    .select('id')
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
  // The other six bodies have no demo practitioner to accept: as if theirs had.
  await db
    .updateTable('case_plan_bodies')
    .set({ state: 'accepted', responded_at: new Date() })
    .where('case_plan_id', '=', row.id)
    .where('state', '=', 'invited')
    .execute();

  const bodyIds = [stroud.id, ...invited.map((b) => b.id)];
  await sql`
    insert into case_plan_events (case_plan_id, organisation_id, section, kind, summary, occurred_at)
    select ${row.id}::uuid, (${bodyIds}::uuid[])[1 + n % ${BODIES}],
           (${SECTIONS}::text[])[1 + (n / ${BODIES}) % 5], 'bench',
           'Bench event ' || n, now() - make_interval(mins => n)
    from generate_series(1, ${EVENTS}::int) as n`.execute(db);
  if (OTHER_PLANS > 0) {
    await sql`
      insert into case_plans (reference, kind, lead_organisation_id, lead_professional_id, person_name)
      select 'CP-B' || lpad(n::text, 7, '0'), 'offender', ${stroud.id}::uuid, ${leadUser.id}::uuid,
             'Bench person ' || n
      from generate_series(1, ${OTHER_PLANS}::int) as n`.execute(db);
    await sql`
      insert into case_plan_events (case_plan_id, organisation_id, section, kind, summary, occurred_at)
      select p.id, (${bodyIds}::uuid[])[1 + n % ${BODIES}], (${SECTIONS}::text[])[1 + n % 5],
             'bench', 'Other plan event ' || n, now() - make_interval(mins => n)
      from case_plans p cross join generate_series(1, ${OTHER_EVENTS}::int) as n
      where p.reference like 'CP-B%'`.execute(db);
  }
  await sql`analyze case_plan_events`.execute(db);
  await sql`analyze case_plans`.execute(db);
  return {
    reference,
    planId: row.id,
    lead: lead.cookieHeader(),
    cheltenham: cheltenhamVisitor.cookieHeader(),
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
    const base = await listen(platform.app);
    progress(
      `${kind}: a plan of ${BODIES} bodies with ${number(EVENTS)} events, and ${number(OTHER_PLANS * OTHER_EVENTS)} other events`,
    );
    const scene = await openPlan(db, base);

    bare.get('/events/:planId', async (request) => {
      const { planId } = request.params as { planId: string };
      return db
        .selectFrom('case_plan_events')
        .select(['id', 'organisation_id', 'section', 'summary', 'occurred_at'])
        .where('case_plan_id', '=', planId)
        .orderBy('occurred_at', 'desc')
        .orderBy('id', 'desc')
        .limit(51)
        .execute();
    });
    const bareBase = await listen(bare);

    const json = (status: number, _h: unknown, body: string) =>
      status === 200 && body.includes('Bench event');
    const chronology = (status: number, _h: unknown, body: string) =>
      status === 200 && body.includes('Bench event') && body.includes('rel="next"');
    const get = (path: string, cookie: string): autocannon.Request => ({
      method: 'GET',
      path,
      headers: { cookie },
    });
    const page = `/staff/case-plans/${scene.reference}/chronology`;

    const rows: Row[] = [];
    rows.push(
      await measure(
        bareBase,
        'baseline',
        "bare Fastify: the plan's 51 newest events by the chronology index, as JSON",
        get(`/events/${scene.planId}`, ''),
        json,
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'chronology',
        `GET ${page.replace(scene.reference, '{reference}')} as the lead: 50 events, audited read`,
        get(page, scene.lead),
        chronology,
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'chronology, body',
        'the same as Cheltenham: its shared sections and its own events',
        get(page, scene.cheltenham),
        chronology,
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'chronology, page 50',
        "the lead's 50th page (offset 2,450)",
        get(`${page}?page=50`, scene.lead),
        chronology,
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

/** Each page's p99 over the baseline's (autocannon's whole milliseconds; under 1 counts as 1). */
function printP99Ratios(rows: Row[]): void {
  const floor = Math.max(1, rows[0]!.p99);
  console.log(`p99 against the baseline's (${milliseconds(rows[0]!.p99)} ms):`);
  for (const row of rows.slice(1))
    console.log(
      `  ${row.scenario}: p99 ${milliseconds(row.p99)} ms, ${(row.p99 / floor).toFixed(1)}× the baseline's`,
    );
}

async function main(): Promise<void> {
  const leave = enterScratch('joinedup-bench-case-plans-');
  try {
    const kinds = !process.env.DATABASE_URL
      ? (['PGlite'] as const)
      : process.env.BENCH_ONLY === 'postgres'
        ? (['PostgreSQL'] as const)
        : (['PGlite', 'PostgreSQL'] as const);
    for (const kind of kinds) {
      const rows = await benchDatabase(kind);
      printTable(
        rows,
        `Case plan chronology, ${number(EVENTS)} events over ${BODIES} bodies in the plan, ` +
          `${number(OTHER_PLANS * OTHER_EVENTS)} in ${number(OTHER_PLANS)} other plans: ` +
          describeRun(kind),
        '"ratio to baseline" is req/s divided by the bare indexed look-up\'s req/s in the same run.\n' +
          'Timings vary by machine and load; nothing here is asserted.',
      );
      printP99Ratios(rows);
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
