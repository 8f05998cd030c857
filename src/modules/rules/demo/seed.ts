/**
 * The demo rule sets: Stroud's Council Tax Reduction eligibility, on the service "Apply for
 * Housing Benefit and Council Tax Reduction" (`housing-benefit-stroud`, form
 * `council-tax-reduction-stroud`), in force from 1 April 2026 with its test cases, and let decide
 * (10% of automatic decisions checked by a caseworker); and the fee of Stroud's "Apply for a
 * resident parking permit" (`resident-parking-permit-stroud`) as fee rules: £60 for a household's
 * first permit, £90 for a second. Seeded by `src/main/seed.ts`; idempotent.
 */
import { readFile } from 'node:fs/promises';
import type { Db } from '../../../platform/db/database.js';
import { projectPath } from '../../../platform/paths.js';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import { findPublishedService } from '../../catalogue/index.js';
import { checkRuleSet } from '../commands/publish-rule-set.js';
import type { Purpose } from '../schema.js';

/** The service the demo table decides for. */
export const DEMO_RULES_SERVICE_SLUG = 'housing-benefit-stroud';
/** When the demo tables took effect (the start of the 2026/27 Council Tax year). */
export const DEMO_RULES_EFFECTIVE_FROM = '2026-04-01';
/** The share of Council Tax Reduction decided by the rules that a caseworker checks. */
export const DEMO_CTR_SAMPLE_PERCENT = 10;
/** The service whose fee comes from its fee rules. */
export const DEMO_FEE_RULES_SERVICE_SLUG = 'resident-parking-permit-stroud';

const DIR = projectPath('src', 'modules', 'rules', 'demo');
const PLATFORM: Actor = { userId: null, organisationId: null, role: null };

/** A shipped table and its test cases, checked: a broken file is a mistake in the code. */
async function demoRuleSet(purpose: Purpose, name: string) {
  const read = async (file: string): Promise<unknown> =>
    JSON.parse(await readFile(`${DIR}/${file}`, 'utf8'));
  const checked = checkRuleSet(
    purpose,
    await read(`${name}.json`),
    await read(`${name}.tests.json`),
  );
  if (!checked.ok)
    throw new Error(`The demo rule set is not valid: ${JSON.stringify(checked.errors, null, 2)}`);
  return checked;
}

/** The demo Council Tax Reduction table and its test cases as shipped. */
export function demoCouncilTaxReduction() {
  return demoRuleSet('eligibility', 'council-tax-reduction-stroud');
}

/** The demo resident parking permit fee table and its test cases as shipped. */
export function demoParkingPermitFee() {
  return demoRuleSet('fee', 'resident-parking-permit-stroud-fee');
}

/**
 * Publishes a shipped table as version 1 of a service's rule set for its purpose, unless the
 * service has one already (false then). It is dated in the past, which the editor refuses, so it
 * is written here directly (audited as the platform's).
 */
async function publishDemoVersion(
  db: Db,
  slug: string,
  purpose: Purpose,
  name: string,
): Promise<{ serviceId: string } | undefined> {
  const service = await findPublishedService(db, slug, 'en');
  if (!service) return undefined;
  const existing = await db
    .selectFrom('rule_sets')
    .select('id')
    .where('service_id', '=', service.id)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (existing) return undefined;
  const { table, tests } = await demoRuleSet(purpose, name);
  const inserted = await db
    .insertInto('rule_sets')
    .values({
      service_id: service.id,
      purpose,
      version: 1,
      definition: JSON.stringify(table),
      tests: JSON.stringify(tests),
      effective_from: DEMO_RULES_EFFECTIVE_FROM,
      published_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, PLATFORM, {
    action: 'rules.published',
    resourceType: 'rule_set',
    resourceId: inserted.id,
    subjectUserId: null,
    details: { serviceId: service.id, purpose, version: 1, demo: true },
  });
  return { serviceId: service.id };
}

/**
 * Publishes the demo tables as version 1 where the services have none yet, and lets the Council
 * Tax Reduction rules decide (audited as `rules.automation.changed`, as the setting's page does).
 */
export async function seedDemoRules(db: Db): Promise<void> {
  const ctr = await publishDemoVersion(
    db,
    DEMO_RULES_SERVICE_SLUG,
    'eligibility',
    'council-tax-reduction-stroud',
  );
  if (ctr) {
    await db
      .insertInto('rule_automation')
      .values({ service_id: ctr.serviceId, decide: true, sample_percent: DEMO_CTR_SAMPLE_PERCENT })
      .onConflict((oc) => oc.column('service_id').doNothing())
      .execute();
    await recordAudit(db, PLATFORM, {
      action: 'rules.automation.changed',
      resourceType: 'service',
      resourceId: ctr.serviceId,
      subjectUserId: null,
      details: { after: { decide: true, samplePercent: DEMO_CTR_SAMPLE_PERCENT }, demo: true },
    });
  }
  await publishDemoVersion(
    db,
    DEMO_FEE_RULES_SERVICE_SLUG,
    'fee',
    'resident-parking-permit-stroud-fee',
  );
}
