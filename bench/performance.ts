/**
 * The performance platform's benchmark (issue 12): `npm run bench:performance` (tsx
 * bench/performance.ts). Like the others it is not part of `npm test` and never asserts timings:
 * it measures, prints and exits 0 unless a page does not answer what it should.
 *
 * On PostgreSQL (DATABASE_URL: a throw-away database is made for the run and dropped), or else
 * on in-memory PGlite with fewer rows, in ONE process it
 *   1. starts the real platform (demo data, outbox worker off) and loads BENCH_TRANSACTIONS
 *      transaction facts (default 10,000,000 on PostgreSQL, 1,000,000 on PGlite) with
 *      generate_series, spread over three years, every demo service and the five channels,
 *      four in five decided, one in ten rated; then builds the daily roll-ups from them with the
 *      same definitions the outbox handlers keep incrementally (journeys: one and a third
 *      begun per transaction, the rest stopped on three pages);
 *   2. drives with autocannon:
 *        baseline   bare Fastify, same database: `select count(*)` of the transaction facts of
 *                   the last twelve months, as JSON — the simplest question asked of the facts;
 *        national   GET /performance: every measure nationally for twelve months, the trend,
 *                   the services table and its take-up and satisfaction by service;
 *        body       GET /performance?body=stroud: one body's figures;
 *        service    GET /performance/services/{slug}: the busiest service's page;
 *        open data  GET /performance/data/take-up.csv: take-up by body and service.
 *
 * Options (environment): BENCH_TRANSACTIONS, BENCH_SECONDS (5), BENCH_WARMUP (1),
 * BENCH_CONNECTIONS (10), DATABASE_URL.
 *
 * @example DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/performance.ts
 */
import Fastify from 'fastify';
import { sql, type RawBuilder } from 'kysely';
import { createPlatform } from '../src/main/platform.js';
import { seedDemo } from '../src/main/seed.js';
import { loadConfig } from '../src/platform/config/config.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/connect.js';
import { ALL } from '../src/modules/performance/collect/rollups.js';
import type { Db } from '../src/platform/db/database.js';
import { freshDatabase } from '../test/helpers/database.js';
import {
  describeRun,
  enterScratch,
  listen,
  measure,
  printTable,
  progress,
  settle,
  type Row,
} from './lib.js';

const POSTGRES = !!process.env.DATABASE_URL;
const TOTAL = Math.max(
  10_000,
  Number(process.env.BENCH_TRANSACTIONS ?? (POSTGRES ? 10_000_000 : 1_000_000)) || 1_000_000,
);
const CHUNK = 1_000_000;
const DAYS = 3 * 365;
const number = (n: number) => n.toLocaleString('en-GB');

/** Every published demo service with its body: the facts are spread over them. */
async function services(db: Db): Promise<{ id: string; organisation_id: string; slug: string }[]> {
  return db
    .selectFrom('services')
    .select(['id', 'organisation_id', 'slug'])
    .where('status', '=', 'published')
    .orderBy('slug')
    .execute();
}

/** Facts numbered from..to (exclusive), spread evenly over the days, services and channels. */
async function insertFacts(
  db: Db,
  list: { id: string; organisation_id: string }[],
  from: number,
  to: number,
): Promise<void> {
  const ids = list.map((s) => s.id);
  const bodies = list.map((s) => s.organisation_id);
  // Channels weighted as a council might see them: 6 online, 1 by agent, 2 phone, 1 face to face.
  const channels = [
    'online',
    'online',
    'online',
    'online',
    'online',
    'online',
    'online-agent',
    'phone',
    'phone',
    'face-to-face',
  ];
  await sql`
    insert into performance_transactions
      (submission_id, service_id, organisation_id, channel, assisted, started_at, submitted_at,
       decided_at, due_at, feedback_given)
    select gen_random_uuid(),
           (${ids}::uuid[])[1 + n % ${ids.length}],
           (${bodies}::uuid[])[1 + n % ${ids.length}],
           (${channels}::text[])[1 + (n / 7) % 10],
           (n / 7) % 10 between 7 and 8,
           at - make_interval(mins => 5 + n % 40),
           at,
           case when n % 5 <> 0 then at + make_interval(hours => ((n::bigint * 7919) % 720)::int) end,
           case when n % 5 <> 0 then at + make_interval(days => 20) end,
           n % 10 = 0
    from (select n, now() - make_interval(days => n % ${DAYS}, mins => ((n::bigint * 13) % 1440)::int) as at
          from generate_series(${from}::int, ${to - 1}::int) as n) as g`.execute(db);
}

