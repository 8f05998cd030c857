/**
 * The demo rule set: Stroud's Council Tax Reduction eligibility, on the service "Apply for
 * Housing Benefit and Council Tax Reduction" (`housing-benefit-stroud`), in force from
 * 1 April 2026 with its test cases. Seeded by `src/main/seed.ts`; idempotent.
 */
import { readFile } from 'node:fs/promises';
import type { Db } from '../../../platform/db/database.js';
import { projectPath } from '../../../platform/paths.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { findPublishedService } from '../../catalogue/index.js';
import { checkRuleSet } from '../commands/publish-rule-set.js';

/** The service the demo table decides for. */
export const DEMO_RULES_SERVICE_SLUG = 'housing-benefit-stroud';
/** When the demo table took effect (the start of the 2026/27 Council Tax year). */
export const DEMO_RULES_EFFECTIVE_FROM = '2026-04-01';

const DIR = projectPath('src', 'modules', 'rules', 'demo');

/** The demo table and its test cases as shipped (checked: a broken file is a mistake in the code). */
export async function demoCouncilTaxReduction() {
  const definition: unknown = JSON.parse(
    await readFile(`${DIR}/council-tax-reduction-stroud.json`, 'utf8'),
  );
  const tests: unknown = JSON.parse(
    await readFile(`${DIR}/council-tax-reduction-stroud.tests.json`, 'utf8'),
  );
  const checked = checkRuleSet('eligibility', definition, tests);
  if (!checked.ok)
    throw new Error(`The demo rule set is not valid: ${JSON.stringify(checked.errors, null, 2)}`);
  return checked;
}

/**
 * Publishes the demo eligibility table as version 1 if the service has no eligibility rules yet.
 * It is dated in the past, which the editor refuses, so it is written here directly (audited as
 * the platform's).
 */
export async function seedDemoRules(db: Db): Promise<void> {
  const service = await findPublishedService(db, DEMO_RULES_SERVICE_SLUG, 'en');
  if (!service) return;
  const existing = await db
    .selectFrom('rule_sets')
    .select('id')
    .where('service_id', '=', service.id)
    .where('purpose', '=', 'eligibility')
    .executeTakeFirst();
  if (existing) return;
  const { table, tests } = await demoCouncilTaxReduction();
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
  await recordAudit(
    db,
    { userId: null, organisationId: null, role: null },
    {
      action: 'rules.published',
      resourceType: 'rule_set',
      resourceId: inserted.id,
      subjectUserId: null,
      details: { serviceId: service.id, purpose: 'eligibility', version: 1, demo: true },
    },
  );
}
