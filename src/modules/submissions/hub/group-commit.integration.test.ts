import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { findPublishedService } from '../../catalogue/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { createSubmissionBatch, type BatchedSubmission } from '../commands/batch.js';
import { withSummaries } from '../queries/summary.js';
import { createHubKey, revokeHubKey } from './keys.js';

// Submissions sent at the same moment are stored together (group commit, see
// platform/db/group-commit.ts and commands/batch.ts): these tests send many at once.

const SERVICE = 'request-a-bulky-waste-collection'; // Stroud's, with the bulky-waste form
const PATH = `/api/v1/services/${SERVICE}/submissions`;

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function stroudKey(): Promise<{ key: string; keyId: string; organisationId: string }> {
  const organisationId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  const { id, key } = await createHubKey(
    db(),
    { organisationId, name: `batch ${Math.random()}`, scope: 'submit' },
    { userId: null, organisationId, role: 'test' },
  );
  return { key, keyId: id, organisationId };
}

/** A weekday a week or more ahead, as YYYY-MM-DD. */
function weekdayAhead(): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + 8);
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function body(n: number, applicantName = `Applicant ${n}`) {
  return {
    answers: {
      items: ['sofa'],
      addressLine1: `${n} High Street`,
      town: 'Stroud',
      postcode: 'GL5 4UB',
      preferredDate: weekdayAhead(),
    },
    applicant: { name: applicantName },
  };
}

let counter = 0;
const newKey = () => `batch-${Date.now()}-${++counter}`;

async function submit(key: string, payload: unknown, idempotencyKey = newKey()) {
  const response = await fetch(app.baseUrl + PATH, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    },
    body: JSON.stringify(payload),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: (text ? JSON.parse(text) : {}) as Record<string, string>,
  };
}

