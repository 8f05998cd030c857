/**
 * The submission hub's benchmark (issue 5): `npm run bench:submissions` (tsx bench/submissions.ts).
 * Like the others it is not part of `npm test` and never asserts timings: it measures, prints and
 * exits 0 unless the scene does not do what it says (a submission refused, a webhook whose
 * signature does not verify, a 202 without its submission).
 *
 * For each database — in-memory PGlite, then (when DATABASE_URL names a server) a throw-away
 * PostgreSQL database made for the run and dropped at the end — in ONE process it
 *   1. starts the real platform (createPlatform, logging silent, outbox worker off) and sets the
 *      scene through the modules' own functions (bench/submissions/scene.ts): a body, a
 *      20-question form published with `publishForm`, a service using it, a submit key
 *      (`hub:key:create`'s code), and push delivery to a local receiver (`hub:delivery:set`'s);
 *   2. webhook deliveries: sends N submissions through the API with the worker off, starts the
 *      platform's outbox worker and times until the receiver (bench/submissions/receiver.ts,
 *      checking every signature) has all N;
 *   3. stops the worker and drives with autocannon, each request a new Idempotency-Key and one
 *      of 1,000 varied valid answer sets, the two scenarios in turns (5 rounds: the machine's
 *      speed drifts, and both are measured through the same drift; see measureInTurns):
 *        baseline     bare Fastify, one INSERT of the JSON body into a scratch table, same db
 *                     (none of the platform's per-request hooks: security headers, cookies,
 *                     locale, request log — the issue's "bare Fastify + single INSERT");
 *        hub submit   POST /api/v1/services/{service}/submissions: key check (a live key kept
 *                     5 s, revocation checked again by the write), the service and its published
 *                     form (kept 5 s), whole-form validation (no summary is written: it is
 *                     written when the submission is read, ADR 0009), the
 *                     request's canonical digest, then submission + event + outbox message +
 *                     audit entry in one transaction: submissions arriving together share one
 *                     prepared statement and one commit (group commit), 202 after it.
 *      Each row also notes this process's CPU time per request (the load generator's included,
 *      the same for both), steadier than req/s when other work shares the machine.
 *
 * Options (and environment):
 *   --duration S     (BENCH_SECONDS)     seconds measured per scenario, default 10
 *   --deliveries N   (BENCH_DELIVERIES)  submissions for the webhook run, default 2,000
 *   --rounds N       (BENCH_ROUNDS)      turns per scenario, default 5
 *   BENCH_DURABLE_COMMIT (on: PostgreSQL waits for each commit to reach the disk, as in
 *   production, for the baseline and the hub alike; off measures without)
 *   BENCH_WARMUP (1), BENCH_CONNECTIONS (10), DATABASE_URL (a PostgreSQL server; the bench makes
 *   and drops its own database on it)
 *
 * @example DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/submissions.ts --duration 5
 */
// First: turns --duration into BENCH_SECONDS before lib.ts reads it.
import { DELIVERIES, ROUNDS } from './submissions/settings.js';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createPlatform, type Platform } from '../src/main/platform.js';
import { loadConfig } from '../src/platform/config/config.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/connect.js';
import type { Db } from '../src/platform/db/database.js';
import { freshDatabase } from '../test/helpers/database.js';
import {
  addNotes,
  CONNECTIONS,
  describeRun,
  enterScratch,
  listen,
  measureInTurns,
  printTable,
  progress,
  recordResults,
  type Row,
  settle,
} from './lib.js';
import { SCRATCH_TABLE, startBaseline } from './submissions/baseline.js';
import { startReceiver, type CountingReceiver } from './submissions/receiver.js';
import { pushTo, SERVICE_SLUG, setScene, submissionBody } from './submissions/scene.js';

/** Different answer sets the requests cycle through. */
const BODIES = 1_000;
/** How long the webhook run may go without a delivery before the bench gives up. */
const STALL_MS = 60_000;
const SUBMIT_PATH = `/api/v1/services/${SERVICE_SLUG}/submissions`;

const number = (n: number) => n.toLocaleString('en-GB');
const accepted = (status: number) => status === 202;

interface Webhooks {
  deliveries: number;
  seconds: number;
  enqueueSeconds: number;
  enqueueAccepted: number;
  repeats: number;
  badSignatures: number;
  undelivered: number;
}

interface DatabaseResult {
  kind: string;
  where: string;
  rows: Row[];
  webhooks: Webhooks;
}

/**
 * POSTs of JSON bodies cycling through `bodies`, each with a new Idempotency-Key: every
 * request is a new submission, never a repeat.
 */
function submissions(path: string, key: string, bodies: string[]): autocannon.Request {
  const run = randomUUID().slice(0, 8);
  let next = 0;
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    setupRequest(request) {
      const i = next++;
      return {
        ...request,
        headers: { ...request.headers, 'idempotency-key': `bench-${run}-${i}` },
        body: bodies[i % bodies.length]!,
      };
    },
  };
}