/** Each roll-up table with its key columns (besides day, service, body) and its counts. */
const LEVELS: [string, string[], string[]][] = [
  ['performance_daily_transactions', ['channel'], ['transactions']],
  ['performance_daily_decisions', ['hours'], ['decisions', 'with_deadline', 'within_deadline']],
  ['performance_daily_journeys', [], ['started', 'completed']],
  ['performance_daily_dropoff', ['page'], ['journeys']],
  ['performance_daily_satisfaction', ['rating'], ['responses']],
];

/** `decisionBucket` (collect/rollups.ts) in SQL: hours, then days, weeks and four weeks. */
function bucket(hours: RawBuilder<unknown>) {
  return sql`case when ${hours} < 24 then ${hours}
                  when ${hours} / 24 < 14 then ${hours} / 24 * 24
                  when ${hours} / 168 < 13 then ${hours} / 24 / 7 * 168
                  else ${hours} / 24 / 28 * 672 end`;
}

/** The roll-ups, built from the facts with the definitions the handlers keep incrementally. */
async function buildRollups(db: Db): Promise<void> {
  const day = (column: string) => sql.raw(`(${column} at time zone 'Europe/London')::date`);
  await sql`
    insert into performance_daily_transactions (day, service_id, organisation_id, channel, transactions)
    select ${day('submitted_at')}, service_id, organisation_id, channel, count(*)
    from performance_transactions group by 1, 2, 3, 4`.execute(db);
  progress('roll-up: transactions by day');
  await sql`
    insert into performance_daily_decisions
      (day, service_id, organisation_id, hours, decisions, with_deadline, within_deadline)
    select ${day('decided_at')}, service_id, organisation_id,
           ${bucket(sql.raw('floor(extract(epoch from decided_at - submitted_at) / 3600)::int'))},
           count(*), count(due_at), count(*) filter (where decided_at <= due_at)
    from performance_transactions where decided_at is not null group by 1, 2, 3, 4`.execute(db);
  progress('roll-up: decisions by day and hours');
  await sql`
    insert into performance_daily_journeys (day, service_id, organisation_id, started, completed)
    select day, service_id, organisation_id, transactions * 4 / 3, transactions
    from (select day, service_id, organisation_id, sum(transactions)::int as transactions
          from performance_daily_transactions group by 1, 2, 3) as t`.execute(db);
  await sql`
    insert into performance_daily_dropoff (day, service_id, organisation_id, page, journeys)
    select j.day, j.service_id, j.organisation_id, p.page, (j.started - j.completed) / 3
    from performance_daily_journeys j
    cross join (values ('address'), ('date'), ('check-answers')) as p(page)`.execute(db);
  progress('roll-up: journeys and where they stopped');
  await sql`
    insert into performance_daily_satisfaction (day, service_id, organisation_id, rating, responses)
    select ${day('submitted_at')}, service_id, organisation_id,
           1 + (hashtext(submission_id::text) & 2147483647) % 5, count(*)
    from performance_transactions where feedback_given group by 1, 2, 3, 4`.execute(db);
  progress('roll-up: satisfaction');
  for (const [table, keys, counts] of LEVELS) {
    // Constant names only: the table and column lists above.
    const columns = [...keys, ...counts].join(', ');
    const select = [...keys, ...counts.map((c) => `sum(${c})`)].join(', ');
    const group = keys.map((k) => `, ${k}`).join('');
    await sql
      .raw(
        `insert into ${table} (day, service_id, organisation_id, ${columns})
         select day, '${ALL}', organisation_id, ${select} from ${table}
         where service_id <> '${ALL}' group by day, organisation_id${group}`,
      )
      .execute(db);
    await sql
      .raw(
        `insert into ${table} (day, service_id, organisation_id, ${columns})
         select day, '${ALL}', '${ALL}', ${select} from ${table}
         where service_id <> '${ALL}' group by day${group}`,
      )
      .execute(db);
  }
  progress('roll-up: bodies’ and national totals');
  for (const table of [
    'performance_transactions',
    'performance_daily_transactions',
    'performance_daily_decisions',
    'performance_daily_journeys',
    'performance_daily_dropoff',
    'performance_daily_satisfaction',
  ])
    await sql`analyze ${sql.table(table)}`.execute(db);
}

/** Median of three sequential GETs of each address, in milliseconds. */
async function timeDirectly(targets: [string, string][]): Promise<[string, number][]> {
  const results: [string, number][] = [];
  for (const [name, url] of targets) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const response = await fetch(url);
      await response.text();
      if (response.status !== 200) throw new Error(`${name} answered ${response.status}`);
      times.push(performance.now() - started);
    }
    results.push([name, times.sort((a, b) => a - b)[1]!]);
    progress(`${name}: ${results.at(-1)![1].toFixed(0)} ms`);
  }
  return results;
}

