import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { applyForBulkyWaste } from '../../../../test/helpers/journeys.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { linkAttachments } from '../../attachments/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { hubKeyCreate } from '../../submissions/index.js';
import { recordCaseEvent } from '../commands/events.js';
import { addNote } from '../commands/work.js';
import type { CaseRow } from '../db/tables.js';
import { findCaseByReference } from '../queries/cases.js';
import { referralsForApplication } from './applicant.js';
import { sharedAccess } from './access.js';
import { sharedCaseView } from './queries.js';
import { currentUserByEmail } from '../../../../test/helpers/current-user.js';

const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const STROUD = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const COUNTY = [
  'caseworker@gloucestershire.example.gov.uk',
  'demo-gloucestershire-caseworker',
] as const;
const CHELTENHAM = ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'] as const;

/** Text only the parts it belongs to can show. */
const NOTE = 'Internal: applicant mentioned a fall at home last winter';
const FILE = 'occupational-therapy-letter.pdf';
const REASON = 'Needs an adult social care assessment before the collection';

let app: TestApp;
const db = () => app.platform.database.db;
let caseA: CaseRow;
let reference = '';
const org: Record<'stroud' | 'county' | 'cheltenham', string> = {
  stroud: '',
  county: '',
  cheltenham: '',
};
let stroud: Visitor;
let county: Visitor;
let cheltenham: Visitor;

/** The signed-in person as the service layer sees them, for calling queries directly. */
function currentUser(email: string): Promise<CurrentUser> {
  return currentUserByEmail(db(), email);
}

function minimalPdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
}

