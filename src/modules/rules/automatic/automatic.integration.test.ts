import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenValue, startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { loadConfig } from '../../../platform/config/config.js';
import { findPublishedService } from '../../catalogue/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { createSubmission } from '../../submissions/index.js';
import { decideByRules, isSampled, ruleSetInForce } from '../index.js';
import { FREE_SCHOOL_MEALS_SLUG } from '../demo/free-school-meals.js';

/**
 * Deciding by rules end to end on the demo's free school meals (Gloucestershire, DWP's table):
 * decided at once and shown on the confirmation page, the right to a person's review, a sample
 * sent to a caseworker, everything else to a caseworker with each rule's outcome and the
 * evidence, and a rule change between submission and decision.
 */
let app: TestApp;
let serviceId: string;
let county: string;
const db = () => app.platform.database.db;
const drain = () => app.platform.worker.drain();
const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', WORKER: 'off' });
const APPLY = `/services/${FREE_SCHOOL_MEALS_SLUG}/apply`;
const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const ADMIN = ['admin@cabinet-office.example.gov.uk', 'demo-platform-admin'] as const;
const CASEWORKER = [
  'caseworker@gloucestershire.example.gov.uk',
  'demo-gloucestershire-caseworker',
] as const;

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

/** The code the second factor page e-mailed (through the outbox). */
async function secondFactorCode(to: string): Promise<string> {
  const row = await db()
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'mail.send')
    .where(sql<string>`payload->>'to'`, '=', to)
    .where('idempotency_key', 'like', 'second-factor-code:%')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const code = /\b(\d{6})\b/.exec(String((row.payload as { text?: string }).text))?.[1];
  if (!code) throw new Error(`No second-factor code e-mailed to ${to}`);
  return code;
}

