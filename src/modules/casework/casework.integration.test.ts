import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  csrfToken,
  hiddenValue,
  startTestApp,
  Visitor,
  weekdayAhead,
  type TestApp,
} from '../../../test/helpers/app.js';
import { aConfirmedCitizen } from '../../../test/helpers/citizens.js';
import { mailsTo } from '../../../test/helpers/outbox.js';
import { searchServices } from '../catalogue/index.js';
import { aStaffMember } from '../identity/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { createHubKey, createSubmission } from '../submissions/index.js';
import {
  ensurePlatformWorkflows,
  listWorkflows,
  openCaseForSubmission,
  pauseClock,
  performAction,
  publishWorkflow,
  resumeClock,
  saveWorkflowDraft,
  setServiceWorkflow,
} from './index.js';

/** A valid one-page PDF (as the attachments module's tests build one), for documents sent with actions. */
function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const STROUD = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const LEADER = ['team-leader@stroud.example.gov.uk', 'demo-stroud-team-leader'] as const;
const CHELTENHAM = ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'] as const;
const AGENT = ['agent@cotswold-accountants.example.com', 'demo-agent-password'] as const;

let app: TestApp;
let stroudId: string;
let bulkyId: string;
/** A Stroud service without a workflow of its own: its cases follow the platform's `default`. */
let plainId: string;
let citizenId: string;
let ownerId: string;
const db = () => app.platform.database.db;

async function userId(email: string) {
  return (
    await db()
      .selectFrom('users')
      .select('id')
      .where(sql`lower(email)`, '=', email)
      .executeTakeFirstOrThrow()
  ).id;
}

beforeAll(async () => {
  app = await startTestApp();
  stroudId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  bulkyId = (await searchServices(db(), 'en', 'bulky waste'))[0]!.id;
  plainId = (
    await db()
      .selectFrom('services')
      .select('id')
      .where('organisation_id', '=', stroudId)
      .where('id', '<>', bulkyId)
      .orderBy('slug')
      .limit(1)
      .executeTakeFirstOrThrow()
  ).id;
  citizenId = await userId(CITIZEN[0]);
  ownerId = await userId('owner@stroud.example.gov.uk');
});
afterAll(async () => {
  await app?.close();
});

