import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  AUTHORISATION_MATRIX,
  isApiRoute,
  KEY_KINDS,
  PEOPLE,
  type KeyKind,
  type Person,
} from './authorisation-matrix.js';
import {
  DUMMY,
  pathOf,
  routeCollector,
  signInTheMatrix,
  type MatrixSessions,
} from './matrix-sessions.js';

/**
 * Injection everywhere (issue 14, part 1): every form the app shows and every JSON API body it
 * publishes, driven from the route table and the authorisation matrix rather than a list kept by
 * hand. Each page any role may open is asked for as the first person allowed; every form on it
 * that posts to one of the app's routes is sent back with SQL, HTML and script, template
 * (`{{7*7}}`, `{% %}`, `${}`), header (CRLF) and path-traversal payloads in every text field.
 * Every JSON API whose OpenAPI document gives a request body is sent a body made from that schema,
 * with the payloads in every string, under a key the matrix lets in.
 *
 * Every answer (and the page a form's redirect leads to) must show the payloads inert: no markup
 * of ours unescaped, templates never evaluated, no header made from them, no file read, no server
 * error. Then the database must hold the same tables and people, and wherever it holds a payload
 * it holds the literal text.
 *
 * The payloads are batched into one string a field, so the sweep stays within about 40 seconds.
 * Escaping is decided in code, the same on both databases, so only the PGlite pass runs it.
 */
const sweep = describe.skipIf(Boolean(process.env.DATABASE_URL));

/** Marks each payload, to find it again in pages and the database. */
const MARK = 'ZQJ';
const PAYLOAD = [
  `${MARK}'); DROP TABLE users; --`,
  `" OR 1=1 --`,
  `<script>alert(1)</script>`,
  `<img src=x onerror=alert(2)>`,
  `"><svg onload=alert(3)>`,
  `${MARK}{{7*7}}`,
  `${MARK}\${7*7}`,
  `${MARK}{% if true %}EVAL{% endif %}`,
  `../../../../etc/passwd`,
  `%0d%0aX-Injected: 1`,
].join(' ');
/** The same with a line break and a header after it: for multi-line fields (a header split). */
const MULTILINE = `${PAYLOAD}\r\nSet-Cookie: injected=1\r\nX-Injected: 1`;

/** Pages whose forms must not be sent: they end the sessions the sweep goes on using. */
const SESSION_ENDING = [
  /^\/sign-out$/,
  /^\/agents\/(act|stop)/,
  /^\/account\/(delete|close)/,
  /\/sign-out$/,
];

/** POST routes no page of the sweep leads to, and why (docs/security/asvs.md, 5.1 and 5.3). */
const NOT_REACHED_WHY = `a form on a page only reached with a record the demo does not hold (a stand-in
entry of the matrix), a multipart upload, or an API without a JSON schema (Open311 form posts, the
providers' callbacks).`;

const routeTable: string[] = [];
let app: TestApp;
let sessions: MatrixSessions;
const CONCURRENCY = 6;

beforeAll(async () => {
  if (process.env.DATABASE_URL) return;
  app = await startTestApp({}, [routeCollector(routeTable)]);
  sessions = await signInTheMatrix(app);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

async function send(
  method: string,
  url: string,
  headers: Record<string, string>,
  payload?: string,
): Promise<Answer> {
  const response = await app.platform.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: response.statusCode, headers: response.headers, body: response.body };
}

/** Why an answer is not inert, or null. */
function problemWith(answer: Answer): string | null {
  if (answer.status >= 500) return `server error ${answer.status}`;
  const body = answer.body;
  for (const live of [
    '<script>alert(1)',
    '<img src=x onerror',
    '<svg onload',
    `${MARK}49`,
    `${MARK}EVAL`,
    'root:x:0:0',
  ]) {
    if (body.includes(live)) return `shows ${live} live`;
  }
  const names = Object.keys(answer.headers).map((h) => h.toLowerCase());
  if (names.includes('x-injected')) return 'a header was injected';
  const cookies = [answer.headers['set-cookie'] ?? []].flat().map(String);
  if (cookies.some((c) => c.startsWith('injected='))) return 'a cookie was injected';
  const location = String(answer.headers.location ?? '');
  if (/[\r\n]/.test(location)) return 'a line break in Location';
  return null;
}

/** A form on a page, as a browser would send it. */
interface Form {
  action: string;
  fields: [string, string][];
  texts: string[];
  /** Plausible values for text fields that must look like something (an e-mail, a date part). */
  plausible: Record<string, string>;
  multipart: boolean;
}

const attr = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return match ? decode(match[1]!) : undefined;
};
const decode = (s: string) =>
  s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

