/**
 * The business licence demo (issue 16): Cheltenham's "Apply for a business licence", for
 * businesses only, whose form asks for the company's Companies House number — checked by the
 * reference index's validators and matched to the business account applied for (a number
 * another account holds is refused; one nobody holds is added to the account when its
 * administrator applies). Seeded by `src/main/seed.ts`; idempotent.
 */
import { readFile } from 'node:fs/promises';
import type { Db } from '../../../platform/db/database.js';
import { projectPath } from '../../../platform/paths.js';
import { findPublishedService, publishService } from '../../catalogue/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { publishForm, publishedForm } from '../versions.js';

/** The demo service's web address and its form's key. */
export const DEMO_BUSINESS_LICENCE_SLUG = 'business-licence-cheltenham';
export const DEMO_BUSINESS_LICENCE_FORM = 'business-licence-cheltenham';

export async function seedDemoBusinessLicence(db: Db): Promise<void> {
  const cheltenham = await findOrganisationBySlug(db, 'cheltenham');
  if (!cheltenham) return;
  if (!(await publishedForm(db, DEMO_BUSINESS_LICENCE_FORM))) {
    const definition: unknown = JSON.parse(
      await readFile(
        projectPath('src', 'modules', 'forms', 'demo', 'business-licence.json'),
        'utf8',
      ),
    );
    const published = await publishForm(db, definition, {
      userId: null,
      organisationId: cheltenham.id,
      role: null,
    });
    if (!published.ok)
      throw new Error(`The demo business licence form is not valid: ${JSON.stringify(published)}`);
  }
  if (await findPublishedService(db, DEMO_BUSINESS_LICENCE_SLUG, 'en')) return;
  const service = await publishService(db, {
    organisationId: cheltenham.id,
    slug: DEMO_BUSINESS_LICENCE_SLUG,
    title: 'Apply for a business licence',
    titleCy: 'Gwneud cais am drwydded busnes',
    summary: 'Licences for street trading, scrap metal dealing and animal boarding in Cheltenham.',
    summaryCy:
      'Trwyddedau ar gyfer masnachu ar y stryd, delio mewn metel sgrap a lletya anifeiliaid yn Cheltenham.',
    body: 'Only a registered company can apply here: you apply for your business account, and we check the company’s Companies House number against it.',
    bodyCy:
      'Dim ond cwmni cofrestredig all wneud cais yma: rydych yn gwneud cais ar gyfer cyfrif eich busnes, ac rydym yn gwirio rhif Tŷ’r Cwmnïau y cwmni yn ei erbyn.',
    keywords: 'business licence licensing company street trading scrap metal animal boarding',
    audience: 'businesses',
    categories: ['licensing', 'business'],
    interactions: [{ type: 'applications', eEnabled: true }],
    formKey: DEMO_BUSINESS_LICENCE_FORM,
    publishedBy: null,
  });
  if (!service.ok) throw new Error(JSON.stringify(service.errors));
}
