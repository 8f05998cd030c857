import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { loadConfig } from '../../../platform/config/config.js';
import { OutboxWorker } from '../../../platform/outbox/outbox.js';
import { publishService } from '../../catalogue/index.js';
import { createStaffUser, findCitizenByEmail } from '../../identity/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { hubDeliverySet, hubKeyCreate } from '../commands/cli.js';
import { createSubmission } from '../commands/submissions.js';
import { submissionHandlers } from '../notifications.js';
import { DELIVER_TOPIC, retireOldSecrets, rotateWebhookSecret } from './delivery.js';
import { startReceiver, type WebhookReceiver } from './testing/receiver.js';

const STROUD_SERVICE = 'request-a-bulky-waste-collection'; // Stroud takes its submissions by webhook here
const CHELTENHAM_SERVICE = 'cheltenham-bulky-waste-test'; // Cheltenham pulls them

let app: TestApp;
let receiver: WebhookReceiver;
let secret: string;
let stroudSubmit: string;
let stroudReceive: string;
let cheltenhamSubmit: string;
let cheltenhamReceive: string;
const ids: Record<string, string> = {};
const db = () => app.platform.database.db;
/** The app's configuration (test defaults): its SESSION_SECRET is what signs the webhooks. */
const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', WORKER: 'off' });
const ACTOR = { userId: null, organisationId: null, role: 'test' } as const;

async function organisationId(slug: string): Promise<string> {
  return (await findOrganisationBySlug(db(), slug))!.id;
}

