import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { attachmentsByIds } from '../../attachments/index.js';
import { publishService } from '../../catalogue/index.js';
import { publishForm } from '../../forms/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import type { HubKeyScope } from '../db/tables.js';
import { createHubKey, revokeHubKey } from '../hub/keys.js';
import { findSubmissionById } from '../queries/submissions.js';

const SERVICE = 'request-a-bulky-waste-collection'; // Stroud's, with the bulky-waste form

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function organisationId(slug: string): Promise<string> {
  return (await findOrganisationBySlug(db(), slug))!.id;
}

async function keyFor(slug: string, scope: HubKeyScope): Promise<string> {
  const id = await organisationId(slug);
  const created = await createHubKey(
    db(),
    { organisationId: id, name: `${slug} ${scope}`, scope },
    { userId: null, organisationId: id, role: 'test' },
  );
  return created.key;
}

/** A weekday `days` or more ahead of today in the UK, as YYYY-MM-DD. */
function weekdayAhead(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function answers(overrides: Record<string, unknown> = {}) {
  return {
    items: ['sofa'],
    addressLine1: '1 High Street',
    town: 'Stroud',
    postcode: 'GL5 4UB',
    preferredDate: weekdayAhead(7),
    ...overrides,
  };
}

interface Answer {
  status: number;
  json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON the test reads
}

async function call(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; raw?: string; idempotencyKey?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const body =
    options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(app.baseUrl + path, { method, headers, body });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

let counter = 0;
const newKey = () => `test-${Date.now()}-${++counter}`;

function submit(key: string, body: unknown, idempotencyKey: string = newKey(), service = SERVICE) {
  return call('POST', `/api/v1/services/${service}/submissions`, { key, body, idempotencyKey });
}

async function submissionCount(): Promise<number> {
  const row = await db()
    .selectFrom('submissions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Publishes a form (a new version if its key has one) as Stroud, for a test service. */
async function publishStroudForm(definition: Parameters<typeof publishForm>[1]): Promise<void> {
  const actor = { userId: null, organisationId: await organisationId('stroud'), role: 'test' };
  const form = await db()
    .transaction()
    .execute((trx) => publishForm(trx, definition, actor));
  expect(form, JSON.stringify(form)).toMatchObject({ ok: true });
}

/** Publishes a Stroud test service that uses a form. */
async function publishStroudService(
  slug: string,
  title: { en: string; cy: string },
  formKey: string,
): Promise<void> {
  const service = await publishService(db(), {
    organisationId: await organisationId('stroud'),
    slug,
    title: title.en,
    titleCy: title.cy,
    summary: 'A test service.',
    summaryCy: 'Gwasanaeth prawf.',
    body: 'A test service.',
    bodyCy: 'Gwasanaeth prawf.',
    formKey,
  });
  expect(service, JSON.stringify(service)).toMatchObject({ ok: true });
}

describe('sending a submission through the hub', () => {
  it('a body’s submit key sends a valid submission: 202 with its id, reference, status and where to poll', async () => {
    const key = await keyFor('stroud', 'submit');
    const sent = await submit(key, {
      answers: answers(),
      applicant: { name: 'Pat Applicant', email: 'pat@example.com' },
      channel: 'counter',
    });
    expect(sent.status).toBe(202);
    expect(sent.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      reference: expect.stringMatching(/^JU-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      status: 'received',
      poll: `/api/v1/submissions/${sent.json.id}`,
    });
    const row = await db()
      .selectFrom('submissions')
      .selectAll()
      .where('id', '=', sent.json.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('submitted');
    expect(row.channel).toBe('counter');
    expect(row.applicant).toEqual({ name: 'Pat Applicant', email: 'pat@example.com' });
    expect(row.applicant_user_id).toBeNull();
    expect(row.form_version).toBe(1);
    expect(row.form_key).toBe('bulky-waste');
    expect(row.answers.values).toMatchObject({ items: ['sofa'], postcode: 'GL5 4UB' });
    // No summary is kept (ADR 0009): read, it is written in the form's own wording.
    expect(row.answers.summary).toBeUndefined();
    const read = await findSubmissionById(db(), sent.json.id);
    expect(read!.answers.summary.en.map((r) => r.question)).toContain(
      'What do you want collected?',
    );
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('resource_id', '=', sent.json.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['submission.created']);
    expect(audit[0]!.actor_role).toBe('hub-key:submit');

    const polled = await call('GET', sent.json.poll, { key });
    expect(polled.status).toBe(200);
    expect(polled.json).toMatchObject({
      id: sent.json.id,
      reference: sent.json.reference,
      status: 'received',
      service: SERVICE,
      organisation: 'stroud',
      channel: 'counter',
      history: [{ status: 'received', at: expect.any(String) }],
    });
  });

  it('the same Idempotency-Key with the same body gets the same 202 and stores nothing more', async () => {
    const key = await keyFor('stroud', 'submit');
    const idempotencyKey = newKey();
    const body = { answers: answers(), channel: 'phone' };
    const first = await submit(key, body, idempotencyKey);
    const before = await submissionCount();
    // The same JSON with its members in another order is the same request.
    const again = await submit(key, { channel: 'phone', answers: answers() }, idempotencyKey);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    expect(await submissionCount()).toBe(before);
  });

  it('the same Idempotency-Key with a different body is a 409 with its code, and stores nothing', async () => {
    const key = await keyFor('stroud', 'submit');
    const idempotencyKey = newKey();
    expect((await submit(key, { answers: answers() }, idempotencyKey)).status).toBe(202);
    const before = await submissionCount();
    const clash = await submit(key, { answers: answers({ items: ['fridge'] }) }, idempotencyKey);
    expect(clash.status).toBe(409);
    expect(clash.json.errors[0].error).toBe('idempotency_key_reused');
    expect(await submissionCount()).toBe(before);
  });

  it('another body may use the same Idempotency-Key: keys are each body’s own', async () => {
    const stroud = await keyFor('stroud', 'submit');
    const intermediary = await keyFor('cabinet-office', 'submit-any');
    const idempotencyKey = newKey();
    const one = await submit(stroud, { answers: answers() }, idempotencyKey);
    const two = await submit(
      intermediary,
      { answers: answers(), onBehalfOf: { consentReference: 'C-1' } },
      idempotencyKey,
    );
    expect([one.status, two.status]).toEqual([202, 202]);
    expect(two.json.id).not.toBe(one.json.id);
  });

  it('without an Idempotency-Key the request is refused with 400 and nothing is stored', async () => {
    const key = await keyFor('stroud', 'submit');
    const before = await submissionCount();
    const refused = await call('POST', `/api/v1/services/${SERVICE}/submissions`, {
      key,
      body: { answers: answers() },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0]).toMatchObject({
      error: 'validation_error',
      field: 'headers.idempotency-key',
    });
    expect(await submissionCount()).toBe(before);
  });

  it('answers that break the form are refused with 400 naming every field and reason in English and Welsh, and nothing is stored', async () => {
    const key = await keyFor('stroud', 'submit');
    const before = await submissionCount();
    const refused = await submit(key, {
      answers: answers({ items: [], postcode: 'not a postcode', favouriteColour: 'blue' }),
    });
    expect(refused.status).toBe(400);
    const fields = refused.json.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.answers.items',
        'body.answers.postcode',
        'body.answers.favouriteColour',
      ]),
    );
    for (const error of refused.json.errors) {
      expect(error.error).toBe('validation_error');
      expect(error.message).toBeTruthy();
      expect(error.message_cy).toBeTruthy();
    }
    expect(await submissionCount()).toBe(before);
  });

  it('malformed JSON, wrong types and unknown top-level fields are each a 400', async () => {
    const key = await keyFor('stroud', 'submit');
    const before = await submissionCount();
    const path = `/api/v1/services/${SERVICE}/submissions`;
    const malformed = await call('POST', path, {
      key,
      raw: '{"answers": {',
      idempotencyKey: newKey(),
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors[0].error).toBe('bad_request');
    const wrongType = await submit(key, { answers: 'sofa please' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.errors[0]).toMatchObject({
      error: 'validation_error',
      field: 'body.answers',
    });
    const unknown = await submit(key, { answers: answers(), priority: 'urgent' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0].error).toBe('validation_error');
    const badApplicant = await submit(key, { answers: answers(), applicant: { email: 'nope' } });
    expect(badApplicant.status).toBe(400);
    expect(badApplicant.json.errors[0].field).toBe('body.applicant.email');
    expect(await submissionCount()).toBe(before);
  });

  it('10 MB of text is refused at once with 413, before the body is read', async () => {
    const key = await keyFor('stroud', 'submit');
    const huge = JSON.stringify({
      answers: answers({ addressLine1: 'x'.repeat(10 * 1024 * 1024) }),
    });
    const started = performance.now();
    const refused = await call('POST', `/api/v1/services/${SERVICE}/submissions`, {
      key,
      raw: huge,
      idempotencyKey: newKey(),
    });
    expect(refused.status).toBe(413);
    expect(refused.json.errors[0].error).toBe('too_large');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a text answer too long for its question (within the body limit) is a 400 on that field', async () => {
    const key = await keyFor('stroud', 'submit');
    const refused = await submit(key, { answers: answers({ addressLine1: 'x'.repeat(500_000) }) });
    expect(refused.status).toBe(400);
    expect(refused.json.errors.map((e: { field: string }) => e.field)).toEqual([
      'body.answers.addressLine1',
    ]);
  });

  it('an unknown service, or one without a published form, is 404', async () => {
    const key = await keyFor('stroud', 'submit');
    expect((await submit(key, { answers: answers() }, newKey(), 'no-such-service')).status).toBe(
      404,
    );
    const formless = await db()
      .selectFrom('services')
      .select('slug')
      .where('form_key', 'is', null)
      .where('organisation_id', '=', await organisationId('stroud'))
      .executeTakeFirstOrThrow();
    expect((await submit(key, { answers: answers() }, newKey(), formless.slug)).status).toBe(404);
  });
});

describe('who may use the hub', () => {
  it('no key, a malformed key, an unknown key and a revoked key are each 401 api_key_invalid', async () => {
    const path = `/api/v1/services/${SERVICE}/submissions`;
    const none = await call('POST', path, {
      body: { answers: answers() },
      idempotencyKey: newKey(),
    });
    expect(none.status).toBe(401);
    expect(none.json.errors[0].error).toBe('api_key_invalid');
    expect((await submit('not-a-key', { answers: answers() })).status).toBe(401);
    const key = await keyFor('stroud', 'submit');
    const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const unknown = await submit(forged, { answers: answers() });
    expect(unknown.status).toBe(401);
    expect(unknown.json.errors[0].message).toBe('API key not found');

    const id = await organisationId('stroud');
    const keyId = /^juhub\.([0-9a-f]{32})\./
      .exec(key)![1]!
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    expect((await submit(key, { answers: answers() })).status).toBe(202);
    expect(
      await revokeHubKey(
        db(),
        { organisationId: id, keyId },
        { userId: null, organisationId: id, role: 'test' },
      ),
    ).toBe(true);
    const revoked = await submit(key, { answers: answers() });
    expect(revoked.status).toBe(401);
    expect(revoked.json.errors[0].message).toBe('API key revoked');
  });

  it('only a hash of the key’s secret is stored, and its last use is recorded', async () => {
    const key = await keyFor('stroud', 'submit');
    const secret = key.split('.')[2]!;
    const rows = await db().selectFrom('hub_api_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(secret);
    const keyId = key.split('.')[1]!;
    const row = () =>
      db()
        .selectFrom('hub_api_keys')
        .select('last_used_at')
        .where('id', '=', keyId.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'))
        .executeTakeFirstOrThrow();
    expect((await row()).last_used_at).toBeNull();
    await submit(key, { answers: answers() });
    expect((await row()).last_used_at).toBeInstanceOf(Date);
  });

  it('a receive key cannot send, and a submit key cannot send to another body’s service (403 insufficient_scope)', async () => {
    const receive = await keyFor('stroud', 'receive');
    const byReceive = await submit(receive, { answers: answers() });
    expect(byReceive.status).toBe(403);
    expect(byReceive.json.errors[0].error).toBe('insufficient_scope');
    const cheltenham = await keyFor('cheltenham', 'submit');
    const elsewhere = await submit(cheltenham, { answers: answers() });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json.errors[0].error).toBe('insufficient_scope');
  });

  it('another body’s keys cannot read or reply to a submission (404), and the sender cannot reply (403)', async () => {
    const sender = await keyFor('stroud', 'submit');
    const sent = await submit(sender, { answers: answers() });
    const path = `/api/v1/submissions/${sent.json.id}`;
    for (const scope of ['receive', 'submit'] as const) {
      const other = await keyFor('cheltenham', scope);
      expect((await call('GET', path, { key: other })).status).toBe(404);
      expect(
        (await call('POST', `${path}/status`, { key: other, body: { status: 'accepted' } })).status,
      ).toBe(404);
      expect((await call('POST', `/api/v1/inbox/${sent.json.id}/ack`, { key: other })).status).toBe(
        scope === 'receive' ? 404 : 403,
      );
    }
    const byReceiver = await call('GET', path, { key: await keyFor('stroud', 'receive') });
    expect(byReceiver.status).toBe(200);
    const senderReply = await call('POST', `${path}/status`, {
      key: sender,
      body: { status: 'accepted' },
    });
    expect(senderReply.status).toBe(403);
    expect(senderReply.json.errors[0].error).toBe('insufficient_scope');
    // Not a UUID: just not found.
    expect((await call('GET', '/api/v1/submissions/JU-1234', { key: sender })).status).toBe(404);
  });
});

describe('status replies', () => {
  it('the receiving body moves a submission through accepted, in progress and decided; each step is timestamped, audited and readable by the sender', async () => {
    const sender = await keyFor('stroud', 'submit');
    const receiver = await keyFor('stroud', 'receive');
    const sent = await submit(sender, { answers: answers() });
    const reply = (body: unknown) =>
      call('POST', `/api/v1/submissions/${sent.json.id}/status`, { key: receiver, body });

    const accepted = await reply({ status: 'accepted' });
    expect(accepted.status).toBe(200);
    // A reply proves the submission arrived: it was delivered first.
    expect(accepted.json.history.map((h: { status: string }) => h.status)).toEqual([
      'received',
      'delivered',
      'accepted',
    ]);
    expect((await reply({ status: 'in-progress' })).status).toBe(200);
    const decided = await reply({
      status: 'decided',
      decision: { outcome: 'approved', summary: 'Collection on Tuesday' },
    });
    expect(decided.status).toBe(200);
    expect(decided.json.status).toBe('decided');

    const read = await call('GET', `/api/v1/submissions/${sent.json.id}`, { key: sender });
    expect(read.json.status).toBe('decided');
    const history = read.json.history as { status: string; at: string; decision?: unknown }[];
    expect(history.map((h) => h.status)).toEqual([
      'received',
      'delivered',
      'accepted',
      'in-progress',
      'decided',
    ]);
    expect(history.at(-1)!.decision).toEqual({
      outcome: 'approved',
      summary: 'Collection on Tuesday',
    });
    const times = history.map((h) => Date.parse(h.at));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);

    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_role', 'actor_organisation_id'])
      .where('resource_id', '=', sent.json.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'submission.created',
      'submission.accepted',
      'submission.in-progress',
      'submission.decided',
    ]);
    expect(audit.at(-1)!.actor_role).toBe('hub-key:receive');
    expect(audit.at(-1)!.actor_organisation_id).toBe(await organisationId('stroud'));
  });

  it('a repeated reply changes nothing; going backwards or changing a final status is a 409', async () => {
    const sender = await keyFor('stroud', 'submit');
    const receiver = await keyFor('stroud', 'receive');
    const sent = await submit(sender, { answers: answers() });
    const reply = (body: unknown) =>
      call('POST', `/api/v1/submissions/${sent.json.id}/status`, { key: receiver, body });
    const rejection = { status: 'rejected', reasons: ['We do not collect in that street'] };
    expect((await reply(rejection)).status).toBe(200);
    const again = await reply(rejection);
    expect(again.status).toBe(200);
    expect(again.json.history.filter((h: { status: string }) => h.status === 'rejected')).toEqual([
      expect.objectContaining({ reasons: ['We do not collect in that street'] }),
    ]);
    const different = await reply({ status: 'rejected', reasons: ['Another reason'] });
    expect(different.status).toBe(409);
    expect(different.json.errors[0].error).toBe('status_conflict');
    const backwards = await reply({ status: 'accepted' });
    expect(backwards.status).toBe(409);
  });

  it('a decision or a rejection is e-mailed to an applicant without an account at the address they gave, without a link they cannot open', async () => {
    const sender = await keyFor('stroud', 'submit');
    const receiver = await keyFor('stroud', 'receive');
    const send = (applicant: Record<string, string>) =>
      submit(sender, { answers: answers(), applicant });
    const decided = await send({ name: 'Pat Applicant', email: 'pat.decided@example.com' });
    const rejected = await send({ name: 'Lee Applicant', email: 'lee.rejected@example.com' });
    const noEmail = await send({ name: 'Nobody Reachable', phone: '01453 000000' });
    const reply = (id: string, body: unknown) =>
      call('POST', `/api/v1/submissions/${id}/status`, { key: receiver, body });
    expect(
      (
        await reply(decided.json.id, {
          status: 'decided',
          decision: { outcome: 'approved', summary: 'Collection on Tuesday' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await reply(rejected.json.id, { status: 'rejected', reasons: ['Wrong street'] })).status,
    ).toBe(200);
    expect(
      (await reply(noEmail.json.id, { status: 'rejected', reasons: ['Wrong street'] })).status,
    ).toBe(200);
    await app.platform.worker.drain();
    const mail = async (id: string) =>
      (
        await db()
          .selectFrom('outbox')
          .select('payload')
          .where('topic', '=', 'mail.send')
          .where('idempotency_key', '=', `submission.decided:${id}:mail`)
          .executeTakeFirst()
      )?.payload as { to: string; subject: string; text: string } | undefined;
    const toPat = await mail(decided.json.id);
    expect(toPat?.to).toBe('pat.decided@example.com');
    expect(toPat?.subject).toContain(decided.json.reference);
    expect(toPat?.text).toContain(
      `Stroud District Council has made a decision on your application ‘Request a bulky waste collection’ (${decided.json.reference}): approved. Collection on Tuesday`,
    );
    expect(toPat?.text).toContain('Keep this e-mail: quote the reference');
    expect(toPat?.text).toContain('Cadwch yr e-bost hwn');
    expect(toPat?.text).not.toContain('/applications/');
    const toLee = await mail(rejected.json.id);
    expect(toLee?.to).toBe('lee.rejected@example.com');
    expect(toLee?.text).toContain('Reason: Wrong street');
    expect(toLee?.text).not.toContain('/applications/');
    expect(await mail(noEmail.json.id)).toBeUndefined();
  });

  it('a rejection needs reasons and a decision needs its outcome (400)', async () => {
    const sender = await keyFor('stroud', 'submit');
    const receiver = await keyFor('stroud', 'receive');
    const sent = await submit(sender, { answers: answers() });
    const path = `/api/v1/submissions/${sent.json.id}/status`;
    const noReasons = await call('POST', path, { key: receiver, body: { status: 'rejected' } });
    expect(noReasons.status).toBe(400);
    expect(noReasons.json.errors[0].field).toBe('body.reasons');
    const noDecision = await call('POST', path, { key: receiver, body: { status: 'decided' } });
    expect(noDecision.status).toBe(400);
    const unknownStatus = await call('POST', path, { key: receiver, body: { status: 'lost' } });
    expect(unknownStatus.status).toBe(400);
  });
});

describe('intermediaries', () => {
  it('a submit-any key sends to any body’s service only with the person’s consent reference, which is recorded with the channel', async () => {
    const key = await keyFor('cabinet-office', 'submit-any');
    const without = await submit(key, { answers: answers() });
    expect(without.status).toBe(400);
    expect(without.json.errors[0].field).toBe('body.onBehalfOf');
    const sent = await submit(key, {
      answers: answers(),
      applicant: { name: 'Sam Person' },
      onBehalfOf: { consentReference: 'CONSENT-42', name: 'Sam Person' },
    });
    expect(sent.status).toBe(202);
    const row = await db()
      .selectFrom('submissions')
      .selectAll()
      .where('id', '=', sent.json.id)
      .executeTakeFirstOrThrow();
    expect(row.channel).toBe('api:cabinet-office');
    expect(row.on_behalf_of).toEqual({ consentReference: 'CONSENT-42', name: 'Sam Person' });
    expect(row.submitted_by_organisation_id).toBe(await organisationId('cabinet-office'));
    expect(row.organisation_id).toBe(await organisationId('stroud'));
    const read = await call('GET', sent.json.poll, { key });
    expect(read.status).toBe(200);
    expect(read.json.channel).toBe('api:cabinet-office');
  });
});

describe('files sent with a submission', () => {
  /** A 1×1 PNG. */
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  const EVIDENCE_SERVICE = 'send-us-evidence-hub-test';

  async function upload(key: string, bytes: Buffer, name: string) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const response = await fetch(`${app.baseUrl}/api/v1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    return { status: response.status, json: (await response.json()) as Record<string, string> };
  }

  beforeAll(async () => {
    const text = (en: string) => ({ en, cy: `${en} (cy)` });
    await publishStroudForm({
      key: 'hub-evidence-test',
      title: text('Send us evidence'),
      pages: [
        {
          id: 'evidence',
          title: text('Your evidence'),
          questions: [{ type: 'text', name: 'details', label: text('Details'), maxLength: 200 }],
        },
        {
          id: 'photo',
          title: text('A photo'),
          questions: [{ type: 'file', name: 'photo', label: text('A photo'), accept: ['image/*'] }],
        },
      ],
      confirmation: { body: text('Thank you') },
    });
    await publishStroudService(
      EVIDENCE_SERVICE,
      { en: 'Send us evidence (test)', cy: 'Anfon tystiolaeth (prawf)' },
      'hub-evidence-test',
    );
  });

  it('takes an upload made with the body’s key by its id, describes it as stored, and links it to the submission and the receiving body', async () => {
    const key = await keyFor('stroud', 'submit');
    const uploaded = await upload(key, PNG, 'bin.png');
    expect(uploaded.status).toBe(201);
    expect(uploaded.json.type).toBe('image/png');
    const sent = await submit(
      key,
      { answers: { details: 'The bin was left', photo: [{ id: uploaded.json.id }] } },
      newKey(),
      EVIDENCE_SERVICE,
    );
    expect(sent.status).toBe(202);
    const row = await db()
      .selectFrom('submissions')
      .select('answers')
      .where('id', '=', sent.json.id)
      .executeTakeFirstOrThrow();
    expect(row.answers.values.photo).toEqual([
      { id: uploaded.json.id, name: 'bin.png', type: 'image/png', size: PNG.length },
    ]);
    const [file] = await attachmentsByIds(db(), [uploaded.json.id!]);
    expect(file).toMatchObject({
      submissionId: sent.json.id,
      organisationId: await organisationId('stroud'),
    });
  });

  it('refuses an upload that is not the sender’s, or was sent already, and stores nothing', async () => {
    const key = await keyFor('stroud', 'submit');
    const intermediary = await keyFor('cabinet-office', 'submit-any');
    const theirs = await upload(intermediary, PNG, 'theirs.png');
    expect(theirs.status).toBe(201);
    const before = await submissionCount();
    const refused = await submit(
      key,
      { answers: { details: 'x', photo: [{ id: theirs.json.id }] } },
      newKey(),
      EVIDENCE_SERVICE,
    );
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].field).toBe('body.answers.photo');
    expect(await submissionCount()).toBe(before);
    expect((await attachmentsByIds(db(), [theirs.json.id!]))[0]!.submissionId).toBeNull();

    const mine = await upload(key, PNG, 'mine.png');
    const body = (id: string) => ({ answers: { details: 'x', photo: [{ id }] } });
    expect((await submit(key, body(mine.json.id!), newKey(), EVIDENCE_SERVICE)).status).toBe(202);
    const twice = await submit(key, body(mine.json.id!), newKey(), EVIDENCE_SERVICE);
    expect(twice.status).toBe(400);
  });

  it('checks the type the file really is, not the one the caller says', async () => {
    const key = await keyFor('stroud', 'submit');
    const pdf = await upload(
      key,
      Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
      'photo.pdf',
    );
    expect(pdf.status).toBe(201);
    const refused = await submit(
      key,
      {
        answers: {
          details: 'x',
          photo: [{ id: pdf.json.id, name: 'photo.png', type: 'image/png', size: 10 }],
        },
      },
      newKey(),
      EVIDENCE_SERVICE,
    );
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].field).toMatch(/^body\.answers\.photo/);
  });

  it('lets the receiving body’s system download a file sent to it with its receive key, audited about the uploader; nobody else', async () => {
    const sender = await keyFor('cabinet-office', 'submit-any');
    const uploaded = await upload(sender, PNG, 'pothole.png');
    const download = (id: string, key?: string) =>
      fetch(`${app.baseUrl}/api/v1/attachments/${id}`, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
    const stroudReceive = await keyFor('stroud', 'receive');
    // Not sent yet: nobody's system may have it.
    expect((await download(uploaded.json.id!, stroudReceive)).status).toBe(404);
    const sent = await submit(
      sender,
      {
        answers: { details: 'A pothole', photo: [{ id: uploaded.json.id }] },
        onBehalfOf: { consentReference: 'CONSENT-FILE-1' },
      },
      newKey(),
      EVIDENCE_SERVICE,
    );
    expect(sent.status).toBe(202);

    const file = await download(uploaded.json.id!, stroudReceive);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="pothole.png"/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('cache-control')).toBe('private, no-store');
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_organisation_id', 'actor_role', 'details'])
      .where('resource_id', '=', uploaded.json.id!)
      .execute();
    expect(audit).toEqual([
      {
        action: 'account.attachment-downloaded',
        actor_organisation_id: await organisationId('stroud'),
        actor_role: 'hub-key:receive',
        details: { submissionId: sent.json.id, filename: 'pothole.png' },
      },
    ]);

    // Another body's receive key: as if it did not exist. A key that sends: not its to read.
    const other = await download(uploaded.json.id!, await keyFor('cheltenham', 'receive'));
    expect(other.status).toBe(404);
    const bySender = await download(uploaded.json.id!, sender);
    expect(bySender.status).toBe(403);
    expect(((await bySender.json()) as { errors: { error: string }[] }).errors[0]!.error).toBe(
      'insufficient_scope',
    );
    expect((await download(uploaded.json.id!, await keyFor('stroud', 'submit'))).status).toBe(403);
    expect((await download(uploaded.json.id!)).status).toBe(401);
    expect((await download('not-an-id', stroudReceive)).status).toBe(404);
    expect(
      (
        await db()
          .selectFrom('audit_log')
          .select('id')
          .where('resource_id', '=', uploaded.json.id!)
          .execute()
      ).length,
    ).toBe(1);
  });

  it('does not take uploads from a receive key or without a key', async () => {
    expect((await upload(await keyFor('stroud', 'receive'), PNG, 'x.png')).status).toBe(401);
    const anonymous = await fetch(`${app.baseUrl}/api/v1/attachments`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
  });
});

describe('a service for businesses', () => {
  const GRANT = 'small-business-grant-stroud';
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );

  async function grantAnswers(key: string) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)]), 'quote.png');
    const uploaded = await fetch(`${app.baseUrl}/api/v1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    const { id } = (await uploaded.json()) as { id: string };
    return {
      businessName: 'Minchinhampton Pottery',
      companyNumber: '',
      employees: '3',
      rateableValue: '£8,000',
      purpose: 'A second kiln, to fire twice as many pots each week.',
      amount: '£4,000',
      documents: [{ id }],
    };
  }

  it('needs a body’s key to name the business, records it as told, and gives it to the receiving body', async () => {
    const key = await keyFor('stroud', 'submit');
    const before = await submissionCount();
    const without = await submit(key, { answers: await grantAnswers(key) }, newKey(), GRANT);
    expect(without.status).toBe(400);
    expect(without.json.errors.map((e: { field: string }) => e.field)).toEqual(['body.business']);
    const badNumber = await submit(
      key,
      { answers: await grantAnswers(key), business: { name: 'X', companiesHouseNumber: '12' } },
      newKey(),
      GRANT,
    );
    expect(badNumber.status).toBe(400);
    expect(badNumber.json.errors[0].field).toBe('body.business.companiesHouseNumber');
    expect(await submissionCount()).toBe(before);

    const sent = await submit(
      key,
      {
        answers: await grantAnswers(key),
        applicant: { name: 'Mo Potter', email: 'mo@example.com' },
        business: {
          name: 'Minchinhampton Pottery',
          type: 'business',
          companiesHouseNumber: 'sc123456',
        },
      },
      newKey(),
      GRANT,
    );
    expect(sent.status, JSON.stringify(sent.json)).toBe(202);
    const row = await db()
      .selectFrom('submissions')
      .select(['applicant_business_id', 'applicant_business'])
      .where('id', '=', sent.json.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      applicant_business_id: null,
      applicant_business: {
        name: 'Minchinhampton Pottery',
        type: 'business',
        companiesHouseNumber: 'SC123456',
      },
    });
    const inbox = await call('GET', '/api/v1/inbox?limit=100', {
      key: await keyFor('stroud', 'receive'),
    });
    const received = inbox.json.submissions.find((s: { id: string }) => s.id === sent.json.id);
    expect(received.business).toEqual({
      account: false,
      name: 'Minchinhampton Pottery',
      type: 'business',
      companiesHouseNumber: 'SC123456',
    });
  });

  it('refuses a business for a service that is not only for businesses', async () => {
    const key = await keyFor('stroud', 'submit');
    const refused = await submit(key, { answers: answers(), business: { name: 'A Ltd' } });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0]).toMatchObject({
      field: 'body.business',
      message: 'Leave out: this service is not only for businesses',
    });
  });
});

describe('the API document', () => {
  it('lists the hub’s endpoints under the tag "Submission hub"', async () => {
    const document = (await call('GET', '/api/openapi.json')).json;
    const paths = document.paths as Record<string, Record<string, { tags: string[] }>>;
    for (const [path, method] of [
      ['/api/v1/services/{service}/submissions', 'post'],
      ['/api/v1/submissions/{id}', 'get'],
      ['/api/v1/submissions/{id}/status', 'post'],
      ['/api/v1/inbox', 'get'],
      ['/api/v1/inbox/{id}/ack', 'post'],
    ] as const)
      expect(paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['Submission hub']);
    expect(Object.keys(paths['/api/v1/services/{service}/submissions']!.post!)).toContain(
      'requestBody',
    );
  });

  it('declares the Idempotency-Key header, and who may call each endpoint: a body’s key or a person’s token with the submissions scope', async () => {
    const document = (await call('GET', '/api/openapi.json')).json;
    const submitting = document.paths['/api/v1/services/{service}/submissions'].post;
    expect(submitting.parameters).toContainEqual({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      schema: expect.objectContaining({ type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' }),
    });
    const senders = [{ hubApiKey: [] }, { personToken: ['submissions'] }];
    expect(submitting.security).toEqual(senders);
    expect(document.paths['/api/v1/submissions/{id}'].get.security).toEqual(senders);
    expect(document.paths['/api/v1/attachments'].post.security).toEqual(senders);
    expect(
      document.paths['/api/v1/attachments'].post.requestBody.content['multipart/form-data'],
    ).toBeDefined();
    for (const [path, method] of [
      ['/api/v1/submissions/{id}/status', 'post'],
      ['/api/v1/inbox', 'get'],
      ['/api/v1/inbox/{id}/ack', 'post'],
      ['/api/v1/attachments/{id}', 'get'],
    ] as const)
      expect(document.paths[path][method].security, `${method} ${path}`).toEqual([
        { hubApiKey: [] },
      ]);
    expect(document.components.securitySchemes.hubApiKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(document.components.securitySchemes.personToken).toMatchObject({
      type: 'oauth2',
      flows: {
        authorizationCode: {
          authorizationUrl: expect.stringMatching(/\/oidc\/auth$/),
          tokenUrl: expect.stringMatching(/\/oidc\/token$/),
          scopes: { submissions: expect.any(String) },
        },
      },
    });
  });
});

describe('the answers in words', () => {
  const SUMMARY_SERVICE = 'tell-us-about-a-bin-summary-test';
  const both = (en: string) => ({ en, cy: `${en} (cy)` });
  const binForm = (label: string) => ({
    key: 'hub-summary-test',
    title: both('Tell us about a bin'),
    pages: [
      {
        id: 'bin',
        title: both('Your bin'),
        questions: [
          {
            type: 'radios',
            name: 'colour',
            label: both(label),
            options: [
              { value: 'green', label: { en: 'Green', cy: 'Gwyrdd' } },
              { value: 'black', label: { en: 'Black', cy: 'Du' } },
            ],
          },
          { type: 'date', name: 'since', label: both('Since when') },
        ],
      },
    ],
    confirmation: { body: both('Thank you') },
  });
  const publish = (label: string) => publishStroudForm(binForm(label));

  beforeAll(async () => {
    await publish('What colour is the bin?');
    await publishStroudService(
      SUMMARY_SERVICE,
      { en: 'Tell us about a bin (test)', cy: 'Dywedwch wrthym am fin (prawf)' },
      'hub-summary-test',
    );
  });

  it('are written, when read, from the form version the answers were checked against, in English and Welsh, even after a new version rewords it', async () => {
    const key = await keyFor('stroud', 'submit');
    const sent = await submit(
      key,
      { answers: { colour: 'green', since: '2026-03-02' } },
      newKey(),
      SUMMARY_SERVICE,
    );
    expect(sent.status).toBe(202);
    // A new version rewords the question: the submission still reads as its own version asked.
    await publish('Which bin is it?');

    const first = await findSubmissionById(db(), sent.json.id);
    expect(first!.form_version).toBe(1);
    expect(first!.answers.summary).toEqual({
      en: [
        { question: 'What colour is the bin?', answer: 'Green' },
        { question: 'Since when', answer: 'Monday 2 March 2026' },
      ],
      cy: [
        { question: 'What colour is the bin? (cy)', answer: 'Gwyrdd' },
        { question: 'Since when (cy)', answer: 'Dydd Llun 2 Mawrth 2026' },
      ],
    });
  });
});
