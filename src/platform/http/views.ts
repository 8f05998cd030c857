import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyView from '@fastify/view';
import nunjucks from 'nunjucks';
import type { Config } from '../config/config.js';
import { formatDate, formatDateTime } from '../i18n/i18n.js';
import { projectPath } from '../paths.js';
import type { NavigationItem } from './types.js';

/**
 * Nunjucks over our templates (found from src/, e.g. `modules/catalogue/pages/home/home.njk`)
 * and GOV.UK Frontend's (`govuk/components/…`). Autoescape is on: every value is escaped.
 */
export async function registerViews(
  app: FastifyInstance,
  config: Config,
  navigation: NavigationItem[],
): Promise<void> {
  // @fastify/view builds the Nunjucks environment itself; onConfigure adds our filters to it.
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [projectPath('src'), projectPath('node_modules/govuk-frontend/dist')],
    options: {
      autoescape: true,
      throwOnUndefined: false,
      noCache: false,
      onConfigure: (env: nunjucks.Environment) => {
        env.addFilter('date', (value: Date | string, locale: 'en' | 'cy') =>
          formatDate(value, locale),
        );
        env.addFilter('dateTime', (value: Date | string, locale: 'en' | 'cy') =>
          formatDateTime(value, locale),
        );
        env.addGlobal('brandName', config.BRAND_NAME);
      },
    },
  } as never);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    setPageLocals(request, reply, navigation);
  });
}

/** What every template may use: language, translator, user, navigation, CSP nonce, CSRF token. */
export function setPageLocals(
  request: FastifyRequest,
  reply: FastifyReply,
  navigation: NavigationItem[] = [],
): void {
  const user = request.user;
  // The link and the navigation are worked out only when a page is rendered (the view plugin
  // copies these getters' values), not for every API request, which renders nothing.
  reply.locals = {
    lang: request.locale,
    t: request.t,
    user,
    currentPath: request.url.split('?')[0],
    get switchLanguageHref() {
      return languageSwitchHref(request.url, request.locale === 'cy' ? 'en' : 'cy');
    },
    // Named so that no page's own data (an A–Z's letter `navigation`, say) can replace it.
    get siteNavigation() {
      return navigation.filter((item) => item.visibleTo(user));
    },
    cspNonce: reply.cspNonce?.script,
    csrfToken: () => reply.generateCsrf(),
  };
}

/** The current address with `lang` set to the other language, keeping any other query. */
export function languageSwitchHref(url: string, target: 'en' | 'cy'): string {
  const parsed = new URL(url, 'http://localhost');
  parsed.searchParams.set('lang', target);
  return `${parsed.pathname}${parsed.search}`;
}
