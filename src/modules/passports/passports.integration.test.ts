import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { findPublishedService, publishService } from '../catalogue/index.js';
import { publishForm } from '../forms/index.js';
import { createStaffUser } from '../identity/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import {
  createSubmission,
  recordCaseProgress,
  recordDecision,
  type StoredSubmissionRow,
} from '../submissions/index.js';
import { DEMO_PASSPORTS, passportsModule } from './index.js';

/**
 * Passported entitlements end to end: a Stroud service owner declares that an approval on one
 * service passports to another; approvals (a caseworker's, a casework workflow's) offer it to the
 * applicant on their account and by e-mail; the person applies (the form starts, prefilled) or
 * says no thanks; nothing is ever applied for without them.
 */
let app: TestApp;
const db = () => app.platform.database.db;
const drain = () => app.platform.worker.drain();

const OWNER = ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'] as const;
const OTHER_OWNER = [
  'passports-owner@cheltenham.example.gov.uk',
  'cheltenham-passports-1',
] as const;
const FROM = 'passports-test-winter-fuel-stroud';
const TO = 'passports-test-warm-home-grant-stroud';
let stroud: string;
let fromId: string;
let toId: string;

const text = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

async function signedIn([email, password]: readonly [string, string]): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

beforeAll(async () => {
  app = await startTestApp();
  stroud = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  const cheltenham = (await findOrganisationBySlug(db(), 'cheltenham'))!.id;
  const created = await createStaffUser(db(), {
    email: OTHER_OWNER[0],
    password: OTHER_OWNER[1],
    displayName: 'Cheltenham Passports Owner',
    organisationId: cheltenham,
    roles: ['service-owner'],
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const actor = { userId: null, organisationId: stroud, role: 'service-owner' };
  await db()
    .transaction()
    .execute(async (trx) => {
      const form = await publishForm(
        trx,
        {
          key: 'passports-test-grant',
          title: { en: 'Warm home grant', cy: 'Grant cartref cynnes' },
          pages: [
            {
              id: 'you',
              title: { en: 'Your name', cy: 'Eich enw' },
              questions: [
                {
                  type: 'text',
                  name: 'fullName',
                  prefill: 'fullName',
                  label: { en: 'Full name', cy: 'Enw llawn' },
                },
              ],
            },
          ],
          confirmation: { body: { en: 'We will write.', cy: 'Byddwn yn ysgrifennu.' } },
        },
        actor,
      );
      expect(form.ok).toBe(true);
      for (const [slug, title, titleCy, formKey] of [
        [FROM, 'Winter fuel help', 'Help tanwydd gaeaf', null],
        [TO, 'Warm home grant', 'Grant cartref cynnes', 'passports-test-grant'],
      ] as const) {
        const published = await publishService(trx, {
          organisationId: stroud,
          slug,
          title,
          titleCy,
          summary: `${title}.`,
          summaryCy: `${titleCy}.`,
          body: 'Apply.',
          bodyCy: 'Gwneud cais.',
          formKey,
        });
        if (!published.ok) throw new Error(JSON.stringify(published.errors));
      }
    });
  fromId = (await findPublishedService(db(), FROM, 'en'))!.id;
  toId = (await findPublishedService(db(), TO, 'en'))!.id;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

/** A submission on the FROM service by the citizen, as a form would send it. */
async function applied(userId: string): Promise<StoredSubmissionRow> {
  return db()
    .transaction()
    .execute((trx) =>
      createSubmission(
        trx,
        {
          serviceId: fromId,
          organisationId: stroud,
          applicantUserId: userId,
          answers: {
            values: { fullName: 'Pat Example' },
            summary: {
              en: [{ question: 'Full name', answer: 'Pat Example' }],
              cy: [{ question: 'Enw llawn', answer: 'Pat Example' }],
            },
          },
        },
        { userId, organisationId: null, role: 'citizen' },
      ),
    );
}

async function approve(
  submission: StoredSubmissionRow,
  outcome: 'approved' | 'refused' = 'approved',
) {
  await db()
    .transaction()
    .execute((trx) =>
      recordCaseProgress(
        trx,
        submission,
        { decision: outcome, comment: outcome === 'refused' ? 'Not eligible' : 'Approved' },
        { userId: null, organisationId: stroud, role: 'caseworker' },
      ),
    );
  await drain();
}

const offersOf = (userId: string) =>
  db().selectFrom('passported_offers').selectAll().where('user_id', '=', userId).execute();

/** Everything the person could have applied for on the service offered: must stay empty unless they act. */
async function appliedFor(userId: string, serviceId = toId) {
  const submissions = await db()
    .selectFrom('submissions')
    .select('id')
    .where('applicant_user_id', '=', userId)
    .where('service_id', '=', serviceId)
    .execute();
  const drafts = await db()
    .selectFrom('form_drafts')
    .select('id')
    .where('user_id', '=', userId)
    .where('service_id', '=', serviceId)
    .execute();
  return { submissions: submissions.length, drafts: drafts.length };
}

describe('declaring passports', () => {
  it('lets the service owner declare one, with reasons in English and Welsh, audited', async () => {
    const owner = await signedIn(OWNER);
    const list = await owner.get('/staff/passports');
    expect(list.status).toBe(200);
    expect(list.html).toContain(`/staff/passports/${fromId}`);
    const page = await owner.get(`/staff/passports/${fromId}`);
    expect(page.status).toBe(200);
    const added = await owner.post(`/staff/passports/${fromId}`, {
      toSlug: TO,
      reasonEn: 'People who get winter fuel help can get a warm home grant without a means test.',
      reasonCy: 'Gall pobl sy’n cael help tanwydd gaeaf gael grant cartref cynnes heb brawf modd.',
    });
    expect(added.status).toBe(303);
    const shown = await owner.get(added.headers.get('location')!);
    expect(text(shown.html)).toContain('Warm home grant');
    expect(text(shown.html)).toContain('Gall pobl sy’n cael help tanwydd gaeaf');
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'passports.declared')
      .where('actor_user_id', 'is not', null)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ fromServiceId: fromId, toServiceId: toId });
  });

  it('refuses an unknown service, itself, a repeat and missing reasons with the error summary', async () => {
    const owner = await signedIn(OWNER);
    await owner.get(`/staff/passports/${fromId}`);
    const bad = await owner.post(`/staff/passports/${fromId}`, {
      toSlug: 'no-such-service',
      reasonEn: '',
      reasonCy: 'Rheswm',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(text(bad.html)).toContain('There is no published service at that web address');
    expect(text(bad.html)).toContain('Enter the reason in English');
    const self = await owner.post(`/staff/passports/${fromId}`, {
      toSlug: FROM,
      reasonEn: 'x',
      reasonCy: 'x',
    });
    expect(text(self.html)).toContain('A service cannot passport to itself');
    const again = await owner.post(`/staff/passports/${fromId}`, {
      toSlug: `/services/${TO}`,
      reasonEn: 'x',
      reasonCy: 'x',
    });
    expect(again.status).toBe(400);
    expect(text(again.html)).toContain('already offers that service');
    const welsh = await owner.get(`/staff/passports/${fromId}?lang=cy`);
    expect(text(welsh.html)).toContain('Beth y mae cymeradwyaeth yn basbort iddo');
  });

  it('gives another body’s service owner 404 and changes nothing', async () => {
    const other = await signedIn(OTHER_OWNER);
    expect((await other.get(`/staff/passports/${fromId}`)).status).toBe(404);
    await other.get('/staff/passports');
    const post = await other.post(`/staff/passports/${fromId}`, {
      toSlug: 'pay-council-tax-stroud',
      reasonEn: 'x',
      reasonCy: 'x',
    });
    expect(post.status).toBe(404);
    const rows = await db()
      .selectFrom('passports')
      .select('to_service_id')
      .where('from_service_id', '=', fromId)
      .execute();
    expect(rows.map((r) => r.to_service_id)).toEqual([toId]);
  });
});

describe('offers on approval', () => {
  it('offers the service on the person’s account and by e-mail when a casework decision approves, applying for nothing', async () => {
    const citizen = await aSignedInCitizen(app);
    const submission = await applied(citizen.userId);
    await drain();
    expect(await offersOf(citizen.userId)).toHaveLength(0);
    await approve(submission);
    const offers = await offersOf(citizen.userId);
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ to_service_id: toId, status: 'offered' });
    // Offered, never applied for.
    expect(await appliedFor(citizen.userId)).toEqual({ submissions: 0, drafts: 0 });
    const mails = await db()
      .selectFrom('outbox')
      .select(['payload', 'idempotency_key'])
      .where('topic', '=', 'mail.send')
      .where('idempotency_key', 'like', 'submission.decision-announced:%')
      .execute();
    const mine = mails.filter((m) => m.payload.to === citizen.email);
    expect(mine).toHaveLength(1);
    expect(String(mine[0]!.payload.text)).toContain('Warm home grant');
    expect(String(mine[0]!.payload.text)).toContain('Grant cartref cynnes');
    expect(String(mine[0]!.payload.text)).toContain('/account/offers');
    expect(String(mine[0]!.payload.text)).toContain(submission.reference);
    const audit = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'passports.offered')
      .where('subject_user_id', '=', citizen.userId)
      .execute();
    expect(audit).toHaveLength(1);

    const page = await citizen.visitor.get('/account/offers');
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain('Warm home grant');
    expect(words).toContain('Because your application for Winter fuel help was approved.');
    expect(words).toContain('without a means test');
    // The account home says so, and links to the offers.
    const home = await citizen.visitor.get('/home');
    expect(text(home.html)).toContain('you may also be able to get other services (1)');
    expect(home.html).toContain('href="/account/offers"');
    const welsh = await citizen.visitor.get('/account/offers?lang=cy');
    expect(text(welsh.html)).toContain('Grant cartref cynnes');
    expect(text(welsh.html)).toContain('heb brawf modd');
    expect(text(welsh.html)).toContain('Dim diolch');
  });

  it('makes no offer when the decision is a refusal', async () => {
    const citizen = await aSignedInCitizen(app);
    await approve(await applied(citizen.userId), 'refused');
    expect(await offersOf(citizen.userId)).toHaveLength(0);
    const page = await citizen.visitor.get('/account/offers');
    expect(page.html).toContain('id="no-offers"');
  });

  it('offers once for one approval, however often the decision is announced', async () => {
    const citizen = await aSignedInCitizen(app);
    const submission = await applied(citizen.userId);
    await db()
      .updateTable('submissions')
      .set({ status: 'received' })
      .where('id', '=', submission.id)
      .execute();
    const received = { ...submission, status: 'received' as const };
    const caseworker = {
      userId: null as unknown as string,
      organisationId: stroud,
      role: 'caseworker',
    };
    await db()
      .transaction()
      .execute((trx) =>
        recordDecision(
          trx,
          received,
          { outcome: 'approved', collectionDate: '2030-01-07' },
          caseworker,
        ),
      );
    await drain();
    // A later casework decision on the same application (after a review) announces again.
    await approve({ ...received, status: 'approved' });
    expect(await offersOf(citizen.userId)).toHaveLength(1);
  });

  it('records "No thanks" and applies for nothing', async () => {
    const citizen = await aSignedInCitizen(app);
    await approve(await applied(citizen.userId));
    const [offer] = await offersOf(citizen.userId);
    await citizen.visitor.get('/account/offers');
    const declined = await citizen.visitor.post(`/account/offers/${offer!.id}/decline`, {});
    expect(declined.status).toBe(303);
    expect(declined.headers.get('location')).toBe('/account/offers?done=declined');
    expect((await offersOf(citizen.userId))[0]).toMatchObject({ status: 'declined' });
    expect((await offersOf(citizen.userId))[0]!.responded_at).not.toBeNull();
    expect(await appliedFor(citizen.userId)).toEqual({ submissions: 0, drafts: 0 });
    const page = await citizen.visitor.get('/account/offers?done=declined');
    expect(text(page.html)).toContain('You said no thanks on');
    expect((await citizen.visitor.get('/home')).html).not.toContain('app-passported-offers');
    // Answered once: "Apply" afterwards changes nothing.
    const late = await citizen.visitor.post(`/account/offers/${offer!.id}/apply`, {});
    expect(late.headers.get('location')).toBe('/account/offers?done=answered');
    expect((await offersOf(citizen.userId))[0]).toMatchObject({ status: 'declined' });
  });

  it('"Apply" records it and starts the service’s form prefilled; the person still sends it themselves', async () => {
    const citizen = await aSignedInCitizen(app, { displayName: 'Robin Passport' });
    await approve(await applied(citizen.userId));
    const [offer] = await offersOf(citizen.userId);
    await citizen.visitor.get('/account/offers');
    const apply = await citizen.visitor.post(`/account/offers/${offer!.id}/apply`, {});
    expect(apply.status).toBe(303);
    expect(apply.headers.get('location')).toBe(`/services/${TO}/apply`);
    expect((await offersOf(citizen.userId))[0]).toMatchObject({ status: 'accepted' });
    const start = await citizen.visitor.get(`/services/${TO}/apply`);
    const first = await citizen.visitor.get(start.headers.get('location')!);
    expect(first.status).toBe(200);
    expect(first.html).toMatch(
      /name="fullName"[^>]*value="Robin Passport"|value="Robin Passport"[^>]*name="fullName"/,
    );
    expect((await appliedFor(citizen.userId)).submissions).toBe(0);
  });

  it('gives another person 404 for someone else’s offer and changes nothing', async () => {
    const citizen = await aSignedInCitizen(app);
    await approve(await applied(citizen.userId));
    const [offer] = await offersOf(citizen.userId);
    const other = await aSignedInCitizen(app);
    await other.visitor.get('/account/offers');
    expect((await other.visitor.post(`/account/offers/${offer!.id}/apply`, {})).status).toBe(404);
    expect((await other.visitor.post(`/account/offers/${offer!.id}/decline`, {})).status).toBe(404);
    expect((await offersOf(citizen.userId))[0]).toMatchObject({ status: 'offered' });
    expect(text((await other.visitor.get('/account/offers')).html)).not.toContain(
      'Warm home grant',
    );
  });
});

describe('deleting the account', () => {
  it('deletes the person’s offers with it', async () => {
    const citizen = await aSignedInCitizen(app);
    await approve(await applied(citizen.userId));
    expect(await offersOf(citizen.userId)).toHaveLength(1);
    await db()
      .transaction()
      .execute((trx) =>
        passportsModule.onAccountEvent!(trx, { type: 'deleted', userId: citizen.userId }),
      );
    expect(await offersOf(citizen.userId)).toHaveLength(0);
  });
});

describe('the demo', () => {
  it('passports Pension Credit to Council Tax Reduction and a Blue Badge', async () => {
    const pensionCredit = (await findPublishedService(db(), 'pension-credit', 'en'))!;
    const rows = await db()
      .selectFrom('passports')
      .select('to_service_id')
      .where('from_service_id', '=', pensionCredit.id)
      .execute();
    expect(rows).toHaveLength(DEMO_PASSPORTS.length);
  });
});