const TEXT_TYPES = new Set(['text', 'email', 'tel', 'search', 'url', 'number', 'date', '']);

/** A value a typed field would accept, so that the free-text fields beside it get stored. */
function plausibleValue(name: string, type: string, inputmode: string | undefined) {
  const n = name.toLowerCase();
  if (type === 'email' || n.includes('email')) return 'someone@example.com';
  if (type === 'tel' || /phone|mobile/.test(n)) return '07700900123';
  if (n.includes('postcode')) return 'GL5 4UB';
  if (/day\]?$/.test(n)) return '15';
  if (/month\]?$/.test(n)) return '6';
  if (/year\]?$/.test(n)) return String(new Date().getUTCFullYear() + 1);
  if (type === 'url' || /url|website/.test(n)) return 'https://example.com/';
  if (type === 'number' || inputmode === 'numeric' || inputmode === 'decimal') return '10';
  if (/amount|price|fee|pounds|quantity|count|number|hours|minutes/.test(n)) return '10';
  if (type === 'date') return new Date().toISOString().slice(0, 10);
  return undefined;
}

/** The forms that post on a page, each filled with the payloads in every text field. */
function formsOn(html: string, pagePath: string): Form[] {
  const forms: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, open, inner] = match as unknown as [string, string, string];
    if ((attr(open, 'method') ?? 'get').toLowerCase() !== 'post') continue;
    const action = new URL(attr(open, 'action') ?? pagePath, 'http://x' + pagePath);
    const form: Form = {
      action: action.pathname + action.search,
      fields: [],
      texts: [],
      plausible: {},
      multipart: /multipart/i.test(attr(open, 'enctype') ?? ''),
    };
    const chosen = new Set<string>();
    for (const tag of inner.match(/<(input|textarea|select)\b[^>]*>/gi) ?? []) {
      const name = attr(tag, 'name');
      if (!name) continue;
      const kind = tag.slice(1, tag.indexOf(' ') > 0 ? tag.search(/\s/) : undefined).toLowerCase();
      const type = (attr(tag, 'type') ?? '').toLowerCase();
      if (kind === 'textarea') {
        form.fields.push([name, MULTILINE]);
        form.texts.push(name);
      } else if (kind === 'select') {
        const select = inner.slice(inner.indexOf(tag));
        const option = /<option\b[^>]*value="([^"]+)"/i.exec(
          select.slice(0, select.indexOf('</select>')),
        );
        if (option) form.fields.push([name, decode(option[1]!)]);
      } else if (type === 'hidden' || type === 'submit') {
        const value = attr(tag, 'value');
        if (value !== undefined && type === 'hidden') form.fields.push([name, value]);
      } else if (type === 'radio' || type === 'checkbox') {
        // The first choice of each question, as a person answering would.
        if (chosen.has(name)) continue;
        chosen.add(name);
        form.fields.push([name, attr(tag, 'value') ?? 'on']);
      } else if (TEXT_TYPES.has(type)) {
        form.fields.push([name, PAYLOAD]);
        form.texts.push(name);
        const plausible = plausibleValue(name, type, attr(tag, 'inputmode'));
        if (plausible !== undefined) form.plausible[name] = plausible;
      }
      // Passwords and files are left empty.
    }
    forms.push(form);
  }
  return forms;
}