let lastDirect: [string, number][] = [];

async function benchDatabase(kind: 'PGlite' | 'PostgreSQL'): Promise<Row[]> {
  const database: DatabaseHandle =
    kind === 'PostgreSQL' ? await freshDatabase() : await openDatabase({ dataDir: ':memory:' });
  const config = loadConfig({ DATA_DIR: ':memory:', WORKER: 'off', LOG_LEVEL: 'silent' });
  const platform = await createPlatform(config, { database });
  const bare = Fastify({ logger: false });
  try {
    const db = platform.database.db;
    await seedDemo(db);
    const list = await services(db);
    progress(`${kind}: loading ${number(TOTAL)} transactions over ${list.length} services`);
    const started = Date.now();
    for (let from = 0; from < TOTAL; from += CHUNK) {
      await insertFacts(db, list, from, Math.min(TOTAL, from + CHUNK));
      progress(`${number(Math.min(TOTAL, from + CHUNK))} of ${number(TOTAL)} transactions`);
    }
    await buildRollups(db);
    const rollupRows = await sql<{ rows: number }>`
      select (select count(*) from performance_daily_transactions)::int as rows`.execute(db);
    progress(
      `${kind}: loaded in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
        `${number(rollupRows.rows[0]!.rows)} daily transaction roll-up rows`,
    );
    const busiest = list[0]!.slug;
    const base = await listen(platform.app);

    bare.get('/count', async () => {
      const row = await sql<{ count: number }>`
        select count(*)::int as count from performance_transactions
        where submitted_at >= now() - interval '12 months'`.execute(db);
      return { count: row.rows[0]!.count };
    });
    const bareBase = await listen(bare);

    // Timed directly too, one after another: a bare count of ten million rows may take longer
    // than a whole autocannon run, which would then finish none and give no ratio.
    const direct = await timeDirectly([
      ['bare count(*) of twelve months’ facts', `${bareBase}/count`],
      ['GET /performance (national)', `${base}/performance`],
      ['GET /performance?body=stroud', `${base}/performance?body=stroud`],
      [`GET /performance/services/${busiest}`, `${base}/performance/services/${busiest}`],
    ]);
    const page = (needle: string) => (status: number, _h: unknown, body: string) =>
      status === 200 && body.includes(needle);
    const rows: Row[] = [];
    const scenarios: [string, string, string, string, string][] = [
      [
        'baseline',
        'bare Fastify: count(*) of the last twelve months’ facts, as JSON',
        bareBase,
        '/count',
        '"count"',
      ],
      [
        'national',
        'GET /performance: every measure nationally, trend, services table',
        base,
        '/performance',
        'data-measure="1"',
      ],
      [
        'body',
        'GET /performance?body=stroud: one body’s figures',
        base,
        '/performance?body=stroud',
        'data-measure="1"',
      ],
      [
        'service',
        `GET /performance/services/${busiest}`,
        base,
        `/performance/services/${busiest}`,
        'data-measure="1"',
      ],
      [
        'open data',
        'GET /performance/data/take-up.csv: by body and service',
        base,
        '/performance/data/take-up.csv',
        'take_up',
      ],
    ];
    for (const [scenario, measures, url, path, needle] of scenarios) {
      rows.push(await measure(url, scenario, measures, { method: 'GET', path }, page(needle)));
      await settle();
    }
    lastDirect = direct;
    return rows;
  } finally {
    await bare.close();
    await platform.close();
    await database.close();
  }
}

async function main(): Promise<void> {
  const leave = enterScratch('joinedup-bench-performance-');
  try {
    const kind = POSTGRES ? 'PostgreSQL' : 'PGlite';
    const rows = await benchDatabase(kind);
    printTable(
      rows,
      `Performance dashboards with ${number(TOTAL)} transactions loaded: ${describeRun(kind)}`,
      '"ratio to baseline" is req/s divided by the bare count’s req/s in the same run: above 1,\n' +
        'a whole dashboard from the roll-ups answers faster than counting the facts once.\n' +
        'Timings vary by machine and load; nothing here is asserted.',
    );
    const count = lastDirect[0]![1];
    console.log(
      '\nOne request at a time (median of three); ratio = the bare count’s time / the page’s (above 1: the page is faster):\n',
    );
    for (const [name, ms] of lastDirect)
      console.log(
        `  ${name.padEnd(48)} ${ms.toFixed(0).padStart(7)} ms   ratio ${(count / ms).toFixed(2)}`,
      );
    if (rows.some((row) => row.expected !== row.requests)) process.exitCode = 1;
  } finally {
    leave();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
