import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../../test/helpers/citizens.js';
import { mailsTo } from '../../../../test/helpers/outbox.js';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { createSubmission, type NewSubmission } from '../../submissions/index.js';
import { pdfTextLines } from '../../../platform/letters/pdf.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { dueAfterPause } from '../calendar/index.js';
import { performAction } from '../commands/actions.js';
import type { CaseRow } from '../db/tables.js';
import { findCaseOfSubmission } from '../queries/cases.js';
import { caseworkForApplicant } from './review/review.js';

// Requests for information, decision letters and reviews (issue 6, parts 3 and 5), over HTTP
// against the real app: the caseworker's case page, the applicant's pages, the outbox.

const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const STROUD = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const CHELTENHAM = ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'] as const;
const AGENT = ['agent@cotswold-accountants.example.com', 'demo-agent-password'] as const;
const DAY = 86_400_000;
/** A 1×1 PNG: the server looks at the bytes, not the name. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const minimalPng = () => PNG;
/** Uploads are capped low here so an oversized file is small to send. */
const UPLOAD_MAX_BYTES = 64 * 1024;

let app: TestApp;
let stroudId: string;
let bulkyId: string;
let otherServiceId: string;
let citizenId: string;
let caseworkerId: string;
const db = () => app.platform.database.db;

async function userIdOf(email: string): Promise<string> {
  return (
    await db()
      .selectFrom('users')
      .select('id')
      .where(sql`lower(email)`, '=', email)
      .executeTakeFirstOrThrow()
  ).id;
}

beforeAll(async () => {
  app = await startTestApp({ UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) });
  stroudId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  bulkyId = (
    await db()
      .selectFrom('services')
      .select('id')
      .where('slug', '=', 'request-a-bulky-waste-collection')
      .executeTakeFirstOrThrow()
  ).id;
  otherServiceId = (
    await db()
      .selectFrom('services')
      .select('id')
      .where('organisation_id', '=', stroudId)
      .where('id', '!=', bulkyId)
      .orderBy('slug')
      .executeTakeFirstOrThrow()
  ).id;
  // Bulky waste (which the demo agent has authority for) follows the default workflow here: it
  // asks for information and has a review route.
  await db().deleteFrom('service_workflows').where('service_id', '=', bulkyId).execute();
  citizenId = await userIdOf(CITIZEN[0]);
  caseworkerId = await userIdOf(STROUD[0]);
});
afterAll(async () => {
  await app?.close();
});

