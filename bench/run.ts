/**
 * Joinedup's throughput benchmark: `npm run bench` (tsx bench/run.ts). Not part of `npm test`,
 * and it never asserts timings: it measures, prints a table and exits 0 unless a scenario did
 * not do what it says it measures (e.g. a submit that did not create an application).
 *
 * In ONE process it starts
 *   (a) a bare Fastify app with one route returning a small HTML string — the baseline — and
 *   (b) the real platform (createPlatform on in-memory PGlite, outbox worker on, demo data seeded),
 * each on a random port, and drives them with autocannon from the same process.
 *
 * Environment:
 *   BENCH_SECONDS       seconds measured per scenario (default 5)
 *   BENCH_WARMUP        seconds of warm-up per scenario, not measured (default 1)
 *   BENCH_CONNECTIONS   concurrent connections (default 10)
 *   DATABASE_URL        bench a PostgreSQL database instead of PGlite (it must be empty: demo data is seeded)
 */
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Platform } from '../src/main/platform.js';
import { BULKY_WASTE_SLUG, DEMO_ACCOUNTS } from '../src/main/seed.js';
import { isWeekday, ukToday } from '../src/modules/forms/index.js';
import { startSession } from '../src/modules/identity/index.js';
import {
  addNotes,
  type Check,
  CONNECTIONS,
  describeRun,
  encodeForm,
  enterScratch,
  FORM,
  hiddenInput,
  listen,
  measure,
  printTable,
  progress,
  recordResults,
  type Row,
  SECONDS,
  serveSmallPage,
  settle,
  startPlatform,
  Visitor,
  WARMUP,
  warmUp,
} from './lib.js';

function expectStatus(
  response: { status: number; location: string },
  status: number,
  location: RegExp | string,
  what: string,
) {
  const ok =
    response.status === status &&
    (typeof location === 'string'
      ? response.location === location
      : location.test(response.location));
  if (!ok)
    throw new Error(
      `${what}: expected ${status} → ${location}, got ${response.status} → ${response.location || '(no location)'}`,
    );
}