/** The demo citizen, signed in with a second factor (e-mailed codes) as the service (level 2) asks. */
async function citizenSignedIn(): Promise<Visitor> {
  await db()
    .updateTable('users')
    .set({ second_factor: 'email', email_verified_at: new Date() })
    .where('email', '=', CITIZEN[0])
    .execute();
  const citizen = new Visitor(app.baseUrl);
  await citizen.get('/sign-in');
  const first = await citizen.post('/sign-in', {
    email: CITIZEN[0],
    password: CITIZEN[1],
    returnTo: APPLY,
  });
  const stepUp = first.headers.get('location')!;
  expect(stepUp).toContain('/sign-in/second-factor');
  await citizen.get(stepUp);
  const stepped = await citizen.post('/sign-in/second-factor', {
    code: await secondFactorCode(CITIZEN[0]),
    returnTo: APPLY,
  });
  expect(stepped.status).toBe(303);
  expect((await citizen.get(APPLY)).headers.get('location')).toMatch(/^\/services\//);
  return citizen;
}

/** The service owner's setting, through its page. */
async function setAutomation(decide: 'yes' | 'no', samplePercent: string) {
  const admin = await signedIn(ADMIN);
  await admin.get(`/rules/staff/${serviceId}/automatic-decisions`);
  return admin.post(`/rules/staff/${serviceId}/automatic-decisions`, { decide, samplePercent });
}

/** The demo citizen applies, DWP's table answers, and they send it: the reference, the submission, where sending went. */
async function apply(
  citizen: Visitor,
  { stateSchool, nino = 'JG 10 37 59 A' }: { stateSchool: 'yes' | 'no'; nino?: string },
) {
  await citizen.get(`${APPLY}/about-you`);
  const about = await citizen.post(`${APPLY}/about-you`, {
    fullName: 'Sam Citizen',
    'dateOfBirth-day': '14',
    'dateOfBirth-month': '7',
    'dateOfBirth-year': '1985',
    nino,
    actingFor: '',
  });
  expect(about.headers.get('location')).toBe(`${APPLY}/child`);
  await citizen.get(`${APPLY}/child`);
  const child = await citizen.post(`${APPLY}/child`, {
    childName: 'Alex Citizen',
    school: 'Stroud Valley Primary School',
    stateSchool,
    actingFor: '',
  });
  expect(child.headers.get('location')).toBe(`${APPLY}/benefit`);
  const ask = await citizen.get(`${APPLY}/benefit`);
  // The same person asked before in this journey: the answer DWP gave is used again.
  if (!ask.html.includes('We checked with')) {
    expect(text(ask.html)).toContain(
      'whether you get a benefit that qualifies for free school meals',
    );
    const asked = await citizen.post(`${APPLY}/benefit`, { action: 'ask', actingFor: '' });
    expect(asked.status).toBe(303);
    await drain(); // DWP's table answers at once
  }
  const answered = await citizen.get(`${APPLY}/benefit`);
  expect(answered.html).toContain('We checked with');
  const used = await citizen.post(`${APPLY}/benefit`, { action: 'use', actingFor: '' });
  expect(used.headers.get('location')).toBe(`${APPLY}/check-answers`);
  expect((await citizen.get(`${APPLY}/check-answers`)).status).toBe(200);
  const declaration = await citizen.get(`${APPLY}/declaration`);
  const draftId = hiddenValue(declaration.html, 'draftId');
  const sent = await citizen.post(`${APPLY}/submit`, { draftId, agree: 'yes', actingFor: '' });
  expect(sent.status).toBe(303);
  const location = sent.headers.get('location')!;
  const reference = /\/applications\/(JU-[A-Z0-9-]+)\/confirmation/.exec(location)![1]!;
  const submission = await db()
    .selectFrom('submissions')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
  return { reference, submission, location };
}

const caseOf = (submissionId: string) =>
  db().selectFrom('cases').selectAll().where('submission_id', '=', submissionId).executeTakeFirst();

beforeAll(async () => {
  app = await startTestApp();
  serviceId = (await findPublishedService(db(), FREE_SCHOOL_MEALS_SLUG, 'en'))!.id;
  county = (await findOrganisationBySlug(db(), 'gloucestershire'))!.id;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('the sample', () => {
  it('is picked by the random source given: none at 0 %, all at 100 %, the share in between', () => {
    expect(isSampled(0, () => 0)).toBe(false);
    expect(isSampled(100, () => 0.999999)).toBe(true);
    expect(isSampled(10, () => 0.0999)).toBe(true);
    expect(isSampled(10, () => 0.1)).toBe(false);
  });
});

describe('the service owner’s setting', () => {
  it('refuses a sample that is not a whole number from 0 to 100, with the error summary', async () => {
    const page = await setAutomation('yes', '101');
    expect(page.status).toBe(400);
    expect(page.html).toContain('govuk-error-summary');
    expect(page.html).toContain('Enter a whole number from 0 to 100');
    const none = await setAutomation('yes', 'ten');
    expect(none.status).toBe(400);
  });

  it('is saved and audited, and a service owner of another body gets 404', async () => {
    const saved = await setAutomation('yes', '0');
    expect(saved.headers.get('location')).toBe(
      `/rules/staff/${serviceId}/automatic-decisions?saved=1`,
    );
    const audit = await db()
      .selectFrom('audit_log')
      .select(['details', 'actor_role'])
      .where('action', '=', 'rules.automation.changed')
      .where('resource_id', '=', serviceId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ after: { decide: true, samplePercent: 0 } });
    const stroudOwner = await signedIn([
      'owner@stroud.example.gov.uk',
      'demo-stroud-service-owner',
    ]);
    expect((await stroudOwner.get(`/rules/staff/${serviceId}/automatic-decisions`)).status).toBe(
      404,
    );
    const welsh = await (
      await signedIn(ADMIN)
    ).get(`/rules/staff/${serviceId}/automatic-decisions?lang=cy`);
    expect(text(welsh.html)).toContain('Gadael i’r rheolau benderfynu');
  });
});

describe('an application the rules can approve', () => {
  it('is decided at once under the version in force, shown with why in English and Welsh, and its applicant can ask for a person to review it', async () => {
    await setAutomation('yes', '0');
    const citizen = await citizenSignedIn();
    const { reference, submission, location } = await apply(citizen, { stateSchool: 'yes' });
    const v1 = (await ruleSetInForce(db(), serviceId, 'eligibility'))!;
    expect(submission.status).toBe('decided');
    expect(submission.rule_set_version_id).toBe(v1.id);
    const confirmation = await citizen.get(location);
    const page = text(confirmation.html);
    expect(page).toContain('Your application has been approved.');
    expect(page).toContain(
      'Your child can get free school meals because DWP told us you get a qualifying benefit and your child goes to a state-funded school in Gloucestershire.',
    );
    expect(page).toContain('This decision was made automatically');
    expect(page).toContain(`/applications/${reference}/automatic-decision/review`);
    const welsh = text((await citizen.get(`${location}?lang=cy`)).html);
    expect(welsh).toContain('Gall eich plentyn gael prydau ysgol am ddim');
    expect(welsh).toContain('Gofyn i berson adolygu’r penderfyniad hwn');
    const event = await db()
      .selectFrom('submission_events')
      .select('details')
      .where('submission_id', '=', submission.id)
      .where('status', '=', 'decided')
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({ automatic: 'rules', rule_set_version_id: v1.id });
    const decidedAudit = await db()
      .selectFrom('audit_log')
      .select(['details', 'actor_role'])
      .where('action', '=', 'submission.decided')
      .where('resource_id', '=', submission.id)
      .executeTakeFirstOrThrow();
    expect(decidedAudit).toMatchObject({
      actor_role: 'platform',
      details: { automatic: true, ruleSetVersionId: v1.id },
    });
    // Not sampled (0 %): no caseworker sees it.
    await drain();
    expect(await caseOf(submission.id)).toBeUndefined();
    expect(
      (
        await db()
          .selectFrom('submissions')
          .select('status')
          .where('id', '=', submission.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('decided');

    // Someone else cannot ask for its review.
    const other = new Visitor(app.baseUrl);
    await other.signIn(...CASEWORKER);
    expect((await other.get(`/applications/${reference}/automatic-decision/review`)).status).toBe(
      404,
    );

    // Their application page says it too, with the way to ask.
    const application = text((await citizen.get(`/applications/${reference}?lang=en`)).html);
    expect(application).toContain('Decided automatically');
    expect(application).toContain(`/applications/${reference}/automatic-decision/review`);
    const form = await citizen.get(`/applications/${reference}/automatic-decision/review?lang=en`);
    expect(text(form.html)).toContain('Ask for a person to review this decision');
    const tooLong = await citizen.post(`/applications/${reference}/automatic-decision/review`, {
      reason: 'x'.repeat(2001),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('govuk-error-summary');
    await citizen.get(`/applications/${reference}/automatic-decision/review`);
    const asked = await citizen.post(`/applications/${reference}/automatic-decision/review`, {
      reason: 'My child has moved school.',
    });
    expect(asked.status).toBe(303);
    const requested = text((await citizen.get(asked.headers.get('location')!)).html);
    expect(requested).toContain('You asked for a person to review this decision');
    expect(requested).toContain('My child has moved school.');
    expect(text((await citizen.get(`/applications/${reference}`)).html)).toContain(
      'You asked for a person to review this decision on',
    );
    expect(
      await db()
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'rules.automatic.review-requested')
        .where('resource_id', '=', submission.id)
        .executeTakeFirst(),
    ).toBeDefined();
    // A caseworker of the county gets the case, and sees the request, the rules and the evidence.
    await drain();
    const opened = await caseOf(submission.id);
    expect(opened?.organisation_id).toBe(county);
    const caseworker = await signedIn(CASEWORKER);
    const casePage = text((await caseworker.get(`/casework/${reference}`)).html);
    expect(casePage).toContain('The applicant asked for a person to review the automatic decision');
    expect(casePage).toContain('My child has moved school.');
    expect(casePage).toContain('you get a benefit that qualifies for free school meals');
  });

  it('is sent to a caseworker to check as well when it falls in the sample', async () => {
    await setAutomation('yes', '100');
    const citizen = await citizenSignedIn();
    const { reference, submission } = await apply(citizen, { stateSchool: 'yes' });
    expect(submission.status).toBe('decided');
    const kept = await db()
      .selectFrom('automatic_decisions')
      .selectAll()
      .where('submission_id', '=', submission.id)
      .executeTakeFirstOrThrow();
    expect(kept.sampled).toBe(true);
    await drain();
    expect(await caseOf(submission.id)).toBeDefined();
    const caseworker = await signedIn(CASEWORKER);
    const casePage = text((await caseworker.get(`/casework/${reference}`)).html);
    expect(casePage).toContain('The rules approved this application automatically');
    expect(casePage).toContain('It was picked at random for a person to check.');
  });
});

describe('an application the rules cannot approve', () => {
  it('goes to a caseworker, whose case page lists each rule’s outcome and the evidence', async () => {
    await setAutomation('yes', '0');
    const citizen = await citizenSignedIn();
    const { reference, submission } = await apply(citizen, { stateSchool: 'no' });
    expect(submission.status).toBe('submitted');
    expect(
      await db()
        .selectFrom('automatic_decisions')
        .select('submission_id')
        .where('submission_id', '=', submission.id)
        .executeTakeFirst(),
    ).toBeUndefined();
    await drain();
    expect(await caseOf(submission.id)).toBeDefined();
    const caseworker = await signedIn(CASEWORKER);
    const casePage = text((await caseworker.get(`/casework/${reference}`)).html);
    expect(casePage).toContain('Rules and evidence');
    expect(casePage).toContain('You cannot get this');
    expect(casePage).toContain(
      'The council cannot give your child free school meals because your child does not go to a state-funded school in Gloucestershire',
    );
    // Each rule, with whether it applies: rule 2 does, rules 1 and 3 do not.
    expect(casePage).toMatch(/Rule 1<.*?You can get this.*?does not hold.*?>No</);
    expect(casePage).toMatch(/Rule 2<.*?You cannot get this.*?holds.*?>Yes</);
    expect(casePage).toMatch(/Rule 3<.*?A person needs to look at this.*?does not hold.*?>No</);
    expect(casePage).toContain('Department for Work and Pensions answered on');
    expect(casePage).toContain('you get a benefit that qualifies for free school meals');
  });
});

describe('a rule change between submission and decision', () => {
  it('decides under the version the application was made under, not the one in force since', async () => {
    // Made while the rules do not decide: it waits, recording version 1.
    await setAutomation('no', '0');
    const citizen = await citizenSignedIn();
    const { submission } = await apply(citizen, { stateSchool: 'yes' });
    expect(submission.status).toBe('submitted');
    const v1 = (await ruleSetInForce(db(), serviceId, 'eligibility'))!;
    expect(submission.rule_set_version_id).toBe(v1.id);
    // Version 2, in force from today: a person must look at every application.
    const v2Table = {
      ...v1.table,
      rows: [
        {
          when: {},
          outcome: { type: 'eligibility', value: 'refer' },
          explanation: {
            en: 'A person looks at every application.',
            cy: 'Mae person yn edrych ar bob cais.',
          },
        },
      ],
    };
    await db()
      .insertInto('rule_sets')
      .values({
        service_id: serviceId,
        purpose: 'eligibility',
        version: 2,
        definition: JSON.stringify(v2Table),
        tests: '[]',
        effective_from: new Date().toISOString().slice(0, 10),
        published_by: null,
      })
      .execute();
    const v2 = (await ruleSetInForce(db(), serviceId, 'eligibility'))!;
    expect(v2.version).toBe(2);
    await setAutomation('yes', '0');
    const outcome = await db()
      .transaction()
      .execute((trx) =>
        decideByRules(
          trx,
          config,
          {
            submission,
            answers: (submission.answers as { values: Record<string, unknown> }).values,
            evidenceQuestions: ['qualifyingBenefit'],
          },
          () => 0.5,
        ),
      );
    expect(outcome).toMatchObject({ decided: true, sampled: false, version: 1 });
    const kept = await db()
      .selectFrom('automatic_decisions')
      .selectAll()
      .where('submission_id', '=', submission.id)
      .executeTakeFirstOrThrow();
    expect(kept.rule_set_version_id).toBe(v1.id);
    expect(kept.explanation.en).toContain('Your child can get free school meals');
    // A new application is made, and decided, under version 2: a person looks at it.
    const later = await apply(citizen, { stateSchool: 'yes' });
    expect(later.submission.rule_set_version_id).toBe(v2.id);
    expect(later.submission.status).toBe('submitted');
  });

  it('is recorded for an application sent by another channel too (the hub API, Open311)', async () => {
    const inForce = (await ruleSetInForce(db(), serviceId, 'eligibility'))!;
    const sent = await db()
      .transaction()
      .execute((trx) =>
        createSubmission(
          trx,
          {
            serviceId,
            organisationId: county,
            applicantUserId: null,
            answers: { values: {}, summary: { en: [], cy: [] } },
            applicant: { name: 'Sam Person' },
            channel: 'counter',
          },
          { userId: null, organisationId: county, role: 'platform' },
        ),
      );
    expect(sent.rule_set_version_id).toBe(inForce.id);
    // A service without eligibility rules records none.
    const other = (await findPublishedService(db(), 'request-a-bulky-waste-collection', 'en'))!;
    const bulky = await db()
      .transaction()
      .execute((trx) =>
        createSubmission(
          trx,
          {
            serviceId: other.id,
            organisationId: other.organisation.id,
            applicantUserId: null,
            answers: { values: {}, summary: { en: [], cy: [] } },
            applicant: { name: 'Sam Person' },
            channel: 'counter',
          },
          { userId: null, organisationId: other.organisation.id, role: 'platform' },
        ),
      );
    expect(bulky.rule_set_version_id).toBeNull();
  });

  it('does not decide an application whose evidence was changed after it was signed', async () => {
    const citizen = await citizenSignedIn();
    await setAutomation('no', '0');
    const { submission } = await apply(citizen, { stateSchool: 'yes' });
    await setAutomation('yes', '0');
    const values = (submission.answers as { values: Record<string, unknown> }).values;
    const forged = {
      ...values,
      qualifyingBenefit: {
        ...(values.qualifyingBenefit as object),
        answeredAt: '2020-01-01T00:00:00.000Z',
      },
    };
    const outcome = await db()
      .transaction()
      .execute((trx) =>
        decideByRules(trx, config, {
          submission,
          answers: forged,
          evidenceQuestions: ['qualifyingBenefit'],
        }),
      );
    expect(outcome).toEqual({ decided: false, reason: 'evidence-not-verified' });
  });
});
