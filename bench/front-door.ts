/**
 * The front door's benchmark (issue 4): `npm run bench:front-door` (tsx bench/front-door.ts).
 * Like bench/run.ts it is not part of `npm test` and never asserts timings: it measures, prints
 * and exits 0 unless the scene it set up does not do what it says (a generated service that the
 * search cannot find, a postcode that resolves to the wrong council).
 *
 * In ONE process it
 *   1. opens a throw-away database: a new PostgreSQL database on the server DATABASE_URL names
 *      (dropped at the end), or in-memory PGlite without it;
 *   2. writes an ONSPD-format CSV of N generated postcodes to a temporary file (streaming; see
 *      bench/front-door/onspd.ts) and imports it with the address module's `importOnspd`, timed:
 *      rows a second, seconds, and the process's peak RSS;
 *   3. creates an organisation for every council the postcodes lie in and publishes M services
 *      over them with the catalogue's `publishService` (bench/front-door/catalogue.ts);
 *   4. starts the real platform (createPlatform, logging silent, outbox worker off) and a bare
 *      Fastify baseline sharing its database, each on a random port, and drives them with
 *      autocannon from the same process:
 *        baseline           GET one postcode_areas row by primary key through the same Kysely db;
 *        search page        GET /?q=… , the front door, cycling through a mix of searches;
 *        search API         GET /api/v1/services?q=… , the same searches;
 *        postcode to body   GET /find-your-council?postcode=…&tier=district, cycling through
 *                           live postcodes sampled from the generated file.
 *
 * Options (and environment):
 *   --postcodes N   (BENCH_POSTCODES)   postcodes to generate and import, default 2,700,000
 *   --services N    (BENCH_SERVICES)    services to publish, default 10,000
 *   --duration S    (BENCH_SECONDS)     seconds measured per scenario, default 10
 *   BENCH_WARMUP (1), BENCH_CONNECTIONS (10), DATABASE_URL (a PostgreSQL server; the bench makes
 *   and drops its own database on it)
 *
 * @example BENCH_POSTCODES=20000 npx tsx bench/front-door.ts --services 500 --duration 3
 */
// First: turns --duration into BENCH_SECONDS before lib.ts reads it.
import { POSTCODES, SERVICES } from './front-door/settings.js';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createPlatform, type Platform } from '../src/main/platform.js';
import { importOnspd } from '../src/modules/address/index.js';
import { loadConfig } from '../src/platform/config/config.js';
import { freshDatabase } from '../test/helpers/database.js';
import {
  createBodies,
  publishAll,
  searchQueries,
  servicesToPublish,
} from './front-door/catalogue.js';
import { loadAreas, writeOnspd } from './front-door/onspd.js';
import { addNotes, describeRun, listen, measure, printTable, progress, type Row } from './lib.js';

/** Live postcodes kept from the generated file for the look-ups. */
const SAMPLE = 10_000;

const number = (n: number) => n.toLocaleString('en-GB');
const mebibytes = (kilobytes: number) => `${(kilobytes / 1024).toFixed(0)} MiB`;

/** A request that takes the next path of a list each time autocannon sends it. */
function cycling(paths: string[]): autocannon.Request {
  let next = 0;
  return {
    method: 'GET',
    path: paths[0]!,
    setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }),
  };
}

