import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, unescapeHtml, type TestApp } from '../helpers/app.js';
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
import { makeSweepRecords } from './sweep-records/index.js';

/**
 * Injection everywhere (issue 14, part 1): every form the app shows and every API input it
 * publishes, driven from the route table and the authorisation matrix rather than a list kept by
 * hand. Each page any role may open is asked for as the first person allowed, and every page of
 * the app its links lead to is opened as the same person (so the records the demo holds, and those
 * the sweep's own forms make, are reached through the pages that show them); the messages the
 * forms send are delivered to the development mailbox and their links (one-time tokens) followed.
 * Every form that posts to one of the app's routes is sent back with SQL, HTML and script,
 * template (`{{7*7}}`, `{% %}`, `${}`), header (CRLF) and path-traversal payloads in every text
 * field. Every JSON API whose OpenAPI document gives a request body is sent a body made from that
 * schema with the payloads in every string, under a key the matrix lets in, and every operation
 * gets the payloads in each path and query parameter; Open311's form-encoded reports too.
 *
 * Every answer, the page a form's redirect leads to, and every page opened (again, at the end)
 * must show the payloads inert: no markup of ours unescaped, templates never evaluated, no header
 * made from them, no file read, no server error. Then the database must hold the same tables and
 * people, and wherever it holds a payload it holds the literal text. A form or API route not
 * reached fails the test unless `UNREACHABLE_FORMS` or `UNREACHABLE_APIS` says why.
 *
 * Records the demo does not hold (a tender past its deadline, a referral waiting, a second factor
 * half set up …) are made first by the makers in ./sweep-records, which name the pages that show
 * their forms; those pages are opened first.
 *
 * The payloads are batched into one string a field, pages and forms are taken one at a time
 * over one set of sessions and one seeded database, so the sweep takes about 35 seconds (measured
 * 2026-11-27: 242 of 252 form routes, 940 pages, 383 forms sent, 35 to 44 s on PGlite). It runs
 * in the PGlite pass only (see the note at the `describe` below).
 */
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
/**
 * The payloads for a path parameter: all of them, over Fastify's default `maxParamLength` (100).
 * The router takes up to `MAX_PARAM_LENGTH` (512); a longer one is its refusal, answered through
 * the app's hooks and error handler (test/security/framework-errors.test.ts), not Fastify's 414.
 */
const IN_PATH = `${PAYLOAD} ${MARK}`;
/**
 * The payloads short enough for a field with a length limit (most are 100 to 200 characters):
 * sent, with plausible values in the typed fields, when the long ones were refused, so that the
 * text is stored and shown again.
 */
const SHORT = `${MARK}'); DROP TABLE users; --<script>alert(1)</script>${MARK}{{7*7}}../../etc/passwd`;

/** Pages whose forms must not be sent: they end the sessions the sweep goes on using. */
const SESSION_ENDING = [
  /^\/sign-out$/,
  /^\/agents\/(act|stop)/,
  /^\/account\/(delete|close)/,
  /\/sign-out$/,
];

const routeTable: string[] = [];
let app: TestApp;
let sessions: MatrixSessions;
/**
 * Requests one at a time: the app answers in this process, so a few at once gain little, and one
 * at a time keeps the order of the crawl and of the forms sent the same in every run (a form
 * often needs the one before it: a complaint clarified before it is answered).
 */
