import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startReceiver,
  type WebhookReceiver,
} from '../../src/modules/submissions/hub/testing/receiver.js';
import {
  eventually,
  freePort,
  runJoinedup,
  startJoinedup,
  seededDataDir,
  throwAwayDatabase,
  type RunningJoinedup,
} from '../helpers/child-process.js';

/**
 * The hub's promise: "Nothing acknowledged with 202 may ever be lost or delivered to the wrong
 * body; duplicates are suppressed by the receiver's idempotency key." A real `joinedup start`
 * child takes submissions from several clients at once and pushes them to a real webhook
 * receiver; it is killed with SIGKILL in the middle of that, and started again on the same
 * database. Every client whose answer was lost sends the same request again with the same
 * Idempotency-Key, as the guide tells them to. Then every 202 must reach the receiver, and the
 * receiver (dropping repeats by Idempotency-Key) must hold each exactly once and nothing else.
 */

const SERVICE = 'request-a-bulky-waste-collection';
const TOTAL = 40;
const CONCURRENCY = 6;
/** Kill once this many answers have come back, with more requests in flight and still to send. */
const KILL_AFTER = 15;

function weekdayAhead(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

interface Attempt {
  idempotencyKey: string;
  body: string;
  /** The 202's submission id, once one came back. */
  id?: string;
}

describe('the hub survives SIGKILL under load', () => {
  const serverUrl = process.env.DATABASE_URL;
  let dataDir: string;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let receiver: WebhookReceiver;
  const children: RunningJoinedup[] = [];

  const env = () => ({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...(database ? { DATABASE_URL: database.url } : {}),
  });

  /** One `joinedup <command>` run to its end (the server is not running then: PGlite is one process's). */
  const cli = (...args: string[]) => runJoinedup(env(), ...args);

  async function start(): Promise<RunningJoinedup> {
    const child = await startJoinedup({
      env: {
        ...env(),
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        WORKER: 'on',
        WORKER_POLL_MS: '100',
        // Messages the killed node had claimed come back after this, not the default minute.
        OUTBOX_LEASE_MS: '5000',
      },
    });
    children.push(child);
    return child;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-hub-durability-'));
    // Start from the demo already migrated and seeded (`npm start` would otherwise seed it).
    if (serverUrl) database = await throwAwayDatabase(serverUrl, { seeded: true });
    else await seededDataDir(dataDir);
    receiver = await startReceiver();
  });

  afterAll(async () => {
    for (const child of children) await child.stop();
    await receiver?.close();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('delivers every submission acknowledged with 202 exactly once after a SIGKILL mid-load and a restart', async () => {
    // The body (the demo is seeded already): a submit key, and a webhook to the receiver.
    const key = await cli('hub:key:create', '--org', 'stroud', '--scope', 'submit');
    expect(key).toMatch(/^juhub\./);
    const secret = await cli(
      'hub:delivery:set',
      '--org',
      'stroud',
      '--mode',
      'push',
      '--url',
      receiver.url,
      '--alert-email',
      'digital@stroud.example.gov.uk',
    );
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets = [secret];

    const attempts: Attempt[] = Array.from({ length: TOTAL }, (_, i) => ({
      idempotencyKey: `crash-test-${i}`,
      body: JSON.stringify({
        answers: {
          items: ['sofa'],
          itemDetails: `Load test item ${i}`,
          addressLine1: `${i + 1} Crash Street`,
          town: 'Stroud',
          postcode: 'GL5 4UB',
          preferredDate: weekdayAhead(7),
        },
      }),
    }));

    const send = async (baseUrl: string, attempt: Attempt) => {
      const response = await fetch(`${baseUrl}/api/v1/services/${SERVICE}/submissions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': attempt.idempotencyKey,
        },
        body: attempt.body,
        signal: AbortSignal.timeout(20_000),
      });
      const json = (await response.json()) as { id?: string };
      if (response.status !== 202)
        throw new Error(`HTTP ${response.status}: ${JSON.stringify(json)}`);
      return json.id!;
    };

    // 1. Load, and SIGKILL in the middle of it.
    const first = await start();
    let answered = 0;
    let killing: Promise<unknown> | undefined;
    let next = 0;
    const worker = async () => {
      while (next < attempts.length && !killing) {
        const attempt = attempts[next++]!;
        try {
          attempt.id = await send(first.baseUrl, attempt);
        } catch {
          // The answer was lost (the process died); the client will try again.
        }
        if (++answered === KILL_AFTER) killing = first.kill();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const killed = await killing!;
    expect(killed).toMatchObject({ signal: 'SIGKILL' });
    const acknowledgedBeforeKill = attempts.filter((a) => a.id).length;
    expect(acknowledgedBeforeKill, 'some 202s came back before the kill').toBeGreaterThan(0);
    expect(acknowledgedBeforeKill, 'the kill came with work still to do').toBeLessThan(TOTAL);
    const before = new Map(attempts.filter((a) => a.id).map((a) => [a.idempotencyKey, a.id!]));

    // 2. Restart on the same database; every client without an answer sends the same request again.
    const second = await start();
    for (const attempt of attempts.filter((a) => !a.id))
      attempt.id = await send(second.baseUrl, attempt);
    // A repeat of an acknowledged request is answered with the same submission.
    for (const attempt of attempts.slice(0, 3).filter((a) => before.has(a.idempotencyKey)))
      expect(await send(second.baseUrl, attempt)).toBe(before.get(attempt.idempotencyKey));
    const acknowledged = new Set(attempts.map((a) => a.id!));
    expect(acknowledged.size, 'one submission per Idempotency-Key').toBe(TOTAL);

    // 3. The worker drains: every 202 reaches the receiver.
    await eventually(
      async () => ([...acknowledged].every((id) => receiver.accepted.has(id)) ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 250,
        what: () =>
          `every acknowledged submission at the receiver (${[...acknowledged].filter((id) => receiver.accepted.has(id)).length}/${TOTAL})\n${second.output().slice(-3000)}`,
      },
    );
    // Give a stray duplicate delivery (if any) time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // Exactly once: the receiver, dropping repeats, holds each acknowledged submission and nothing else.
    expect(new Set(receiver.accepted.keys())).toEqual(acknowledged);
    for (const [id, body] of receiver.accepted) {
      expect(body.id).toBe(id);
      expect(body.organisation).toMatchObject({ slug: 'stroud' });
    }
    // Every delivery was signed; repeats (a delivery cut short by the kill) are all the same submission's.
    expect(receiver.deliveries.every((d) => d.verified)).toBe(true);
    expect(receiver.deliveries.every((d) => acknowledged.has(d.idempotencyKey))).toBe(true);

    // And the hub knows they were delivered. The receiver holds a delivery a moment before the
    // worker records its answer, so this waits for the record rather than racing it.
    const statusOf = async (id: string) => {
      const response = await fetch(`${second.baseUrl}/api/v1/submissions/${id}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      return ((await response.json()) as { status: string }).status;
    };
    const sample = [...acknowledged].slice(0, 10);
    let statuses: string[] = [];
    await eventually(
      async () => {
        statuses = await Promise.all(sample.map(statusOf));
        return statuses.every((status) => status === 'delivered') ? true : undefined;
      },
      {
        timeoutMs: 15_000,
        intervalMs: 250,
        what: () => `every sampled submission delivered (last seen: ${statuses.join(', ')})`,
      },
    );
    expect(second.child.exitCode, 'the restarted app is still running').toBeNull();
  }, 180_000);
});