/** The route a path answers to, matched against the route table. */
function routeOf(method: string, path: string): string | undefined {
  const bare = path.split('?')[0]!;
  const candidates = routeTable.filter((r) => r.startsWith(`${method} `));
  const exact = candidates.find((r) => r === `${method} ${bare}`);
  if (exact) return exact;
  return candidates.find((r) => {
    const url = r.slice(method.length + 1);
    const pattern = url
      .split('/')
      .map((part) =>
        part.startsWith(':')
          ? '[^/]+'
          : part === '*'
            ? '.*'
            : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    return new RegExp(`^${pattern}$`).test(bare);
  });
}

async function inBatches<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** A JSON value made from a JSON Schema, with the payloads in every free string. */
function sampleOf(schema: Record<string, unknown>, depth = 0): unknown {
  if (depth > 6) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key] as Record<string, unknown>[] | undefined;
    if (options?.length) {
      const first = options.find((o) => o.type !== 'null') ?? options[0]!;
      return sampleOf(first, depth + 1);
    }
  }
  const type = [schema.type].flat()[0];
  switch (type) {
    case 'string': {
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'uuid') return DUMMY.id;
      if (schema.format === 'date') return new Date().toISOString().slice(0, 10);
      if (schema.format === 'date-time') return new Date().toISOString();
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
      return PAYLOAD.slice(0, max);
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? Math.max(schema.minimum, 1) : 100;
    case 'boolean':
      return false;
    case 'array':
      return [sampleOf((schema.items as Record<string, unknown>) ?? {}, depth + 1)];
    case 'object':
    default: {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      const value: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(properties))
        value[name] = sampleOf(property, depth + 1);
      // Free-form objects (answers, metadata, personalisation) get a payload under a payload key.
      if (!schema.properties && (type === 'object' || schema.additionalProperties))
        value[`${MARK}<b>{{7*7}}`] = PAYLOAD;
      return value;
    }
  }
}

async function tableNames(): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(
    app.platform.database.db,
  );
  return rows.rows.map((r) => r.name);
}

const count = async (table: string) =>
  Number(
    (
      await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
        app.platform.database.db,
      )
    ).rows[0]!.n,
  );

