import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hiddenValue,
  startTestApp,
  type TestApp,
  type Visitor,
} from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { ukToday } from '../../platform/validation/validators.js';
import { findPublishedService } from '../catalogue/index.js';
import {
  DEMO_FEE_RULES_SERVICE_SLUG,
  demoParkingPermitFee,
  ruleSetInForce,
  type DecisionTable,
} from '../rules/index.js';
import { answerParkingPermit } from '../../../test/helpers/journeys.js';

/**
 * A form's fee from the service's fee rules (issue 16): Stroud's resident parking permit is
 * priced by its fee rule set in force, evaluated with the person's answers as the check page
 * evaluates; "Check your answers" shows the amount and why in English and Welsh; the charge
 * records the version that priced it; a version not yet in force changes nothing, one in force
 * since the person saw the amount shows them the new amount first; no rules in force, or answers
 * the rules cannot price, say so and charge nothing.
 */
let app: TestApp;
let serviceId: string;
const db = () => app.platform.database.db;
const PERMIT = `/services/${DEMO_FEE_RULES_SERVICE_SLUG}/apply`;

const text = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

beforeAll(async () => {
  app = await startTestApp();
  serviceId = (await findPublishedService(db(), DEMO_FEE_RULES_SERVICE_SLUG, 'en'))!.id;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

/** Answers the permit form up to "Check your answers" and opens the declaration. */
function answerPermit(visitor: Visitor, permit: 'first' | 'second') {
  return answerParkingPermit(visitor, { permit, service: DEMO_FEE_RULES_SERVICE_SLUG });
}

/** Sends it from the declaration as the browser would (with the fee rules version it showed). */
function send(visitor: Visitor, declarationHtml: string) {
  return visitor.post(`${PERMIT}/submit`, {
    draftId: hiddenValue(declarationHtml, 'draftId'),
    feeRules: hiddenValue(declarationHtml, 'feeRules'),
    actingFor: '',
    agree: 'yes',
  });
}

const chargesOf = (userId: string) =>
  db().selectFrom('fee_charges').selectAll().where('user_id', '=', userId).execute();
const submissionsOf = (userId: string) =>
  db().selectFrom('submissions').select('id').where('applicant_user_id', '=', userId).execute();

/** A fee version written directly, as publishing would store it (dated as the test needs). */
async function addFeeVersion(version: number, effectiveFrom: string, table: DecisionTable) {
  return db()
    .insertInto('rule_sets')
    .values({
      service_id: serviceId,
      purpose: 'fee',
      version,
      definition: JSON.stringify(table),
      tests: '[]',
      effective_from: effectiveFrom,
      published_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The demo fee table with other amounts. */
async function repriced(first: number, second: number): Promise<DecisionTable> {
  const { table } = await demoParkingPermitFee();
  const [a, b] = table.rows;
  return {
    ...table,
    rows: [
      { ...a!, outcome: { type: 'fee', pence: first } },
      { ...b!, outcome: { type: 'fee', pence: second } },
    ],
  };
}

describe('a fee from the service’s fee rules', () => {
  it('is the amount the rules in force give for the answers, shown with why in English and Welsh, and the charge records the version', async () => {
    const { visitor, userId } = await aSignedInCitizen(app);
    const v1 = (await ruleSetInForce(db(), serviceId, 'fee'))!;
    expect(v1.version).toBe(1);
    const { check, declaration } = await answerPermit(visitor, 'second');
    const page = text(check.html);
    expect(page).toContain('£90.00');
    expect(page).toContain(
      'The fee is £90 for a year because this is a second permit for your household: a second permit costs more.',
    );
    // The form has a declaration: its page sends the version that priced the amount shown.
    expect(hiddenValue(declaration.html, 'feeRules')).toBe(v1.id);
    const welsh = text((await visitor.get(`${PERMIT}/check-answers?lang=cy`)).html);
    expect(welsh).toContain(
      'Y ffi yw £90 am flwyddyn oherwydd mai hon yw ail drwydded i’ch aelwyd',
    );
    expect(declaration.html).toContain('Next you pay the fee of £90.00 by card.');
    const sent = await send(visitor, declaration.html);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/^\/pay\//);
    const [charge, ...others] = await chargesOf(userId);
    expect(others).toHaveLength(0);
    expect(charge).toMatchObject({ kind: 'form', amount: 9000, rule_set_version_id: v1.id });
    const held = await db()
      .selectFrom('submissions')
      .select('status')
      .where('id', '=', charge!.submission_id!)
      .executeTakeFirstOrThrow();
    expect(held.status).toBe('awaiting-payment');
  });

  it('is not changed by a version that takes effect later', async () => {
    const tomorrow = ukToday(new Date(Date.now() + 24 * 60 * 60 * 1000));
    await addFeeVersion(2, tomorrow, await repriced(7000, 10000));
    const v1 = (await ruleSetInForce(db(), serviceId, 'fee'))!;
    expect(v1.version).toBe(1);
    const { visitor, userId } = await aSignedInCitizen(app);
    const { check, declaration } = await answerPermit(visitor, 'first');
    expect(check.html).toContain('£60.00');
    expect(check.html).not.toContain('£70.00');
    expect((await send(visitor, declaration.html)).status).toBe(303);
    expect(await chargesOf(userId)).toMatchObject([{ amount: 6000, rule_set_version_id: v1.id }]);
  });

  it('is priced again when a new version has come into force since the person saw it: nothing is sent until they see the new amount', async () => {
    const { visitor, userId } = await aSignedInCitizen(app);
    const { check, declaration } = await answerPermit(visitor, 'first');
    expect(check.html).toContain('£60.00');
    const v3 = await addFeeVersion(3, ukToday(), await repriced(6500, 9500));
    const refused = await send(visitor, declaration.html);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe(`${PERMIT}/check-answers`);
    expect(await chargesOf(userId)).toHaveLength(0);
    expect(await submissionsOf(userId)).toHaveLength(0);
    const again = await visitor.get(`${PERMIT}/check-answers`);
    expect(again.html).toContain('£65.00');
    const newDeclaration = await visitor.get(`${PERMIT}/declaration`);
    expect(hiddenValue(newDeclaration.html, 'feeRules')).toBe(v3.id);
    expect((await send(visitor, newDeclaration.html)).status).toBe(303);
    expect(await chargesOf(userId)).toMatchObject([{ amount: 6500, rule_set_version_id: v3.id }]);
  });
});

describe('a fee the rules cannot give', () => {
  /** "Check your answers" says so with the error summary, offers no way to send, and sending charges nothing. */
  async function expectNothingCharged(visitor: Visitor, userId: string, declarationHtml: string) {
    const sent = await send(visitor, declarationHtml);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${PERMIT}/check-answers`);
    expect(await chargesOf(userId)).toHaveLength(0);
    expect(await submissionsOf(userId)).toHaveLength(0);
    const check = await visitor.get(`${PERMIT}/check-answers`);
    expect(check.status).toBe(200);
    expect(check.html).toContain('govuk-error-summary');
    expect(text(check.html)).toContain(
      'The fee for this service cannot be worked out at the moment, so your application cannot be sent yet.',
    );
    expect(check.html).toContain('href="#fee"');
    expect(check.html).not.toContain('Accept, send and pay');
    expect(check.html).not.toContain(`href="${PERMIT}/declaration"`);
    const welsh = text((await visitor.get(`${PERMIT}/check-answers?lang=cy`)).html);
    expect(welsh).toContain('Ni ellir cyfrifo’r ffi ar gyfer y gwasanaeth hwn ar hyn o bryd');
    // The declaration sends the person back to the explanation.
    const declaration = await visitor.get(`${PERMIT}/declaration`);
    expect(declaration.status).toBe(303);
    expect(declaration.headers.get('location')).toBe(`${PERMIT}/check-answers`);
  }

  it('when the rules in force ask for an answer the form does not give: an error, and nothing charged', async () => {
    const { visitor, userId } = await aSignedInCitizen(app);
    const { declaration } = await answerPermit(visitor, 'first');
    const current = (await ruleSetInForce(db(), serviceId, 'fee'))!;
    await addFeeVersion(4, ukToday(), {
      ...current.table,
      inputs: [
        {
          name: 'zone',
          type: 'choice',
          label: { en: 'Which zone?', cy: 'Pa barth?' },
          options: [
            { value: 'a', label: { en: 'zone A', cy: 'parth A' } },
            { value: 'b', label: { en: 'zone B', cy: 'parth B' } },
          ],
        },
      ],
      rows: [
        {
          when: {},
          outcome: { type: 'fee', pence: 5000 },
          explanation: { en: 'The fee is £50.', cy: 'Y ffi yw £50.' },
        },
      ],
    });
    await expectNothingCharged(visitor, userId, declaration.html);
  });

  it('when the service has no fee rules in force: an error, and nothing charged', async () => {
    // A version that prices the permit again (the one before could not), then none in force.
    await addFeeVersion(5, ukToday(), await repriced(6000, 9000));
    const { visitor, userId } = await aSignedInCitizen(app);
    const { declaration } = await answerPermit(visitor, 'second');
    expect(declaration.html).toContain('£90.00');
    // Every version dated in the future: none is in force today.
    await db()
      .updateTable('rule_sets')
      .set({ effective_from: '2099-01-01' })
      .where('service_id', '=', serviceId)
      .where('purpose', '=', 'fee')
      .execute();
    expect(await ruleSetInForce(db(), serviceId, 'fee')).toBeUndefined();
    await expectNothingCharged(visitor, userId, declaration.html);
  });
});
