/**
 * The tell-us-once benchmark (issue 9): `npm run bench:tell-us-once` (tsx bench/tell-us-once.ts).
 * Like the others it measures, prints and exits 0 unless a scene does not do what it says; it
 * never asserts timings.
 *
 * In ONE process, over the demo data (in-memory PGlite, or the empty PostgreSQL database named by
 * DATABASE_URL), ten bench bodies each have a public-task agreement for changes of address, a
 * relationship with one bench person, push delivery to their own local HTTP receiver and a
 * receive key. Each receiver answers 200 at once and then acknowledges the change through the
 * answer URL it was sent (`POST /api/v1/sharing/deliveries/:id/answer`, with its key).
 *   baseline      bare fan-out, same database, same receivers: one INSERT of the change, ten
 *                 unsigned POSTs straight from the producer, each acknowledged to a bare
 *                 Fastify route that runs one UPDATE;
 *   tell us once  `submitChange` (the journey's last step: the bodies planned again, a delivery
 *                 row each, audit, one outbox message each) then the outbox worker's checks at
 *                 sending, signed webhooks, and the bodies' acknowledgements through the API.
 * BENCH_CONNECTIONS producers report changes for BENCH_SECONDS, each waiting for every body's
 * acknowledgement of its change before reporting the next (a closed loop). Printed: changes and deliveries acknowledged a second, and the end-to-end time
 * from report to the tenth body's acknowledgement (p50, p95, p99).
 *
 * Options (environment): BENCH_SECONDS (5), BENCH_CONNECTIONS (10), DATABASE_URL.
 *
 * @example DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_tuo npx tsx bench/tell-us-once.ts
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { registerCitizen } from '../src/modules/identity/index.js';
import { createOrganisation } from '../src/modules/organisations/index.js';
import { createAgreement, submitChange } from '../src/modules/sharing/index.js';
import { hubDeliverySet, hubKeyCreate } from '../src/modules/submissions/index.js';
import type { Db } from '../src/platform/db/database.js';
import os from 'node:os';
import { CONNECTIONS, enterScratch, listen, progress, SECONDS, startPlatform } from './lib.js';

const BODIES = 10;
const WAIT_FOR_ACKS_MS = 120_000;

/** What one scenario measured. */
interface Outcome {
  scenario: string;
  changes: number;
  deliveries: number;
  seconds: number;
  latencies: number[];
  lost: number;
}

/** One change in flight: when it was reported and how many bodies have acknowledged it. */
interface InFlight {
  startedAt: number;
  acks: number;
  /** report() has returned it (an acknowledgement may come first). */
  reported?: boolean;
  /** Called when the last body has acknowledged it. */
  finished?: () => void;
}

/**
 * A body's system: answers each POSTed change at once, then acknowledges it to the URL in the
 * change (`acknowledge`) with its key, and reports the acknowledgement's answer.
 */
