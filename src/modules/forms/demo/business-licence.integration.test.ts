import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hiddenValue,
  startTestApp,
  type TestApp,
  type Visitor,
} from '../../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../../test/helpers/citizens.js';
import { addBusinessNumber, businessWithNumber } from '../../references/index.js';
import { DEMO_BUSINESS_LICENCE_SLUG } from '../index.js';

/**
 * The business licence demo end to end: Cheltenham's form for businesses asks for the company's
 * Companies House number, checked by the reference index's validators and matched to the business
 * account applied for, and sends the application with the number in its normal form.
 */
let app: TestApp;
const db = () => app.platform.database.db;
const START = `/services/${DEMO_BUSINESS_LICENCE_SLUG}/apply`;

beforeAll(async () => {
  app = await startTestApp();
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const text = (html: string) => html.replace(/&#39;|&rsquo;/g, '’').replace(/\s+/g, ' ');

async function aBusiness(
  name: string,
  administrator: string,
  companiesHouseNumber: string | null = null,
): Promise<string> {
  const business = await db()
    .insertInto('business_accounts')
    .values({
      name,
      type: 'business',
      companies_house_number: companiesHouseNumber,
      charity_number: null,
      is_agent: false,
      created_by: administrator,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db()
    .insertInto('business_members')
    .values({ business_id: business.id, user_id: administrator, role: 'administrator' })
    .execute();
  return business.id;
}

async function atCompanyNumber(visitor: Visitor) {
  const start = await visitor.get(START);
  expect(start.status).toBe(303);
  expect(start.headers.get('location')).toBe(`${START}/company-number`);
  const page = await visitor.get(`${START}/company-number`);
  expect(page.status).toBe(200);
  return page;
}

const answer = (visitor: Visitor, page: string, fields: Record<string, string>) =>
  visitor.post(`${START}/${page}`, { actingFor: '', ...fields });

describe('the business licence demo', () => {
  it('refuses a number the validators reject, in English and Welsh, saving nothing', async () => {
    const citizen = await aSignedInCitizen(app);
    const business = await aBusiness('Leckhampton Scrap Ltd', citizen.userId);
    await atCompanyNumber(citizen.visitor);
    for (const typed of ['ZZ123456', '123456789', '00000000']) {
      const refused = await answer(citizen.visitor, 'company-number', { companyNumber: typed });
      expect(refused.status, typed).toBe(400);
      expect(text(refused.html)).toContain(
        'Enter a real Companies House number, like 01234567 or SC123456',
      );
    }
    await citizen.visitor.get(`${START}/company-number?lang=cy`);
    const welsh = await answer(citizen.visitor, 'company-number', { companyNumber: 'ZZ123456' });
    expect(text(welsh.html)).toContain('Rhowch rif Tŷ’r Cwmnïau go iawn');
    const numbers = await db()
      .selectFrom('reference_business_numbers')
      .select('value')
      .where('business_id', '=', business)
      .execute();
    expect(numbers).toEqual([]);
  });

  it('refuses a number another business account holds, and one the account does not record', async () => {
    const other = await aSignedInCitizen(app);
    const otherBusiness = await aBusiness('Montpellier Traders Ltd', other.userId);
    const held = await addBusinessNumber(
      db(),
      { userId: other.userId, organisationId: null, role: 'citizen' },
      otherBusiness,
      'companies-house',
      '07654321',
    );
    expect(held.ok).toBe(true);
    const citizen = await aSignedInCitizen(app);
    const mine = await aBusiness('Pittville Pets Ltd', citizen.userId);
    await atCompanyNumber(citizen.visitor);
    const refused = await answer(citizen.visitor, 'company-number', { companyNumber: '7654321' });
    expect(refused.status).toBe(400);
    expect(text(refused.html)).toContain('This is not the number of Pittville Pets Ltd');
    expect(await businessWithNumber(db(), 'companies-house', '07654321')).toBe(otherBusiness);
    expect(mine).not.toBe(otherBusiness);

    const recorded = await aSignedInCitizen(app);
    await aBusiness('Charlton Kings Kennels Ltd', recorded.userId, 'SC123456');
    const shown = await atCompanyNumber(recorded.visitor);
    // Prefilled from the business account.
    expect(shown.html).toContain('value="SC123456"');
    const differs = await answer(recorded.visitor, 'company-number', { companyNumber: '01234567' });
    expect(differs.status).toBe(400);
    expect(text(differs.html)).toContain('This is not the number of Charlton Kings Kennels Ltd');
  });

  it('matches a new number to the business account and sends the application with it', async () => {
    const citizen = await aSignedInCitizen(app);
    const business = await aBusiness('Cheltenham Street Food Ltd', citizen.userId);
    await atCompanyNumber(citizen.visitor);
    const matched = await answer(citizen.visitor, 'company-number', { companyNumber: 'sc 654321' });
    expect(matched.status).toBe(303);
    expect(matched.headers.get('location')).toBe(`${START}/activity`);
    // Added to the account in the reference index, audited.
    expect(await businessWithNumber(db(), 'companies-house', 'SC654321')).toBe(business);
    const audit = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'references.business-number.added')
      .where('resource_id', '=', business)
      .execute();
    expect(audit).toHaveLength(1);
    await citizen.visitor.get(`${START}/activity`);
    expect((await answer(citizen.visitor, 'activity', { activity: 'street-trading' })).status).toBe(
      303,
    );
    const contact = await citizen.visitor.get(`${START}/contact`);
    expect(contact.html).toContain(`value="${citizen.email}"`);
    expect((await answer(citizen.visitor, 'contact', { email: citizen.email })).status).toBe(303);
    const check = await citizen.visitor.get(`${START}/check-answers`);
    expect(check.status).toBe(200);
    expect(check.html).toContain('SC654321');
    // No declaration in this form: the check answers page sends it.
    const sent = await citizen.visitor.post(`${START}/submit`, {
      draftId: hiddenValue(check.html, 'draftId'),
      actingFor: '',
    });
    expect(sent.status).toBe(303);
    const submission = await db()
      .selectFrom('submissions')
      .selectAll()
      .where('applicant_user_id', '=', citizen.userId)
      .executeTakeFirstOrThrow();
    expect(submission.applicant_business_id).toBe(business);
    expect(submission.answers.values).toMatchObject({
      companyNumber: 'SC654321',
      activity: 'street-trading',
    });
  });
});
