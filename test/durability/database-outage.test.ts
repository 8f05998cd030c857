import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startReceiver,
  type WebhookReceiver,
} from '../../src/modules/submissions/hub/testing/receiver.js';
import { weekdayAhead } from '../helpers/app.js';
import {
  eventually,
  freePort,
  runJoinedup,
  startJoinedup,
  throwAwayDatabase,
  type RunningJoinedup,
} from '../helpers/child-process.js';

/**
 * PostgreSQL goes away under load and comes back, as in a restart or a fail-over: every
 * connection is cut at once and new ones are refused for a few seconds. The server itself is
 * shared with the rest of the suite, so the outage is made by a TCP relay between the Joinedup
 * node and PostgreSQL that drops every connection and stops listening. Then: the node must not
 * crash or hang, must say it is not ready, and must recover by itself; nothing it acknowledged
 * may be lost, and clients that retry with their Idempotency-Key must get each submission once.
 */
const SERVICE = 'request-a-bulky-waste-collection';
const TOTAL = 40;
const CONCURRENCY = 6;
const CUT_AFTER = 12;
const OUTAGE_MS = 4_000;

/** A TCP relay to PostgreSQL that can be cut: every connection dropped, new ones refused. */
class DatabaseRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** The outage: every connection reset, the port closed for `ms`, then open again. */
  async cut(ms: number, during: () => Promise<void>): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const socket of this.sockets) socket.resetAndDestroy();
    await closed;
    const reopen = new Promise((resolve) => setTimeout(resolve, ms));
    await during();
    await reopen;
    await this.open();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL restarting under load', () => {
  let dataDir: string;
  let database: { url: string; drop(): Promise<void> };
  let relay: DatabaseRelay;
  let receiver: WebhookReceiver;
  let node: RunningJoinedup;
  let key: string;

  const viaRelay = () => {
    const url = new URL(database.url);
    url.host = `127.0.0.1:${relay.port}`;
    return url.toString();
  };

  const cli = (...args: string[]) =>
    runJoinedup({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: database.url }, ...args);

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-db-outage-'));
    database = await throwAwayDatabase(process.env.DATABASE_URL!, { seeded: true });
    const server = new URL(database.url);
    relay = new DatabaseRelay({ host: server.hostname, port: Number(server.port || 5432) });
    await relay.open();
    receiver = await startReceiver();
    key = await cli('hub:key:create', '--org', 'stroud', '--scope', 'submit');
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
    node = await startJoinedup({
      command: 'serve',
      readyTimeoutMs: 90_000,
      env: {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        DATABASE_URL: viaRelay(),
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        WORKER: 'on',
        WORKER_POLL_MS: '100',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await node?.stop();
    await relay?.close();
    await receiver?.close();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('loses nothing acknowledged, says it is not ready while the database is away, and recovers by itself', async () => {
    const [d, m, y] = weekdayAhead(7);
    const send = async (i: number): Promise<{ status: number; id?: string }> => {
      try {
        const response = await fetch(`${node.baseUrl}/api/v1/services/${SERVICE}/submissions`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'idempotency-key': `outage-${i}`,
          },
          body: JSON.stringify({
            answers: {
              items: ['sofa'],
              itemDetails: `Item ${i}`,
              addressLine1: `${i + 1} Outage Road`,
              town: 'Stroud',
              postcode: 'GL5 4UB',
              preferredDate: `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`,
            },
          }),
          // An outage must fail a request, not hang it.
          signal: AbortSignal.timeout(20_000),
        });
        const body = (await response.json()) as { id?: string };
        return { status: response.status, ...(body.id ? { id: body.id } : {}) };
      } catch {
        return { status: 0 };
      }
    };

    const acknowledged = new Map<number, string>();
    const failed = new Set<number>();
    let answered = 0;
    let next = 0;
    let outage: Promise<void> | undefined;
    let readyDuringOutage = 0;
    const client = async () => {
      while (next < TOTAL) {
        const i = next++;
        const { status, id } = await send(i);
        if (status === 202 && id) acknowledged.set(i, id);
        else failed.add(i);
        if (++answered === CUT_AFTER)
          outage = relay.cut(OUTAGE_MS, async () => {
            readyDuringOutage = await fetch(`${node.baseUrl}/readyz`).then(
              (response) => response.status,
              () => -1,
            );
          });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    await outage;

    expect(node.child.exitCode, node.output().slice(-3000)).toBeNull();
    expect(readyDuringOutage, '/readyz while the database was away').toBe(503);
    expect(acknowledged.size, 'some were taken before the outage').toBeGreaterThan(0);
    expect(failed.size, 'some were refused during it').toBeGreaterThan(0);

    // The node recovers by itself (it was not restarted): clients send what failed again.
    const recovered = await eventually(
      async () => ((await fetch(`${node.baseUrl}/readyz`)).status === 200 ? true : undefined),
      { timeoutMs: 30_000, what: 'the node ready again' },
    );
    expect(recovered).toBe(true);
    expect(node.child.exitCode, node.output().slice(-2000)).toBeNull();
    for (const i of failed) {
      const { status, id } = await send(i);
      expect(status, `submission ${i} after the outage`).toBe(202);
      acknowledged.set(i, id!);
    }
    // A retry of one taken before the outage gets the same submission.
    const [firstIndex, firstId] = [...acknowledged].sort(([a], [b]) => a - b)[0]!;
    expect((await send(firstIndex)).id).toBe(firstId);

    // Nothing acknowledged is lost: each is in the database once, and reaches the body once.
    const ids = new Set(acknowledged.values());
    expect(ids.size).toBe(TOTAL);
    const direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
    try {
      const { rows } = await direct.query<{ n: number }>(
        'select count(*)::int as n from submissions where id = any($1::uuid[])',
        [[...ids]],
      );
      expect(rows[0]!.n).toBe(TOTAL);
    } finally {
      await direct.end();
    }
    await eventually(
      async () => ([...ids].every((id) => receiver.accepted.has(id)) ? true : undefined),
      {
        timeoutMs: 60_000,
        what: () => `every submission at the receiver (${receiver.accepted.size}/${TOTAL})`,
      },
    );
    expect([...ids].map((id) => receiver.accepted.get(id)?.id)).toEqual([...ids]);
  }, 180_000);
});
