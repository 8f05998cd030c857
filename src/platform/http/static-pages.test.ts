import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { isLocale, loadMessages, translator } from '../i18n/i18n.js';
import { brandStylesheet, registerStaticPages } from './static-pages.js';
import './types.js';
import { registerViews } from './views.js';

/** A bare Fastify with just the views and a translator: no database, sessions or modules. */
async function bareApp(): Promise<FastifyInstance> {
  const config = loadConfig({ BRAND_NAME: 'Testshire Services', BRAND_COLOUR: '#0b5394' });
  const messages = await loadMessages();
  const app = Fastify();
  app.decorateRequest('user', null);
  app.decorateRequest('locale', 'en');
  app.decorateRequest('t', null as never);
  app.addHook('onRequest', async (request) => {
    const asked = (request.query as { lang?: string }).lang;
    request.locale = isLocale(asked) ? asked : 'en';
    request.t = translator(messages, request.locale);
  });
  await registerViews(app, config, []);
  registerStaticPages(app, config);
  // Renders any error template, as the platform's error handler does.
  app.get('/error/:template', async (request, reply) => {
    const { template } = request.params as { template: string };
    return reply.view(`platform/views/errors/${template}.njk`, {
      requestId: 'req-123',
      message: 'That file is too big',
    });
  });
  return app;
}

describe('static pages', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await bareApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves the configured brand colour as a short-lived stylesheet', async () => {
    const response = await app.inject('/assets/brand.css');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/css/);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body).toBe(':root{--app-brand-colour:#0b5394}\n');
  });

  it('refuses to write anything but a #rrggbb colour into the stylesheet', () => {
    expect(() => brandStylesheet('red;}body{display:none')).toThrow();
  });

  it('shows the accessibility statement with its compliance status, testing and enforcement', async () => {
    const response = await app.inject('/accessibility');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>Accessibility statement – Testshire Services</title>');
    expect(response.body).toContain('Accessibility statement for Testshire Services');
    expect(response.body).toContain('WCAG) version 2.2 AA');
    expect(response.body).toContain('axe-core');
    expect(response.body).toContain('Equality Advisory and Support Service');
    expect(response.body).toContain('This statement was prepared on 25 November 2026.');
  });

  it('shows the accessibility statement in Welsh when asked', async () => {
    const response = await app.inject('/accessibility?lang=cy');
    expect(response.body).toContain('<html lang="cy"');
    expect(response.body).toContain('Datganiad hygyrchedd ar gyfer Testshire Services');
    expect(response.body).toContain('25 Tachwedd 2026');
    expect(response.body).not.toMatch(/>accessibility\.[\w.]+</);
  });

  it('shows the privacy notice with controllers, lawful basis, who viewed your data and the ICO', async () => {
    for (const [lang, expected] of [
      [
        'en',
        [
          'Privacy notice',
          'public task',
          'see who has viewed your data',
          'Information Commissioner’s Office',
        ],
      ],
      [
        'cy',
        [
          'Hysbysiad preifatrwydd',
          'tasg gyhoeddus',
          'weld pwy sydd wedi edrych ar eich data',
          'Swyddfa’r Comisiynydd Gwybodaeth',
        ],
      ],
    ] as const) {
      const response = await app.inject(`/privacy?lang=${lang}`);
      expect(response.statusCode).toBe(200);
      for (const text of expected) expect(response.body).toContain(text);
      expect(response.body).not.toMatch(/>privacy\.[\w.]+</);
    }
  });

  it('renders every error page in both languages without showing a raw message key', async () => {
    for (const template of ['404', '500', '400', '429', 'csrf']) {
      for (const lang of ['en', 'cy']) {
        const response = await app.inject(`/error/${template}?lang=${lang}`);
        expect(response.statusCode).toBe(200);
        expect(response.body).not.toMatch(/errorPage\./);
      }
    }
  });

  it('gives the reference on the 500 page and the message on the 400 page', async () => {
    expect((await app.inject('/error/500')).body).toContain('Reference: req-123');
    expect((await app.inject('/error/500?lang=cy')).body).toContain('Cyfeirnod: req-123');
    expect((await app.inject('/error/400')).body).toContain('That file is too big');
  });
});
