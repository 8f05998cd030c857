/**
 * The demo of deciding by rules: Gloucestershire's "Apply for free school meals"
 * (`free-school-meals-gloucestershire`, form `free-school-meals`) checks with DWP whether the
 * parent gets a qualifying benefit — DWP's evidence type `dwp-qualifying-benefit`, answered from
 * a table DWP keeps in Joinedup — and its eligibility rules decide. The demo citizen
 * (citizen@example.com, National Insurance number JG 10 37 59 A) gets one, so an application
 * saying their child is at a state school is approved at once. 10% of those decisions go to a
 * caseworker to check. Seeded by `src/main/seed.ts`; idempotent.
 */
import { readFile } from 'node:fs/promises';
import type { Db } from '../../../platform/db/database.js';
import { projectPath } from '../../../platform/paths.js';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import { findPublishedService } from '../../catalogue/index.js';
import { publishEvidenceType, upsertTableRows } from '../../evidence/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { checkRuleSet } from '../commands/publish-rule-set.js';
import { DEMO_RULES_EFFECTIVE_FROM } from './seed.js';

/** The demo service decided by rules. */
export const FREE_SCHOOL_MEALS_SLUG = 'free-school-meals-gloucestershire';
/** DWP's evidence type the form asks for. */
export const QUALIFYING_BENEFIT_TYPE = 'dwp-qualifying-benefit';
/** The share of automatic decisions a caseworker checks in the demo. */
export const DEMO_SAMPLE_PERCENT = 10;

const DIR = projectPath('src', 'modules', 'rules', 'demo');

/** DWP's answers in the demo: the demo citizen gets a qualifying benefit, another person does not. */
export const DEMO_BENEFIT_ROWS = [
  { subject: 'JG103759A', value: true },
  { subject: 'AB123456C', value: false },
];

/** The demo table and its test cases as shipped (checked: a broken file is a mistake in the code). */
export async function demoFreeSchoolMeals() {
  const read = async (name: string): Promise<unknown> =>
    JSON.parse(await readFile(`${DIR}/${name}`, 'utf8'));
  const checked = checkRuleSet(
    'eligibility',
    await read('free-school-meals-gloucestershire.json'),
    await read('free-school-meals-gloucestershire.tests.json'),
  );
  if (!checked.ok)
    throw new Error(`The demo rule set is not valid: ${JSON.stringify(checked.errors, null, 2)}`);
  return checked;
}

/**
 * Publishes DWP's evidence type with its table, the service's eligibility rules (version 1, in
 * force from 1 April 2026) and lets them decide, if the service has no eligibility rules yet.
 */
export async function seedDemoFreeSchoolMeals(db: Db): Promise<void> {
  const service = await findPublishedService(db, FREE_SCHOOL_MEALS_SLUG, 'en');
  const dwp = await findOrganisationBySlug(db, 'dwp');
  if (!service || !dwp) return;
  const existing = await db
    .selectFrom('rule_sets')
    .select('id')
    .where('service_id', '=', service.id)
    .where('purpose', '=', 'eligibility')
    .executeTakeFirst();
  if (existing) return;
  const dwpActor: Actor = { userId: null, organisationId: dwp.id, role: 'platform' };
  const type = await publishEvidenceType(
    db,
    { hubAllowPrivateWebhooks: false },
    dwp.id,
    {
      code: QUALIFYING_BENEFIT_TYPE,
      name: 'Gets a benefit that qualifies for free school meals',
      nameCy: 'Yn cael budd-dal sy’n gymwys ar gyfer prydau ysgol am ddim',
      askEn: 'whether you get a benefit that qualifies for free school meals',
      askCy: 'a ydych yn cael budd-dal sy’n gymwys ar gyfer prydau ysgol am ddim',
      yesEn: 'you get a benefit that qualifies for free school meals',
      yesCy: 'rydych yn cael budd-dal sy’n gymwys ar gyfer prydau ysgol am ddim',
      noEn: 'you do not get a benefit that qualifies for free school meals',
      noCy: 'nid ydych yn cael budd-dal sy’n gymwys ar gyfer prydau ysgol am ddim',
      subjectKind: 'person',
      answerKind: 'yes-no',
      legalBasis:
        'Local authorities check entitlement to free school meals with DWP (the Eligibility Checking System).',
      legalBasisReference: 'Education Act 1996, s.512ZB',
      consentNeeded: false,
      slaSeconds: 30,
      answeredBy: 'table',
    },
    dwpActor,
  );
  if (!type.ok)
    throw new Error(`Could not seed ${QUALIFYING_BENEFIT_TYPE}: ${JSON.stringify(type.errors)}`);
  const rows = await upsertTableRows(db, type.type, DEMO_BENEFIT_ROWS, dwpActor);
  if (!rows.ok) throw new Error(`Could not seed DWP's table: ${JSON.stringify(rows.errors)}`);
  const { table, tests } = await demoFreeSchoolMeals();
  const inserted = await db
    .insertInto('rule_sets')
    .values({
      service_id: service.id,
      purpose: 'eligibility',
      version: 1,
      definition: JSON.stringify(table),
      tests: JSON.stringify(tests),
      effective_from: DEMO_RULES_EFFECTIVE_FROM,
      published_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const platform: Actor = { userId: null, organisationId: null, role: null };
  await recordAudit(db, platform, {
    action: 'rules.published',
    resourceType: 'rule_set',
    resourceId: inserted.id,
    subjectUserId: null,
    details: { serviceId: service.id, purpose: 'eligibility', version: 1, demo: true },
  });
  await db
    .insertInto('rule_automation')
    .values({ service_id: service.id, decide: true, sample_percent: DEMO_SAMPLE_PERCENT })
    .execute();
  await recordAudit(db, platform, {
    action: 'rules.automation.changed',
    resourceType: 'service',
    resourceId: service.id,
    subjectUserId: null,
    details: { after: { decide: true, samplePercent: DEMO_SAMPLE_PERCENT }, demo: true },
  });
}
