import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startReceiver,
  type WebhookReceiver,
} from '../../src/modules/submissions/hub/testing/receiver.js';
import { Visitor, weekdayAhead } from '../helpers/app.js';
import {
  eventually,
  freePort,
  runJoinedup,
  startJoinedup,
  throwAwayDatabase,
  type RunningJoinedup,
} from '../helpers/child-process.js';
import { applyForBulkyWaste } from '../helpers/journeys.js';

/**
 * "Several app nodes may share one PostgreSQL: no state in process memory that another node
 * needs." Three real `joinedup serve` processes on one database, behind a round-robin proxy
 * (each request to the next node), so every step of a journey lands on a different node than
 * the one before: the session, the CSRF secret, the form's progress, the sign-in limits and the
 * outbox must all be the database's, or the journey breaks. PostgreSQL only: the embedded
 * database is one process's files.
 */
const NODES = 3;
const SUBMISSIONS = 30;
const SERVICE = 'request-a-bulky-waste-collection';

interface RoundRobin {
  url: string;
  /** Requests each node answered. */
  served: number[];
  close(): Promise<void>;
}

/** A small HTTP proxy sending each request to the next node in turn. */
async function roundRobin(nodes: RunningJoinedup[]): Promise<RoundRobin> {
  const served = nodes.map(() => 0);
  let next = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const index = next++ % nodes.length;
    const target = new URL(nodes[index]!.baseUrl);
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        agent: false,
      },
      (answer) => {
        served[index]!++;
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => {
      outgoing.writeHead(502).end();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function isoWeekdayAhead(days: number): string {
  const [d, m, y] = weekdayAhead(days);
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

describe.skipIf(!process.env.DATABASE_URL)('three nodes on one PostgreSQL', () => {
  let dataDir: string;
  let database: { url: string; drop(): Promise<void> };
  let receiver: WebhookReceiver;
  let proxy: RoundRobin;
  let hubKey: string;
  const nodes: RunningJoinedup[] = [];

  const env = () => ({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: database.url });

  const cli = (...args: string[]) => runJoinedup(env(), ...args);

  async function query<T>(text: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-nodes-'));
    database = await throwAwayDatabase(process.env.DATABASE_URL!, { seeded: true });
    receiver = await startReceiver();
    hubKey = await cli('hub:key:create', '--org', 'stroud', '--scope', 'submit');
    receiver.secrets = [
      await cli(
        'hub:delivery:set',
        '--org',
        'stroud',
        '--mode',
        'push',
        '--url',
        receiver.url,
        '--alert-email',
        'digital@stroud.example.gov.uk',
      ),
    ];
    const started = await Promise.all(
      Array.from({ length: NODES }, async () =>
        startJoinedup({
          command: 'serve',
          readyTimeoutMs: 90_000,
          env: {
            ...env(),
            PORT: String(await freePort()),
            HOST: '127.0.0.1',
            WORKER: 'on',
            WORKER_POLL_MS: '100',
            SIGN_IN_ATTEMPTS_PER_MINUTE: '4',
          },
        }),
      ),
    );
    nodes.push(...started);
    proxy = await roundRobin(nodes);
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(nodes.map((node) => node.stop()));
    await receiver?.close();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('carries a signed-in journey from node to node: session, CSRF and the form’s progress', async () => {
    const before = [...proxy.served];
    const citizen = new Visitor(proxy.url);
    await citizen.signIn('citizen@example.com', 'demo-citizen-password');
    const reference = await applyForBulkyWaste(citizen, { itemDetails: 'a wardrobe' });
    const page = await citizen.get(`/applications/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(reference);
    // Every node took part in the journey.
    expect(proxy.served.every((count, i) => count > before[i]!)).toBe(true);
  }, 120_000);

  it('counts sign-in attempts across nodes, so moving between them gains nothing', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const visitor = new Visitor(proxy.url);
      await visitor.get('/sign-in');
      const response = await visitor.post('/sign-in', {
        email: 'owner@stroud.example.gov.uk',
        password: `wrong-${attempt}`,
        returnTo: '/',
      });
      statuses.push(response.status);
    }
    // Four a minute (SIGN_IN_ATTEMPTS_PER_MINUTE): no node saw more than two of the five, so only
    // a count the nodes share refuses the fifth.
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
  }, 60_000);

  it('delivers each submission once although every node runs a worker, and schedules each job once', async () => {
    const ids = await Promise.all(
      Array.from({ length: SUBMISSIONS }, async (_, i) => {
        const response = await fetch(`${proxy.url}/api/v1/services/${SERVICE}/submissions`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${hubKey}`,
            'content-type': 'application/json',
            'idempotency-key': `nodes-${i}`,
          },
          body: JSON.stringify({
            answers: {
              items: ['sofa'],
              itemDetails: `Item ${i}`,
              addressLine1: `${i + 1} Node Street`,
              town: 'Stroud',
              postcode: 'GL5 4UB',
              preferredDate: isoWeekdayAhead(7),
            },
          }),
        });
        expect(response.status).toBe(202);
        return ((await response.json()) as { id: string }).id;
      }),
    );
    await eventually(
      async () => (ids.every((id) => receiver.accepted.has(id)) ? true : undefined),
      {
        timeoutMs: 60_000,
        what: () => `all ${SUBMISSIONS} submissions at the receiver (${receiver.accepted.size})`,
      },
    );
    // Time for a second delivery of anything, had two workers taken the same message.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // (The receiver also has the first test's application: Stroud's submissions all come here.)
    const sent = new Set(ids);
    expect(receiver.deliveries.filter((d) => sent.has(d.idempotencyKey))).toHaveLength(SUBMISSIONS);
    expect(ids.map((id) => receiver.arrivals.get(id))).toEqual(ids.map(() => 1));

    // Each node queued the nightly retention run at start; the database kept one.
    const nightly = await query<{ n: number }>(
      `select count(*)::int as n from outbox where topic = 'retention.nightly' and status = 'pending'`,
    );
    expect(nightly[0]!.n).toBe(1);
  }, 120_000);
});
