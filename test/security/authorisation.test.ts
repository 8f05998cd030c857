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
  type RealIds,
} from './authorisation-matrix.js';
import { pathOf, routeCollector, signInTheMatrix, type MatrixSessions } from './matrix-sessions.js';

/**
 * The authorisation matrix (issue 14, part 1, gap 6 of docs/security/asvs.md): every route of
 * the running app, as every kind of person and every kind of API key, against the expected
 * allow or deny written in `authorisation-matrix.ts`. The route table is read from the app itself,
 * so a new route without an entry there fails here, as does an entry whose route has gone.
 *
 * Pages are asked for (GET) as every person; forms and APIs that change things (POST, PUT, DELETE)
 * are sent only as those who must be refused, and the database must hold the same rows after.
 *
 * Authorisation is decided in code, the same on both databases, so only the PGlite pass runs it.
 */
const matrix = describe.skipIf(Boolean(process.env.DATABASE_URL));

/** Requests in flight at once: enough to overlap rendering and the database, few enough for 2 CPUs. */
const CONCURRENCY = 8;

/** Tables that a refused request may rightly write to: the audit of the refusal, rate limits, sessions. */
const WRITTEN_BY_REFUSALS = new Set(['audit_log', 'rate_limits', 'sessions']);

/** The route table, as Fastify announces each route while the app is built. */
const routeTable: string[] = [];

let app: TestApp;
let cookies: MatrixSessions['cookies'];
let csrf: MatrixSessions['csrf'];
let keys: MatrixSessions['keys'];
let ids: RealIds;

beforeAll(async () => {
  if (process.env.DATABASE_URL) return;
  app = await startTestApp({}, [routeCollector(routeTable)]);
  ({ cookies, csrf, keys, ids } = await signInTheMatrix(app));
}, 60_000);

afterAll(async () => {
  await app?.close();
});

/** What a response amounts to, as the matrix sees it. */
type Outcome = 'signIn' | 'refused' | 'served' | 'invalid' | 'error';

function outcomeOf(status: number, location: string | null): Outcome {
  if (status >= 500) return 'error';
  if (status >= 300 && status < 400) {
    // Signing in, or stepping up to a second factor or a verified identity, before going on.
    if (location && /^\/(sign-in|verify\?returnTo=)/.test(location)) return 'signIn';
    return 'served';
  }
  if (status === 401 || status === 403 || status === 404 || status === 405) return 'refused';
  if (status >= 400) return 'invalid';
  return 'served';
}

interface Probe {
  route: string;
  who: Person | KeyKind;
  allowed: boolean;
  method: string;
  path: string;
  real: boolean;
}

/** Every request the matrix makes: GETs as everyone concerned, changes only as those refused. */
function probes(): Probe[] {
  const list: Probe[] = [];
  for (const route of routeTable) {
    const entry = AUTHORISATION_MATRIX[route];
    if (!entry) continue;
    const [method, url] = route.split(' ') as [string, string];
    const { path, real } = pathOf(url, entry, ids);
    const everyone: (Person | KeyKind)[] = isApiRoute(url)
      ? ['anonymous', ...KEY_KINDS]
      : [...PEOPLE];
    for (const who of everyone) {
      const allowed = entry.allow.includes(who);
      if (method !== 'GET' && allowed) continue;
      // Without a real record, every signed-in person who is refused is told "not found" however
      // the route decides: only whether anonymous is kept out, and the allowed let in, says anything.
      if (!real && !allowed && who !== 'anonymous') continue;
      list.push({ route, who, allowed, method, path, real });
    }
  }
  return list;
}

