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
        shareCompiledTemplates(env);
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

/** A template's source and the code Nunjucks compiled from it, by file. */
const compiledTemplates = new Map<string, { source: string; code: unknown }>();

interface TemplateSource {
  src: string | { type: 'code'; obj: unknown };
  path: string;
  noCache: boolean;
}

/**
 * Makes every Nunjucks environment in this process reuse the code compiled from a template file
 * rather than compile it again. Compiling is most of the cost of a page's first render, and
 * several apps in one process (the test suite starts one per file) would each pay it. The code
 * takes the environment as an argument when it runs, so each app keeps its own filters and
 * globals; a file whose text has changed is compiled afresh.
 */
function shareCompiledTemplates(env: nunjucks.Environment): void {
  const environment = env as unknown as {
    loaders: { getSource(name: string): TemplateSource | null }[];
    asyncFilters: string[];
    extensionsList: unknown[];
    opts: object;
  };
  const compiler = (
    nunjucks as unknown as {
      compiler: {
        compile(
          source: string,
          asyncFilters: string[],
          extensions: unknown[],
          name: string,
          opts: object,
        ): string;
      };
    }
  ).compiler;
  for (const loader of environment.loaders) {
    const getSource = loader.getSource.bind(loader);
    loader.getSource = (name) => {
      const found = getSource(name);
      if (!found || typeof found.src !== 'string') return found;
      let compiled = compiledTemplates.get(found.path);
      if (compiled?.source !== found.src) {
        const code = compiler.compile(
          found.src,
          environment.asyncFilters,
          environment.extensionsList,
          found.path,
          environment.opts,
        );
        // What Nunjucks' own Template does with the code it compiles.
        compiled = { source: found.src, code: new Function(code)() };
        compiledTemplates.set(found.path, compiled);
      }
      return { ...found, src: { type: 'code', obj: compiled.code } };
    };
  }
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