async function startReceiver(
  onAck: (reference: string, ok: boolean) => void,
  platformBase: () => string,
): Promise<{ url: string; key: string; server: Server }> {
  const receiver = { url: '', key: '', server: undefined as unknown as Server };
  receiver.server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      const change = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        reference: string;
        acknowledge: string;
      };
      // The URL names the configured BASE_URL; the platform here listens on a random port.
      const { pathname } = new URL(change.acknowledge);
      const answerUrl = change.acknowledge.includes('/api/v1/sharing/')
        ? `${platformBase()}${pathname}`
        : change.acknowledge;
      void fetch(answerUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${receiver.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'acknowledged' }),
      })
        .then(async (answer) => {
          await answer.arrayBuffer();
          onAck(change.reference, answer.ok);
        })
        .catch(() => onAck(change.reference, false));
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/changes`;
  return receiver;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Runs `report` from CONNECTIONS producers for SECONDS, then waits for every change's tenth
 * acknowledgement; `acknowledged` is called by the receivers.
 */
async function drive(
  scenario: string,
  flights: Map<string, InFlight>,
  report: (n: number) => Promise<string>,
): Promise<Outcome> {
  const latencies: number[] = [];
  let deliveries = 0;
  let lastAck = 0;
  let done!: () => void;
  const allDone = new Promise<void>((resolve) => (done = resolve));
  let producing = true;
  const finish = (reference: string, flight: InFlight) => {
    latencies.push(Date.now() - flight.startedAt);
    flights.delete(reference);
    flight.finished?.();
    if (!producing && flights.size === 0) done();
  };
  acknowledge = (reference, ok) => {
    if (!ok) return;
    // An acknowledgement can come before report() has returned the change's reference.
    let flight = flights.get(reference);
    if (!flight) {
      flight = { startedAt: Date.now(), acks: 0 };
      flights.set(reference, flight);
    }
    deliveries++;
    lastAck = Date.now();
    // Not yet reported (all ten before report() returned): its producer finishes it.
    if (++flight.acks === BODIES && flight.reported) finish(reference, flight);
  };
  const started = Date.now();
  const until = started + SECONDS * 1000;
  let counter = 0;
  let changes = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      // Closed loop: each producer reports its next change once every body has its last, so
      // the time measured is a change's own journey, not a queue the producers built up.
      while (Date.now() < until) {
        const startedAt = Date.now();
        const reference = await report(counter++);
        const flight = flights.get(reference) ?? { startedAt, acks: 0 };
        flight.startedAt = startedAt;
        flight.reported = true;
        flights.set(reference, flight);
        changes++;
        if (flight.acks === BODIES) finish(reference, flight);
        else
          await Promise.race([
            new Promise<void>((resolve) => (flight.finished = resolve)),
            new Promise((resolve) => setTimeout(resolve, WAIT_FOR_ACKS_MS)),
          ]);
      }
    }),
  );
  producing = false;
  if (flights.size > 0)
    await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, WAIT_FOR_ACKS_MS))]);
  const lost = flights.size;
  flights.clear();
  return {
    scenario,
    changes,
    deliveries,
    seconds: ((lastAck || Date.now()) - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
    lost,
  };
}

/** Set by `drive` for the scenario running: a receiver saw its acknowledgement answered. */
let acknowledge: (reference: string, ok: boolean) => void = () => {};

/** The bare fan-out: one INSERT, ten POSTs, and a route that counts acknowledgements with an UPDATE. */
async function baseline(db: Db, receivers: { url: string }[]): Promise<Outcome> {
  await sql`create table if not exists bench_tuo_changes (reference text primary key, acks int not null default 0)`.execute(
    db,
  );
  const bare = Fastify();
  bare.post<{ Params: { reference: string } }>('/ack/:reference', async (request) => {
    await sql`update bench_tuo_changes set acks = acks + 1 where reference = ${request.params.reference}`.execute(
      db,
    );
    return { status: 'acknowledged' };
  });
  const base = await listen(bare);
  const flights = new Map<string, InFlight>();
  try {
    return await drive('baseline (bare fan-out)', flights, async (n) => {
      const reference = `BARE-${n}`;
      await sql`insert into bench_tuo_changes (reference) values (${reference})`.execute(db);
      const body = (i: number) =>
        JSON.stringify({ reference, acknowledge: `${base}/ack/${reference}`, body: i });
      await Promise.all(
        receivers.map((receiver, i) =>
          fetch(receiver.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: body(i),
          }).then((response) => response.arrayBuffer()),
        ),
      );
      return reference;
    });
  } finally {
    await bare.close();
    await sql`drop table if exists bench_tuo_changes`.execute(db);
  }
}

/** Ten bench bodies, each with an agreement, push delivery to its receiver and a receive key. */
async function setUpBodies(
  platform: Awaited<ReturnType<typeof startPlatform>>['platform'],
  receivers: { url: string; key: string }[],
  personId: string,
): Promise<void> {
  const { db } = platform.database;
  const actor = { userId: null, organisationId: null, role: 'bench' };
  for (const [i, receiver] of receivers.entries()) {
    const slug = `bench-body-${i + 1}`;
    const made = await createOrganisation(db, { slug, name: `Bench body ${i + 1}`, type: 'other' });
    if (!made.ok) throw new Error(`Could not create ${slug}: ${JSON.stringify(made.errors)}`);
    const organisationId = made.organisation.id;
    const delivery = await hubDeliverySet(db, platform.config, [
      '--org',
      slug,
      '--mode',
      'push',
      '--url',
      receiver.url,
      '--alert-email',
      'ops@bench.example',
    ]);
    if (delivery.code !== 0) throw new Error(delivery.err.join('; '));
    const key = await hubKeyCreate(db, ['--org', slug, '--scope', 'receive']);
    if (key.code !== 0) throw new Error(key.err.join('; '));
    receiver.key = key.out[0]!;
    await db.transaction().execute(async (trx) => {
      const agreement = await createAgreement(
        trx,
        {
          organisationId,
          eventTypes: ['change-of-address'],
          fields: ['change-of-address.uprn', 'change-of-address.postcode'],
          legalBasis: 'public-task',
          purpose: 'To keep the bench body’s records up to date',
          purposeCy: 'I gadw cofnodion y corff meincnodi yn gyfredol',
          startsOn: '2026-01-01',
          endsOn: '',
        },
        new Set([organisationId]),
        actor,
      );
      if (!agreement.ok) throw new Error(`Agreement refused: ${JSON.stringify(agreement.errors)}`);
      // As the demo does: the relationship a body would declare through the API by an exact match.
      await trx
        .insertInto('sharing_relationships')
        .values({
          organisation_id: organisationId,
          user_id: personId,
          body_reference: `BENCH-${i + 1}`,
          matched_by: 'demo',
          matched_reference: `BENCH-${i + 1}`,
          declared_by_key_id: null,
        })
        .execute();
    });
  }
}

async function tellUsOnce(
  platform: Awaited<ReturnType<typeof startPlatform>>['platform'],
  personId: string,
): Promise<Outcome> {
  const { db } = platform.database;
  const actor = { userId: personId, organisationId: null, role: 'citizen' };
  return drive('tell us once (10 bodies)', new Map(), async (n) => {
    const outcome = await db.transaction().execute((trx) =>
      submitChange(
        trx,
        {
          userId: personId,
          type: 'change-of-address',
          details: {
            uprn: String(100000000000 + n),
            address: `${n} Bench Street, Stroud`,
            postcode: 'GL5 4UB',
            movedOn: '2026-11-02',
          },
          consentedAgreementIds: [],
        },
        actor,
        platform.config.baseUrl,
      ),
    );
    if (!outcome.ok) throw new Error(`Change refused: ${outcome.problems.join('; ')}`);
    platform.worker.wake();
    return outcome.change.reference;
  });
}

function print(outcomes: Outcome[], kind: string): void {
  const [bare] = outcomes;
  console.log(
    `\nTell us once: ${SECONDS} s per scenario, ${CONNECTIONS} producers each waiting for its change, ` +
      `${BODIES} bodies a change, database ${kind}, Node ${process.version}, ${os.cpus().length} CPUs`,
  );
  console.table(
    outcomes.map((o) => {
      const perSecond = o.deliveries / o.seconds;
      return {
        scenario: o.scenario,
        'changes done': o.latencies.length,
        'deliveries/s': perSecond.toFixed(0),
        'p50 ms': percentile(o.latencies, 50).toFixed(0),
        'p95 ms': percentile(o.latencies, 95).toFixed(0),
        'p99 ms': percentile(o.latencies, 99).toFixed(0),
        'ratio to baseline': (perSecond / (bare!.deliveries / bare!.seconds)).toFixed(3),
        'not acknowledged': o.lost,
      };
    }),
  );
}

async function main(): Promise<void> {
  const leave = enterScratch('ju-bench-tuo-', { tmpdir: true });
  const receivers: { url: string; key: string; server: Server }[] = [];
  const { platform, base } = await startPlatform({
    HUB_ALLOW_PRIVATE_WEBHOOKS: 'true',
    OUTBOX_CONCURRENCY: '16',
  });
  try {
    for (let i = 0; i < BODIES; i++)
      receivers.push(
        await startReceiver(
          (reference, ok) => acknowledge(reference, ok),
          () => base,
        ),
      );
    const { db } = platform.database;
    const person = await registerCitizen(db, {
      email: 'bench-tell-us-once@example.com',
      password: 'bench tell us once passphrase',
      displayName: 'Bench Person',
    });
    if (!person.ok) throw new Error('Could not register the bench person');
    await setUpBodies(platform, receivers, person.user.id);
    progress('baseline (bare fan-out)');
    const bare = await baseline(db, receivers);
    progress('tell us once');
    const told = await tellUsOnce(platform, person.user.id);
    print([bare, told], platform.database.kind);
    const lost = bare.lost + told.lost;
    if (lost > 0) {
      console.error(`${lost} change(s) not acknowledged by every body within the wait`);
      process.exitCode = 1;
    }
  } finally {
    for (const receiver of receivers) receiver.server.close();
    await platform.close();
    leave();
  }
}

await main();