/** A weekday 7 to 13 days from today (UK time): a date the bulky waste form accepts. */
function collectionDate(): { day: string; month: string; year: string } {
  const date = new Date(`${ukToday()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 7);
  while (!isWeekday(date.toISOString().slice(0, 10))) date.setUTCDate(date.getUTCDate() + 1);
  return {
    day: String(date.getUTCDate()),
    month: String(date.getUTCMonth() + 1),
    year: String(date.getUTCFullYear()),
  };
}

async function main(): Promise<void> {
  // The development mailbox (DATA_DIR=:memory: → ./data/mailbox) goes to a temporary folder.
  const leaveScratch = enterScratch('joinedup-bench-');
  const rows: Row[] = [];
  let baseline: FastifyInstance | undefined;
  let platform: Platform | undefined;
  try {
    // (a) The baseline: Fastify with one route and nothing else.
    baseline = Fastify({ logger: false });
    serveSmallPage(baseline);
    const baselineUrl = await listen(baseline);

    // (b) The real platform, as `joinedup serve` builds it.
    const started = await startPlatform();
    platform = started.platform;
    const { base } = started;
    const { db } = platform.database;
    const slug = BULKY_WASTE_SLUG;
    const apply = `/services/${slug}/apply`;

    progress(
      `platform listening on ${base} (${platform.database.kind}); signing in and answering the form`,
    );
    // Set the scene through the real pages: sign in as the demo citizen and answer every page.
    const citizen = DEMO_ACCOUNTS.find((a) => a.organisation === null)!;
    const visitor = new Visitor(base);
    const signInPage = await visitor.send('GET', '/sign-in');
    const csrfToken = hiddenInput(signInPage.html, '_csrf');
    expectStatus(
      await visitor.send('POST', '/sign-in', {
        email: citizen.email,
        password: citizen.password,
        _csrf: csrfToken,
        returnTo: '/',
      }),
      303,
      /.*/,
      'sign in',
    );
    const csrfCookie = visitor.cookies.get('_csrf');
    const citizenSession = visitor.cookies.get('ju_session');
    if (!csrfCookie || !citizenSession)
      throw new Error('Signing in did not set the _csrf and ju_session cookies');
    const date = collectionDate();
    const pages: [string, Record<string, string | string[]>][] = [
      [
        'items',
        { items: ['sofa', 'mattress'], itemDetails: 'One three-seater sofa and a double mattress' },
      ],
      [
        'address',
        { addressLine1: '1 High Street', addressLine2: '', town: 'Stroud', postcode: 'GL5 1AA' },
      ],
      [
        'date',
        {
          'preferredDate-day': date.day,
          'preferredDate-month': date.month,
          'preferredDate-year': date.year,
        },
      ],
    ];
    for (const [pageId, answers] of pages) {
      const response = await visitor.send('POST', `${apply}/${pageId}`, {
        ...answers,
        _csrf: csrfToken,
      });
      if (response.status !== 303)
        throw new Error(`Answering ${pageId}: expected 303, got ${response.status}`);
    }
    const check = await visitor.send('GET', `${apply}/check-answers`);
    if (check.status !== 200)
      throw new Error(`Check answers: expected 200, got ${check.status} → ${check.location}`);
    const draft = await db
      .selectFrom('form_drafts')
      .innerJoin('users', 'users.id', 'form_drafts.user_id')
      .select([
        'form_drafts.id',
        'form_drafts.service_id',
        'form_drafts.answers',
        'users.password_hash',
      ])
      .where('users.email', '=', citizen.email)
      .executeTakeFirstOrThrow();
    // One real submission through the page, to be sure the submit scenario measures a success path.
    expectStatus(
      await visitor.send('POST', `${apply}/submit`, {
        _csrf: csrfToken,
        draftId: hiddenInput(check.html, 'draftId'),
      }),
      303,
      /^\/applications\/[^/]+\/confirmation$/,
      'submit',
    );

    const cookie = `_csrf=${csrfCookie}; ju_session=${citizenSession}`;
    const itemsBody = encodeForm({
      items: ['sofa', 'mattress'],
      itemDetails: 'One sofa and a mattress',
      _csrf: csrfToken,
    });
    const redirectTo =
      (pattern: RegExp): Check =>
      (status, headers) =>
        status === 303 && pattern.test(String(headers.location ?? ''));

    rows.push(
      await measure(
        baselineUrl,
        'baseline',
        'bare Fastify, one route returning a small HTML string',
        { method: 'GET', path: '/' },
        (s) => s === 200,
      ),
    );
    rows.push(
      await measure(
        base,
        'service page',
        `GET /services/${slug}: published service from the catalogue, Nunjucks layout, helmet, i18n, metrics (anonymous)`,
        { method: 'GET', path: `/services/${slug}` },
        (s) => s === 200,
      ),
    );
    const items = await measure(
      base,
      'form page POST',
      `POST ${apply}/items as the signed-in demo citizen: session lookup, CSRF check, validation, draft upsert, 303 to the next page`,
      { method: 'POST', path: `${apply}/items`, headers: { ...FORM, cookie }, body: itemsBody },
      redirectTo(new RegExp(`^${apply}/(address|date|check-answers)$`)),
    );
    rows.push(items);

    // Submit: every request needs its own completed draft, and a person has one draft per service,
    // so prepare a pool of citizens, each with a session and a completed draft (the answers the
    // real pages above accepted). Sized from the form page rate; if it runs out, the run stops early.
    const poolSize = Math.min(
      50_000,
      Math.max(200, Math.ceil(items.reqPerSec * (SECONDS + WARMUP) * 1.5) + 2 * CONNECTIONS),
    );
    progress(`submit: preparing ${poolSize} citizens, each with a session and a completed draft`);
    const preparedAt = performance.now();
    const pool: { cookie: string; body: string }[] = [];
    for (let start = 0; start < poolSize; start += 500) {
      const count = Math.min(500, poolSize - start);
      const users = await db
        .insertInto('users')
        .values(
          Array.from({ length: count }, (_, i) => ({
            email: `bench-${start + i}@example.invalid`,
            password_hash: draft.password_hash,
            display_name: `Bench Citizen ${start + i}`,
            kind: 'citizen' as const,
          })),
        )
        .returning('id')
        .execute();
      const drafts = await db
        .insertInto('form_drafts')
        .values(
          users.map((u) => ({
            user_id: u.id,
            service_id: draft.service_id,
            answers: JSON.stringify(draft.answers),
          })),
        )
        .returning(['id', 'user_id'])
        .execute();
      for (const d of drafts) {
        if (!d.user_id) throw new Error('bench drafts belong to the users just made');
        const session = await startSession(db, d.user_id);
        pool.push({
          cookie: `_csrf=${csrfCookie}; ju_session=${session.token}`,
          body: encodeForm({ _csrf: csrfToken, draftId: d.id }),
        });
      }
    }
    const prepareSeconds = (performance.now() - preparedAt) / 1000;
    const countSubmissions = async () =>
      Number(
        (await sql<{ n: number }>`select count(*)::int as n from submissions`.execute(db)).rows[0]!
          .n,
      );
    let next = 0;
    let exhausted = false;
    const submitRequest: autocannon.Request = {
      method: 'POST',
      path: `${apply}/submit`,
      setupRequest(request) {
        const entry = pool[next++];
        if (!entry) {
          exhausted = true;
          return {
            ...request,
            headers: { ...FORM, cookie: pool.at(-1)!.cookie },
            body: pool.at(-1)!.body,
          };
        }
        return { ...request, headers: { ...FORM, cookie: entry.cookie }, body: entry.body };
      },
    };
    // Warm up on part of the pool, then measure at most what is left of it.
    if (WARMUP > 0)
      await warmUp(base, submitRequest, { maxOverallRequests: Math.floor(poolSize / 3) });
    await settle();
    const before = await countSubmissions();
    const left = poolSize - next;
    const submit = await measure(
      base,
      'submit',
      `POST ${apply}/submit, each request a different signed-in citizen with a fresh completed draft: session, CSRF, ` +
        'lock draft, re-validate, create submission + event + audit + outbox message, delete draft (one transaction), 303 to confirmation; ' +
        'the outbox worker delivers in the background',
      submitRequest,
      redirectTo(/^\/applications\/[^/]+\/confirmation$/),
      { warmup: false, maxRequests: left },
    );
    await settle();
    const created = (await countSubmissions()) - before;
    const notes = [
      `${created} applications created by ${submit.requests} requests`,
      `${poolSize} citizens with drafts prepared in ${prepareSeconds.toFixed(1)} s, not measured`,
    ];
    if (exhausted || submit.requests >= left) notes.push('the pool ran out before the time was up');
    // Requests still in flight when autocannon stops are finished by the server but not counted by
    // autocannon, so there may be up to one more application per connection than confirmations.
    const consistent = created >= submit.expected && created <= submit.expected + CONNECTIONS;
    if (!consistent)
      notes.push(`MISMATCH: ${submit.expected} confirmations but ${created} applications`);
    addNotes(submit, notes);
    rows.push(submit);
    if (!consistent || submit.expected !== submit.requests) process.exitCode = 1;

    printTable(
      rows,
      `Joinedup bench: ${describeRun(platform.database.kind)}; load generator in the same process.`,
      '"ratio to baseline" is req/s divided by the baseline\'s req/s; "as expected" counts responses that were the\n' +
        'intended outcome (200, or 303 to the right page). Timings vary by machine and load; nothing here is asserted.',
    );
    recordResults('journey', platform.database.kind, rows);
    for (const row of rows.slice(0, 3)) if (row.expected !== row.requests) process.exitCode = 1;
  } finally {
    await platform?.close();
    await baseline?.close();
    leaveScratch();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