async function signedIn([email, password]: readonly [string, string]) {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** The demo agent, signed in and acting for the demo citizen through the "Act for" button. */
async function agentActing(): Promise<Visitor> {
  const agent = await signedIn(AGENT);
  const authority = await db()
    .selectFrom('agent_authorities')
    .select('id')
    .where('client_user_id', '=', citizenId)
    .where('status', '=', 'approved')
    .executeTakeFirstOrThrow();
  await agent.get('/agents/clients');
  expect((await agent.post('/agents/act', { authorityId: authority.id })).status).toBe(303);
  return agent;
}

const caseworker = () => ({ user: aStaffMember(stroudId, ['caseworker'], { id: caseworkerId }) });

/**
 * An application received by Stroud's casework (through the real hand-off on the outbox), its
 * case moved on to "in progress" by a caseworker, ready to ask the applicant something.
 */
async function caseInProgress(
  applicant: { userId: string | null; details?: NewSubmission['applicant']; serviceId?: string },
  values: Record<string, unknown> = {},
): Promise<CaseRow> {
  const submission = await createSubmission(
    db(),
    {
      draftId: randomUUID(),
      serviceId: applicant.serviceId ?? bulkyId,
      organisationId: stroudId,
      applicantUserId: applicant.userId,
      applicant: applicant.details ?? null,
      answers: { values, summary: { en: [], cy: [] } },
    },
    { userId: applicant.userId, organisationId: null, role: 'citizen' },
  );
  await app.platform.worker.drain();
  let caseRow = (await findCaseOfSubmission(db(), submission.id))!;
  for (const action of ['assign', 'start']) {
    const moved = await db()
      .transaction()
      .execute((trx) =>
        performAction(
          trx,
          { reference: caseRow.reference, action, expectedVersion: caseRow.version },
          caseworker(),
        ),
      );
    if (!moved.ok) throw new Error(JSON.stringify(moved.errors));
    caseRow = moved.caseRow;
  }
  // What the workflow tells the applicant of those moves is delivered before the test goes on.
  await app.platform.worker.drain();
  return caseRow;
}

async function currentCase(id: string): Promise<CaseRow> {
  return db().selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function requestsOf(caseId: string) {
  return db()
    .selectFrom('information_requests')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('asked_at')
    .execute();
}

/** A date `days` ahead as the three boxes of the GOV.UK date input. */
function dateAhead(days: number): Record<string, string> {
  const [y, m, d] = ukToday(new Date(Date.now() + days * DAY)).split('-');
  return {
    'replyBy-day': String(Number(d)),
    'replyBy-month': String(Number(m)),
    'replyBy-year': y!,
  };
}

/** The caseworker asks from the case page, as its form posts. */
async function ask(visitor: Visitor, caseRow: CaseRow, question: string, extra = {}) {
  const page = await visitor.get(`/casework/${caseRow.reference}`);
  expect(page.status).toBe(200);
  const version = (await currentCase(caseRow.id)).version;
  return visitor.post(`/casework/${caseRow.reference}/information`, {
    question,
    'replyBy-day': '',
    'replyBy-month': '',
    'replyBy-year': '',
    version: String(version),
    ...extra,
  });
}

async function inboxOf(userId: string, reference: string) {
  return db()
    .selectFrom('inbox_messages')
    .selectAll()
    .where('recipient_user_id', '=', userId)
    .where('submission_reference', '=', reference)
    .orderBy('sent_at')
    .execute();
}

/**
 * Posts the answer page as a browser does (multipart/form-data): the CSRF token, the answer,
 * the files already uploaded, then the file input (empty when none is chosen) and the button.
 */
async function postAnswer(
  visitor: Visitor,
  path: string,
  fields: { answer?: string; files?: string[]; action: string },
  file: { name: string; type: string; content: Buffer } | null = null,
  csrf?: string,
) {
  const token = csrf ?? csrfToken((await visitor.get(path)).html);
  const boundary = `----joinedup${randomBytes(8).toString('hex')}`;
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = Buffer.concat([
    Buffer.from(
      field('_csrf', token) +
        field('answer', fields.answer ?? '') +
        (fields.files ?? []).map((id) => field('files', id)).join(''),
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file?.name ?? ''}"\r\nContent-Type: ${file?.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    file?.content ?? Buffer.alloc(0),
    Buffer.from(`\r\n${field('action', fields.action)}--${boundary}--\r\n`),
  ]);
  const response = await fetch(visitor.baseUrl + path, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: visitor.cookieHeader(),
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body,
  });
  return Object.assign(response, { html: await response.text() });
}

const uploadedIds = (html: string) =>
  [...html.matchAll(/name="files" value="([^"]+)"/g)].map((m) => m[1]!);

describe('a request for information, asked and answered', () => {
  let caseRow: CaseRow;
  let requestId: string;
  let answerPage: string;

  it('moves the case to wait for the applicant, stops its clock and tells the applicant once', async () => {
    caseRow = await caseInProgress({ userId: citizenId });
    const earlier = (await inboxOf(citizenId, caseRow.reference)).length;
    const stroud = await signedIn(STROUD);
    const page = await stroud.get(`/casework/${caseRow.reference}`);
    expect(page.html).toContain('Requests for information');
    expect(page.html).toContain(`action="/casework/${caseRow.reference}/information"`);

    const asked = await ask(stroud, caseRow, 'Please send a photo of the items.', dateAhead(10));
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe(
      `/casework/${caseRow.reference}?done=information-requested#information`,
    );
    const waiting = await currentCase(caseRow.id);
    expect(waiting.state).toBe('awaiting-information');
    expect(waiting.paused_at).not.toBeNull();
    expect(waiting.due_at?.getTime()).toBe(caseRow.due_at?.getTime());
    const [request] = await requestsOf(caseRow.id);
    expect(request).toMatchObject({ pauses_clock: true, answered_at: null, cancelled_at: null });
    requestId = request!.id;
    answerPage = `/applications/${caseRow.reference}/information/${requestId}`;

    const messages = await inboxOf(citizenId, caseRow.reference);
    expect(messages).toHaveLength(earlier + 1);
    const message = messages.at(-1)!.body;
    expect(message).toContain('Please send a photo of the items.');
    expect(message).toContain(`${answerPage} `);
    expect(message).toContain('Mae angen rhagor o wybodaeth');
    // The workflow's own short message for the action is not sent as well.
    await app.platform.worker.drain();
    expect(await inboxOf(citizenId, caseRow.reference)).toHaveLength(earlier + 1);
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('resource_id', '=', caseRow.id)
      .where('action', '=', 'casework.information.requested')
      .execute();
    expect(audit).toEqual([
      { action: 'casework.information.requested', actor_user_id: caseworkerId },
    ]);
    // The case page shows it waiting, with a way to cancel, and no second form to ask.
    const after = await stroud.get(`/casework/${caseRow.reference}`);
    expect(after.html).toContain('Waiting for the applicant’s answer');
    expect(after.html).toContain(`/information/${requestId}/cancel`);
    expect(after.html).not.toContain(`action="/casework/${caseRow.reference}/information"`);
  });

  it('lets the applicant add a file, then refuses an empty answer, keeping the file', async () => {
    const citizen = await signedIn(CITIZEN);
    const page = await citizen.get(answerPage);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Please send a photo of the items.');
    expect(page.html).toContain('enctype="multipart/form-data"');

    const uploaded = await postAnswer(
      citizen,
      answerPage,
      { answer: 'Draft', action: 'upload' },
      { name: 'sofa.png', type: 'image/png', content: minimalPng() },
    );
    expect(uploaded.status).toBe(200);
    expect(uploaded.html).toContain('sofa.png');
    expect(uploaded.html).toContain('Draft');
    const files = uploadedIds(uploaded.html);
    expect(files).toHaveLength(1);

    const empty = await postAnswer(citizen, answerPage, { answer: '', files, action: 'send' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('govuk-error-summary');
    expect(empty.html).toContain('Enter your answer');
    expect(uploadedIds(empty.html)).toEqual(files);
    expect((await requestsOf(caseRow.id))[0]!.answered_at).toBeNull();
  });

  it('refuses an oversized file and one of the wrong type, changing nothing', async () => {
    const citizen = await signedIn(CITIZEN);
    const big = await postAnswer(
      citizen,
      answerPage,
      { answer: 'x', action: 'upload' },
      {
        name: 'big.png',
        type: 'image/png',
        content: Buffer.concat([PNG, Buffer.alloc(UPLOAD_MAX_BYTES)]),
      },
    );
    expect(big.status).toBe(400);
    expect(big.html).toContain('govuk-error-summary');
    expect(big.html).toContain('smaller than');
    const wrong = await postAnswer(
      citizen,
      answerPage,
      { answer: 'x', action: 'upload' },
      { name: 'notes.txt', type: 'text/plain', content: Buffer.from('just some text\n') },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('govuk-error-summary');
    expect(uploadedIds(wrong.html)).toEqual([]);
    expect((await requestsOf(caseRow.id))[0]!.answered_at).toBeNull();
  });

  it('records the answer with its file, resumes the clock with the paused days added, and shows it to the caseworker', async () => {
    // The applicant takes a fortnight to answer.
    await db()
      .updateTable('cases')
      .set({ paused_at: sql<Date>`paused_at - interval '14 days'` })
      .where('id', '=', caseRow.id)
      .execute();
    const before = await currentCase(caseRow.id);
    const citizen = await signedIn(CITIZEN);
    const uploaded = await postAnswer(
      citizen,
      answerPage,
      { answer: 'Here is the photo.', action: 'upload' },
      { name: 'sofa.png', type: 'image/png', content: minimalPng() },
    );
    const files = uploadedIds(uploaded.html);
    const sent = await postAnswer(citizen, answerPage, {
      answer: 'Here is the photo.',
      files,
      action: 'send',
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${answerPage}?sent=1`);
    const confirmed = await citizen.get(`${answerPage}?sent=1`);
    expect(confirmed.html).toContain('Your answer has been sent');
    expect(confirmed.html).not.toContain('enctype="multipart/form-data"');

    const [request] = await requestsOf(caseRow.id);
    expect(request).toMatchObject({ answer: 'Here is the photo.', answered_by_user_id: citizenId });
    expect(request!.attachment_ids).toEqual(files);
    const after = await currentCase(caseRow.id);
    expect(after.state).toBe('in-progress');
    expect(after.paused_at).toBeNull();
    expect(after.due_at!.getTime()).toBe(
      dueAfterPause(before.due_at!, before.paused_at!, request!.answered_at!).getTime(),
    );
    // Fourteen days hold at least eight working days, whatever bank holidays fall in them.
    expect(after.due_at!.getTime() - before.due_at!.getTime()).toBeGreaterThanOrEqual(8 * DAY);
    const kinds = (
      await db()
        .selectFrom('case_events')
        .select('kind')
        .where('case_id', '=', caseRow.id)
        .orderBy('id')
        .execute()
    ).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'information-requested',
        'information-received',
        'clock-paused',
        'clock-resumed',
      ]),
    );

    const stroud = await signedIn(STROUD);
    const page = await stroud.get(`/casework/${caseRow.reference}`);
    expect(page.html).toContain('Here is the photo.');
    expect(page.html).toContain(`/attachments/${files[0]}`);
    expect((await stroud.get(`/attachments/${files[0]}`)).status).toBe(200);
    expect((await (await signedIn(CHELTENHAM)).get(`/attachments/${files[0]}`)).status).toBe(404);
  });

  it('refuses a second answer to the same request', async () => {
    const citizen = await signedIn(CITIZEN);
    const again = await postAnswer(citizen, answerPage, { answer: 'Another go', action: 'send' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('You have already answered this request');
    expect((await requestsOf(caseRow.id))[0]!.answer).toBe('Here is the photo.');
  });
});

describe('who may ask and who may answer', () => {
  let caseRow: CaseRow;
  let answerPage: string;

  beforeAll(async () => {
    caseRow = await caseInProgress({ userId: citizenId });
    expect((await ask(await signedIn(STROUD), caseRow, 'Which floor do you live on?')).status).toBe(
      303,
    );
    answerPage = `/applications/${caseRow.reference}/information/${(await requestsOf(caseRow.id))[0]!.id}`;
  });

  it('lists the waiting request for the applicant, in English and Welsh, and for their page', async () => {
    const citizen = await signedIn(CITIZEN);
    const list = await citizen.get(`/applications/${caseRow.reference}/information`);
    expect(list.status).toBe(200);
    expect(list.html).toContain('Which floor do you live on?');
    expect(list.html).toContain(`href="${answerPage}"`);
    const welsh = await citizen.get(`${answerPage}?lang=cy`);
    expect(welsh.html).toContain('Ateb cais am wybodaeth');
    expect(welsh.html).toContain('Anfon yr ateb');
    await citizen.get(`${answerPage}?lang=en`);
    const summary = await caseworkForApplicant(
      db(),
      aCitizen({ id: citizenId }),
      caseRow.reference.toLowerCase(),
    );
    expect(summary.requests).toEqual([
      expect.objectContaining({ question: 'Which floor do you live on?', href: answerPage }),
    ]);
    expect(summary.review).toBeNull();
    const stranger = await caseworkForApplicant(
      db(),
      aCitizen({ id: randomUUID() }),
      caseRow.reference,
    );
    expect(stranger.requests).toEqual([]);
  });

  it('hides the case from a caseworker of another council', async () => {
    const cheltenham = await signedIn(CHELTENHAM);
    expect((await cheltenham.get(`/casework/${caseRow.reference}/information/new`)).status).toBe(
      404,
    );
    await cheltenham.get('/casework');
    const asked = await cheltenham.post(`/casework/${caseRow.reference}/information`, {
      question: 'Anything?',
      version: String((await currentCase(caseRow.id)).version),
    });
    expect(asked.status).toBe(404);
    const request = (await requestsOf(caseRow.id))[0]!;
    const cancelled = await cheltenham.post(
      `/casework/${caseRow.reference}/information/${request.id}/cancel`,
      { version: String((await currentCase(caseRow.id)).version) },
    );
    expect(cancelled.status).toBe(404);
    expect((await requestsOf(caseRow.id)).map((r) => r.cancelled_at)).toEqual([null]);
  });

  it('hides the request from another citizen and from staff', async () => {
    const { visitor: other } = await aSignedInCitizen(app);
    expect((await other.get(answerPage)).status).toBe(404);
    expect((await other.get(`/applications/${caseRow.reference}/information`)).status).toBe(404);
    await other.get('/');
    const posted = await postAnswer(
      other,
      answerPage,
      { answer: 'Mine now', action: 'send' },
      null,
      csrfToken(other.lastHtml),
    );
    expect(posted.status).toBe(404);
    expect((await (await signedIn(STROUD)).get(answerPage)).status).toBe(404);
    expect((await requestsOf(caseRow.id))[0]!.answered_at).toBeNull();
  });

  it('lets the applicant’s agent answer for a service their authority covers', async () => {
    const agent = await agentActing();
    expect((await agent.get(answerPage)).status).toBe(200);
    const sent = await postAnswer(agent, answerPage, {
      answer: 'The second floor.',
      action: 'send',
    });
    expect(sent.status).toBe(303);
    const [request] = await requestsOf(caseRow.id);
    expect(request!.answered_by_user_id).toBe(await userIdOf(AGENT[0]));
    expect((await currentCase(caseRow.id)).state).toBe('in-progress');
  });

  it('refuses the agent for a service their authority does not cover, and when not acting', async () => {
    const other = await caseInProgress({ userId: citizenId, serviceId: otherServiceId });
    expect((await ask(await signedIn(STROUD), other, 'What is the address?')).status).toBe(303);
    const path = `/applications/${other.reference}/information/${(await requestsOf(other.id))[0]!.id}`;
    expect((await (await agentActing()).get(path)).status).toBe(404);
    expect((await (await signedIn(AGENT)).get(path)).status).toBe(404);
    expect((await (await signedIn(CITIZEN)).get(path)).status).toBe(200);
  });
});

describe('asking badly, and cancelling', () => {
  it('refuses an empty or over-long question and a reply-by date in the past, changing nothing', async () => {
    const caseRow = await caseInProgress({ userId: citizenId });
    const stroud = await signedIn(STROUD);
    const empty = await ask(stroud, caseRow, '');
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter what you need from the applicant');
    const long = await ask(stroud, caseRow, 'x'.repeat(2001));
    expect(long.status).toBe(400);
    expect(long.html).toContain('2,000 characters or fewer');
    const past = await ask(stroud, caseRow, 'A photo', dateAhead(-3));
    expect(past.status).toBe(400);
    expect(past.html).toContain('The reply-by date must be in the future');
    expect(past.html).toContain('>A photo</textarea>');
    expect(await requestsOf(caseRow.id)).toHaveLength(0);
    expect((await currentCase(caseRow.id)).state).toBe('in-progress');
  });

  it('refuses a second open request and a stale case version (409)', async () => {
    const caseRow = await caseInProgress({ userId: citizenId });
    const stroud = await signedIn(STROUD);
    await stroud.get(`/casework/${caseRow.reference}`);
    const stale = await stroud.post(`/casework/${caseRow.reference}/information`, {
      question: 'A photo',
      version: String(caseRow.version - 1),
    });
    expect(stale.status).toBe(409);
    expect(await requestsOf(caseRow.id)).toHaveLength(0);
    expect((await ask(stroud, caseRow, 'A photo')).status).toBe(303);
    const second = await ask(stroud, caseRow, 'And another');
    expect(second.status).toBe(409);
    expect(await requestsOf(caseRow.id)).toHaveLength(1);
  });

  it('cancels a request: the case stops waiting, the applicant is told and can no longer answer', async () => {
    const caseRow = await caseInProgress({ userId: citizenId });
    const stroud = await signedIn(STROUD);
    expect((await ask(stroud, caseRow, 'Your meter reading')).status).toBe(303);
    const request = (await requestsOf(caseRow.id))[0]!;
    await stroud.get(`/casework/${caseRow.reference}`);
    const cancelled = await stroud.post(
      `/casework/${caseRow.reference}/information/${request.id}/cancel`,
      {
        version: String((await currentCase(caseRow.id)).version),
      },
    );
    expect(cancelled.status).toBe(303);
    const after = await currentCase(caseRow.id);
    expect(after).toMatchObject({ state: 'in-progress', paused_at: null });
    expect((await requestsOf(caseRow.id))[0]!.cancelled_at).not.toBeNull();
    const messages = await inboxOf(citizenId, caseRow.reference);
    expect(messages.at(-1)!.body).toContain('no longer needs the information');
    const citizen = await signedIn(CITIZEN);
    const path = `/applications/${caseRow.reference}/information/${request.id}`;
    expect((await citizen.get(path)).html).toContain('no longer needs this information');
    const late = await postAnswer(citizen, path, { answer: 'Here', action: 'send' });
    expect(late.status).toBe(409);
  });
});

describe('an applicant without an account', () => {
  it('is e-mailed the question, and answers after signing in with that confirmed address', async () => {
    const email = `no-account-${randomBytes(4).toString('hex')}@example.com`;
    const caseRow = await caseInProgress({ userId: null, details: { name: 'Pat Paper', email } });
    expect((await ask(await signedIn(STROUD), caseRow, 'Is the sofa in the garden?')).status).toBe(
      303,
    );
    const request = (await requestsOf(caseRow.id))[0]!;
    const path = `/applications/${caseRow.reference}/information/${request.id}`;
    const mail = (await mailsTo(db(), email)).find((m) => m.subject.includes('more information'));
    expect(mail!.text).toContain('Is the sofa in the garden?');
    expect(mail!.text).toContain(path);

    const { visitor: stranger } = await aSignedInCitizen(app);
    expect((await stranger.get(path)).status).toBe(404);
    const { visitor: owner, userId: ownerId } = await aSignedInCitizen(app, {
      email: email.toUpperCase(),
    });
    expect((await owner.get(path)).status).toBe(200);
    // They take a fortnight to answer.
    await db()
      .updateTable('cases')
      .set({ paused_at: sql<Date>`paused_at - interval '14 days'` })
      .where('id', '=', caseRow.id)
      .execute();
    const before = await currentCase(caseRow.id);
    const sent = await postAnswer(owner, path, { answer: 'Yes, by the gate.', action: 'send' });
    expect(sent.status).toBe(303);
    const [answered] = await requestsOf(caseRow.id);
    expect(answered!.answer).toBe('Yes, by the gate.');
    // The answer moves the case back as an applicant's with an account does: the earlier time
    // limit continues, moved on by the working days it stood still (not a new one).
    const after = await currentCase(caseRow.id);
    expect(after).toMatchObject({ state: 'in-progress', paused_at: null });
    expect(after.due_at!.getTime()).toBe(
      dueAfterPause(before.due_at!, before.paused_at!, answered!.answered_at!).getTime(),
    );
    const moved = await db()
      .selectFrom('case_events')
      .select(['actor_user_id', 'from_state', 'to_state', 'details'])
      .where('case_id', '=', caseRow.id)
      .where('kind', '=', 'action')
      .where('action', '=', 'information-received')
      .executeTakeFirstOrThrow();
    expect(moved).toMatchObject({
      actor_user_id: ownerId,
      from_state: 'awaiting-information',
      to_state: 'in-progress',
      details: { as_applicant: 'email-holder' },
    });
  });
});

/** The caseworker decides the case (as the case page's action form would). */
async function decide(caseRow: CaseRow, action: string, comment: string) {
  const current = await currentCase(caseRow.id);
  const outcome = await db()
    .transaction()
    .execute((trx) =>
      performAction(
        trx,
        { reference: current.reference, action, expectedVersion: current.version, comment },
        caseworker(),
      ),
    );
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  await app.platform.worker.drain();
  return outcome.caseRow;
}

describe('decision letters', () => {
  it('puts a refusal letter with its reasons and review deadline in the applicant’s inbox, once', async () => {
    const caseRow = await caseInProgress({ userId: citizenId });
    const before = (await inboxOf(citizenId, caseRow.reference)).length;
    await decide(caseRow, 'refuse', 'The items are trade waste.');
    const messages = await inboxOf(citizenId, caseRow.reference);
    expect(messages).toHaveLength(before + 1);
    const letter = messages.at(-1)!.body;
    expect(letter).toContain('Dear Sam Citizen,');
    expect(letter).toContain('The items are trade waste.');
    expect(letter).toContain(`/applications/${caseRow.reference}/review`);
    expect(letter).toMatch(/ask for a review until \d{1,2} \w+ \d{4}/);
    expect(letter).toContain('Annwyl Sam Citizen,');
    const refusal = await db()
      .selectFrom('case_events')
      .select('id')
      .where('case_id', '=', caseRow.id)
      .where('action', '=', 'refuse')
      .executeTakeFirstOrThrow();
    const recorded = await db()
      .selectFrom('case_events')
      .select('details')
      .where('case_id', '=', caseRow.id)
      .where('kind', '=', 'message')
      .where(sql<string>`details ->> 'tell_of'`, '=', String(refusal.id))
      .execute();
    expect(recorded.map((r) => r.details)).toEqual([
      expect.objectContaining({ channel: 'inbox', decision_letter: true }),
    ]);
  });

  it('e-mails the letter to an applicant without an account', async () => {
    const email = `letter-${randomBytes(4).toString('hex')}@example.com`;
    const caseRow = await caseInProgress({ userId: null, details: { name: 'Pat Paper', email } });
    await decide(caseRow, 'approve', '');
    const mails = (await mailsTo(db(), email)).filter((m) => m.subject.includes('decision'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(caseRow.reference);
    expect(mails[0]!.text).toContain('Dear Pat Paper,');
    expect(mails[0]!.text).not.toContain('review');
  });

  it('posts the letter to an applicant who gave only a postal address', async () => {
    const caseRow = await caseInProgress(
      { userId: null, details: { name: 'Pat Post' } },
      { address: { line1: '1 High Street', town: 'Stroud', postcode: 'GL5 1AA' } },
    );
    await decide(caseRow, 'refuse', 'The collection round is full.');
    const letters = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'letter.send')
      .where('idempotency_key', 'like', 'casework.decision-letter:%')
      .execute();
    const mine = letters
      .map((row) => row.payload as { to: { name: string; lines: string[] }; pdfBase64: string })
      .filter((payload) => payload.to.name === 'Pat Post');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.to.lines).toEqual(['1 High Street', 'Stroud', 'GL5 1AA']);
    const text = pdfTextLines(Buffer.from(mine[0]!.pdfBase64, 'base64')).join(' ');
    expect(text).toContain('The collection round is full.');
    expect(text).toContain(`Write to us quoting ${caseRow.reference}`);
  });
});

describe('asking for a review', () => {
  it('lets the applicant ask within the window, with their reasons', async () => {
    const caseRow = await decide(
      await caseInProgress({ userId: citizenId }),
      'refuse',
      'Too many items.',
    );
    const citizen = await signedIn(CITIZEN);
    const page = await citizen.get(`/applications/${caseRow.reference}/review`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Too many items.');
    const offer = await caseworkForApplicant(db(), aCitizen({ id: citizenId }), caseRow.reference);
    expect(offer.review).toEqual({
      deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      href: `/applications/${caseRow.reference}/review`,
    });
    const empty = await citizen.post(`/applications/${caseRow.reference}/review`, {
      reasons: '',
      version: String(caseRow.version),
    });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter why the decision should be reviewed');
    expect((await currentCase(caseRow.id)).state).toBe('refused');
    const asked = await citizen.post(`/applications/${caseRow.reference}/review`, {
      reasons: 'Two of them are one item.',
      version: String(caseRow.version),
    });
    expect(asked.status).toBe(303);
    const after = await currentCase(caseRow.id);
    expect(after.state).toBe('review');
    const shown = await citizen.get(`/applications/${caseRow.reference}/review`);
    expect(shown.html).toContain('Review requested');
    expect(shown.html).toContain('Two of them are one item.');
  });

  it('says it is too late after the window, and refuses the request', async () => {
    const caseRow = await decide(
      await caseInProgress({ userId: citizenId }),
      'refuse',
      'Too late.',
    );
    await db()
      .updateTable('cases')
      .set({ state_entered_at: new Date(Date.now() - 40 * DAY) })
      .where('id', '=', caseRow.id)
      .execute();
    const citizen = await signedIn(CITIZEN);
    const page = await citizen.get(`/applications/${caseRow.reference}/review`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('You can no longer ask for a review online');
    expect(page.html).not.toContain('name="reasons"');
    const asked = await citizen.post(`/applications/${caseRow.reference}/review`, {
      reasons: 'Please',
      version: String(caseRow.version),
    });
    expect(asked.status).toBe(409);
    expect((await currentCase(caseRow.id)).state).toBe('refused');
  });

  it('is not found for someone else’s case, or a decision the workflow gives no review of', async () => {
    const refused = await decide(await caseInProgress({ userId: citizenId }), 'refuse', 'No.');
    const { visitor: other } = await aSignedInCitizen(app);
    expect((await other.get(`/applications/${refused.reference}/review`)).status).toBe(404);
    await other.get('/');
    const posted = await other.post(`/applications/${refused.reference}/review`, {
      reasons: 'Mine',
      version: String(refused.version),
    });
    expect(posted.status).toBe(404);
    expect((await currentCase(refused.id)).state).toBe('refused');
    const approved = await decide(await caseInProgress({ userId: citizenId }), 'approve', '');
    expect(
      (await (await signedIn(CITIZEN)).get(`/applications/${approved.reference}/review`)).status,
    ).toBe(404);
  });
});