async function countWhere(table: string, column: string, values: string[]): Promise<number> {
  if (values.length === 0) return 0;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
    where ${sql.ref(column)} in (${sql.join(values)})`.execute(db());
  return Number(rows[0]!.n);
}

describe('submissions sent at the same moment', () => {
  it('are each stored once with their event, outbox message and audit entry', async () => {
    const { key } = await stroudKey();
    const sent = await Promise.all(Array.from({ length: 30 }, (_, n) => submit(key, body(n))));
    expect(sent.map((s) => s.status)).toEqual(Array(30).fill(202));
    const ids = sent.map((s) => s.json.id!);
    expect(new Set(ids).size).toBe(30);

    const rows = await withSummaries(
      db(),
      await db()
        .selectFrom('submissions')
        .select(['id', 'reference', 'status', 'applicant', 'form_version', 'form_key', 'answers'])
        .where('id', 'in', ids)
        .execute(),
    );
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      const answered = sent.find((s) => s.json.id === row.id)!;
      expect(row.reference).toBe(answered.json.reference);
      expect(row.status).toBe('submitted');
      expect(row.form_version).toBe(1);
      expect(row.form_key).toBe('bulky-waste');
      expect(row.answers.summary.en.map((r) => r.question)).toContain(
        'What do you want collected?',
      );
    }
    expect(await countWhere('submission_events', 'submission_id', ids)).toBe(30);
    const messages = await db()
      .selectFrom('outbox')
      .select(['topic', 'payload', 'idempotency_key'])
      .where(
        'idempotency_key',
        'in',
        ids.map((id) => `submission.submitted:${id}`),
      )
      .execute();
    expect(messages).toHaveLength(30);
    expect(messages.every((m) => m.topic === 'submission.submitted')).toBe(true);
    expect(messages.map((m) => m.payload.submissionId).sort()).toEqual([...ids].sort());
    const audit = await db()
      .selectFrom('audit_log')
      .select(['resource_id', 'details', 'actor_role', 'request_id'])
      .where('action', '=', 'submission.created')
      .where('resource_id', 'in', ids)
      .execute();
    expect(audit).toHaveLength(30);
    for (const entry of audit) {
      const answered = sent.find((s) => s.json.id === entry.resource_id)!;
      expect(entry.details).toMatchObject({
        reference: answered.json.reference,
        channel: 'api:stroud',
      });
      expect(entry.actor_role).toBe('hub-key:submit');
      expect(entry.request_id).toBeTruthy();
    }
  });

  it('the same request sent twice at once is stored once, and both get the same 202', async () => {
    const { key } = await stroudKey();
    const idempotencyKey = newKey();
    const others = Array.from({ length: 8 }, (_, n) => submit(key, body(100 + n)));
    const [first, second] = await Promise.all([
      submit(key, body(1), idempotencyKey),
      submit(key, body(1), idempotencyKey),
      ...others,
    ]);
    expect([first!.status, second!.status]).toEqual([202, 202]);
    expect(second!.json).toEqual(first!.json);
    const stored = await db()
      .selectFrom('submissions')
      .select('id')
      .where('idempotency_key', '=', idempotencyKey)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('a different request with the same Idempotency-Key at the same moment gets 409, the other 202', async () => {
    const { key } = await stroudKey();
    const idempotencyKey = newKey();
    const answers = await Promise.all([
      submit(key, body(1), idempotencyKey),
      submit(key, body(2), idempotencyKey),
      ...Array.from({ length: 6 }, (_, n) => submit(key, body(200 + n))),
    ]);
    expect([answers[0]!.status, answers[1]!.status].sort()).toEqual([202, 409]);
    expect(answers.slice(2).every((a) => a.status === 202)).toBe(true);
  });

  it('one submission the database refuses fails alone: the others sent with it are stored', async () => {
    const { key } = await stroudKey();
    // PostgreSQL's jsonb cannot hold U+0000, and the applicant's name is stored as it came.
    const sent = await Promise.all([
      ...Array.from({ length: 10 }, (_, n) => submit(key, body(300 + n))),
      submit(key, body(399, 'Nul\u0000Name')),
      ...Array.from({ length: 10 }, (_, n) => submit(key, body(400 + n))),
    ]);
    const bad = sent[10]!;
    const good = sent.filter((_, i) => i !== 10);
    expect(good.map((s) => s.status)).toEqual(Array(20).fill(202));
    expect(bad.status).not.toBe(202);
    const ids = good.map((s) => s.json.id!);
    expect(await countWhere('submissions', 'id', ids)).toBe(20);
    expect(await countWhere('submission_events', 'submission_id', ids)).toBe(20);
    const named = await db()
      .selectFrom('submissions')
      .select('id')
      .where(sql<string>`applicant->>'name'`, 'like', 'Nul%')
      .execute();
    expect(named).toHaveLength(0);
  });
});

describe('a key revoked while the submit route still holds it', () => {
  async function revokedAfterUse() {
    const { key, keyId, organisationId } = await stroudKey();
    // This request reads the key and keeps it (hubKeyCache).
    const firstKey = newKey();
    expect((await submit(key, body(1), firstKey)).status).toBe(202);
    await revokeHubKey(
      db(),
      { organisationId, keyId },
      { userId: null, organisationId, role: 'test' },
    );
    return { key, keyId, firstKey };
  }

  it('stores nothing more and is answered 401', async () => {
    const { key, keyId } = await revokedAfterUse();
    const sent = await Promise.all(Array.from({ length: 5 }, (_, n) => submit(key, body(n))));
    expect(sent.map((s) => s.status)).toEqual(Array(5).fill(401));
    expect(sent[0]!.json.errors).toEqual([
      expect.objectContaining({ error: 'api_key_invalid', message: 'API key revoked' }),
    ]);
    expect(await countWhere('submissions', 'submitted_by_key_id', [keyId])).toBe(1);
  });

  it('gets 401, not the answer it would have had, for answers that are not valid or a repeat', async () => {
    const { key, firstKey } = await revokedAfterUse();
    expect((await submit(key, body(1), firstKey)).status).toBe(401);
    const invalid = await submit(key, { answers: { items: [] } });
    expect(invalid.status).toBe(401);
    const unknownService = await fetch(
      `${app.baseUrl}/api/v1/services/no-such-service/submissions`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': newKey(),
        },
        body: JSON.stringify(body(1)),
      },
    );
    expect(unknownService.status).toBe(401);
  });
});

describe('createSubmissionBatch', () => {
  async function row(
    submittedBy: { organisationId: string; keyId: string },
    idempotencyKey = newKey(),
  ): Promise<BatchedSubmission> {
    const service = (await findPublishedService(db(), SERVICE, 'en'))!;
    return {
      serviceId: service.id,
      organisationId: service.organisation.id,
      applicantUserId: null,
      answers: {
        values: body(1).answers,
        summary: { en: [{ question: 'Q', answer: 'A' }], cy: [{ question: 'C', answer: 'A' }] },
      },
      formKey: 'bulky-waste',
      applicant: null,
      channel: 'api:stroud',
      submittedBy,
      onBehalfOf: null,
      idempotency: {
        scope: `org:${submittedBy.organisationId}`,
        key: idempotencyKey,
        requestSha256: 'a'.repeat(64),
      },
      formVersion: 1,
      actor: {
        userId: null,
        organisationId: submittedBy.organisationId,
        role: 'hub-key:submit',
        requestId: 'test',
      },
      auditDetails: { channel: 'api:stroud', keyId: submittedBy.keyId },
    };
  }

  it('stores a batch in one commit and says of each submission whether it was stored, its key revoked, or its Idempotency-Key taken', async () => {
    const live = await stroudKey();
    const revoked = await stroudKey();
    await revokeHubKey(
      db(),
      { organisationId: revoked.organisationId, keyId: revoked.keyId },
      { userId: null, organisationId: revoked.organisationId, role: 'test' },
    );
    const used = newKey();
    const [earlier] = await createSubmissionBatch(db(), [await row(live, used)]);
    expect(earlier).toMatchObject({ stored: true });

    const outcomes = await createSubmissionBatch(db(), [
      await row(live),
      await row(revoked),
      await row(live, used),
      await row(live),
    ]);
    expect(outcomes.map((o) => (o.stored ? 'stored' : o.reason))).toEqual([
      'stored',
      'key-revoked',
      'conflict',
      'stored',
    ]);
    const ids = outcomes.flatMap((o) => (o.stored ? [o.id] : []));
    const rows = await db()
      .selectFrom('submissions')
      .select(['id', 'reference'])
      .select(sql<string>`xmin::text`.as('transaction'))
      .where('id', 'in', ids)
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.transaction).toBe(rows[1]!.transaction);
    expect(await countWhere('submission_events', 'submission_id', ids)).toBe(2);
    expect(
      await countWhere(
        'outbox',
        'idempotency_key',
        ids.map((id) => `submission.submitted:${id}`),
      ),
    ).toBe(2);
    expect(await countWhere('audit_log', 'resource_id', ids)).toBe(2);
    expect(await countWhere('submissions', 'submitted_by_key_id', [revoked.keyId])).toBe(0);
    expect(await countWhere('submissions', 'idempotency_key', [used])).toBe(1);
  });
});
