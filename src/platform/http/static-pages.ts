import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';

/**
 * When the accessibility statement and privacy notice were last written, reviewed and (for
 * accessibility) tested. Update these with the words, so the pages never claim a review that
 * did not happen.
 */
export const STATEMENT_DATES = Object.freeze({
  accessibilityPreparedOn: '2026-11-25',
  accessibilityReviewedOn: '2026-11-25',
  accessibilityTestedOn: '2026-11-25',
  privacyUpdatedOn: '2026-11-25',
});

/**
 * The stylesheet holding this deployment's brand colour. app.css reads
 * `var(--app-brand-colour)`, so one build of the CSS serves every deployment.
 *
 * @example brandStylesheet('#1d4f91') // ':root{--app-brand-colour:#1d4f91}'
 */
export function brandStylesheet(colour: string): string {
  // Config has already checked the colour is #rrggbb; check again so nothing else can be injected.
  if (!/^#[0-9a-fA-F]{6}$/.test(colour)) throw new Error(`Not a #rrggbb colour: ${colour}`);
  return `:root{--app-brand-colour:${colour}}\n`;
}

/**
 * Pages every deployment has whatever modules it runs: the brand stylesheet, the
 * accessibility statement and the privacy notice (both in English and Welsh).
 * Needs the views (`registerViews`) and the request locale/translator hooks registered first.
 *
 * @example registerStaticPages(app, config);
 */
export function registerStaticPages(app: FastifyInstance, config: Config): void {
  const brandCss = brandStylesheet(config.BRAND_COLOUR);

  app.get('/assets/brand.css', async (_request, reply) => {
    return reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(brandCss);
  });

  app.get('/accessibility', async (_request, reply) => {
    return reply.view('platform/views/pages/accessibility.njk', {
      preparedOn: STATEMENT_DATES.accessibilityPreparedOn,
      reviewedOn: STATEMENT_DATES.accessibilityReviewedOn,
      testedOn: STATEMENT_DATES.accessibilityTestedOn,
    });
  });

  app.get('/privacy', async (_request, reply) => {
    return reply.view('platform/views/pages/privacy.njk', {
      updatedOn: STATEMENT_DATES.privacyUpdatedOn,
    });
  });
}