sweep('injection payloads through every form and API', () => {
  it('are rendered inert everywhere and stored only as the literal text', async () => {
    const tablesBefore = await tableNames();
    const usersBefore = await count('users');
    const organisationsBefore = await count('organisations');

    // 1. Every page a person may open, as the first person let in: the forms on it.
    const pages: { path: string; who: Person }[] = [];
    for (const route of routeTable) {
      const [method, url] = route.split(' ') as [string, string];
      const entry = AUTHORISATION_MATRIX[route];
      if (method !== 'GET' || !entry || isApiRoute(url) || url.startsWith('/oidc')) continue;
      const who =
        PEOPLE.find((p) => p !== 'anonymous' && entry.allow.includes(p)) ??
        (entry.allow.includes('anonymous') ? 'anonymous' : undefined);
      if (!who) continue;
      const { path, real } = pathOf(url, entry, sessions.ids);
      if (real) pages.push({ path, who });
    }
    const forms = new Map<string, { form: Form; who: Person; page: string }>();
    await inBatches(pages, async ({ path, who }) => {
      const answer = await send('GET', path, { cookie: sessions.cookies.get(who)! });
      if (answer.status !== 200 || !String(answer.headers['content-type']).includes('html')) return;
      for (const form of formsOn(answer.body, path)) {
        const route = routeOf('POST', form.action);
        if (!route || forms.has(route) || form.multipart) continue;
        if (SESSION_ENDING.some((p) => p.test(form.action.split('?')[0]!))) continue;
        forms.set(route, { form, who, page: path });
      }
    });

    // 2. Each form sent back with the payloads in every text field (what is echoed with errors),
    // then, if refused, with plausible values in the typed fields (what is stored); the page each
    // leads to is checked too, and forms on it not yet seen are sent in the next round.
    const failures: string[] = [];
    const sent = new Set<string>();
    let round = [...forms];
    for (let depth = 0; depth < 3 && round.length > 0; depth++) {
      const next: typeof round = [];
      const submit = async (
        route: string,
        { form, who, page }: { form: Form; who: Person; page: string },
        fields: [string, string][],
      ) => {
        const cookie = sessions.cookies.get(who)!;
        const answer = await send(
          'POST',
          form.action,
          { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          new URLSearchParams(fields).toString(),
        );
        const problem = problemWith(answer);
        if (problem) failures.push(`${route} (form on ${page}, as ${who}): ${problem}`);
        const location = String(answer.headers.location ?? '');
        if (answer.status === 303 && location.startsWith('/')) {
          const after = await send('GET', location, { cookie });
          const bad = problemWith(after);
          if (bad) failures.push(`${route} → ${location}: ${bad}`);
          if (after.status === 200)
            for (const found of formsOn(after.body, location.split('#')[0]!)) {
              const r = routeOf('POST', found.action);
              if (!r || forms.has(r) || found.multipart) continue;
              if (SESSION_ENDING.some((p) => p.test(found.action.split('?')[0]!))) continue;
              forms.set(r, { form: found, who, page: location });
              next.push([r, { form: found, who, page: location }]);
            }
        }
        return answer;
      };
      await inBatches(
        round.filter(([route, { form }]) => form.texts.length > 0 && !sent.has(route)),
        async ([route, found]) => {
          sent.add(route);
          const first = await submit(route, found, found.form.fields);
          if (first.status === 303 || Object.keys(found.form.plausible).length === 0) return;
          await submit(
            route,
            found,
            found.form.fields.map(([name, value]) => [name, found.form.plausible[name] ?? value]),
          );
        },
      );
      round = next;
    }
    const withText = [...forms].filter(([, { form }]) => form.texts.length > 0);

    // 3. Every JSON API body in the OpenAPI document, under a key the matrix lets in.
    const document = JSON.parse((await send('GET', '/api/openapi.json', {})).body) as {
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> } }
        >
      >;
    };
    const apis: string[] = [];
    for (const [openPath, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue;
        const route = `${method.toUpperCase()} ${openPath.replace(/\{(\w+)\}/g, ':$1')}`;
        const entry = AUTHORISATION_MATRIX[route];
        const kind = entry?.allow.find((k): k is KeyKind => KEY_KINDS.includes(k as KeyKind));
        if (!entry || !kind) continue;
        apis.push(route);
        const { path } = pathOf(route.split(' ')[1]!, entry, sessions.ids);
        const answer = await send(
          method.toUpperCase(),
          path,
          {
            ...sessions.keys.get(kind)!(),
            'content-type': 'application/json',
            'idempotency-key': `injection-${apis.length}`,
          },
          JSON.stringify(sampleOf(schema)),
        );
        const problem = problemWith(answer);
        if (problem) failures.push(`${route} (API as ${kind}): ${problem}`);
        if (!String(answer.headers['content-type'] ?? '').includes('json') && answer.body)
          failures.push(`${route}: answered ${String(answer.headers['content-type'])}, not JSON`);
      }
    }

    // 4. The database: the same tables and people; the payloads, wherever kept, kept literally.
    const db = app.platform.database.db;
    const stored: string[] = [];
    for (const table of tablesBefore) {
      const rows = await sql<{ row: string }>`
        select t::text as row from ${sql.table(table)} t where t::text like ${`%${MARK}%`}`.execute(
        db,
      );
      for (const { row } of rows.rows) stored.push(`${table}: ${row}`);
    }

    // What was covered, for the record in docs/security/asvs.md; most forms must be reached.
    const posts = routeTable.filter((r) => r.startsWith('POST ') && !isApiRoute(r.slice(5)));
    const notReached = posts.filter((r) => !forms.has(r));
    console.info(
      `Injection sweep: ${pages.length} pages, ${forms.size} of ${posts.length} form routes ` +
        `(${withText.length} with text fields), ${apis.length} JSON APIs, ${stored.length} rows ` +
        `holding payloads (${[...new Set(stored.map((r) => r.split(':')[0]))].join(', ')}). Not reached (${NOT_REACHED_WHY.replace(/\s+/g, ' ')}):\n  ${notReached.join('\n  ')}`,
    );
    expect(failures.sort()).toEqual([]);
    expect(await tableNames()).toEqual(tablesBefore);
    expect(await count('users')).toBe(usersBefore);
    expect(await count('organisations')).toBe(organisationsBefore);
    const altered = stored.filter(
      (row) => row.includes(`${MARK}49`) || row.includes(`${MARK}EVAL`),
    );
    expect(altered, 'payloads the database holds evaluated').toEqual([]);
    // Kept as typed: the SQL payload's quote and the markup are not escaped or stripped on the way in.
    const literal = stored.filter(
      (row) =>
        row.includes(`${MARK}'); DROP TABLE users; --`) &&
        row.includes('<script>alert(1)</script>'),
    );
    expect(literal.length, 'rows holding the payloads as typed').toBeGreaterThanOrEqual(6);

    // Measured 2026-11-26: 65 form routes (47 with text fields) and 9 JSON APIs; the rest are
    // behind records the matrix has no real one of (docs/security/asvs.md, 5.3.x).
    expect(forms.size).toBeGreaterThanOrEqual(60);
    expect(apis.length).toBeGreaterThanOrEqual(8);
  }, 90_000);
});