async function send(probe: Probe): Promise<Outcome> {
  const api = isApiRoute(probe.path);
  const headers: Record<string, string> = {};
  if (KEY_KINDS.includes(probe.who as KeyKind))
    Object.assign(headers, keys.get(probe.who as KeyKind)!());
  else headers.cookie = cookies.get(probe.who as Person)!;
  let body: string | undefined;
  if (probe.method !== 'GET') {
    if (api) {
      headers['content-type'] = 'application/json';
      body = '{}';
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ _csrf: csrf.get(probe.who as Person) ?? '' }).toString();
    }
  }
  // In process (light-my-request), the same hooks and handlers as over a socket, for less CPU.
  const response = await app.platform.app.inject({
    method: probe.method as 'GET',
    url: probe.path,
    headers,
    ...(body === undefined ? {} : { payload: body }),
  });
  const location = response.headers.location;
  return outcomeOf(response.statusCode, typeof location === 'string' ? location : null);
}

/** Why the outcome is wrong for the probe, or null when it is what the matrix expects. */
function judge(probe: Probe, outcome: Outcome): string | null {
  if (outcome === 'error') return 'server error';
  if (!probe.allowed) {
    if (outcome === 'signIn' || outcome === 'refused') return null;
    // A key of another kind may learn from a 400 what the published schema says (its rights are
    // checked after the body), and nothing changes (checked after). A caller with no key at all
    // at an API only keys may use is refused before anything is validated
    // (test/security/auth-before-validation.test.ts).
    if (outcome === 'invalid' && probe.method !== 'GET' && isApiRoute(probe.path))
      return keyless(probe) ? 'should be refused before its input is validated, got invalid' : null;
    return `should be refused, got ${outcome}`;
  }
  if (probe.real) return outcome === 'served' ? null : `should be served, got ${outcome}`;
  // With a stand-in id the record is not found, which is right; being sent to sign in or
  // refused outright before the record is looked for is not.
  return outcome === 'signIn' ? `should be let in, got ${outcome}` : null;
}

/** A probe without any API key at a route only keys may use. */
function keyless(probe: Probe): boolean {
  const allow = AUTHORISATION_MATRIX[probe.route]?.allow ?? [];
  const keysOnly = allow.length > 0 && allow.every((who) => KEY_KINDS.includes(who as KeyKind));
  return keysOnly && !KEY_KINDS.includes(probe.who as KeyKind);
}

async function inBatches<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** How many rows each table holds, but for those a refusal may write to. */
async function rowCounts(): Promise<Record<string, number>> {
  const db = app.platform.database.db;
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const counted = tables.rows.map((t) => t.name).filter((t) => !WRITTEN_BY_REFUSALS.has(t));
  const union = counted
    .map((t) => `select '${t}' as name, count(*)::int as n from "${t}"`)
    .join(' union all ');
  const result = await sql<{ name: string; n: number }>`${sql.raw(union)}`.execute(db);
  return Object.fromEntries(result.rows.map((r) => [r.name, r.n]));
}

matrix('the authorisation matrix', () => {
  it('has an entry for every route, and every entry names a route', () => {
    const routes = new Set(routeTable);
    const missing = [...routes].filter((r) => !(r in AUTHORISATION_MATRIX)).sort();
    const stale = Object.keys(AUTHORISATION_MATRIX)
      .filter((r) => !routes.has(r))
      .sort();
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('lets in exactly whom each route’s entry names, and refuses everyone else', async () => {
    const all = probes();
    const failures: string[] = [];
    const check = (phase: Probe[]) =>
      inBatches(phase, async (probe) => {
        const problem = judge(probe, await send(probe));
        if (problem) failures.push(`${probe.route} as ${probe.who} (${probe.path}): ${problem}`);
      });
    // Pages first (a page may rightly start a draft), then the refused changes, which must not.
    await check(all.filter((p) => p.method === 'GET'));
    const before = await rowCounts();
    await check(all.filter((p) => p.method !== 'GET'));
    const after = await rowCounts();
    expect(failures.sort()).toEqual([]);
    const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
    expect(changed, 'tables whose rows a refused request changed').toEqual([]);
    expect(all.length).toBeGreaterThan(1000);
  }, 120_000);
});