async function signedIn([email, password]: readonly [string, string]) {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** A submission to Stroud from the demo citizen, delivered to casework: its case's reference. */
async function newCase(serviceId = plainId, applicantUserId: string | null = citizenId) {
  const submission = await db()
    .transaction()
    .execute((trx) =>
      createSubmission(
        trx,
        {
          serviceId,
          organisationId: stroudId,
          applicantUserId,
          applicant: applicantUserId
            ? null
            : { name: 'No Account', email: 'no-account@example.com' },
          answers: {
            values: {},
            summary: { en: [{ question: 'Q', answer: 'A' }], cy: [{ question: 'C', answer: 'A' }] },
          },
        },
        { userId: applicantUserId, organisationId: null, role: 'citizen' },
      ),
    );
  await app.platform.worker.drain();
  return submission.reference;
}

async function caseOf(reference: string) {
  return db()
    .selectFrom('cases')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
}

async function eventCount(reference: string) {
  const row = await db()
    .selectFrom('case_events')
    .innerJoin('cases', 'cases.id', 'case_events.case_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('cases.reference', '=', reference)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Puts a case straight into a state (as if earlier actions had been taken). */
async function putInState(reference: string, state: string, closed = false) {
  await db()
    .updateTable('cases')
    .set({ state, closed_at: closed ? new Date() : null, state_entered_at: new Date() })
    .where('reference', '=', reference)
    .execute();
}

/** Posts an action as the visitor, with the case's current version unless told otherwise. */
async function act(
  visitor: Visitor,
  reference: string,
  action: string,
  fields: Record<string, string> = {},
  version?: number,
) {
  const staff = (await visitor.get(`/casework/${reference}`)).status === 200;
  if (!staff) await visitor.get('/applications');
  return visitor.post(`/casework/${reference}/actions/${action}`, {
    version: String(version ?? (await caseOf(reference)).version),
    ...fields,
  });
}

/** Expects the attempt to have changed nothing: same version, no new history. */
async function unchanged(
  reference: string,
  attempt: () => Promise<{ status: number }>,
  status: number,
) {
  const [before, events] = [await caseOf(reference), await eventCount(reference)];
  expect((await attempt()).status).toBe(status);
  const after = await caseOf(reference);
  expect(after.version).toBe(before.version);
  expect(after.state).toBe(before.state);
  expect(await eventCount(reference)).toBe(events);
}

describe('opening cases', () => {
  it('opens one case per received submission, in its workflow’s start state with a time limit', async () => {
    const reference = await newCase();
    const opened = await caseOf(reference);
    expect(opened).toMatchObject({
      state: 'received',
      organisation_id: stroudId,
      version: 1,
      closed_at: null,
    });
    expect(opened.due_at).not.toBeNull();
    expect(await openCaseForSubmission(db(), opened.submission_id!)).toBeUndefined();
    const count = await db()
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('submission_id', '=', opened.submission_id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', opened.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('casework.case.opened');
  });

  it('follows the workflow the service owner chose: bulky waste books a collection date', async () => {
    const reference = await newCase(bulkyId);
    const workflow = await db()
      .selectFrom('workflow_versions')
      .select('key')
      .where('id', '=', (await caseOf(reference)).workflow_id)
      .executeTakeFirstOrThrow();
    expect(workflow.key).toBe('bulky-waste');
  });

  it('publishes the shipped workflows once, however many nodes start at once', async () => {
    await Promise.all([ensurePlatformWorkflows(db()), ensurePlatformWorkflows(db())]);
    const rows = await db()
      .selectFrom('workflow_versions')
      .select(['key', 'version'])
      .where('organisation_id', 'is', null)
      .orderBy('key')
      .execute();
    expect(rows).toEqual([
      { key: 'bulky-waste', version: 1 },
      { key: 'default', version: 1 },
      { key: 'public-grievance', version: 1 },
    ]);
  });
});

describe('working a case through the default workflow', () => {
  it('is assigned, worked, paused for information, refused, appealed and reviewed, the submission and applicant kept in step', async () => {
    const reference = await newCase();
    const caseworker = await signedIn(STROUD);
    const page = await caseworker.get(`/casework/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Received');
    expect(page.html).toContain('Assigning moves the case to ‘Assigned’.');

    // Assigning to oneself takes the workflow's "assign" action too.
    const assigned = await caseworker.post(`/casework/${reference}/assign`, {
      version: hiddenValue(page.html, 'version'),
      assignee: await userId(STROUD[0]),
    });
    expect(assigned.status).toBe(303);
    expect(await caseOf(reference)).toMatchObject({
      state: 'assigned',
      assigned_to: await userId(STROUD[0]),
    });

    expect((await act(caseworker, reference, 'start')).status).toBe(303);
    const submissionStatus = async () =>
      (
        await db()
          .selectFrom('submissions')
          .select('status')
          .where('reference', '=', reference)
          .executeTakeFirstOrThrow()
      ).status;
    expect(await submissionStatus()).toBe('in-progress');

    // Asked from the requests for information panel; the request settled (cancelled) there too.
    const running = await caseOf(reference);
    await caseworker.get(`/casework/${reference}`);
    const asked = await caseworker.post(`/casework/${reference}/information`, {
      question: 'Please send a photo of the item.',
      version: String(running.version),
    });
    expect(asked.status).toBe(303);
    const paused = await caseOf(reference);
    expect(paused).toMatchObject({ state: 'awaiting-information', due_at: running.due_at });
    expect(paused.paused_at).not.toBeNull();
    const request = await db()
      .selectFrom('information_requests')
      .select('id')
      .where('case_id', '=', paused.id)
      .executeTakeFirstOrThrow();
    await caseworker.get(`/casework/${reference}`);
    const settled = await caseworker.post(
      `/casework/${reference}/information/${request.id}/cancel`,
      { version: String(paused.version) },
    );
    expect(settled.status).toBe(303);
    const resumed = await caseOf(reference);
    expect(resumed).toMatchObject({ state: 'in-progress', paused_at: null });
    expect(resumed.due_at!.getTime()).toBeGreaterThanOrEqual(running.due_at!.getTime());

    expect(
      (await act(caseworker, reference, 'refuse', { comment: 'Not eligible: outside the area.' }))
        .status,
    ).toBe(303);
    expect(await caseOf(reference)).toMatchObject({ state: 'refused', due_at: null });
    expect((await caseOf(reference)).closed_at).not.toBeNull();
    expect(await submissionStatus()).toBe('rejected');
    await app.platform.worker.drain();

    // The applicant was told in their inbox, in English and Welsh, with the reason.
    const inbox = await db()
      .selectFrom('inbox_messages')
      .select(['subject', 'body'])
      .where('submission_reference', '=', reference)
      .orderBy('sent_at')
      .execute();
    expect(inbox.map((m) => m.body)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /has been refused\.\n\nReason: Not eligible: outside the area\.[\s\S]*wedi’i wrthod/,
        ),
      ]),
    );
    const citizen = await signedIn(CITIZEN);
    const mine = await citizen.get(`/applications/${reference}`);
    expect(mine.html).toContain('Reason: Not eligible: outside the area.');

    // The applicant asks for a review; a caseworker cannot decide it, a team leader can.
    expect(
      (await act(citizen, reference, 'appeal', { comment: 'It is inside the area.' })).headers.get(
        'location',
      ),
    ).toBe(`/applications/${reference}`);
    expect(await caseOf(reference)).toMatchObject({ state: 'review', closed_at: null });
    await unchanged(reference, () => act(caseworker, reference, 'uphold', { comment: 'x' }), 403);
    const leader = await signedIn(LEADER);
    expect(
      (await act(leader, reference, 'uphold', { comment: 'The address is outside the area.' }))
        .status,
    ).toBe(303);
    expect(await caseOf(reference)).toMatchObject({ state: 'refusal-upheld' });
    await app.platform.worker.drain();

    // Each decision is told once, by its decision letter; the submissions module does not
    // e-mail it as well.
    const decided = await db()
      .selectFrom('outbox')
      .select('idempotency_key')
      .where('topic', '=', 'submission.decided')
      .where(
        'idempotency_key',
        'like',
        `submission.decided:${(await caseOf(reference)).submission_id}%`,
      )
      .execute();
    expect(decided).toHaveLength(0);
    const letters = await db()
      .selectFrom('case_events')
      .select('details')
      .where('case_id', '=', (await caseOf(reference)).id)
      .where('kind', '=', 'message')
      .where(sql<string>`details ->> 'decision_letter'`, '=', 'true')
      .execute();
    expect(letters.map((l) => l.details.channel)).toEqual(['inbox', 'inbox']);

    const history = await caseworker.get(`/casework/${reference}`);
    expect(history.html).toContain('Uphold the refusal – Kim Leader');
    expect(history.html).toContain('Not eligible: outside the area.');
    expect(history.html).toContain('Sent to their account inbox');
  }, 120_000);

  it('tells someone without an account by e-mail to the address they gave', async () => {
    const reference = await newCase(plainId, null);
    const caseworker = await signedIn(STROUD);
    await putInState(reference, 'assigned');
    expect((await act(caseworker, reference, 'start')).status).toBe(303);
    await app.platform.worker.drain();
    const mail = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('idempotency_key', 'like', 'casework.tell:%:mail')
      .execute();
    expect(mail.map((m) => (m.payload as { to: string }).to)).toContain('no-account@example.com');
  });

  it('offers asking for information and its answer only through the requests for information panel', async () => {
    const reference = await newCase();
    await putInState(reference, 'in-progress');
    const caseworker = await signedIn(STROUD);
    const working = await caseworker.get(`/casework/${reference}`);
    expect(working.html).toContain(`action="/casework/${reference}/actions/approve"`);
    expect(working.html).not.toContain(`/actions/request-information"`);
    expect(working.html).toContain(`action="/casework/${reference}/information"`);
    // A bare move would leave the applicant nothing to answer: the generic action sends staff to
    // the ask page instead, and changes nothing.
    let response: Response & { html: string } = undefined!;
    await unchanged(
      reference,
      async () =>
        (response = await act(caseworker, reference, 'request-information', { comment: 'x' })),
      303,
    );
    expect(response.headers.get('location')).toBe(`/casework/${reference}/information/new`);
    await putInState(reference, 'awaiting-information');
    const waiting = await caseworker.get(`/casework/${reference}`);
    expect(waiting.html).toContain(`action="/casework/${reference}/actions/withdraw"`);
    expect(waiting.html).not.toContain(`/actions/information-received"`);
  });
});

describe('the applicant’s e-mails about a decision', () => {
  it('are one for a casework decision: the letter’s “new message” e-mail, not the submission’s decision e-mail too', async () => {
    const reference = await newCase();
    await putInState(reference, 'in-progress');
    await app.platform.worker.drain();
    const before = await mailsTo(db(), CITIZEN[0]);
    const caseworker = await signedIn(STROUD);
    expect((await act(caseworker, reference, 'refuse', { comment: 'Too big.' })).status).toBe(303);
    await app.platform.worker.drain();
    const after = await mailsTo(db(), CITIZEN[0]);
    expect(after).toHaveLength(before.length + 1);
    const letter = await db()
      .selectFrom('inbox_messages')
      .select('body')
      .where('submission_reference', '=', reference)
      .orderBy('sent_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(letter.body).toContain('Reason: Too big.');
    expect(after.at(-1)!.text).not.toContain('Too big.'); // the e-mail points to the inbox
  });

  it('are still sent by the submissions module for a body’s own system’s decision (the hub)', async () => {
    const reference = await newCase();
    const submission = await db()
      .selectFrom('submissions')
      .select('id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    const { key } = await createHubKey(
      db(),
      { organisationId: stroudId, name: 'Stroud receive', scope: 'receive' },
      { userId: null, organisationId: stroudId, role: 'test' },
    );
    const before = await mailsTo(db(), CITIZEN[0]);
    const replied = await fetch(`${app.baseUrl}/api/v1/submissions/${submission.id}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'rejected', reasons: ['Wrong street'] }),
    });
    expect(replied.status, await replied.clone().text()).toBe(200);
    await app.platform.worker.drain();
    const after = await mailsTo(db(), CITIZEN[0]);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)!.text).toContain('Reason: Wrong street');
  });
});

describe('who may take each action', () => {
  it('lets a caseworker of the case’s body act, and gives another body’s caseworker 404 for the case and every action', async () => {
    const reference = await newCase();
    const other = await signedIn(CHELTENHAM);
    expect((await other.get(`/casework/${reference}`)).status).toBe(404);
    for (const action of ['assign', 'start', 'approve', 'refuse', 'withdraw']) {
      await unchanged(reference, () => act(other, reference, action, { comment: 'x' }), 404);
    }
    const caseworker = await signedIn(STROUD);
    expect((await act(caseworker, reference, 'assign')).status).toBe(303);
  });

  it('gives the applicant 403 for staff actions and lets them withdraw their own application', async () => {
    const reference = await newCase();
    await putInState(reference, 'in-progress');
    const citizen = await signedIn(CITIZEN);
    for (const action of ['approve', 'refuse', 'request-information'])
      await unchanged(reference, () => act(citizen, reference, action, { comment: 'x' }), 403);
    expect((await citizen.get(`/casework/${reference}`)).status).toBe(404);
    const withdrawn = await act(citizen, reference, 'withdraw');
    expect(withdrawn.status).toBe(303);
    expect(await caseOf(reference)).toMatchObject({ state: 'withdrawn' });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor_role', 'actor_user_id'])
      .where('action', '=', 'casework.case.action')
      .where('resource_id', '=', (await caseOf(reference)).id)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_role: 'citizen', actor_user_id: citizenId });
  });

  it('gives staff 403 for the applicant’s appeal, and keeps reviews for team leaders', async () => {
    const reference = await newCase();
    await putInState(reference, 'refused', true);
    const caseworker = await signedIn(STROUD);
    await unchanged(reference, () => act(caseworker, reference, 'appeal', { comment: 'x' }), 403);
    await putInState(reference, 'review');
    await unchanged(reference, () => act(caseworker, reference, 'overturn', { comment: 'x' }), 403);
    const leader = await signedIn(LEADER);
    expect(
      (await act(leader, reference, 'overturn', { comment: 'The rules allow it.' })).status,
    ).toBe(303);
    expect(await caseOf(reference)).toMatchObject({ state: 'approved' });
  });

  it('refuses an appeal after 28 days with 409', async () => {
    const reference = await newCase();
    await putInState(reference, 'refused', true);
    await db()
      .updateTable('cases')
      .set({ state_entered_at: new Date(Date.now() - 40 * 24 * 3600 * 1000) })
      .where('reference', '=', reference)
      .execute();
    const citizen = await signedIn(CITIZEN);
    await unchanged(reference, () => act(citizen, reference, 'appeal', { comment: 'Please' }), 409);
  });

  it('lets an agent acting for the applicant act as the applicant in a service their authority covers, and no further', async () => {
    const agent = await signedIn(AGENT);
    await agent.get('/agents/clients');
    const authority = await db()
      .selectFrom('agent_authorities')
      .select('id')
      .where('client_user_id', '=', citizenId)
      .where('status', '=', 'approved')
      .executeTakeFirstOrThrow();
    expect((await agent.post('/agents/act', { authorityId: authority.id })).status).toBe(303);

    const covered = await newCase(bulkyId);
    await unchanged(covered, () => act(agent, covered, 'approve'), 403);
    expect((await act(agent, covered, 'withdraw')).status).toBe(303);
    expect(await caseOf(covered)).toMatchObject({ state: 'withdrawn' });

    const notCovered = await newCase(plainId);
    await unchanged(notCovered, () => act(agent, notCovered, 'withdraw'), 404);
  });
});

describe('every action of the default workflow, for every kind of person', () => {
  it('is taken by the roles the workflow names, 403 for other roles on the case, 404 for everyone else', async () => {
    const definition = (
      await db()
        .selectFrom('workflow_versions')
        .select('definition')
        .where('key', '=', 'default')
        .where('organisation_id', 'is', null)
        .executeTakeFirstOrThrow()
    ).definition as {
      states: { name: string; terminal?: boolean }[];
      actions: { name: string; from: string[]; roles: string[] }[];
    };
    const people = {
      caseworker: await signedIn(STROUD),
      'team-leader': await signedIn(LEADER),
      applicant: await signedIn(CITIZEN),
      otherBody: await signedIn(CHELTENHAM),
      stranger: await signedIn([
        'caseworker@gloucestershire.example.gov.uk',
        'demo-gloucestershire-caseworker',
      ]),
    };
    for (const action of definition.actions) {
      const from = action.from[0]!;
      const terminal = definition.states.find((s) => s.name === from)?.terminal === true;
      for (const [who, visitor] of Object.entries(people)) {
        const reference = await newCase();
        await putInState(reference, from, terminal);
        const expected =
          who === 'otherBody' || who === 'stranger' ? 404 : action.roles.includes(who) ? 303 : 403;
        const attempt = () => act(visitor, reference, action.name, { comment: 'A comment.' });
        if (expected === 303 && action.name === 'request-information')
          // Staff ask from the ask page, where the generic action sends them, changing nothing.
          await unchanged(reference, attempt, 303);
        else if (expected === 303) {
          const response = await attempt();
          expect(response.status, `${who} ${action.name}`).toBe(303);
          expect((await caseOf(reference)).version, `${who} ${action.name}`).toBeGreaterThan(1);
        } else await unchanged(reference, attempt, expected);
      }
    }
  }, 300_000);
});

describe('bad input and conflicts', () => {
  it('shows “someone else changed this case” with the newer version for a stale version, and changes nothing', async () => {
    const reference = await newCase();
    const caseworker = await signedIn(STROUD);
    const stale = (await caseOf(reference)).version;
    expect((await act(caseworker, reference, 'assign')).status).toBe(303);
    let response: Response & { html: string } = undefined!;
    await unchanged(
      reference,
      async () => (response = await act(caseworker, reference, 'withdraw', {}, stale)),
      409,
    );
    expect(response.html).toContain('Someone else changed this case');
    expect(response.html).toContain('govuk-error-summary');
    expect(hiddenValue(response.html, 'version')).toBe(String((await caseOf(reference)).version));
  });

  it('is 409 for an action the case’s state does not allow', async () => {
    const reference = await newCase();
    const caseworker = await signedIn(STROUD);
    let response: Response & { html: string } = undefined!;
    await unchanged(
      reference,
      async () => (response = await act(caseworker, reference, 'approve')),
      409,
    );
    expect(response.html).toContain('This action is no longer possible');
  });

  it('is 400 with the error summary for a missing comment, keeping nothing', async () => {
    const reference = await newCase();
    await putInState(reference, 'in-progress');
    const caseworker = await signedIn(STROUD);
    let response: Response & { html: string } = undefined!;
    await unchanged(
      reference,
      async () => (response = await act(caseworker, reference, 'refuse', { comment: '  ' })),
      400,
    );
    expect(response.html).toContain('href="#action-refuse-comment"');
    expect(response.html).toContain('Enter a comment');
    expect(response.html).toMatch(/<title>Error: /);
  });

  it('checks a bulky waste collection date, in Welsh too', async () => {
    const reference = await newCase(bulkyId);
    const caseworker = await signedIn(STROUD);
    let response: Response & { html: string } = undefined!;
    await unchanged(
      reference,
      async () =>
        (response = await act(caseworker, reference, 'approve', {
          'collectionDate-day': '1',
          'collectionDate-month': '1',
          'collectionDate-year': '2020',
        })),
      400,
    );
    expect(response.html).toContain('The collection date must be today or in the future');
    await caseworker.get('/?lang=cy');
    response = await act(caseworker, reference, 'approve', {});
    expect(response.status).toBe(400);
    expect(response.html).toContain('Rhowch y dyddiad casglu');
    const [d, m, y] = weekdayAhead(8);
    await caseworker.get('/?lang=en');
    const approved = await act(caseworker, reference, 'approve', {
      'collectionDate-day': d,
      'collectionDate-month': m,
      'collectionDate-year': y,
    });
    expect(approved.status).toBe(303);
  });
});

describe('documents sent with an action', () => {
  /** Posts an action form as a browser does when it has a file: multipart/form-data, file last. */
  async function actWithFile(
    visitor: Visitor,
    reference: string,
    action: string,
    comment: string,
    file: Buffer,
    name: string,
  ) {
    await visitor.get(`/casework/${reference}`);
    const form = new FormData();
    form.append('_csrf', csrfToken(visitor.lastHtml));
    form.append('version', hiddenValue(visitor.lastHtml, 'version'));
    form.append('comment', comment);
    form.append('file', new Blob([new Uint8Array(file)]), name);
    const response = await fetch(`${app.baseUrl}/casework/${reference}/actions/${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: visitor.cookieHeader() },
      body: form,
    });
    return Object.assign(response, { html: await response.text() });
  }

  it('keeps a document with the action, readable by the body, and refuses a file of the wrong type', async () => {
    const reference = await newCase();
    await putInState(reference, 'in-progress');
    const caseworker = await signedIn(STROUD);
    let refused: { status: number; html: string } = undefined!;
    await unchanged(
      reference,
      async () =>
        (refused = await actWithFile(
          caseworker,
          reference,
          'refuse',
          'See the letter.',
          Buffer.from('<html>hi</html>'),
          'letter.pdf',
        )),
      400,
    );
    expect(refused.html).toContain('href="#action-refuse-document"');
    const sent = await actWithFile(
      caseworker,
      reference,
      'refuse',
      'See the letter.',
      minimalPdf(),
      'letter.pdf',
    );
    expect(sent.status).toBe(303);
    const event = await db()
      .selectFrom('case_events')
      .select('documents')
      .where('case_id', '=', (await caseOf(reference)).id)
      .where('action', '=', 'refuse')
      .executeTakeFirstOrThrow();
    expect(event.documents).toHaveLength(1);
    const page = await caseworker.get(`/casework/${reference}`);
    expect(page.html).toContain(`href="/attachments/${event.documents[0]}"`);
    expect((await caseworker.get(`/attachments/${event.documents[0]}`)).status).toBe(200);
    expect(
      (await (await signedIn(CHELTENHAM)).get(`/attachments/${event.documents[0]}`)).status,
    ).toBe(404);
    // A file deleted since (by retention, say) is named as gone, never a broken link.
    await db().deleteFrom('attachments').where('id', '=', event.documents[0]!).execute();
    const after = await caseworker.get(`/casework/${reference}`);
    expect(after.status).toBe(200);
    expect(after.html).toContain('A file that is no longer available');
    expect(after.html).not.toContain(`href="/attachments/${event.documents[0]}"`);
  });

  it('lets a team leader without the caseworker role read the answers and files; not one of another body', async () => {
    const reference = await newCase();
    await putInState(reference, 'in-progress');
    const sent = await actWithFile(
      await signedIn(STROUD),
      reference,
      'approve',
      'See the letter.',
      minimalPdf(),
      'approval.pdf',
    );
    expect(sent.status).toBe(303);
    const [file] = (
      await db()
        .selectFrom('case_events')
        .select('documents')
        .where('case_id', '=', (await caseOf(reference)).id)
        .where('action', '=', 'approve')
        .executeTakeFirstOrThrow()
    ).documents;
    const leaderOf = async (organisationId: string) => {
      const made = await aConfirmedCitizen(db());
      await db()
        .updateTable('users')
        .set({ kind: 'staff', organisation_id: organisationId, roles: ['team-leader'] })
        .where('id', '=', made.id)
        .execute();
      return signedIn([made.email, made.password]);
    };
    const leader = await leaderOf(stroudId);
    const page = await leader.get(`/casework/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Applicant’s answers');
    expect((await leader.get(`/attachments/${file}`)).status).toBe(200);
    const viewed = await db()
      .selectFrom('audit_log')
      .select('actor_role')
      .where('action', '=', 'submission.viewed')
      .where('resource_id', '=', (await caseOf(reference)).submission_id)
      .execute();
    expect(viewed.map((v) => v.actor_role)).toContain('team-leader');
    const citizen = await signedIn(CITIZEN);
    expect((await citizen.get(`/applications/${reference}`)).html).toContain(
      'Stroud District Council, team leader',
    );

    const cheltenham = (await findOrganisationBySlug(db(), 'cheltenham'))!.id;
    const other = await leaderOf(cheltenham);
    const refused = await other.get(`/casework/${reference}`);
    expect(refused.status).toBe(404);
    expect(refused.html).not.toContain('Applicant’s answers');
    expect((await other.get(`/attachments/${file}`)).status).toBe(404);
  });

  it('takes the files of the case itself, but not another case’s or an unknown one', async () => {
    const [reference, other] = [await newCase(), await newCase()];
    await putInState(reference, 'in-progress');
    await putInState(other, 'in-progress');
    const leader = await signedIn(LEADER);
    const sent = await actWithFile(
      leader,
      other,
      'approve',
      'Approved: the form is attached.',
      minimalPdf(),
      'form.pdf',
    );
    expect(sent.status).toBe(303);
    const otherFile = (
      await db()
        .selectFrom('attachments')
        .select('id')
        .where('filename', '=', 'form.pdf')
        .executeTakeFirstOrThrow()
    ).id;
    // Read first: inside the transaction only trx may be used.
    const user = aStaffMember(stroudId, ['caseworker'], { id: await userId(STROUD[0]) });
    const refuse = async (ref: string, documents: string[]) => {
      const expectedVersion = (await caseOf(ref)).version;
      return db()
        .transaction()
        .execute((trx) =>
          performAction(
            trx,
            { reference: ref, action: 'refuse', expectedVersion, comment: 'x', documents },
            { user },
          ),
        );
    };
    for (const documents of [[otherFile], ['00000000-0000-4000-8000-000000000000']])
      expect(await refuse(reference, documents)).toMatchObject({
        ok: false,
        status: 400,
        errors: [{ field: 'document', message: 'casework.action.document.unknown' }],
      });
    await putInState(other, 'in-progress');
    expect(await refuse(other, [otherFile])).toMatchObject({ ok: true });
  });
});

describe('the clock', () => {
  it('pauses once and moves the due date on by the working days it stood still', async () => {
    const reference = await newCase();
    const due = new Date('2027-03-31T22:59:59.999Z');
    await db()
      .updateTable('cases')
      .set({ due_at: due })
      .where('reference', '=', reference)
      .execute();
    const monday = new Date('2027-03-01T10:00:00Z');
    const nextMonday = new Date('2027-03-08T10:00:00Z');
    const caseRow = await caseOf(reference);
    const paused = await db()
      .transaction()
      .execute(async (trx) => {
        const once = await pauseClock(trx, caseRow, monday);
        const twice = await pauseClock(trx, once, nextMonday);
        return { once, twice };
      });
    expect(paused.once.paused_at).toEqual(monday);
    expect(paused.twice).toEqual(paused.once);
    expect(paused.once.version).toBe(caseRow.version + 1);
    const resumed = await db()
      .transaction()
      .execute((trx) => resumeClock(trx, paused.twice, nextMonday));
    // Tuesday to the next Monday: five working days.
    expect(resumed).toMatchObject({
      paused_at: null,
      due_at: new Date('2027-04-07T22:59:59.999Z'),
    });
    const kinds = await db()
      .selectFrom('case_events')
      .select('kind')
      .where('case_id', '=', caseRow.id)
      .where('kind', 'like', 'clock-%')
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(['clock-paused', 'clock-resumed']);
  });
});

describe('the queue', () => {
  it('filters, counts by state and bulk-assigns, reporting cases changed meanwhile', async () => {
    const [one, two] = [await newCase(), await newCase()];
    const caseworker = await signedIn(STROUD);
    // Newest first: with more than a page of cases, a random reference could sort onto page 2.
    const queue = await caseworker.get('/casework?assigned=unassigned&sort=opened');
    expect(queue.status).toBe(200);
    expect(queue.html).toContain(one);
    expect(queue.html).toMatch(/Received <strong>\d+<\/strong>/);
    const staleTwo = `${two}@${(await caseOf(two)).version}`;
    await putInState(two, 'assigned'); // someone moved it meanwhile (the version stays, the state does not matter)
    await db()
      .updateTable('cases')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('reference', '=', two)
      .execute();
    const assigned = await caseworker.post('/casework/assign', {
      cases: [`${one}@${(await caseOf(one)).version}`, staleTwo],
      assignee: await userId(STROUD[0]),
      returnTo: '/casework?assigned=me',
    });
    expect(assigned.status).toBe(303);
    const result = await caseworker.get(assigned.headers.get('location')!);
    expect(result.html).toContain('Cases assigned: 1');
    expect(result.html).toContain(two);
    expect(result.html).toContain(`href="/casework/${one}"`);
    expect(result.html).not.toContain(`href="/casework/${two}"`);
    expect((await caseOf(one)).assigned_to).toBe(await userId(STROUD[0]));
  });

  it('is not there for another council, a citizen or nobody signed in', async () => {
    const reference = await newCase();
    expect((await (await signedIn(CHELTENHAM)).get('/casework')).html).not.toContain(reference);
    expect((await (await signedIn(CITIZEN)).get('/casework')).status).toBe(404);
    expect((await new Visitor(app.baseUrl).get('/casework')).status).toBe(303);
  });
});

describe('notes and links', () => {
  it('adds internal notes and links two cases of the same body, not another body’s', async () => {
    const [one, two] = [await newCase(), await newCase()];
    const caseworker = await signedIn(STROUD);
    await caseworker.get(`/casework/${one}`);
    expect(
      (await caseworker.post(`/casework/${one}/notes`, { note: 'Called the applicant.' })).status,
    ).toBe(303);
    expect((await caseworker.post(`/casework/${one}/notes`, { note: ' ' })).status).toBe(400);
    expect(
      (await caseworker.post(`/casework/${one}/links`, { linkReference: two.toLowerCase() }))
        .status,
    ).toBe(303);
    const page = await caseworker.get(`/casework/${one}`);
    expect(page.html).toContain('Called the applicant.');
    expect(page.html).toContain(`href="/casework/${two}"`);
    expect((await caseworker.get(`/casework/${two}`)).html).toContain(`href="/casework/${one}"`);

    const cheltenham = (await findOrganisationBySlug(db(), 'cheltenham'))!;
    await db()
      .updateTable('cases')
      .set({ organisation_id: cheltenham.id })
      .where('reference', '=', two)
      .execute();
    const three = await newCase();
    await caseworker.get(`/casework/${three}`);
    const refused = await caseworker.post(`/casework/${three}/links`, { linkReference: two });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('There is no case of your organisation with that reference');
    // The citizen's application page never shows notes.
    expect((await (await signedIn(CITIZEN)).get(`/applications/${one}`)).html).not.toContain(
      'Called the applicant.',
    );
  });
});

describe('workflow versions', () => {
  it('lets a service owner draft and publish a workflow for new cases, while cases in flight keep theirs', async () => {
    const owner = { user: aStaffMember(stroudId, ['service-owner'], { id: ownerId }) };
    const before = await newCase();
    const definition = structuredClone(
      (
        await db()
          .selectFrom('workflow_versions')
          .select('definition')
          .where('key', '=', 'default')
          .where('organisation_id', 'is', null)
          .executeTakeFirstOrThrow()
      ).definition,
    ) as { key: string; states: { name: string; slaDays?: number }[] };
    definition.key = 'stroud-standard';
    definition.states[0]!.slaDays = 2;
    const saved = await db()
      .transaction()
      .execute((trx) => saveWorkflowDraft(trx, { organisationId: stroudId, definition }, owner));
    expect(saved).toMatchObject({ ok: true, key: 'stroud-standard', version: 1 });
    const choose = () =>
      db()
        .transaction()
        .execute((trx) => setServiceWorkflow(trx, plainId, 'stroud-standard', owner));
    expect(await choose()).toMatchObject({
      ok: false,
      errors: [{ message: 'casework.workflows.unknownKey' }],
    });
    if (!saved.ok) throw new Error('not saved');
    expect(
      await db()
        .transaction()
        .execute((trx) => publishWorkflow(trx, saved.id, owner)),
    ).toMatchObject({ ok: true, version: 1 });
    expect(await choose()).toEqual({ ok: true });
    const after = await newCase();
    expect((await caseOf(after)).workflow_id).toBe(saved.id);
    expect((await caseOf(before)).workflow_id).not.toBe(saved.id);
    expect(
      (await listWorkflows(db(), stroudId)).map((w) => `${w.key}@${w.version}:${w.status}`),
    ).toContain('stroud-standard@1:published');

    // Only a service owner of the body may; anyone else is "not found".
    const caseworker = { user: aStaffMember(stroudId, ['caseworker'], { id: ownerId }) };
    await expect(
      db()
        .transaction()
        .execute((trx) =>
          saveWorkflowDraft(trx, { organisationId: stroudId, definition }, caseworker),
        ),
    ).rejects.toMatchObject({ status: 404 });
    const bad = await db()
      .transaction()
      .execute((trx) =>
        saveWorkflowDraft(
          trx,
          { organisationId: stroudId, definition: { ...definition, states: [] } },
          owner,
        ),
      );
    expect(bad.ok).toBe(false);
    await db()
      .updateTable('service_workflows')
      .set({ workflow_key: 'default' })
      .where('service_id', '=', plainId)
      .execute();
  });
});