function weekdayAhead(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

const ANSWERS = {
  items: ['mattress'],
  addressLine1: '2 Castle Street',
  town: 'Stroud',
  postcode: 'GL5 4UB',
  preferredDate: weekdayAhead(10),
};

async function call(method: string, path: string, key: string, body?: unknown, idem?: string) {
  const response = await fetch(app.baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(idem ? { 'idempotency-key': idem } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

let sequence = 0;
async function submit(
  key: string,
  service = STROUD_SERVICE,
): Promise<{ id: string; reference: string }> {
  const sent = await call(
    'POST',
    `/api/v1/services/${service}/submissions`,
    key,
    { answers: ANSWERS },
    `delivery-test-${++sequence}`,
  );
  expect(sent.status).toBe(202);
  return sent.json;
}

async function statusOf(id: string, key = stroudSubmit) {
  return (await call('GET', `/api/v1/submissions/${id}`, key)).json;
}

async function deliveryMessages(id: string) {
  return db()
    .selectFrom('outbox')
    .selectAll()
    .where('topic', '=', DELIVER_TOPIC)
    .where(sql<string>`payload->>'submissionId'`, '=', id)
    .execute();
}

/** Whatever is waiting to be retried, due now (instead of after its backoff). */
async function dueNow() {
  await db()
    .updateTable('outbox')
    .set({ available_at: sql`now()` })
    .where('status', '=', 'pending')
    .execute();
}

const drain = () => app.platform.worker.drain();

beforeAll(async () => {
  app = await startTestApp();
  receiver = await startReceiver();
  ids.stroud = await organisationId('stroud');
  ids.cheltenham = await organisationId('cheltenham');
  const set = await hubDeliverySet(db(), config, [
    '--org',
    'stroud',
    '--mode',
    'push',
    '--url',
    receiver.url,
    '--alert-email',
    'digital@stroud.example.gov.uk',
  ]);
  expect(set.code).toBe(0);
  secret = set.out[0]!;
  expect(secret).toMatch(/^whsec_/);
  receiver.secrets = [secret];
  const key = async (org: string, scope: string) => {
    const created = await hubKeyCreate(db(), ['--org', org, '--scope', scope]);
    expect(created.code).toBe(0);
    return created.out[0]!;
  };
  stroudSubmit = await key('stroud', 'submit');
  stroudReceive = await key('stroud', 'receive');
  // A second service with the same form, provided by Cheltenham, which pulls its submissions.
  const published = await publishService(db(), {
    organisationId: await organisationId('cheltenham'),
    slug: CHELTENHAM_SERVICE,
    title: 'Request a bulky waste collection (test)',
    titleCy: 'Gofyn am gasgliad gwastraff swmpus (prawf)',
    summary: 'A test service.',
    summaryCy: 'Gwasanaeth prawf.',
    body: 'A test service.',
    bodyCy: 'Gwasanaeth prawf.',
    formKey: 'bulky-waste',
  });
  expect(published.ok).toBe(true);
  expect((await hubDeliverySet(db(), config, ['--org', 'E07000078', '--mode', 'pull'])).code).toBe(
    0,
  );
  cheltenhamSubmit = await key('cheltenham', 'submit');
  cheltenhamReceive = await key('cheltenham', 'receive');
});

afterAll(async () => {
  await receiver?.close();
  await app?.close();
});

afterEach(() => {
  receiver.behaviour = 'ok';
});

describe('push: a signed webhook to the body’s system', () => {
  it('delivers a submission once, signed, with its id as the Idempotency-Key; a 2xx marks it delivered', async () => {
    const sent = await submit(stroudSubmit);
    await drain();
    const arrivals = receiver.deliveries.filter((d) => d.idempotencyKey === sent.id);
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]!.verified).toBe(true);
    expect(arrivals[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(arrivals[0]!.body).toMatchObject({
      id: sent.id,
      reference: sent.reference,
      service: { slug: STROUD_SERVICE },
      organisation: { slug: 'stroud', gssCode: 'E07000082' },
      form: { version: 1 },
      channel: 'api:stroud',
      applicant: { account: false },
      answers: { items: ['mattress'], postcode: 'GL5 4UB' },
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const status = await statusOf(sent.id);
    expect(status.status).toBe('delivered');
    expect(status.history.at(-1)).toMatchObject({ status: 'delivered', via: 'push' });
    expect((await deliveryMessages(sent.id)).map((m) => m.status)).toEqual(['done']);
  });

  it('a web application to a body with a webhook goes by webhook with the applicant’s account, and the applicant is e-mailed only once it is delivered', async () => {
    const citizen = (await findCitizenByEmail(db(), 'citizen@example.com'))!;
    const service = await db()
      .selectFrom('services')
      .select(['id', 'organisation_id'])
      .where('slug', '=', STROUD_SERVICE)
      .executeTakeFirstOrThrow();
    const submission = await db()
      .transaction()
      .execute((trx) =>
        createSubmission(
          trx,
          {
            draftId: crypto.randomUUID(),
            serviceId: service.id,
            organisationId: service.organisation_id,
            applicantUserId: citizen.id,
            answers: { values: ANSWERS, summary: { en: [], cy: [] } },
          },
          { userId: citizen.id, organisationId: null, role: 'citizen' },
        ),
      );
    const mails = () =>
      db()
        .selectFrom('outbox')
        .select(['payload', 'idempotency_key'])
        .where('topic', '=', 'mail.send')
        .where('idempotency_key', 'like', `submission.submitted:${submission.id}%`)
        .execute();
    receiver.behaviour = 'fail';
    await drain();
    expect(await mails()).toEqual([]);
    receiver.behaviour = 'ok';
    await dueNow();
    await drain();
    const taken = receiver.accepted.get(submission.id)!;
    expect(taken.applicant).toEqual({
      account: true,
      name: citizen.display_name,
      email: 'citizen@example.com',
    });
    expect(taken.channel).toBe('web');
    const sent = await mails();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload.to).toBe('citizen@example.com');
  });

  it('a receiver answering 500 is tried again later; the repeat carries the same Idempotency-Key and the receiver keeps one', async () => {
    const sent = await submit(stroudSubmit);
    receiver.behaviour = 'fail';
    await drain();
    const [message] = await deliveryMessages(sent.id);
    expect(message).toMatchObject({ status: 'pending', attempts: 1 });
    expect(message!.last_error).toContain('500');
    expect(message!.available_at.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect((await statusOf(sent.id)).status).toBe('received');

    receiver.behaviour = 'ok';
    await dueNow();
    await drain();
    expect(receiver.arrivals.get(sent.id)).toBe(2);
    expect(receiver.accepted.has(sent.id)).toBe(true);
    expect((await statusOf(sent.id)).status).toBe('delivered');
    expect((await deliveryMessages(sent.id))[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a receiver that does not answer within the time-out has failed that attempt, and is tried again', async () => {
    const sent = await submit(stroudSubmit);
    const impatient = new OutboxWorker(
      db(),
      new Map(Object.entries(submissionHandlers(config, { webhookTimeoutMs: 300 }))),
      app.platform.logger,
      { pollMs: 1000, maxAttempts: 8 },
    );
    receiver.behaviour = 'hang';
    receiver.hangMs = 2_000;
    const started = performance.now();
    await impatient.drain();
    expect(performance.now() - started).toBeLessThan(1_800);
    const [message] = await deliveryMessages(sent.id);
    expect(message).toMatchObject({ status: 'pending', attempts: 1 });
    expect(message!.last_error).toMatch(/abort|time/i);
    expect((await statusOf(sent.id)).status).toBe('received');
    receiver.behaviour = 'ok';
    await dueNow();
    await impatient.drain();
    expect((await statusOf(sent.id)).status).toBe('delivered');
  });

  it('a receiver that is down is tried again until it is back up', async () => {
    const sent = await submit(stroudSubmit);
    await receiver.down();
    await drain();
    await dueNow();
    await drain();
    const [message] = await deliveryMessages(sent.id);
    expect(message).toMatchObject({ status: 'pending', attempts: 2 });
    expect(message!.last_error).toMatch(/fetch failed|ECONNREFUSED/i);
    await receiver.up();
    await dueNow();
    await drain();
    expect((await statusOf(sent.id)).status).toBe('delivered');
    expect(receiver.arrivals.get(sent.id)).toBe(1);
  });

  it('keeps trying past OUTBOX_MAX_ATTEMPTS while the message is under 72 hours old', async () => {
    const sent = await submit(stroudSubmit);
    receiver.behaviour = 'fail';
    await drain();
    await db()
      .updateTable('outbox')
      .set({ attempts: 40, created_at: sql`now() - interval '71 hours'` })
      .where('topic', '=', DELIVER_TOPIC)
      .where(sql<string>`payload->>'submissionId'`, '=', sent.id)
      .execute();
    await dueNow();
    await drain();
    expect((await deliveryMessages(sent.id))[0]).toMatchObject({ status: 'pending', attempts: 41 });
    receiver.behaviour = 'ok';
    await dueNow();
    await drain();
    expect((await statusOf(sent.id)).status).toBe('delivered');
  });

  it('after 72 hours of failures the delivery is dead-lettered, the body’s alert address and admins are e-mailed, and the submission waits in the pull inbox', async () => {
    const admin = await createStaffUser(db(), {
      email: 'hub-admin@stroud.example.gov.uk',
      password: 'a long enough password',
      displayName: 'Hub Admin',
      organisationId: await organisationId('stroud'),
      roles: ['admin'],
    });
    expect(admin.ok).toBe(true);
    const sent = await submit(stroudSubmit);
    receiver.behaviour = 'fail';
    await drain();
    await db()
      .updateTable('outbox')
      .set({ created_at: sql`now() - interval '73 hours'`, available_at: sql`now()` })
      .where('topic', '=', DELIVER_TOPIC)
      .where(sql<string>`payload->>'submissionId'`, '=', sent.id)
      .execute();
    await drain();
    const [message] = await deliveryMessages(sent.id);
    expect(message!.status).toBe('dead');
    const alert = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'mail.send')
      .where('idempotency_key', '=', `${message!.idempotency_key}:dead-letter-alert`)
      .executeTakeFirstOrThrow();
    expect(alert.payload.to).toBe('digital@stroud.example.gov.uk');
    expect(String(alert.payload.text)).toContain(sent.reference);
    expect(String(alert.payload.subject)).toContain(sent.reference);
    const toAdmin = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'mail.send')
      .where(
        'idempotency_key',
        '=',
        `${message!.idempotency_key}:dead-letter-alert:hub-admin@stroud.example.gov.uk`,
      )
      .executeTakeFirstOrThrow();
    expect(toAdmin.payload.to).toBe('hub-admin@stroud.example.gov.uk');
    expect(String(toAdmin.payload.text)).toContain(sent.reference);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', sent.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('submission.delivery_dead_lettered');
    // Nothing is lost: still "received", and the body can collect it.
    expect((await statusOf(sent.id)).status).toBe('received');
    const inbox = await call('GET', '/api/v1/inbox?limit=100', stroudReceive);
    expect(inbox.json.submissions.map((s: { id: string }) => s.id)).toContain(sent.id);
    expect((await call('POST', `/api/v1/inbox/${sent.id}/ack`, stroudReceive)).status).toBe(200);
    expect((await statusOf(sent.id)).status).toBe('delivered');
  });

  it('where private targets are not allowed, a webhook on a private address is dead-lettered at once with the reason, and never connected to', async () => {
    // The production default (HUB_ALLOW_PRIVATE_WEBHOOKS off): Stroud's webhook is 127.0.0.1.
    const strict = loadConfig({
      DATA_DIR: ':memory:',
      LOG_LEVEL: 'silent',
      WORKER: 'off',
      BASE_URL: 'https://joinedup.example.gov.uk',
      SESSION_SECRET: 'a-live-site-needs-its-own-secret-0123456789',
    });
    expect(strict.hubAllowPrivateWebhooks).toBe(false);
    const worker = new OutboxWorker(
      db(),
      new Map(Object.entries(submissionHandlers(strict))),
      app.platform.logger,
      { pollMs: 1000, maxAttempts: 8 },
    );
    const sent = await submit(stroudSubmit);
    const connectionsBefore = receiver.connections;
    await worker.drain(); // routes it to a push message, and tries that once
    const [message] = await deliveryMessages(sent.id);
    expect(message).toMatchObject({ status: 'dead', attempts: 1 });
    expect(message!.last_error).toMatch(
      /^Refused: the webhook address 127\.0\.0\.1 is loopback \(127\.0\.0\.0\/8\)/,
    );
    expect(receiver.connections).toBe(connectionsBefore);
    expect(receiver.arrivals.has(sent.id)).toBe(false);
    const alert = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'mail.send')
      .where('idempotency_key', '=', `${message!.idempotency_key}:dead-letter-alert`)
      .executeTakeFirstOrThrow();
    expect(alert.payload.to).toBe('digital@stroud.example.gov.uk');
    expect(String(alert.payload.text)).toContain(
      `the webhook address ${receiver.url}, or its host 127.0.0.1, leads to 127.0.0.1, a private or local network address`,
    );
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('resource_id', '=', sent.id)
      .where('action', '=', 'submission.delivery_dead_lettered')
      .executeTakeFirstOrThrow();
    expect(String(audit.details.reason)).toMatch(/^Refused: /);
    // Still safe: "received", waiting in the pull inbox.
    expect((await statusOf(sent.id)).status).toBe('received');
    const inbox = await call('GET', '/api/v1/inbox?limit=100', stroudReceive);
    expect(inbox.json.submissions.map((s: { id: string }) => s.id)).toContain(sent.id);
    expect((await call('POST', `/api/v1/inbox/${sent.id}/ack`, stroudReceive)).status).toBe(200);
    // Nor can such an address be set up there: nothing changes.
    for (const url of ['https://169.254.169.254/latest', 'http://127.0.0.1:9/hook']) {
      const set = await hubDeliverySet(db(), strict, [
        ...['--org', 'stroud', '--mode', 'push', '--url', url],
        ...['--alert-email', 'digital@stroud.example.gov.uk'],
      ]);
      expect(set.code, url).toBe(1);
      expect(set.err[0]).toMatch(/^webhookUrl: submissions\.hub\.error\.url(Private|Https)$/);
    }
    const kept = await db()
      .selectFrom('hub_delivery')
      .select('webhook_url')
      .where('organisation_id', '=', ids.stroud!)
      .executeTakeFirstOrThrow();
    expect(kept.webhook_url).toBe(receiver.url);
  });

  it('during a rotation each request carries a signature for the old and the new secret; after the overlap ends only the new one', async () => {
    const fresh = await db()
      .transaction()
      .execute((trx) => rotateWebhookSecret(trx, config, ids.stroud!, ACTOR));
    expect(fresh).not.toBe(secret);
    receiver.secrets = [secret]; // the receiver has not switched yet
    const first = await submit(stroudSubmit);
    await drain();
    const header = receiver.deliveries.find((d) => d.idempotencyKey === first.id)!.signature;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(receiver.accepted.has(first.id)).toBe(true);

    receiver.secrets = [fresh]; // switched
    const second = await submit(stroudSubmit);
    await drain();
    expect(receiver.accepted.has(second.id)).toBe(true);

    await db()
      .transaction()
      .execute((trx) => retireOldSecrets(trx, ids.stroud!, ACTOR));
    receiver.secrets = [secret]; // a receiver still on the old secret is now refused
    const third = await submit(stroudSubmit);
    await drain();
    const refused = receiver.deliveries.find((d) => d.idempotencyKey === third.id)!;
    expect(refused.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(refused.verified).toBe(false);
    expect((await statusOf(third.id)).status).toBe('received');
    receiver.secrets = [fresh];
    await dueNow();
    await drain();
    expect((await statusOf(third.id)).status).toBe('delivered');
    secret = fresh;
  });
});

describe('pull: the body’s system collects from its inbox', () => {
  it('lists undelivered submissions oldest first a page at a time with a cursor; acknowledging delivers them and takes them out', async () => {
    const sent = [
      await submit(cheltenhamSubmit, CHELTENHAM_SERVICE),
      await submit(cheltenhamSubmit, CHELTENHAM_SERVICE),
      await submit(cheltenhamSubmit, CHELTENHAM_SERVICE),
    ];
    await drain(); // routes them: a pulling body's wait in its inbox
    const first = await call('GET', '/api/v1/inbox?limit=2', cheltenhamReceive);
    expect(first.status).toBe(200);
    expect(first.json.submissions.map((s: { id: string }) => s.id)).toEqual([
      sent[0]!.id,
      sent[1]!.id,
    ]);
    expect(first.json.more).toBe(true);
    expect(first.json.cursor).toBe(first.json.submissions[1].cursor);
    expect(first.json.submissions[0]).toMatchObject({
      reference: sent[0]!.reference,
      answers: { items: ['mattress'] },
      organisation: { slug: 'cheltenham' },
    });
    const second = await call(
      'GET',
      `/api/v1/inbox?limit=2&after=${first.json.cursor}`,
      cheltenhamReceive,
    );
    expect(second.json.submissions.map((s: { id: string }) => s.id)).toEqual([sent[2]!.id]);
    expect(second.json.more).toBe(false);
    // Nothing went anywhere by itself.
    expect((await statusOf(sent[0]!.id, cheltenhamSubmit)).status).toBe('received');
    expect(receiver.arrivals.has(sent[0]!.id)).toBe(false);

    const ack = await call('POST', `/api/v1/inbox/${sent[0]!.id}/ack`, cheltenhamReceive);
    expect(ack).toEqual({ status: 200, json: { id: sent[0]!.id, status: 'delivered' } });
    const again = await call('POST', `/api/v1/inbox/${sent[0]!.id}/ack`, cheltenhamReceive);
    expect(again).toEqual(ack);
    const status = await statusOf(sent[0]!.id, cheltenhamSubmit);
    expect(status.history.map((h: { status: string; via?: string }) => [h.status, h.via])).toEqual([
      ['received', undefined],
      ['delivered', 'pull'],
    ]);
    const rest = await call('GET', '/api/v1/inbox', cheltenhamReceive);
    expect(rest.json.submissions.map((s: { id: string }) => s.id)).toEqual([
      sent[1]!.id,
      sent[2]!.id,
    ]);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', sent[0]!.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('submission.acknowledged');
  });

  it('one body never sees or acknowledges another’s submissions, and a submit key cannot read an inbox', async () => {
    const theirs = await submit(cheltenhamSubmit, CHELTENHAM_SERVICE);
    await drain();
    const stroudInbox = await call('GET', '/api/v1/inbox?limit=100', stroudReceive);
    expect(stroudInbox.json.submissions.map((s: { id: string }) => s.id)).not.toContain(theirs.id);
    expect((await call('POST', `/api/v1/inbox/${theirs.id}/ack`, stroudReceive)).status).toBe(404);
    const bySubmitKey = await call('GET', '/api/v1/inbox', cheltenhamSubmit);
    expect(bySubmitKey.status).toBe(403);
    expect(bySubmitKey.json.errors[0].error).toBe('insufficient_scope');
    expect((await call('GET', '/api/v1/inbox?after=abc', cheltenhamReceive)).status).toBe(400);
  });

  it('switching a pulling body to a webhook sends what was waiting', async () => {
    const waiting = await submit(cheltenhamSubmit, CHELTENHAM_SERVICE);
    await drain();
    const set = await hubDeliverySet(db(), config, [
      '--org',
      'cheltenham',
      '--mode',
      'push',
      '--url',
      receiver.url,
      '--alert-email',
      'digital@cheltenham.example.gov.uk',
    ]);
    expect(set.code).toBe(0);
    receiver.secrets = [secret, set.out[0]!];
    await drain();
    expect(receiver.accepted.has(waiting.id)).toBe(true);
    expect((await statusOf(waiting.id, cheltenhamSubmit)).status).toBe('delivered');
    receiver.secrets = [secret];
  });
});

describe('casework: a body with no system of its own', () => {
  it('has its submissions delivered to Joinedup’s casework at once', async () => {
    const bristol = await organisationId('bristol');
    await publishService(db(), {
      organisationId: bristol,
      slug: 'bristol-bulky-waste-test',
      title: 'Bulky waste (test)',
      titleCy: 'Gwastraff swmpus (prawf)',
      summary: 'A test service.',
      summaryCy: 'Gwasanaeth prawf.',
      body: 'A test service.',
      bodyCy: 'Gwasanaeth prawf.',
      formKey: 'bulky-waste',
    });
    const key = (await hubKeyCreate(db(), ['--org', 'bristol', '--scope', 'submit'])).out[0]!;
    const sent = await submit(key, 'bristol-bulky-waste-test');
    await drain();
    const status = await statusOf(sent.id, key);
    expect(status.status).toBe('delivered');
    expect(status.history.at(-1).via).toBe('casework');
    expect(receiver.arrivals.has(sent.id)).toBe(false);
  });
});