const CONCURRENCY = 1;

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
  // Templates never evaluated and no file read, whatever the answer's type.
  for (const live of [`${MARK}49`, `${MARK}EVAL`, 'root:x:0:0']) {
    if (body.includes(live)) return `shows ${live} live`;
  }
  // Markup is live only in a page. JSON, CSV and the like may hold the text as typed (an API
  // echoing a field, a person's own data), so long as no browser can take them for a page.
  const type = String(answer.headers['content-type'] ?? '');
  const page = type === '' || /html|xml/.test(type);
  if (!page && body && answer.headers['x-content-type-options'] !== 'nosniff')
    return `a ${type} answer a browser may sniff as a page (no X-Content-Type-Options: nosniff)`;
  for (const live of ['<script>alert(1)', '<img src=x onerror', '<svg onload']) {
    if (page && body.includes(live)) return `shows ${live} live`;
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
  /** A search or a choice (GET), opened as a page; or a change (POST), sent. */
  method: 'GET' | 'POST';
  action: string;
  fields: [string, string][];
  texts: string[];
  /**
   * Each text field's second value: a plausible one where it must look like something (an
   * e-mail, a date part), else the short payloads.
   */
  plausible: Record<string, string>;
  multipart: boolean;
}

const attr = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return match ? unescapeHtml(match[1]!) : undefined;
};

const TEXT_TYPES = new Set(['text', 'email', 'tel', 'search', 'url', 'number', 'date', '']);

/** A value a typed field would accept, so that the free-text fields beside it get stored. */
function plausibleValue(name: string, type: string, inputmode: string | undefined) {
  const n = name.toLowerCase();
  if (type === 'email' || n.includes('email')) return 'someone@example.com';
  if (type === 'tel' || /phone|mobile/.test(n)) return '07700900123';
  if (n.includes('postcode')) return 'GL5 4UB';
  // A date: of birth, long ago; a start, today; any other (an end, a due date), in a month.
  const date = /birth|dob/.test(n)
    ? new Date('1980-06-15T12:00:00Z')
    : new Date(Date.now() + (/open|start|from|begin/.test(n) ? 0 : 30) * 86_400_000);
  if (/day\]?$/.test(n)) return String(date.getUTCDate());
  if (/month\]?$/.test(n)) return String(date.getUTCMonth() + 1);
  if (/year\]?$/.test(n)) return String(date.getUTCFullYear());
  if (type === 'url' || /url|website/.test(n)) return 'https://example.com/';
  if (type === 'number' || inputmode === 'numeric' || inputmode === 'decimal') return '10';
  if (/amount|price|fee|pounds|quantity|count|number|hours|minutes/.test(n)) return '10';
  if (type === 'date') return date.toISOString().slice(0, 10);
  return undefined;
}

