import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { ukToday } from '../../platform/validation/validators.js';
import { findPublishedService } from '../catalogue/index.js';
import { createStaffUser } from '../identity/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import {
  DEMO_RULES_EFFECTIVE_FROM,
  DEMO_RULES_SERVICE_SLUG,
  demoCouncilTaxReduction,
  evaluateRuleSetVersion,
  ruleSetInForce,
  type DecisionTable,
  type TestCase,
} from './index.js';

let app: TestApp;
let serviceId: string;
const db = () => app.platform.database.db;

const OWNER = ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'] as const;
const OTHER_OWNER = ['rules-owner@cheltenham.example.gov.uk', 'cheltenham-rules-owner-1'] as const;
const CHECK = `/services/${DEMO_RULES_SERVICE_SLUG}/check`;

beforeAll(async () => {
  app = await startTestApp();
  serviceId = (await findPublishedService(db(), DEMO_RULES_SERVICE_SLUG, 'en'))!.id;
  const created = await createStaffUser(db(), {
    email: OTHER_OWNER[0],
    password: OTHER_OWNER[1],
    displayName: 'Cheltenham Rules Owner',
    organisationId: (await findOrganisationBySlug(db(), 'cheltenham'))!.id,
    roles: ['service-owner'],
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
});

afterAll(async () => {
  await app?.close();
});

async function signedIn([email, password]: readonly [string, string]): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** The page's text as a person reads it (entities decoded). */
const text = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const versions = async () =>
  db()
    .selectFrom('rule_sets')
    .select(['id', 'version', 'effective_from'])
    .where('service_id', '=', serviceId)
    .where('purpose', '=', 'eligibility')
    .orderBy('version')
    .execute();

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const EDITOR = () => `/rules/staff/${serviceId}/eligibility`;

/** Posts a table and test cases to the editor. */
async function post(
  visitor: Visitor,
  table: DecisionTable,
  tests: TestCase[],
  fields: Record<string, string> = {},
) {
  const page = await visitor.get(EDITOR());
  const version = /name="version" value="(\d+)"/.exec(page.html)![1]!;
  const [year, month, day] = ukToday().split('-');
  return visitor.post(EDITOR(), {
    definition: JSON.stringify(table),
    tests: JSON.stringify(tests),
    version,
    'effective-day': day!,
    'effective-month': month!,
    'effective-year': year!,
    action: 'publish',
    ...fields,
  });
}

describe('the "Check if you can get this" page', () => {
  it('asks the eligibility questions without an account and shows the outcome and why, in English', async () => {
    const visitor = new Visitor(app.baseUrl);
    const page = await visitor.get(CHECK);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('Do you live in the Stroud district?');
    expect(page.html).toContain('name="answer-savings"');
    const result = await visitor.post(CHECK, {
      'answer-liveInStroud': 'yes',
      'answer-paysCouncilTax': 'yes',
      'answer-benefit': 'universal-credit',
      'answer-savings': '2,500.50',
    });
    expect(result.status).toBe(200);
    const words = text(result.html);
    expect(words).toContain('You can get this');
    expect(words).toContain(
      'You qualify because you receive Universal Credit, your savings of £2,500.50 are under £16,000, you live in the Stroud district and you pay Council Tax for your home.',
    );
    expect(words).toContain('1 April 2026 (version 1)');
  });

  it('works in Welsh', async () => {
    const visitor = new Visitor(app.baseUrl);
    const page = await visitor.get(`${CHECK}?lang=cy`);
    expect(text(page.html)).toContain('Ydych chi’n byw yn ardal Stroud?');
    expect(text(page.html)).toContain('Gwirio a allwch gael hyn');
    const result = await visitor.post(`${CHECK}?lang=cy`, {
      'answer-liveInStroud': 'no',
      'answer-paysCouncilTax': 'yes',
      'answer-benefit': 'none',
      'answer-savings': '0',
    });
    expect(result.status).toBe(200);
    const words = text(result.html);
    expect(words).toContain('Ni allwch gael hyn');
    expect(words).toContain(
      'Ni allwch gael Gostyngiad y Dreth Gyngor gan Gyngor Dosbarth Stroud oherwydd nid ydych yn byw yn ardal Stroud.',
    );
  });

  it('lists what is missing or wrong, keeping what was typed', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.get(CHECK);
    const result = await visitor.post(CHECK, {
      'answer-liveInStroud': 'yes',
      'answer-savings': 'lots',
    });
    expect(result.status).toBe(400);
    const words = text(result.html);
    expect(words).toContain('There is a problem');
    expect(words).toContain('Select an answer: Which of these do you get?');
    expect(words).toContain('Enter an amount of money, like 150 or 150.50');
    expect(result.html).toContain('value="lots"');
  });

  it('is not found for a service with no eligibility rules', async () => {
    const page = await new Visitor(app.baseUrl).get(
      '/services/request-a-bulky-waste-collection/check',
    );
    expect(page.status).toBe(404);
  });
});

describe('the rules editor', () => {
  it('lists the service owner’s services and opens the version in force with its test cases', async () => {
    const owner = await signedIn(OWNER);
    const list = await owner.get('/rules/staff');
    expect(list.status).toBe(200);
    expect(list.html).toContain(EDITOR());
    const page = await owner.get(EDITOR());
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('Version 1 is in force, from 1 April 2026.');
    expect(text(page.html)).toContain('Savings of exactly £16,000');
    expect(page.html).toContain('govuk-tag--green');
  });

  it('refuses a table with overlapping rows, naming the rows, and publishes nothing', async () => {
    const owner = await signedIn(OWNER);
    const { table, tests } = await demoCouncilTaxReduction();
    const overlapping = structuredClone(table);
    overlapping.rows[3]!.when.savings = { max: 1_700_000 };
    const before = await versions();
    const response = await post(owner, overlapping, tests);
    expect(response.status).toBe(400);
    expect(text(response.html)).toContain(
      'Rows 4 and 5 both match when liveInStroud = true, paysCouncilTax = true, benefit = "universal-credit", savings = 1600000',
    );
    expect(await versions()).toEqual(before);
  });

  it('refuses a table with a gap, giving an answer no row matches', async () => {
    const owner = await signedIn(OWNER);
    const { table, tests } = await demoCouncilTaxReduction();
    const gappy = structuredClone(table);
    gappy.rows.splice(2, 1); // Pension Credit is no longer decided
    const before = await versions();
    const response = await post(owner, gappy, tests);
    expect(response.status).toBe(400);
    expect(text(response.html)).toContain(
      'No row matches when liveInStroud = true, paysCouncilTax = true, benefit = "pension-credit-guarantee", savings = 0',
    );
    expect(await versions()).toEqual(before);
  });

  it('refuses to publish while a test case fails, listing it', async () => {
    const owner = await signedIn(OWNER);
    const { table, tests } = await demoCouncilTaxReduction();
    const wrong = structuredClone(tests);
    wrong[1]!.expect = 'eligible'; // £16,000 exactly is not under £16,000
    const before = await versions();
    const response = await post(owner, table, wrong);
    expect(response.status).toBe(400);
    expect(text(response.html)).toContain(
      'Test case 2 Savings of exactly £16,000 expected "eligible" but got not-eligible',
    );
    expect(response.html).toContain('govuk-tag--red');
    expect(await versions()).toEqual(before);
  });

  it('previews the outcome and explanation for answers typed in, without publishing', async () => {
    const owner = await signedIn(OWNER);
    const { table, tests } = await demoCouncilTaxReduction();
    const response = await post(owner, table, tests, {
      action: 'check',
      'preview-liveInStroud': 'yes',
      'preview-paysCouncilTax': 'yes',
      'preview-benefit': 'pension-credit-guarantee',
      'preview-savings': '90000',
    });
    expect(response.status).toBe(200);
    const words = text(response.html);
    expect(words).toContain('The table has no overlaps or gaps and every test case passes.');
    expect(words).toContain('You can get this');
    expect(words).toContain('You qualify because you receive Pension Credit (guarantee credit)');
    expect(words).toContain(
      'Rydych yn gymwys oherwydd eich bod yn cael Credyd Pensiwn (credyd gwarant)',
    );
    expect((await versions()).length).toBe(1);
  });

  it('refuses a version in force from a day already past', async () => {
    const owner = await signedIn(OWNER);
    const { table, tests } = await demoCouncilTaxReduction();
    const response = await post(owner, table, tests, {
      'effective-day': '1',
      'effective-month': '1',
      'effective-year': '2020',
    });
    expect(response.status).toBe(400);
    expect(text(response.html)).toContain('must be today or later');
  });

  it('publishes a new version from a later date, audited; a check made under v1 is still decided under v1', async () => {
    const owner = await signedIn(OWNER);
    const { table, tests } = await demoCouncilTaxReduction();
    const raised = structuredClone(table);
    raised.rows[3]!.when.savings = { max: 2_000_000 };
    raised.rows[4]!.when.savings = { min: 2_000_000 };
    const raisedTests = structuredClone(tests);
    raisedTests[1]!.expect = 'eligible'; // £16,000 is now under the limit
    const from = addDays(ukToday(), 30);
    const [year, month, day] = from.split('-');
    const response = await post(owner, raised, raisedTests, {
      'effective-day': day!,
      'effective-month': month!,
      'effective-year': year!,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${EDITOR()}?published=2`);

    const [v1, v2] = await versions();
    expect(v1).toMatchObject({ version: 1, effective_from: DEMO_RULES_EFFECTIVE_FROM });
    expect(v2).toMatchObject({ version: 2, effective_from: from });
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'rules.published')
      .where('resource_id', '=', v2!.id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_role).toBe('service-owner');
    expect(audit.details).toMatchObject({
      version: 2,
      effectiveFrom: from,
      purpose: 'eligibility',
    });

    // In force: v1 today and until the day before; v2 from its date.
    expect((await ruleSetInForce(db(), serviceId, 'eligibility'))?.version).toBe(1);
    const dayBefore = new Date(Date.parse(`${addDays(from, -1)}T12:00:00Z`));
    expect((await ruleSetInForce(db(), serviceId, 'eligibility', dayBefore))?.version).toBe(1);
    const onTheDay = new Date(Date.parse(`${from}T12:00:00Z`));
    expect((await ruleSetInForce(db(), serviceId, 'eligibility', onTheDay))?.version).toBe(2);

    // A submission made under v1 keeps v1's answer; one made under v2 gets v2's.
    const answers = {
      liveInStroud: true,
      paysCouncilTax: true,
      benefit: 'universal-credit',
      savings: 1_800_000,
    };
    const underV1 = await evaluateRuleSetVersion(db(), v1!.id, answers);
    const underV2 = await evaluateRuleSetVersion(db(), v2!.id, answers);
    expect(underV1?.evaluation).toMatchObject({ ok: true, outcome: { value: 'not-eligible' } });
    expect(underV2?.evaluation).toMatchObject({ ok: true, outcome: { value: 'eligible' } });

    // The public page still uses the version in force today.
    const visitor = new Visitor(app.baseUrl);
    await visitor.get(CHECK);
    const result = await visitor.post(CHECK, {
      'answer-liveInStroud': 'yes',
      'answer-paysCouncilTax': 'yes',
      'answer-benefit': 'universal-credit',
      'answer-savings': '18000',
    });
    expect(text(result.html)).toContain('You cannot get this');

    // A later version may not take effect before the latest one.
    const earlier = await post(owner, raised, raisedTests);
    expect(earlier.status).toBe(400);
    expect(text(earlier.html)).toContain('must not be before the latest version’s');
  });

  it('does not let another body’s service owner see or change the rules', async () => {
    const other = await signedIn(OTHER_OWNER);
    const page = await other.get(EDITOR());
    expect(page.status).toBe(404);
    const list = await other.get('/rules/staff');
    expect(list.html).not.toContain(serviceId);
    const { table, tests } = await demoCouncilTaxReduction();
    const before = await versions();
    const response = await other.post(EDITOR(), {
      definition: JSON.stringify(table),
      tests: JSON.stringify(tests),
      version: String(before.length + 1),
      'effective-day': '1',
      'effective-month': '1',
      'effective-year': '2099',
      action: 'publish',
    });
    expect(response.status).toBe(404);
    expect(await versions()).toEqual(before);
  });
});