async function countRows(db: Db, table: string, where = sql`true`): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(db);
  return Number(rows[0]!.n);
}

/** Sends one submission and one with a wrong answer: the scene does what the bench says. */
async function checkScene(base: string, key: string, bodies: string[]): Promise<void> {
  const send = (body: string) =>
    fetch(base + SUBMIT_PATH, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${key}`,
        'idempotency-key': randomUUID(),
      },
      body,
    });
  for (const body of bodies.slice(0, 12)) {
    const response = await send(body);
    if (response.status !== 202)
      throw new Error(`A valid submission answered ${response.status}: ${await response.text()}`);
  }
  const wrong = JSON.parse(bodies[0]!) as { answers: Record<string, unknown> };
  wrong.answers.nino = 'QQ123456Z';
  wrong.answers.adults = '0';
  const refused = await send(JSON.stringify(wrong));
  const text = await refused.text();
  if (refused.status !== 400 || !text.includes('body.answers.nino') || !text.includes('adults'))
    throw new Error(`A submission with two wrong answers answered ${refused.status}: ${text}`);
}

/** Step 2: N submissions queued with the worker off, then the worker delivers them all. */
async function deliverWebhooks(
  platform: Platform,
  base: string,
  key: string,
  bodies: string[],
  receiver: CountingReceiver,
): Promise<Webhooks> {
  const { db } = platform.database;
  const before = receiver.received.size;
  const waitingBefore = await countRows(db, 'submissions', sql`status = 'submitted'`);
  progress(`webhooks: sending ${number(DELIVERIES)} submissions with the outbox worker off`);
  let enqueueAccepted = 0;
  let started = performance.now();
  await autocannon({
    url: base,
    connections: CONNECTIONS,
    amount: DELIVERIES,
    requests: [
      {
        ...submissions(SUBMIT_PATH, key, bodies),
        onResponse: (status) => {
          if (accepted(status)) enqueueAccepted++;
        },
      },
    ],
  });
  const enqueueSeconds = (performance.now() - started) / 1000;
  await settle();
  const waiting = await countRows(db, 'submissions', sql`status = 'submitted'`);
  const expected = before + waiting;
  progress(
    `webhooks: ${number(waiting)} submissions waiting (${waitingBefore} from the checks); starting the worker`,
  );
  started = performance.now();
  platform.worker.start();
  await receiver.waitFor(expected, STALL_MS);
  const seconds = (performance.now() - started) / 1000;
  await platform.worker.stop();
  return {
    deliveries: receiver.received.size - before,
    seconds,
    enqueueSeconds,
    enqueueAccepted,
    repeats: receiver.repeats,
    badSignatures: receiver.badSignatures,
    undelivered: await countRows(db, 'submissions', sql`status = 'submitted'`),
  };
}

async function benchDatabase(kind: 'pglite' | 'postgres'): Promise<DatabaseResult> {
  const database: DatabaseHandle & { url?: string } =
    kind === 'postgres' ? await freshDatabase() : await openDatabase({ dataDir: ':memory:' });
  const where =
    kind === 'postgres'
      ? `PostgreSQL, throw-away database ${new URL(database.url!).pathname.slice(1)}`
      : 'PGlite in memory';
  progress(`database: ${where}`);
  const { db } = database;
  let platform: Platform | undefined;
  let baseline: FastifyInstance | undefined;
  let receiver: CountingReceiver | undefined;
  try {
    const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', WORKER: 'off' });
    platform = await createPlatform(config, { database });
    const base = await listen(platform.app);
    baseline = await startBaseline(db);
    const baselineUrl = await listen(baseline);
    const { submitKey } = await setScene(db);
    receiver = await startReceiver();
    receiver.secret = await pushTo(db, config, receiver.url);
    const bodies = Array.from({ length: BODIES }, (_, i) => submissionBody(i));
    progress(`platform on ${base}, baseline on ${baselineUrl}; checking the scene`);
    await checkScene(base, submitKey, bodies);

    const webhooks = await deliverWebhooks(platform, base, submitKey, bodies, receiver);

    const before = await countRows(db, 'submissions');
    const rows = await measureInTurns(
      [
        {
          url: baselineUrl,
          scenario: 'baseline',
          measures: `bare Fastify, POST /submissions: one INSERT of the JSON body into ${SCRATCH_TABLE} through the same Kysely db, 202`,
          request: submissions('/submissions', submitKey, bodies),
          check: accepted,
        },
        {
          url: base,
          scenario: 'hub submit',
          measures:
            `POST ${SUBMIT_PATH} with a submit key and a new Idempotency-Key: key check (live key kept 5 s, ` +
            `revocation checked by the write), service and its published 20-question form (kept 5 s), whole-form ` +
            `validation (no summary stored: ADR 0009), canonical request digest, then submission + event + outbox message + ` +
            `audit entry in one transaction: submissions arriving together share one prepared statement and one ` +
            `commit; 202 after the commit (outbox worker off); cycling through ${number(BODIES)} valid answer sets`,
          request: submissions(SUBMIT_PATH, submitKey, bodies),
          check: accepted,
        },
      ],
      { rounds: ROUNDS, cpu: true },
    );
    const hub = rows[1]!;
    await settle();
    const created = (await countRows(db, 'submissions')) - before;
    // Every 202 was stored, counted or not (warm-up and lead-ins); a request still in flight when
    // a run ends is stored unanswered: at most one a connection for each of its 1 + 2 × ROUNDS runs.
    const answered = hub.expected + (hub.uncounted ?? 0);
    const consistent = created >= answered && created <= answered + CONNECTIONS * (1 + 2 * ROUNDS);
    addNotes(hub, [
      `${number(created)} submissions stored during warm-up and the run`,
      ...(consistent ? [] : [`MISMATCH: ${hub.expected} answers 202 but ${created} stored`]),
    ]);
    for (const row of rows) addNotes(row, [`non-2xx responses: ${row.requests - row.expected}`]);
    if (!consistent) process.exitCode = 1;
    return { kind, where, rows, webhooks };
  } finally {
    await platform?.close();
    await baseline?.close();
    await receiver?.close();
    await database.close();
  }
}

function report(result: DatabaseResult): void {
  const { webhooks: w } = result;
  const rate = w.deliveries / w.seconds;
  console.log(
    [
      `\nJoinedup submissions bench, ${new Date().toISOString().slice(0, 10)}: database ${result.where}.`,
      `Webhook deliveries: ${number(w.deliveries)} in ${w.seconds.toFixed(1)} s = ${rate.toFixed(0)} deliveries/s ` +
        `(the platform's outbox worker, OUTBOX_CONCURRENCY messages at a time: route, then sign and POST; to a local ` +
        `node:http receiver checking each signature). ${w.badSignatures} bad signatures, ${w.repeats} repeats, ` +
        `${w.undelivered} left undelivered. The ${number(DELIVERIES)} submissions were sent with the worker ` +
        `off in ${w.enqueueSeconds.toFixed(1)} s (${number(w.enqueueAccepted)} × 202).`,
    ].join('\n'),
  );
  printTable(
    result.rows,
    `Throughput: ${describeRun(result.kind)} in ${ROUNDS} turns each` +
      `${result.kind === 'postgres' ? `, synchronous_commit ${process.env.BENCH_DURABLE_COMMIT === 'off' ? 'off' : 'on'}` : ''}` +
      '; load generator in the same process.',
    '"ratio to baseline" is req/s divided by the bare INSERT\'s req/s; "as expected" counts 202 answers.\n' +
      "The baseline has none of the platform's per-request hooks (security headers, cookies, locale, log).\n" +
      'Timings vary by machine and load (compare ratios within one run only); nothing here is asserted.',
  );
}