/** The forms on a page, each filled with the payloads in every text field. */
function formsOn(html: string, pagePath: string): Form[] {
  const forms: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, open, inner] = match as unknown as [string, string, string];
    const method = (attr(open, 'method') ?? 'get').toLowerCase() === 'post' ? 'POST' : 'GET';
    const action = new URL(attr(open, 'action') ?? pagePath, 'http://x' + pagePath);
    const form: Form = {
      method,
      action: method === 'GET' ? action.pathname : action.pathname + action.search,
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
        form.plausible[name] = `${SHORT}\r\nX-Injected: 1`;
      } else if (kind === 'select') {
        // The first choice, or Stroud where Stroud is a choice: the matrix's staff are Stroud's.
        const select = inner.slice(inner.indexOf(tag));
        const options = [
          ...select
            .slice(0, select.indexOf('</select>'))
            .matchAll(/<option\b[^>]*value="([^"]+)"[^>]*>([^<]*)/gi),
        ];
        const option = options.find((o) => /stroud/i.test(o[0])) ?? options[0];
        if (option) form.fields.push([name, unescapeHtml(option[1]!)]);
      } else if (type === 'hidden' || type === 'submit') {
        const value = attr(tag, 'value');
        if (value !== undefined && type === 'hidden') form.fields.push([name, value]);
      } else if (type === 'radio' || type === 'checkbox') {
        // The first choice of each question, as a person answering would; of days (a booking's),
        // the last offered, so what is booked is far enough ahead to be cancelled whatever the
        // time the sweep runs.
        const value = attr(tag, 'value') ?? 'on';
        if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
          const index = form.fields.findIndex(([field]) => field === name);
          if (index >= 0) form.fields[index] = [name, value];
          else form.fields.push([name, value]);
          continue;
        }
        if (chosen.has(name)) continue;
        chosen.add(name);
        form.fields.push([name, value]);
      } else if (TEXT_TYPES.has(type)) {
        form.fields.push([name, PAYLOAD]);
        form.texts.push(name);
        form.plausible[name] = plausibleValue(name, type, attr(tag, 'inputmode')) ?? SHORT;
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
  // As the router chooses: of the routes matching, the one with the fewest parameters (a static
  // part beats a parameter: `/rules/staff/:id/automatic-decisions` over `/rules/staff/:id/:purpose`).
  const matching = candidates.filter((r) => {
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
  const parameters = (r: string) => (r.match(/\/(:|\*)/g) ?? []).length;
  return matching.sort((a, b) => parameters(a) - parameters(b))[0];
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

/**
 * Who opens a page: a person of the matrix; the payer, a browser signed out holding the cookie
 * a payment's one-time `next_url` gives; or a session a record maker signed in itself, by name.
 */
type Who = Person | 'payer' | `maker:${string}`;

/** A page to open, as whom; `again` opens it even if it was opened before (a redirect's target). */
interface Page {
  path: string;
  who: Who;
  again?: boolean;
}

const STAFF_PEOPLE: Who[] = ['caseworker', 'otherCaseworker', 'adviser', 'serviceOwner', 'admin'];

/** Rounds of forms sent, each with the forms the pages after the last round showed. */
const ROUNDS = 8;
/** At most this many forms (different actions) of one route are sent: a journey's pages. */
const FORMS_PER_ROUTE = 10;
/**
 * Forms without a text field are sent too, as a person going on through a journey would (a
 * choice, "Continue", "Submit"), but not those that end, remove or take away something the sweep
 * goes on using (a session, a key, a record other forms are sent about), or change how a person
 * signs in. They have no text to carry a payload; they are reached all the same.
 */
const NOT_SENT_WITHOUT_TEXT =
  /(sign-out|delete|remove|revoke|withdraw|cancel|stop|\/end$|lift|retire|decline|reject|close|\/act$|assist|sensitive|break-glass|second-factor|keep-alive|secrets|retry|sign-out-everywhere|unsubscribe|consent-withdrawn|withhold)/;

/** Links the crawl does not follow: files rather than pages, the language switch, OIDC's own. */
const NOT_CRAWLED = [
  /\.(csv|json|pdf|ics|xml|txt|css|js|png|svg)$/,
  /\/(attachments|files|documents|tender-documents)\/[^/]+$/,
  /^\/oidc\//,
  /\/pdf$/,
  /^\/(assets|public)\//,
  /[?&]lang=/,
];
/**
 * At most this many paths of one route are opened by following links (a record's page, and a few
 * others like it), so a long list of records costs a few requests, not one each. The messages in
 * the development mailbox are each opened: their links carry the one-time tokens.
 */
const visitsAllowed = (route: string) => (route.startsWith('GET /dev/mailbox/') ? 80 : 4);

/** The links on a page to the app's own pages (the mailbox's links name the site in full). */
function linksOn(html: string, pagePath: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/<a\b[^>]*?\shref="([^"#][^"]*)"/gi)) {
    let url: URL;
    try {
      url = new URL(unescapeHtml(match[1]!), 'http://x' + pagePath);
    } catch {
      continue;
    }
    if (url.hostname !== 'x' && !['localhost', '127.0.0.1'].includes(url.hostname)) continue;
    const path = url.pathname + url.search;
    if (!NOT_CRAWLED.some((p) => p.test(url.pathname) || p.test(path))) links.push(path);
  }
  return links;
}

/** A multipart body with the form's text fields and no file (the refusal echoes the text). */
function multipart(fields: [string, string][]): { body: string; type: string } {
  const boundary = `----injection${MARK}boundary`;
  const body =
    fields
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      )
      .join('') + `--${boundary}--\r\n`;
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * The form routes the sweep cannot reach, and why. The test fails if any other form route is not
 * reached, and if one of these is reached after all (then take it off this list).
 */
const UNREACHABLE_FORMS: Record<string, string> = {
  ...because(
    'ends or changes the session the sweep goes on using (left out on purpose; no text field)',
    ['/sign-out', '/account/delete', '/agents/act', '/agents/stop'],
  ),
  ...because("called by the time-out warning's script, not a form; it takes no input", [
    '/session/keep-alive',
  ]),
  ...because(
    "the OpenID provider's own endpoints and its sign-in interaction, reached only from a " +
      "relying party's authorisation request (test/integration/oidc-relying-party.integration.test.ts)",
    ['/oidc/*', '/oidc/interaction/:uid'],
  ),
  ...because(
    'the second button of another form (a `formaction`), not a form of its own: the sweep sends ' +
      'each form by its own action',
    [
      '/forms/staff/:key/preview',
      '/services/:slug/apply/save',
      '/services/:slug/apply/:pageId/remove-file',
    ],
  ),
};

/** The API routes with input (a body, or parameters) it cannot send payloads to, and why. */
const UNREACHABLE_APIS: Record<string, string> = {
  ...because(
    'a multipart file upload (src/modules/attachments/attachments.integration.test.ts)',
    ['POST /api/v1/attachments'],
    '',
  ),
  ...because(
    "a delivery provider's status callback: it needs the provider's secret, which no key of " +
      'the matrix is (src/modules/notify/api/provider-status.integration.test.ts)',
    ['POST /api/v1/providers/sms/status', 'POST /api/v1/providers/email/status'],
    '',
  ),
};

/** Entries of an allow-list: each route (POST unless it names its method) for the one reason. */
function because(reason: string, routes: string[], method = 'POST '): Record<string, string> {
  return Object.fromEntries(routes.map((route) => [`${method}${route}`, reason]));
}

// The PGlite pass only: every query is parameterised by Kysely on both databases, so the sweep
// proves the same thing twice, and CI has no time to spare (as test/security/fuzz.test.ts).
describe.skipIf(Boolean(process.env.DATABASE_URL))(
  'injection payloads through every form and API',
  () => {
    it('are rendered inert everywhere and stored only as the literal text', async () => {
      const tablesBefore = await tableNames();
      const usersBefore = await count('users');
      const organisationsBefore = await count('organisations');
      const failures: string[] = [];

      // 1. Every JSON API body in the OpenAPI document, under a key the matrix lets in, at a path
      // naming real records where the matrix has them; then every operation again with the payloads
      // in each of its path and query parameters. Open311's form-encoded reports too.
      // First, so that what they store is on the pages the crawl opens, and before any form can
      // revoke the keys they use.
      const document = JSON.parse((await send('GET', '/api/openapi.json', {})).body) as {
        paths: Record<
          string,
          Record<
            string,
            {
              parameters?: { name: string; in: string }[];
              requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
            }
          >
        >;
      };
      const apis = new Set<string>();
      let calls = 0;
      const keyFor = (route: string) => {
        const entry = AUTHORISATION_MATRIX[route];
        const kind = entry?.allow.find((k): k is KeyKind => KEY_KINDS.includes(k as KeyKind));
        return entry && kind ? { entry, kind } : undefined;
      };
      const callApi = async (route: string, kind: KeyKind, path: string, body?: string) => {
        const method = route.split(' ')[0]!;
        const answer = await send(
          method,
          path,
          {
            ...sessions.keys.get(kind)!(),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            'idempotency-key': `injection-${++calls}`,
          },
          body,
        );
        apis.add(route);
        const problem = problemWith(answer);
        if (problem) failures.push(`${route} (API as ${kind}, ${path}): ${problem}`);
        const type = String(answer.headers['content-type'] ?? '');
        if (!type.includes('json') && !path.includes('.xml') && answer.body)
          failures.push(`${route} (${path}): answered ${type}, not JSON`);
      };
      for (const [openPath, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const route = `${method.toUpperCase()} ${openPath.replace(/\{(\w+)\}/g, ':$1')}`;
          const allowed = keyFor(route);
          if (!allowed) continue;
          const schema = operation.requestBody?.content?.['application/json']?.schema;
          const body = schema ? JSON.stringify(sampleOf(schema)) : undefined;
          if (schema) {
            const { path } = pathOf(route.split(' ')[1]!, allowed.entry, sessions.ids);
            await callApi(route, allowed.kind, path, body);
          }
          const parameters = operation.parameters ?? [];
          if (!parameters.some((p) => p.in === 'path' || p.in === 'query')) continue;
          const query = parameters
            .filter((p) => p.in === 'query')
            .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(PAYLOAD)}`)
            .join('&');
          const path =
            openPath.replace(/\{\w+\}/g, encodeURIComponent(IN_PATH)) + (query ? `?${query}` : '');
          await callApi(route, allowed.kind, path, body);
        }
      }
      // The APIs the document does not describe (Notify's and Pay's, compatible with GOV.UK's, and
      // Open311's reads): the payloads in each path parameter, and a body of the fields they take.
      const described = new Set(apis);
      for (const route of routeTable) {
        const [method, url] = route.split(' ') as [string, string];
        const allowed = keyFor(route);
        if (!allowed || described.has(route) || !isApiRoute(url)) continue;
        if (method === 'GET' && !url.includes(':')) continue;
        if (route in UNREACHABLE_APIS || route === 'POST /open311/v2/requests.json') continue;
        if (route === 'POST /open311/v2/requests.xml') continue;
        const path = url.replace(/:(\w+)/g, encodeURIComponent(IN_PATH));
        const body =
          method === 'GET'
            ? undefined
            : JSON.stringify({
                template_id: DUMMY.id,
                email_address: 'someone@example.com',
                phone_number: '07700900123',
                personalisation: { name: PAYLOAD, [`${MARK}<b>{{7*7}}`]: PAYLOAD },
                reference: PAYLOAD,
                amount: 100,
                description: PAYLOAD,
                return_url: 'https://example.com/return',
              });
        await callApi(route, allowed.kind, path, body);
      }
      const open311Key = sessions.keys.get('open311Key')!().authorization!.replace('Bearer ', '');
      for (const format of ['json', 'xml']) {
        const route = `POST /open311/v2/requests.${format}`;
        const answer = await send(
          'POST',
          `/open311/v2/requests.${format}`,
          { 'content-type': 'application/x-www-form-urlencoded' },
          new URLSearchParams({
            api_key: open311Key,
            service_code: 'report-a-pothole',
            lat: '51.733388',
            long: '-2.215615',
            'attribute[surface]': 'road',
            'attribute[size]': 'plate',
            'attribute[deep]': 'yes',
            description: MULTILINE,
            email: 'someone@example.com',
            first_name: PAYLOAD.slice(0, 100),
            last_name: PAYLOAD.slice(0, 100),
            address_string: PAYLOAD,
            media_url: 'https://example.com/../../../../etc/passwd',
          }).toString(),
        );
        apis.add(route);
        const problem = problemWith(answer);
        if (problem) failures.push(`${route} (Open311 report): ${problem}`);
      }

      // A payment made through the Pay API, its one-time next_url followed signed out: the card
      // and confirmation pages are the payer's, with the cookie that link gives.
      const payment = await send(
        'POST',
        '/v1/payments',
        { ...sessions.keys.get('payKey')!(), 'content-type': 'application/json' },
        JSON.stringify({
          amount: 1450,
          description: PAYLOAD.slice(0, 255),
          reference: PAYLOAD.slice(0, 255),
          return_url: 'https://example.com/return',
        }),
      );
      const nextUrl = (JSON.parse(payment.body) as { _links?: { next_url?: { href: string } } })
        ._links?.next_url?.href;
      let payerCookie = sessions.cookies.get('anonymous')!;
      const payerStart: Page[] = [];
      if (nextUrl) {
        const followed = await send('GET', new URL(nextUrl).pathname, { cookie: payerCookie });
        for (const cookie of [followed.headers['set-cookie'] ?? []].flat())
          payerCookie += `; ${String(cookie).split(';')[0]}`;
        const location = String(followed.headers.location ?? '');
        if (location.startsWith('/'))
          payerStart.push({ path: location, who: 'payer', again: true });
      }
      const makerCookies = new Map<Who, string>();
      const cookieOf = (who: Who) =>
        who === 'payer'
          ? payerCookie
          : (makerCookies.get(who) ?? sessions.cookies.get(who as Person)!);

      // 2. Every page a person may open, as the first person let in, and every page of the app its
      // links lead to (so records the demo holds are reached through the lists that show them).
      const seeds: Page[] = [];
      for (const route of routeTable) {
        const [method, url] = route.split(' ') as [string, string];
        const entry = AUTHORISATION_MATRIX[route];
        if (method !== 'GET' || !entry || isApiRoute(url) || url.startsWith('/oidc')) continue;
        const who =
          PEOPLE.find((p) => p !== 'anonymous' && entry.allow.includes(p)) ??
          (entry.allow.includes('anonymous') ? 'anonymous' : undefined);
        if (!who) continue;
        const { path, real } = pathOf(url, entry, sessions.ids);
        if (real) seeds.push({ path, who, again: true });
      }
      // Records in states the demo does not hold, and the pages that show their forms. The people
      // the makers sign up are theirs (checked below as made by them, not by a payload).
      const usersBeforeMakers = await count('users');
      for (const { path, who } of await makeSweepRecords(app, sessions)) {
        const as: Who = typeof who === 'string' ? who : `maker:${who.name}`;
        if (typeof who !== 'string') makerCookies.set(as, who.cookie);
        seeds.push({ path, who: as, again: true });
      }
      const usersMade = (await count('users')) - usersBeforeMakers;
      /** The forms found, by action, and how many of each route. */
      const forms = new Map<string, { route: string; form: Form; who: Who; page: string }>();
      const formsOf = new Map<string, number>();
      const opened = new Map<string, Who>();
      const visits = new Map<string, number>();

      /** Notes the forms on a page; gives the pages its links lead to. */
      const harvest = (html: string, path: string, who: Who): Page[] => {
        const pages: Page[] = [];
        for (const form of formsOn(html, path)) {
          if (form.method === 'GET') {
            // A search or a choice: opened with the payloads in its text fields (reflected), and
            // with plausible values in the typed ones (to go on to the page it leads to).
            for (const fields of [
              form.fields,
              form.fields.map(([name, value]): [string, string] => [
                name,
                form.plausible[name] ?? value,
              ]),
            ])
              pages.push({ path: `${form.action}?${new URLSearchParams(fields).toString()}`, who });
            continue;
          }
          const route = routeOf('POST', form.action);
          // Each action once (a journey's pages share a route), a few of one route at most.
          if (!route || forms.has(form.action)) continue;
          if ((formsOf.get(route) ?? 0) >= FORMS_PER_ROUTE) continue;
          if (SESSION_ENDING.some((p) => p.test(form.action.split('?')[0]!))) continue;
          formsOf.set(route, (formsOf.get(route) ?? 0) + 1);
          forms.set(form.action, { route, form, who, page: path });
        }
        for (const link of linksOn(html, path))
          pages.push({
            path: link,
            // A message's link is for whoever it was sent to: opened signed out (a token's page).
            who: path.startsWith('/dev/mailbox/') ? 'anonymous' : who,
          });
        return pages;
      };
      const open = async ({ path, who, again }: Page): Promise<Page[]> => {
        const route = routeOf('GET', path);
        if (!route || isApiRoute(path) || (opened.has(path) && !again)) return [];
        if (!again && (visits.get(route) ?? 0) >= visitsAllowed(route)) return [];
        // Pages a form led to, or a maker named, are always opened and leave the crawl its own
        // few of each route (the records the payloads made are found by the crawl).
        if (!again) visits.set(route, (visits.get(route) ?? 0) + 1);
        opened.set(path, who);
        const answer = await send('GET', path, { cookie: cookieOf(who) });
        const problem = problemWith(answer);
        if (problem) failures.push(`GET ${path} (as ${who}): ${problem}`);
        // A page that sends on elsewhere (a journey's start to its first question …): followed.
        const location = String(answer.headers.location ?? '');
        if (
          [302, 303].includes(answer.status) &&
          location.startsWith('/') &&
          !/^\/sign-in/.test(location)
        )
          return [{ path: location.split('#')[0]!, who }];
        if (answer.status !== 200 || !String(answer.headers['content-type']).includes('html'))
          return [];
        return harvest(answer.body, path, who);
      };
      /** Opens the pages, and the pages their links lead to, in the order found. */
      const crawl = async (start: Page[]) => {
        const queue = [...start];
        let active = 0;
        await new Promise<void>((resolve, reject) => {
          const pump = () => {
            if (queue.length === 0 && active === 0) return resolve();
            while (active < CONCURRENCY && queue.length > 0) {
              active++;
              open(queue.shift()!).then((more) => {
                queue.push(...more);
                active--;
                pump();
              }, reject);
            }
          };
          pump();
        });
      };
      await crawl([...seeds, ...payerStart]);

      // 3. Each form sent back with the payloads in every text field (what is echoed with errors),
      // then, if refused, with plausible values in the typed fields (what is stored); the page each
      // leads to is checked, and its forms and links join the next round. After the first round the
      // messages sent are delivered to the development mailbox, whose links (with their one-time
      // tokens) are followed as the person signed out they were sent to.
      const sent = new Set<string>();
      for (let round = 0; round < ROUNDS; round++) {
        const unsent = [...forms.values()].filter(
          ({ form }) =>
            !sent.has(form.action) &&
            (form.texts.length > 0 || !NOT_SENT_WITHOUT_TEXT.test(form.action.split('?')[0]!)),
        );
        if (unsent.length === 0) break;
        const next: Page[] = [];
        const submit = async (
          { route, form, who, page }: { route: string; form: Form; who: Who; page: string },
          fields: [string, string][],
        ) => {
          const cookie = cookieOf(who);
          const { body, type } = form.multipart
            ? multipart(fields)
            : {
                body: new URLSearchParams(fields).toString(),
                type: 'application/x-www-form-urlencoded',
              };
          const answer = await send('POST', form.action, { cookie, 'content-type': type }, body);
          const problem = problemWith(answer);
          if (problem) failures.push(`${route} (form on ${page}, as ${who}): ${problem}`);
          const location = String(answer.headers.location ?? '');
          // The page it leads to: checked, and its forms and links taken, in the crawl below.
          if (answer.status === 303 && location.startsWith('/'))
            next.push({ path: location.split('#')[0]!, who, again: true });
          // A page the answer is itself ("Check your request"): its forms and links taken now.
          if (answer.status === 200 && String(answer.headers['content-type']).includes('html'))
            next.push(...harvest(answer.body, form.action.split('?')[0]!, who));
          return answer;
        };
        await inBatches(unsent, async (found) => {
          sent.add(found.form.action);
          const first = await submit(found, found.form.fields);
          if (first.status === 303 || found.form.texts.length === 0) return;
          // Staff look people up by e-mail: the demo citizen is one they can find.
          const email = STAFF_PEOPLE.includes(found.who) ? 'citizen@example.com' : undefined;
          await submit(
            found,
            found.form.fields.map(([name, value]) => {
              const plausible = found.form.plausible[name] ?? value;
              return [name, email && plausible === 'someone@example.com' ? email : plausible];
            }),
          );
        });
        if (round < 2) {
          // The lists again, now showing the records the forms made (a complaint, a case plan …).
          next.push(...seeds);
          await app.platform.worker.drain();
          next.push({ path: '/dev/mailbox', who: 'admin', again: true });
        }
        await crawl(next);
      }

      // 4. Every page opened, opened again now the payloads are stored: nothing of them live.
      await inBatches([...opened], async ([path, who]) => {
        const answer = await send('GET', path, { cookie: cookieOf(who) });
        const problem = problemWith(answer);
        if (problem) failures.push(`GET ${path} (as ${who}, after the sweep): ${problem}`);
      });

      // 5. The database: the same tables and people; the payloads, wherever kept, kept literally.
      const db = app.platform.database.db;
      const stored: string[] = [];
      for (const table of tablesBefore) {
        const rows = await sql<{ row: string }>`
        select t::text as row from ${sql.table(table)} t where t::text like ${`%${MARK}%`}`.execute(
          db,
        );
        for (const { row } of rows.rows) stored.push(`${table}: ${row}`);
      }

      // 6. Coverage: every form route and every API route taking input is reached, but those the
      // allow-lists above name (and say why).
      const posts = routeTable.filter((r) => r.startsWith('POST ') && !isApiRoute(r.slice(5)));
      const reached = new Set([...forms.values()].map((f) => f.route));
      const notReached = posts.filter((r) => !reached.has(r));
      const apiInputs = routeTable.filter((r) => {
        const [method, url] = r.split(' ') as [string, string];
        return isApiRoute(url) && (method !== 'GET' || url.includes(':'));
      });
      const apisNotReached = apiInputs.filter((r) => !apis.has(r));
      const withText = new Set(
        [...forms.values()].filter(({ form }) => form.texts.length > 0).map((f) => f.route),
      );
      const tables = [...new Set(stored.map((r) => r.split(':')[0]))];
      console.info(
        `Injection sweep: ${opened.size} pages, ${reached.size} of ${posts.length} form routes ` +
          `(${withText.size} with text fields; ${sent.size} forms sent), ` +
          `${apiInputs.length - apisNotReached.length} of ${apiInputs.length} API routes taking ` +
          `input (${apis.size} API routes in all), ${stored.length} rows holding payloads ` +
          `(${tables.join(', ')}).\n  Forms not reached:\n    ${notReached.join('\n    ')}` +
          `\n  APIs not reached:\n    ${apisNotReached.join('\n    ')}`,
      );
      expect(failures.sort()).toEqual([]);
      expect(await tableNames()).toEqual(tablesBefore);
      expect(await count('users')).toBe(usersBefore + usersMade);
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

      expect(
        notReached.filter((r) => !(r in UNREACHABLE_FORMS)),
        'form routes the sweep did not reach (reach them, or say why in UNREACHABLE_FORMS)',
      ).toEqual([]);
      // A listed route reached after all is not a failure (the order a crawl finds records in may
      // vary); one that is no longer a route is.
      expect(
        Object.keys(UNREACHABLE_FORMS).filter((r) => !posts.includes(r)),
        'routes in UNREACHABLE_FORMS that are no longer routes',
      ).toEqual([]);
      expect(
        apisNotReached.filter((r) => !(r in UNREACHABLE_APIS)),
        'API routes the sweep did not reach (reach them, or say why in UNREACHABLE_APIS)',
      ).toEqual([]);
      expect(
        Object.keys(UNREACHABLE_APIS).filter((r) => !apiInputs.includes(r)),
        'routes in UNREACHABLE_APIS that are no longer routes',
      ).toEqual([]);
      // About a minute alone; beside the rest of the suite on a busy two-CPU machine it has taken
      // over two. The limit is for a sweep that hangs, not a measure of speed.
    }, 300_000);
  },
);
