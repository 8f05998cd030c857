/**
 * The bookings benchmark (issue 8): `npm run bench:bookings` (tsx bench/bookings.ts). Like the
 * others it measures, prints and exits 0 unless a scene does not do what it says; it never
 * asserts timings.
 *
 * In ONE process, over the demo data (in-memory PGlite, or the empty PostgreSQL database named by
 * DATABASE_URL), with a bench resource of Stroud's open all day in 5-minute slots and a million
 * places a slot, so that a run never fills it, it drives with autocannon:
 *   baseline      bare Fastify, same database: the contended step alone, the conditional
 *                 `update booking_slots set taken = taken + 1 … where taken < capacity` on one
 *                 slot's row, answered as JSON;
 *   popular       POST /book/stroud/bench-popular/check, every request for the SAME slot of a
 *                 free resource: the whole booking (rules, slot, counter row, booking, e-mail
 *                 in the outbox, audit) with every writer queueing on one row;
 *   popular paid  the same on a paid twin: each booking also asks the payments module for a
 *                 payment (payment row, event, expiry message) and answers its card page;
 *   spread        free bookings cycling over 288 slots a day for 28 days: little contention,
 *                 the floor "popular" is compared with.
 * The table prints each scenario's bookings a second and its ratio to the baseline.
 *
 * Options (environment): BENCH_SECONDS (5), BENCH_WARMUP (1), BENCH_CONNECTIONS (10), DATABASE_URL.
 *
 * @example DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_bookings npx tsx bench/bookings.ts
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { registerCitizen } from '../src/modules/identity/index.js';
import { findOrganisationBySlug } from '../src/modules/organisations/index.js';
import type { Db } from '../src/platform/db/database.js';
import {
  describeRun,
  enterScratch,
  FORM,
  hiddenInput,
  listen,
  measure,
  printTable,
  progress,
  type Row,
  settle,
  startPlatform,
  Visitor,
} from './lib.js';

const PASSWORD = 'bench bookings passphrase';

/** A day a week or more ahead in London, so every slot of it is still to come. */
function benchDay(offset: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  return new Date(Date.parse(`${today}T12:00:00Z`) + offset * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

/** A resource open every day, 00:00 to 24:00, 5-minute slots, a million places each. */
async function addBenchResource(db: Db, slug: string, pricePence: number): Promise<string> {
  const stroud = (await findOrganisationBySlug(db, 'stroud'))!;
  const row = await db
    .insertInto('booking_resources')
    .values({
      organisation_id: stroud.id,
      slug,
      kind: 'venue',
      name: `Bench ${slug}`,
      location: 'Nowhere',
      slot_minutes: 5,
      capacity: 1_000_000,
      price_pence: pricePence,
      cancel_hours_before: 0,
      days_ahead: 36,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('booking_opening_times')
    .values(
      Array.from({ length: 7 }, (_, weekday) => ({
        resource_id: row.id,
        weekday,
        opens_minute: 0,
        closes_minute: 1440,
      })),
    )
    .execute();
  return row.id;
}

/** A new person signed in through the real pages; answers their cookie and a CSRF token. */
async function signedInPerson(db: Db, base: string, path: string) {
  const email = `bench-${Date.now()}@example.com`;
  const made = await registerCitizen(db, { email, password: PASSWORD, displayName: 'Bench' });
  if (!made.ok) throw new Error('Could not register the bench person');
  const visitor = new Visitor(base);
  const page = await visitor.send('GET', '/sign-in');
  const signedIn = await visitor.send('POST', '/sign-in', {
    email,
    password: PASSWORD,
    _csrf: hiddenInput(page.html, '_csrf'),
  });
  if (signedIn.status !== 303) throw new Error(`Sign-in answered ${signedIn.status}`);
  const check = await visitor.send('GET', `${path}/check?day=${benchDay(7)}&time=12:00`);
  if (check.status !== 200) throw new Error(`The check page answered ${check.status}`);
  return { cookie: visitor.cookieHeader(), csrf: hiddenInput(check.html, '_csrf') };
}

/** POSTs booking `forms` in turn to `path`/check. */
function booking(path: string, cookie: string, forms: string[]): autocannon.Request {
  let next = 0;
  return {
    method: 'POST',
    path: `${path}/check`,
    headers: { cookie, ...FORM },
    body: forms[0]!,
    setupRequest(request) {
      return { ...request, body: forms[next++ % forms.length]! };
    },
  };
}

function form(csrf: string, day: string, time: string): string {
  return new URLSearchParams({ _csrf: csrf, day, time }).toString();
}

async function main(): Promise<void> {
  const leave = enterScratch('joinedup-bench-bookings-', { tmpdir: true });
  const kind = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
  const { platform, base } = await startPlatform();
  const bare = Fastify({ logger: false });
  try {
    const db = platform.database.db;
    await addBenchResource(db, 'bench-popular', 0);
    await addBenchResource(db, 'bench-popular-paid', 2500);
    await addBenchResource(db, 'bench-spread', 0);
    const popular = '/book/stroud/bench-popular';
    const paid = '/book/stroud/bench-popular-paid';
    const spread = '/book/stroud/bench-spread';
    const person = await signedInPerson(db, base, popular);

    // The baseline's hot row: a slot of its own, so the scenarios do not share it.
    const baselineId = await addBenchResource(db, 'bench-baseline', 0);
    const hot = new Date(`${benchDay(30)}T12:00:00Z`);
    await db
      .insertInto('booking_slots')
      .values({ resource_id: baselineId, starts_at: hot, capacity: 1_000_000_000 })
      .execute();
    bare.post('/take', async () =>
      db
        .updateTable('booking_slots')
        .set({ taken: sql`taken + 1` })
        .where('resource_id', '=', baselineId)
        .where('starts_at', '=', hot)
        .where(sql<boolean>`taken < capacity`)
        .returning('taken')
        .executeTakeFirstOrThrow(),
    );
    const bareBase = await listen(bare);

    const times = Array.from({ length: 288 }, (_, i) => {
      const minutes = i * 5;
      return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    });
    // Days 2 to 29: whole days ahead, inside the 36-day window, all slots still to come.
    const spreadForms = Array.from({ length: 28 }, (_, d) => benchDay(d + 2)).flatMap((day) =>
      times.map((time) => form(person.csrf, day, time)),
    );
    const to = (prefix: string) => (status: number, headers: Record<string, string | string[]>) =>
      status === 303 && String(headers.location ?? '').startsWith(prefix);

    const rows: Row[] = [];
    rows.push(
      await measure(
        bareBase,
        'baseline',
        'bare Fastify: the conditional update of one slot counter row, as JSON',
        { method: 'POST', path: '/take' },
        (status) => status === 200,
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'popular',
        'POST …/check: free bookings, all of ONE slot (one counter row contended)',
        booking(popular, person.cookie, [form(person.csrf, benchDay(7), '12:00')]),
        to('/bookings/'),
        { against: 'spread' },
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'popular paid',
        'the same, £25: each booking also makes its payment and answers the card page',
        booking(paid, person.cookie, [form(person.csrf, benchDay(7), '12:00')]),
        to('/pay/'),
        { against: 'popular' },
      ),
    );
    await settle();
    rows.push(
      await measure(
        base,
        'spread',
        `free bookings cycling over ${spreadForms.length.toLocaleString('en-GB')} slots (little contention)`,
        booking(spread, person.cookie, spreadForms),
        to('/bookings/'),
      ),
    );
    await settle();
    const counted = await db
      .selectFrom('booking_slots')
      .innerJoin('booking_resources', 'booking_resources.id', 'booking_slots.resource_id')
      .select(['booking_resources.slug', sql<number>`sum(taken)::int`.as('taken')])
      .groupBy('booking_resources.slug')
      .execute();
    const bookings = await db
      .selectFrom('bookings')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    printTable(
      rows,
      `Bookings on one popular resource against a bare baseline: ${describeRun(kind)}`,
      '"ratio to baseline" is bookings/s divided by the bare contended update\'s updates/s in the same run.\n' +
        `Places taken per resource: ${counted.map((c) => `${c.slug} ${c.taken}`).join(', ')}; ` +
        `booking rows ${bookings.n} (warm-up included).\n` +
        'Timings vary by machine and load; nothing here is asserted.',
    );
    const booked = counted
      .filter((c) => c.slug !== 'bench-baseline')
      .reduce((sum, c) => sum + c.taken, 0);
    if (booked !== bookings.n) {
      progress(`places taken (${booked}) and bookings (${bookings.n}) disagree`);
      process.exitCode = 1;
    }
    if (rows.some((row) => row.expected !== row.requests)) process.exitCode = 1;
  } finally {
    await bare.close();
    await platform.close();
    leave();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