async function main(): Promise<void> {
  // The development mailbox (DATA_DIR=:memory: → ./data/mailbox) goes to a temporary folder.
  const leaveScratch = enterScratch('joinedup-bench-submissions-');
  try {
    const kinds = (
      process.env.DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const)
    ).filter((kind) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY === kind);
    const results: DatabaseResult[] = [];
    for (const kind of kinds) {
      const result = await benchDatabase(kind);
      report(result);
      recordResults('submissions', kind, result.rows, {
        webhookDeliveriesPerSecond: result.webhooks.deliveries / result.webhooks.seconds,
      });
      results.push(result);
    }
    console.log('\nSummary (target with PostgreSQL: hub submit at least half the bare baseline):');
    for (const { kind, rows, webhooks } of results) {
      const [base, hub] = rows as [Row, Row];
      console.log(
        `  ${kind.padEnd(8)} hub submit ${hub.reqPerSec.toFixed(0)} req/s (p99 ${hub.p99} ms) = ` +
          `${((hub.reqPerSec / base.reqPerSec) * 100).toFixed(1)}% of the baseline's ${base.reqPerSec.toFixed(0)} req/s; ` +
          `${(webhooks.deliveries / webhooks.seconds).toFixed(0)} webhook deliveries/s`,
      );
      if (hub.expected !== hub.requests) process.exitCode = 1;
      if (webhooks.badSignatures > 0 || webhooks.undelivered > 0) process.exitCode = 1;
    }
    if (!process.env.DATABASE_URL)
      console.log(
        '  (PostgreSQL not run: set DATABASE_URL to a server the bench may make a database on)',
      );
  } finally {
    leaveScratch();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