/** Text of a page with the entities our templates and escapeHtml write turned back into characters. */
function pageText(html: string): string {
  return html
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCharCode(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

async function main(): Promise<void> {
  const database = await freshDatabase();
  const { db } = database;
  const where =
    database.kind === 'postgres'
      ? `PostgreSQL, throw-away database ${new URL(database.url!).pathname.slice(1)}`
      : 'PGlite in memory';
  progress(`database: ${where}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'joinedup-bench-front-door-'));
  let platform: Platform | undefined;
  let baseline: FastifyInstance | undefined;
  try {
    // 2. The postcode directory: generate, then import as `joinedup geo:import-onspd` does.
    const { authorities, counties } = loadAreas();
    const file = path.join(scratch, 'onspd.csv');
    progress(`writing ${number(POSTCODES)} generated postcodes to ${file}`);
    let started = performance.now();
    const generated = await writeOnspd(file, authorities, POSTCODES, SAMPLE);
    const writeSeconds = (performance.now() - started) / 1000;
    progress(
      `wrote ${(generated.bytes / 1e6).toFixed(0)} MB in ${writeSeconds.toFixed(1)} s; importing`,
    );
    const rssBefore = process.resourceUsage().maxRSS;
    started = performance.now();
    let reported = 0;
    const imported = await importOnspd(db, createReadStream(file), {
      onProgress(written) {
        if (written - reported >= 250_000) {
          reported = written;
          const seconds = (performance.now() - started) / 1000;
          progress(`  ${number(written)} rows, ${number(Math.round(written / seconds))} rows/s`);
        }
      },
    });
    const importSeconds = (performance.now() - started) / 1000;
    const peakRss = process.resourceUsage().maxRSS;
    rmSync(file);
    const stored = await db
      .selectFrom('postcode_areas')
      .select([
        sql<number>`count(*)::int`.as('rows'),
        sql<number>`(count(*) filter (where terminated is not null))::int`.as('terminated'),
        sql<number>`(count(*) filter (where terminated is null and not geographic))::int`.as(
          'nonGeographic',
        ),
        sql<number>`(count(*) filter (where county_gss is not null))::int`.as('twoTier'),
        sql<number>`pg_total_relation_size('postcode_areas')::float8`.as('bytes'),
      ])
      .executeTakeFirstOrThrow();
    if (
      imported.written !== POSTCODES ||
      imported.skipped > 0 ||
      stored.rows !== POSTCODES ||
      stored.terminated !== generated.terminated ||
      stored.nonGeographic !== generated.nonGeographic
    )
      throw new Error(
        `The import does not match the file: wrote ${imported.written} of ${POSTCODES}, skipped ` +
          `${imported.skipped} (${imported.problems.slice(0, 3).join('; ')}); stored ${stored.rows} ` +
          `rows, ${stored.terminated} terminated (${generated.terminated} generated), ` +
          `${stored.nonGeographic} non-geographic (${generated.nonGeographic} generated)`,
      );

    // 3. The bodies and their services.
    progress(
      `creating organisations for ${authorities.length} councils, ${counties.size} counties and central bodies`,
    );
    const bodies = await createBodies(db, authorities, counties);
    progress(`publishing ${number(SERVICES)} services`);
    started = performance.now();
    const published = await publishAll(
      db,
      servicesToPublish(bodies, SERVICES),
      database.kind === 'postgres' ? 4 : 1,
      (n) => progress(`  ${number(n)} services`),
    );
    const publishSeconds = (performance.now() - started) / 1000;
    // A live system's autovacuum would have analysed the new rows and flushed the search index's
    // pending list within a minute; do it now so the first minute of load does not measure that.
    await sql`vacuum analyze postcode_areas`.execute(db);
    await sql`vacuum analyze services`.execute(db);
    await sql`vacuum analyze organisations`.execute(db);

    // 4. The platform and the baseline, on one database.
    const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', WORKER: 'off' });
    platform = await createPlatform(config, { database });
    const base = await listen(platform.app);
    baseline = Fastify({ logger: false });
    baseline.get('/postcode-area', async (request, reply) => {
      const { postcode } = request.query as { postcode?: string };
      const row = await db
        .selectFrom('postcode_areas')
        .selectAll()
        .where('postcode', '=', postcode ?? '')
        .executeTakeFirst();
      return row ? row : reply.code(404).send({ error: 'not found' });
    });
    const baselineUrl = await listen(baseline);
    progress(`platform on ${base}, baseline on ${baselineUrl}; checking the scene`);

    // Set the scene: the searches find generated services, the postcodes the right councils.
    const queries = searchQueries(bodies);
    const found = new Map<string, { queries: number; finding: number }>();
    for (const { query, kind } of queries) {
      const response = await fetch(`${base}/api/v1/services?q=${encodeURIComponent(query)}`);
      if (response.status !== 200)
        throw new Error(`Searching “${query}” answered ${response.status}`);
      const { services } = (await response.json()) as { services: unknown[] };
      const tally = found.get(kind) ?? { queries: 0, finding: 0 };
      tally.queries++;
      if (services.length > 0) tally.finding++;
      found.set(kind, tally);
    }
    // One generated service, found by its title among its body's services as a person would.
    const probe = await db
      .selectFrom('services')
      .innerJoin('organisations', 'organisations.id', 'services.organisation_id')
      .select(['services.slug', 'services.title', 'organisations.slug as body'])
      .orderBy('services.slug')
      .limit(1)
      .offset(Math.floor(published / 2))
      .executeTakeFirstOrThrow();
    const probeResult = (await (
      await fetch(`${base}/api/v1/services?q=${encodeURIComponent(probe.title)}&body=${probe.body}`)
    ).json()) as { services: { slug: string }[] };
    if (!probeResult.services.some((s) => s.slug === probe.slug))
      throw new Error(`Searching for “${probe.title}” does not find the service ${probe.slug}`);
    if ((found.get('subject')?.finding ?? 0) === 0) throw new Error('No search found a service');
    const names = new Map(bodies.map((b) => [b.gss, b.name]));
    for (const entry of generated.sample.slice(0, 25)) {
      for (const tier of entry.countyGss
        ? (['district', 'county'] as const)
        : (['district'] as const)) {
        const response = await fetch(
          `${base}/find-your-council?postcode=${encodeURIComponent(entry.postcode)}&tier=${tier}`,
        );
        const expected = names.get(tier === 'county' ? entry.countyGss! : entry.districtGss)!;
        const text = pageText(await response.text());
        if (response.status !== 200 || !text.includes(expected))
          throw new Error(
            `${entry.postcode} (${tier}) answered ${response.status} without naming ${expected}`,
          );
      }
    }

    // The measured runs.
    const postcodes = generated.sample.map((s) => encodeURIComponent(s.postcode));
    const rows: Row[] = [];
    rows.push(
      await measure(
        baselineUrl,
        'baseline: primary key',
        'bare Fastify route, one SELECT of a postcode_areas row by its primary key through the same Kysely db, as JSON ' +
          `(the same ${number(postcodes.length)} postcodes as "postcode to body")`,
        cycling(postcodes.map((p) => `/postcode-area?postcode=${p}`)),
        (status) => status === 200,
      ),
    );
    const kinds = [...found].map(([kind, t]) => `${t.queries} ${kind}`).join(', ');
    const finding = [...found].map(([kind, t]) => `${kind} ${t.finding}/${t.queries}`).join(', ');
    const searchPaths = queries.map(({ query }) => encodeURIComponent(query));
    const page = await measure(
      base,
      'search page',
      `GET /?q=… , the front door's page as it stands: full-text search over ${number(published)} services (synonyms, ` +
        `typo correction, partial matches) with ${bodies.length} organisations on the platform, Nunjucks layout; ` +
        `cycling through ${queries.length} searches (${kinds})`,
      cycling(searchPaths.map((q) => `/?q=${q}`)),
      (status) => status === 200,
    );
    addNotes(page, [`searches finding at least one service: ${finding}`]);
    rows.push(page);
    rows.push(
      await measure(
        base,
        'search API',
        'GET /api/v1/services?q=… , the same searches as JSON (zod-validated query and response)',
        cycling(searchPaths.map((q) => `/api/v1/services?q=${q}`)),
        (status, _headers, body) => status === 200 && body.startsWith('{"services":'),
      ),
    );
    rows.push(
      await measure(
        base,
        'postcode to body',
        'GET /find-your-council?postcode=…&tier=district: parse the postcode, its postcode_areas row, the ' +
          "sector's districts (boundary check), the council's organisation, the result page; cycling through " +
          `${number(postcodes.length)} live postcodes sampled from the generated file`,
        cycling(postcodes.map((p) => `/find-your-council?postcode=${p}&tier=district`)),
        (status) => status === 200,
      ),
    );

    const pgSize = `${(stored.bytes / 1024 / 1024).toFixed(0)} MiB`;
    console.log(
      [
        `\nJoinedup front door bench, ${new Date().toISOString().slice(0, 10)}: database ${where}.`,
        `Postcodes: ${number(POSTCODES)} generated in ONSPD format (${(generated.bytes / 1e6).toFixed(0)} MB, ` +
          `${generated.postcodeDistricts} postcode districts over ${authorities.length} councils; ` +
          `${number(generated.terminated)} terminated, ${number(generated.nonGeographic)} non-geographic, ` +
          `${number(stored.twoTier)} in two-tier areas, ${generated.boundarySectors} sectors straddling two councils), ` +
          `written in ${writeSeconds.toFixed(1)} s.`,
        `Import (importOnspd): ${number(imported.written)} rows in ${importSeconds.toFixed(1)} s = ` +
          `${number(Math.round(imported.written / importSeconds))} rows/s; peak RSS of this process ` +
          `${mebibytes(peakRss)} (${mebibytes(rssBefore)} before the import${
            database.kind === 'pglite'
              ? '; PGlite runs inside it'
              : "; PostgreSQL's own memory not counted"
          }); postcode_areas is ${pgSize} with its indexes.`,
        `Catalogue: ${bodies.length} organisations, ${number(published)} services published with publishService ` +
          `in ${publishSeconds.toFixed(1)} s.`,
      ].join('\n'),
    );
    printTable(
      rows,
      `Throughput: ${describeRun(database.kind)}; load generator in the same process.`,
      '"ratio to baseline" is req/s divided by the primary-key baseline\'s req/s; "as expected" counts 200\n' +
        'responses (and, for the API, a JSON list). Timings vary by machine and load; nothing here is asserted.',
    );
    for (const row of rows) if (row.expected !== row.requests) process.exitCode = 1;
  } finally {
    await platform?.close();
    await baseline?.close();
    await database.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
