import { loadConfig } from '../../src/platform/config/config.js';
import { createPlatform, type Platform } from '../../src/main/platform.js';
import { MODULES } from '../../src/main/modules.js';
import type { ModuleManifest } from '../../src/platform/http/types.js';
import { freshDatabase } from './database.js';

export interface TestApp {
  platform: Platform;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real app on a random port over a fresh database (PGlite, or PostgreSQL with
 * DATABASE_URL), seeded with the demo. The worker is off: tests drain the outbox when they mean to.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  extraModules: ModuleManifest[] = [],
): Promise<TestApp> {
  const database = await freshDatabase({ seeded: true });
  const config = loadConfig({
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
    WORKER: 'off',
    SIGN_IN_ATTEMPTS_PER_MINUTE: '30',
    SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: '100000',
    ...env,
  });
  const platform = await createPlatform(config, {
    database,
    modules: [...MODULES, ...extraModules],
  });
  await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const address = platform.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    platform,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await platform.close();
      await database.close();
    },
  };
}

/** A person with a browser's cookie jar, speaking HTTP to the app without following redirects. */
export class Visitor {
  private cookies = new Map<string, string>();
  lastHtml = '';

  constructor(readonly baseUrl: string) {}

  /** The Cookie header the visitor sends, for a request made by hand (e.g. a multipart post). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<Response & { html: string }> {
    return this.request('GET', path);
  }

  /** Posts a form with the CSRF token from the last page seen (or a given one). */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    csrf = csrfToken(this.lastHtml),
  ): Promise<Response & { html: string }> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries({ _csrf: csrf, ...fields })) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return this.request('POST', path, body.toString());
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.get('/sign-in');
    const response = await this.post('/sign-in', { email, password, returnTo: '/' });
    if (response.status !== 303) throw new Error(`Sign-in as ${email} failed: ${response.status}`);
  }

  private async request(method: string, path: string, body?: string) {
    const response = await fetch(this.baseUrl + path, {
      method,
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await response.text();
    if ((response.headers.get('content-type') ?? '').includes('text/html')) this.lastHtml = html;
    return Object.assign(response, { html });
  }
}

/** Text as the page's HTML escaped it (`&quot; &#39; &lt; &gt; &amp;`), back as typed. */
export const unescapeHtml = (s: string) =>
  s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

export function csrfToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('No CSRF token on the page');
  return match[1]!;
}

export function hiddenValue(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`No hidden ${name} on the page`);
  return match[1]!;
}

/** A weekday between `from` and `from + 6` days ahead of today in the UK, as [day, month, year]. */
export function weekdayAhead(from: number): [string, string, string] {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + from);
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
  return [String(date.getUTCDate()), String(date.getUTCMonth() + 1), String(date.getUTCFullYear())];
}
