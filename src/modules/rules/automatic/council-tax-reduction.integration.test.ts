import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenValue, startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { aConfirmedCitizen } from '../../../../test/helpers/citizens.js';
import { findPublishedService } from '../../catalogue/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import {
  DEMO_CTR_SAMPLE_PERCENT,
  DEMO_RULES_SERVICE_SLUG,
  automationOf,
  ruleSetInForce,
} from '../index.js';

/**
 * Council Tax Reduction at Stroud decided by rules, end to end (issue 16's demo): the form's
 * questions answer the eligibility table's inputs; a person who qualifies is approved at once
 * with the explanation in English and Welsh; one who does not goes to a caseworker, whose case
 * lists the rules' outcome; each application records the rule version it was made under.
 */
let app: TestApp;
let serviceId: string;
let stroud: string;
const db = () => app.platform.database.db;
const drain = () => app.platform.worker.drain();
const APPLY = `/services/${DEMO_RULES_SERVICE_SLUG}/apply`;
const CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;

const text = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

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

/**
 * A new citizen whose identity is verified, signed in with a second factor: the service needs
 * level 3.
 */
async function verifiedCitizen(): Promise<Visitor> {
  const { id, email, password } = await aConfirmedCitizen(db(), { displayName: 'Pat Resident' });
  await db()
    .updateTable('users')
    .set({ second_factor: 'email', identity_level: 'P2' })
    .where('id', '=', id)
    .execute();
  const citizen = new Visitor(app.baseUrl);
  await citizen.get('/sign-in');
  const first = await citizen.post('/sign-in', { email, password, returnTo: APPLY });
  const stepUp = first.headers.get('location')!;
  expect(stepUp).toContain('/sign-in/second-factor');
  await citizen.get(stepUp);
  const stepped = await citizen.post('/sign-in/second-factor', {
    code: await secondFactorCode(email),
    returnTo: APPLY,
  });
  expect(stepped.status).toBe(303);
  return citizen;
}

interface Circumstances {
  liveInStroud: 'yes' | 'no';
  paysCouncilTax: 'yes' | 'no';
  benefit: string;
  /** In pounds, as typed. */
  savings: string;
}