/** A file Stroud's system uploaded through the hub, linked to the case's submission and sent with an event. */
async function attachFile(caseRow: CaseRow) {
  const key = (await hubKeyCreate(db(), ['--org', 'stroud', '--scope', 'submit'])).out[0]!;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(minimalPdf())], { type: 'application/pdf' }), FILE);
  const uploaded = await fetch(`${app.baseUrl}/api/v1/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  expect(uploaded.status, await uploaded.clone().text()).toBe(201);
  const { id } = (await uploaded.json()) as { id: string };
  await db()
    .transaction()
    .execute(async (trx) => {
      await linkAttachments(trx, caseRow.submission_id!, org.stroud, [id], {
        uploaderOrganisationId: org.stroud,
      });
      await recordCaseEvent(trx, caseRow.id, {
        kind: 'information-received',
        actorOrganisationId: org.stroud,
        documents: [id],
      });
    });
}

async function referralRows() {
  return db()
    .selectFrom('case_referrals')
    .selectAll()
    .where('case_id', '=', caseA.id)
    .orderBy('created_at')
    .execute();
}

async function eventKinds(caseId: string) {
  const rows = await db()
    .selectFrom('case_events')
    .select('kind')
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.kind);
}

async function fileIdOf(filename: string): Promise<string> {
  const row = await db()
    .selectFrom('attachments')
    .select('id')
    .where('filename', '=', filename)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function auditActions(action: string) {
  return db().selectFrom('audit_log').selectAll().where('action', '=', action).execute();
}

/** Posts the refer-or-share form from its own page, as a caseworker would. */
async function refer(visitor: Visitor, fields: Record<string, string | string[]>) {
  await visitor.get(`/casework/${reference}/referrals/new`);
  return visitor.post(`/casework/${reference}/referrals`, fields);
}

function referralIdIn(html: string): string {
  const id = /href="\/casework\/referrals\/([0-9a-f-]{36})"/.exec(html)?.[1];
  if (!id) throw new Error('No referral link on the page');
  return id;
}

beforeAll(async () => {
  app = await startTestApp();
  [stroud, county, cheltenham] = [1, 2, 3].map(() => new Visitor(app.baseUrl)) as [
    Visitor,
    Visitor,
    Visitor,
  ];
});

// A case of Stroud's from a citizen's application, with an internal note and a file.
beforeAll(async () => {
  org.stroud = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  org.county = (await findOrganisationBySlug(db(), 'gloucestershire'))!.id;
  org.cheltenham = (await findOrganisationBySlug(db(), 'cheltenham'))!.id;

  const citizen = new Visitor(app.baseUrl);
  await citizen.signIn(...CITIZEN);
  reference = await applyForBulkyWaste(citizen);
  await app.platform.worker.drain();
  caseA = (await findCaseByReference(db(), reference))!;
  expect(caseA.organisation_id).toBe(org.stroud);

  const stroudUser = await currentUser(STROUD[0]);
  const noted = await db()
    .transaction()
    .execute((trx) => addNote(trx, { reference, body: NOTE }, { user: stroudUser }));
  expect(noted.ok).toBe(true);
  await attachFile(caseA);

  await stroud.signIn(...STROUD);
  await county.signIn(...COUNTY);
  await cheltenham.signIn(...CHELTENHAM);
});
afterAll(async () => {
  await app?.close();
});

const countyReferral = {
  kind: 'refer',
  parts: ['answers', 'history'],
  reason: REASON,
  consent: 'phone',
  consentNote: 'Call of 2 March',
};

describe('referring a case to another body', () => {
  it('refuses a referral without the applicant’s consent (400) and stores nothing', async () => {
    const response = await refer(stroud, {
      ...countyReferral,
      organisationId: org.county,
      consent: '',
    });
    expect(response.status).toBe(400);
    expect(response.html).toContain('govuk-error-summary');
    expect(response.html).toContain('Select how the applicant agreed to the referral');
    expect(response.html).toContain(REASON); // what was typed is kept
    expect(await referralRows()).toHaveLength(0);
    expect(await eventKinds(caseA.id)).not.toContain('referred');
    expect(await auditActions('casework.referral.offered')).toHaveLength(0);
  });

  it('refuses a referral with no part chosen, or to the body’s own self', async () => {
    const none = await refer(stroud, { ...countyReferral, organisationId: org.county, parts: [] });
    expect(none.status).toBe(400);
    expect(none.html).toContain('Select at least one part of the case they may see');
    const self = await refer(stroud, { ...countyReferral, organisationId: org.stroud });
    expect(self.status).toBe(400);
    expect(await referralRows()).toHaveLength(0);
  });

  it('gives another body’s caseworker "not found" for the form and the post, and stores nothing', async () => {
    expect((await cheltenham.get(`/casework/${reference}/referrals/new`)).status).toBe(404);
    await cheltenham.get('/casework/referrals');
    const response = await cheltenham.post(`/casework/${reference}/referrals`, {
      ...countyReferral,
      organisationId: org.county,
    });
    expect(response.status).toBe(404);
    expect(await referralRows()).toHaveLength(0);
  });

  it('records the referral with the consent, who recorded it and when, an event and an audit entry', async () => {
    const before = Date.now();
    const response = await refer(stroud, { ...countyReferral, organisationId: org.county });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/casework/${reference}#referrals-title`);
    const [referral] = await referralRows();
    expect(referral).toMatchObject({
      from_organisation_id: org.stroud,
      to_organisation_id: org.county,
      kind: 'refer',
      shared_parts: ['answers', 'history'],
      reason: REASON,
      status: 'offered',
    });
    const stroudUser = await currentUser(STROUD[0]);
    expect(referral!.consent).toMatchObject({
      how: 'phone',
      recordedBy: stroudUser.id,
      note: 'Call of 2 March',
    });
    expect(Date.parse(referral!.consent.recordedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await eventKinds(caseA.id)).toContain('referred');
    const [audit] = await auditActions('casework.referral.offered');
    expect(audit).toMatchObject({
      actor_user_id: stroudUser.id,
      actor_organisation_id: org.stroud,
      resource_id: referral!.id,
      subject_user_id: caseA.applicant_user_id,
    });
  });

  it('shows the referring body its referral on the case page', async () => {
    const page = await stroud.get(`/casework/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Referrals and sharing');
    expect(page.html).toContain('Gloucestershire County Council');
    expect(page.html).toContain('The applicant’s answers, History');
    expect(page.html).toContain('Offered');
  });
});

describe('the receiving body', () => {
  let referralId = '';

  it('lists the offered referral and shows the answers and the history, never the notes or files', async () => {
    const list = await county.get('/casework/referrals');
    expect(list.status).toBe(200);
    expect(list.html).toContain(reference);
    expect(list.html).toContain('Stroud District Council');
    referralId = referralIdIn(list.html);

    const page = await county.get(`/casework/referrals/${referralId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(REASON);
    expect(page.html).toContain('By phone, recorded by Alex Caseworker');
    expect(page.html).toContain('Sofa or armchair'); // an answer
    expect(page.html).toContain('Referred to another body by Alex Caseworker'); // the history
    expect(page.html).not.toContain(NOTE);
    expect(page.html).not.toContain(FILE);
    expect(page.html).toContain('Not shared with you: Attachments, Internal notes.');
  });

  it('is built from the shared parts only, in the query as on the page', async () => {
    const user = await currentUser(COUNTY[0]);
    const view = await sharedCaseView(db(), user, referralId, 'en', { user });
    expect(view.parts).toEqual(['answers', 'history']);
    expect(view.answers!.length).toBeGreaterThan(0);
    expect(view.history!.map((e) => e.kind)).toContain('referred');
    expect(view).not.toHaveProperty('notes');
    expect(view).not.toHaveProperty('attachments');
    expect(JSON.stringify(view)).not.toContain(NOTE);
    expect(JSON.stringify(view)).not.toContain(FILE);
    expect(await sharedAccess(db(), user, caseA)).toEqual({
      referralId,
      parts: ['answers', 'history'],
    });
  });

  it('audits every read of the shared parts with the reading body', async () => {
    const reads = (await auditActions('casework.case.viewed_shared')).filter(
      (entry) => entry.details.referral_id === referralId,
    );
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const read of reads) {
      expect(read.actor_organisation_id).toBe(org.county);
      expect(read.resource_id).toBe(caseA.id);
      expect(read.subject_user_id).toBe(caseA.applicant_user_id);
      expect(read.details.parts).toEqual(['answers', 'history']);
    }
    // The applicant sees the county among those who looked at their application.
    const viewed = await db()
      .selectFrom('audit_log')
      .select('actor_organisation_id')
      .where('action', '=', 'submission.viewed')
      .where('resource_id', '=', caseA.submission_id!)
      .execute();
    expect(viewed.map((v) => v.actor_organisation_id)).toContain(org.county);
  });

  it('sends the county from the case’s own address to the referral page, the read audited once', async () => {
    const reads = async () =>
      (await auditActions('casework.case.viewed_shared')).filter(
        (entry) => entry.details.referral_id === referralId,
      ).length;
    const before = await reads();
    const response = await county.get(`/casework/${reference}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/casework/referrals/${referralId}`);
    expect(await reads()).toBe(before);
    expect((await county.get(response.headers.get('location')!)).status).toBe(200);
    expect(await reads()).toBe(before + 1);
  });

  it('does not let the county download the files: attachments are not shared with it (404)', async () => {
    const fileId = await fileIdOf(FILE);
    const response = await county.get(`/casework/referrals/${referralId}/files/${fileId}`);
    expect(response.status).toBe(404);
    expect(response.html).not.toContain('%PDF');
    expect(await auditActions('account.attachment-read-shared')).toHaveLength(0);
  });

  it('shows a third body nothing: not the list, not the referral, not the case (404)', async () => {
    expect((await cheltenham.get('/casework/referrals')).html).not.toContain(reference);
    expect((await cheltenham.get(`/casework/referrals/${referralId}`)).status).toBe(404);
    expect((await cheltenham.get(`/casework/${reference}`)).status).toBe(404);
    const accept = await cheltenham.post(`/casework/referrals/${referralId}/accept`, {});
    expect(accept.status).toBe(404);
    const user = await currentUser(CHELTENHAM[0]);
    expect(await sharedAccess(db(), user, caseA)).toBeNull();
    await expect(sharedCaseView(db(), user, referralId, 'en', { user })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('does not let the referring body read through the referral page, nor answer it', async () => {
    expect((await stroud.get(`/casework/referrals/${referralId}`)).status).toBe(404);
    expect(
      (await stroud.post(`/casework/referrals/${referralId}/decline`, { response: 'x' })).status,
    ).toBe(404);
  });

  it('reads in Welsh too', async () => {
    const page = await county.get(`/casework/referrals/${referralId}?lang=cy`);
    expect(page.html).toContain('Atgyfeiriad gan Cyngor Dosbarth Stroud');
    expect(page.html).toContain('Dros y ffôn');
    expect(page.html).not.toContain(NOTE);
    await county.get('/casework/referrals?lang=en');
  });

  it('needs one of its own services to accept a referral (400, nothing changes)', async () => {
    await county.get(`/casework/referrals/${referralId}`);
    const response = await county.post(`/casework/referrals/${referralId}/accept`, {
      serviceId: caseA.service_id, // Stroud's, not the county's
    });
    expect(response.status).toBe(400);
    expect(response.html).toContain('Choose which of your services the case is for');
    expect((await referralRows())[0]!.status).toBe('offered');
  });

  it('accepts: opens its own case, linked, with a case event on both and an audit entry', async () => {
    const page = await county.get(`/casework/referrals/${referralId}`);
    const serviceId = /<option value="([0-9a-f-]{36})"/.exec(page.html)![1]!;
    const response = await county.post(`/casework/referrals/${referralId}/accept`, { serviceId });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/casework/${reference}-R1`);

    const opened = (await findCaseByReference(db(), `${reference}-R1`))!;
    expect(opened).toMatchObject({
      organisation_id: org.county,
      service_id: serviceId,
      source: 'referral',
      referred_from_case_id: caseA.id,
      submission_id: null,
      applicant_user_id: caseA.applicant_user_id,
    });
    const [referral] = await referralRows();
    expect(referral).toMatchObject({ status: 'accepted', referred_case_id: opened.id });
    expect(await eventKinds(caseA.id)).toContain('referral-accepted');
    expect(await eventKinds(opened.id)).toEqual(['opened', 'referral-received']);
    expect(await auditActions('casework.referral.accepted')).toHaveLength(1);

    // The county works its new case, which leads back to what was shared.
    const own = await county.get(`/casework/${reference}-R1`);
    expect(own.status).toBe(200);
    expect(own.html).toContain(`/casework/referrals/${referralId}`);
    // Accepted, the referral stays readable; it cannot be answered twice.
    expect((await county.get(`/casework/referrals/${referralId}`)).status).toBe(200);
    const again = await county.post(`/casework/referrals/${referralId}/accept`, { serviceId });
    expect(again.status).toBe(409);
    expect(again.html).toContain('This referral has already been answered or withdrawn');
  });

  it('tells the applicant who has their application and why', async () => {
    const told = await referralsForApplication(db(), caseA.submission_id!, 'en');
    expect(told).toEqual([
      expect.objectContaining({
        kind: 'refer',
        organisationName: 'Gloucestershire County Council',
        reason: REASON,
        status: 'accepted',
      }),
    ]);
  });
});

describe('sharing, withdrawing and declining', () => {
  it('shares the chosen parts: the notes and the files, when they are chosen', async () => {
    const shared = await refer(stroud, {
      organisationId: org.cheltenham,
      kind: 'share',
      parts: ['attachments', 'notes'],
      reason: 'For the housing team’s information',
      consent: 'in-writing',
    });
    expect(shared.status).toBe(303);
    const list = await cheltenham.get('/casework/referrals');
    const id = referralIdIn(list.html);
    const page = await cheltenham.get(`/casework/referrals/${id}`);
    expect(page.html).toContain(NOTE);
    expect(page.html).toContain(FILE);
    expect(page.html).not.toContain('Sofa or armchair');
  });

  it('lets the body the files are shared with download them, audited with the reading body; nobody else', async () => {
    const id = referralIdIn((await cheltenham.get('/casework/referrals')).html);
    const fileId = await fileIdOf(FILE);
    const path = `/casework/referrals/${id}/files/${fileId}`;
    expect((await cheltenham.get(`/casework/referrals/${id}`)).html).toContain(`href="${path}"`);
    const response = await cheltenham.get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toContain(FILE);
    expect(response.html).toContain('%PDF-1.4');
    const [read] = await auditActions('account.attachment-read-shared');
    expect(read).toMatchObject({
      actor_organisation_id: org.cheltenham,
      resource_id: fileId,
    });
    expect(read!.details).toMatchObject({ referral_id: id, reference });
    // The attachments module's own address still serves it only to the body it was sent to.
    expect((await cheltenham.get(`/attachments/${fileId}`)).status).toBe(404);
    // A third body, the referring body through the referral, and a file not of the case: 404.
    expect((await county.get(path)).status).toBe(404);
    expect((await stroud.get(path)).status).toBe(404);
    const stranger = '00000000-0000-4000-8000-000000000000';
    expect((await cheltenham.get(`/casework/referrals/${id}/files/${stranger}`)).status).toBe(404);
    expect(await auditActions('account.attachment-read-shared')).toHaveLength(1);
  });

  it('refuses a second offer to a body while the first is unanswered', async () => {
    const again = await refer(stroud, {
      organisationId: org.cheltenham,
      kind: 'refer',
      parts: ['history'],
      reason: 'Again',
      consent: 'phone',
    });
    expect(again.status).toBe(400);
    expect(again.html).toContain('This case is already offered to that body');
  });

  it('lets only the referring body withdraw, after which the other body sees nothing', async () => {
    const share = (await referralRows()).find((r) => r.to_organisation_id === org.cheltenham)!;
    await county.get('/casework/referrals');
    expect((await county.post(`/casework/referrals/${share.id}/withdraw`, {})).status).toBe(404);
    await stroud.get(`/casework/${reference}`);
    const withdrawn = await stroud.post(`/casework/referrals/${share.id}/withdraw`, {});
    expect(withdrawn.status).toBe(303);
    expect((await referralRows()).find((r) => r.id === share.id)!.status).toBe('withdrawn');
    expect(await eventKinds(caseA.id)).toContain('referral-withdrawn');
    expect(await auditActions('casework.referral.withdrawn')).toHaveLength(1);
    expect((await cheltenham.get(`/casework/referrals/${share.id}`)).status).toBe(404);
    const fileId = await fileIdOf(FILE);
    expect((await cheltenham.get(`/casework/referrals/${share.id}/files/${fileId}`)).status).toBe(
      404,
    );
    const late = await stroud.post(`/casework/referrals/${share.id}/withdraw`, {});
    expect(late.status).toBe(409);
  });

  it('declines with a reason, which the referring body sees on its case', async () => {
    const offered = await refer(stroud, {
      organisationId: org.cheltenham,
      kind: 'refer',
      parts: ['history'],
      reason: 'Housing register?',
      consent: 'face-to-face',
    });
    expect(offered.status).toBe(303);
    const id = referralIdIn((await cheltenham.get('/casework/referrals')).html);
    await cheltenham.get(`/casework/referrals/${id}`);
    const empty = await cheltenham.post(`/casework/referrals/${id}/decline`, { response: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter why you are declining the referral');

    const declined = await cheltenham.post(`/casework/referrals/${id}/decline`, {
      response: 'The address is in Stroud district, not ours',
    });
    expect(declined.status).toBe(303);
    const row = (await referralRows()).find((r) => r.id === id)!;
    expect(row).toMatchObject({
      status: 'declined',
      response: 'The address is in Stroud district, not ours',
    });
    expect(await eventKinds(caseA.id)).toContain('referral-declined');
    expect(await auditActions('casework.referral.declined')).toHaveLength(1);

    const casePage = await stroud.get(`/casework/${reference}`);
    expect(casePage.html).toContain('Their reason: The address is in Stroud district, not ours');
    expect(casePage.html).toContain('Referral declined by Jo Caseworker');
    expect((await cheltenham.get(`/casework/referrals/${id}`)).status).toBe(404);
  });
});