/** Answers the form and sends it: the reference, the submission and where sending went. */
async function apply(citizen: Visitor, answers: Circumstances) {
  const answer = async (page: string, fields: Record<string, string>, next: string) => {
    await citizen.get(`${APPLY}/${page}`);
    const posted = await citizen.post(`${APPLY}/${page}`, { ...fields, actingFor: '' });
    const problem = /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(posted.html)?.[0] ?? '';
    expect(posted.headers.get('location'), `${page}: ${posted.status} ${problem}`).toBe(
      `${APPLY}/${next}`,
    );
  };
  await answer(
    'about-you',
    {
      fullName: 'Pat Resident',
      'dateOfBirth-day': '3',
      'dateOfBirth-month': '9',
      'dateOfBirth-year': '1961',
      nino: 'AB 12 34 56 C',
    },
    'home',
  );
  await answer(
    'home',
    {
      'address-line1': '4 Bath Road',
      'address-line2': '',
      'address-town': 'Stroud',
      'address-postcode': 'GL5 3JJ',
      liveInStroud: answers.liveInStroud,
      paysCouncilTax: answers.paysCouncilTax,
    },
    'money',
  );
  await answer('money', { benefit: answers.benefit, savings: answers.savings }, 'check-answers');
  expect((await citizen.get(`${APPLY}/check-answers`)).status).toBe(200);
  const declaration = await citizen.get(`${APPLY}/declaration`);
  const sent = await citizen.post(`${APPLY}/submit`, {
    draftId: hiddenValue(declaration.html, 'draftId'),
    agree: 'yes',
    actingFor: '',
  });
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

const automaticDecisionOf = (submissionId: string) =>
  db()
    .selectFrom('automatic_decisions')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .executeTakeFirst();

beforeAll(async () => {
  app = await startTestApp();
  serviceId = (await findPublishedService(db(), DEMO_RULES_SERVICE_SLUG, 'en'))!.id;
  stroud = (await findOrganisationBySlug(db(), 'stroud'))!.id;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('the demo', () => {
  it('lets Stroud’s Council Tax Reduction rules decide, with a sample checked by a caseworker', async () => {
    const setting = await automationOf(db(), serviceId);
    expect(setting).toMatchObject({ decide: true, samplePercent: DEMO_CTR_SAMPLE_PERCENT });
    expect(DEMO_CTR_SAMPLE_PERCENT).toBe(10);
    // The tests below must not depend on the draw: no decision is sampled.
    await db()
      .updateTable('rule_automation')
      .set({ sample_percent: 0 })
      .where('service_id', '=', serviceId)
      .execute();
  });
});

describe('a resident who qualifies', () => {
  it('is approved at once under the version in force, with why in English and Welsh, and no caseworker sees it', async () => {
    const citizen = await verifiedCitizen();
    const { submission, location } = await apply(citizen, {
      liveInStroud: 'yes',
      paysCouncilTax: 'yes',
      benefit: 'universal-credit',
      savings: '2500',
    });
    const v1 = (await ruleSetInForce(db(), serviceId, 'eligibility'))!;
    expect(submission.status).toBe('decided');
    expect(submission.rule_set_version_id).toBe(v1.id);
    const kept = await automaticDecisionOf(submission.id);
    expect(kept).toMatchObject({
      rule_set_version_id: v1.id,
      outcome: 'approved',
      organisation_id: stroud,
      sampled: false,
    });
    const page = text((await citizen.get(location)).html);
    expect(page).toContain('Your application has been approved.');
    expect(page).toContain(
      'You qualify because you receive Universal Credit, your savings of £2,500',
    );
    expect(page).toContain('you live in the Stroud district and you pay Council Tax for your home');
    expect(page).toContain('This decision was made automatically');
    const welsh = text((await citizen.get(`${location}?lang=cy`)).html);
    expect(welsh).toContain('Rydych yn gymwys oherwydd eich bod yn cael Credyd Cynhwysol');
    const event = await db()
      .selectFrom('submission_events')
      .select('details')
      .where('submission_id', '=', submission.id)
      .where('status', '=', 'decided')
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({ automatic: 'rules', rule_set_version_id: v1.id });
    await drain();
    expect(await caseOf(submission.id)).toBeUndefined();
  });

  it('on Pension Credit is approved whatever their savings', async () => {
    const citizen = await verifiedCitizen();
    const { submission } = await apply(citizen, {
      liveInStroud: 'yes',
      paysCouncilTax: 'yes',
      benefit: 'pension-credit-guarantee',
      savings: '50000',
    });
    expect(submission.status).toBe('decided');
    expect((await automaticDecisionOf(submission.id))?.explanation.en).toContain(
      'Your savings do not matter.',
    );
  });
});

describe('a resident who does not qualify', () => {
  it('goes to a caseworker, whose case lists the rules’ outcome under the version recorded', async () => {
    const citizen = await verifiedCitizen();
    const { reference, submission, location } = await apply(citizen, {
      liveInStroud: 'yes',
      paysCouncilTax: 'yes',
      benefit: 'universal-credit',
      savings: '20000',
    });
    const v1 = (await ruleSetInForce(db(), serviceId, 'eligibility'))!;
    expect(submission.status).toBe('submitted');
    expect(submission.rule_set_version_id).toBe(v1.id);
    expect(await automaticDecisionOf(submission.id)).toBeUndefined();
    // The person is not told a decision: a person makes it.
    expect(text((await citizen.get(location)).html)).not.toContain(
      'Your application has been approved',
    );
    await drain();
    const opened = await caseOf(submission.id);
    expect(opened?.organisation_id).toBe(stroud);
    const caseworker = new Visitor(app.baseUrl);
    await caseworker.signIn(...CASEWORKER);
    const casePage = text((await caseworker.get(`/casework/${reference}`)).html);
    expect(casePage).toContain('Rules and evidence');
    expect(casePage).toContain('You cannot get this');
    expect(casePage).toContain(
      'You cannot get Council Tax Reduction because your savings of £20,000',
    );
    // Rule 5 (savings of £16,000 or more) applies; rule 4 (under £16,000) does not.
    expect(casePage).toMatch(/Rule 4<.*?You can get this.*?>No</);
    expect(casePage).toMatch(/Rule 5<.*?You cannot get this.*?holds.*?>Yes</);
  });

  it('goes to a caseworker when the rules say a person must look (no listed benefit)', async () => {
    const citizen = await verifiedCitizen();
    const { submission } = await apply(citizen, {
      liveInStroud: 'yes',
      paysCouncilTax: 'yes',
      benefit: 'none',
      savings: '0',
    });
    expect(submission.status).toBe('submitted');
    expect(await automaticDecisionOf(submission.id)).toBeUndefined();
    await drain();
    expect(await caseOf(submission.id)).toBeDefined();
  });
});
