import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { AUTHORISATION_MATRIX, isApiRoute } from './authorisation-matrix.js';
import { DUMMY, routeCollector } from './matrix-sessions.js';

/**
 * Authentication before validation (issue 14): every API route that needs credentials refuses a
 * caller without them, or with wrong ones, in its own API's 401 or 403, before it looks at the
 * path, query or body. A 400 naming fields would teach a stranger the API's rules (and, for a
 * rule about records, something of the records).
 *
 * The routes are the app's own route table: every API route the authorisation matrix does not
 * open to anonymous callers, and every operation the OpenAPI document says needs credentials, so
 * a new keyed route is held to this without being listed here.
 *
 * Authentication is decided in code, the same on both databases: the PGlite pass only.
 */
const suite = describe.skipIf(Boolean(process.env.DATABASE_URL));

const routeTable: string[] = [];
let app: TestApp;

beforeAll(async () => {
  if (process.env.DATABASE_URL) return;
  app = await startTestApp({}, [routeCollector(routeTable)]);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

/** Breaks every rule a body could have: unknown fields, wrong types, empty and overlong text. */
const INVALID_BODY = JSON.stringify({
  unexpected: [1, { nested: true }],
  amount: 'not a number',
  reference: '',
  status: 'no-such-status',
  rows: 'not a list',
  description: 'x'.repeat(10_000),
});
/** The same for a query string: bad numbers, a bad cursor, a format no route knows. */
const INVALID_QUERY =
  'limit=-5&after=not-a-cursor&format=pdf&version=0&page=-1&page_size=abc&from_date=never';
/** A path parameter no route accepts: longer than any id, and not a UUID. */
const INVALID_PARAM = `not-an-id-${'p'.repeat(140)}`;

/** The API families, each with its own way of refusing a caller (docs/errors.md). */
type Family = 'hub' | 'notify' | 'pay' | 'open311';

function familyOf(url: string): Family {
  if (url.startsWith('/v1/payments')) return 'pay';
  if (url.startsWith('/open311/')) return 'open311';
  if (url.startsWith('/v2/')) return 'notify';
  return 'hub';
}

/** A credential sent in a header of its own (not `Authorization`), named by the API document. */
interface HeaderScheme {
  header: string;
}

/**
 * The operations the API document says need credentials, each with the header credentials it
 * names (a webhook body's signature).
 */
async function securedOperations(): Promise<Map<string, HeaderScheme[]>> {
  const document = (
    await app.platform.app.inject({ method: 'GET', url: '/api/openapi.json' })
  ).json<{
    paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    components?: { securitySchemes?: Record<string, { type: string; in?: string; name?: string }> };
  }>();
  const secured = new Map<string, HeaderScheme[]>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!operation.security?.length) continue;
      const route = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
      const schemes = operation.security
        .flatMap((requirement) => Object.keys(requirement))
        .map((name) => document.components?.securitySchemes?.[name])
        .filter((s) => s?.type === 'apiKey' && s.in === 'header' && s.name)
        .map((s) => ({ header: s!.name!.toLowerCase() }));
      secured.set(route, schemes);
    }
  }
  return secured;
}

interface Attempt {
  route: string;
  as: string;
  status: number;
  type: string;
  body: string;
  wwwAuthenticate: string | undefined;
}

async function attempt(
  route: string,
  as: string,
  credentials: Record<string, string>,
  apiKey?: string,
): Promise<Attempt> {
  const [method, url] = route.split(' ') as [string, string];
  const path =
    url.replace(/:(\w+)/g, encodeURIComponent(INVALID_PARAM)).replace(/\*$/, '') +
    `?${INVALID_QUERY}`;
  const open311 = familyOf(url) === 'open311';
  const headers: Record<string, string> = { ...credentials };
  let payload: string | undefined;
  if (method !== 'GET' && method !== 'DELETE') {
    // Open311 takes a form-encoded body, with its key as `api_key` in it.
    headers['content-type'] = open311 ? 'application/x-www-form-urlencoded' : 'application/json';
    payload = open311
      ? new URLSearchParams({
          ...(apiKey === undefined ? {} : { api_key: apiKey }),
          service_code: '',
          lat: 'north',
          long: 'x'.repeat(500),
          email: 'not an address',
        }).toString()
      : INVALID_BODY;
  }
  const response = await app.platform.app.inject({
    method: method as 'GET',
    url: path,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
  const www = response.headers['www-authenticate'];
  return {
    route,
    as,
    status: response.statusCode,
    type: String(response.headers['content-type'] ?? ''),
    body: response.body,
    wwwAuthenticate: typeof www === 'string' ? www : undefined,
  };
}

/** Why an answer is not its API's refusal of a caller, or null when it is. */
function problemWith(answer: Attempt): string | null {
  const { status, body, type } = answer;
  const family = familyOf(answer.route.split(' ')[1]!);
  if (status === 400 || /validation_error|"field"|(body|query|params|headers)\.\w/.test(body))
    return `answered with validation detail (${status}): ${body.slice(0, 200)}`;
  switch (family) {
    case 'pay':
      // Pay's framework answers a missing or wrong key with a line of text and no code.
      if (status !== 401) return `Pay answers ${status}, not 401`;
      if (
        !type.startsWith('text/plain') ||
        body !== 'Credentials are required to access this resource.'
      )
        return `not Pay's refusal: ${type} ${body.slice(0, 200)}`;
      if (answer.wwwAuthenticate !== 'Bearer') return 'no WWW-Authenticate: Bearer';
      return null;
    case 'open311': {
      // GeoReport v2's error list: a missing or wrong api_key is a 403.
      if (status !== 403) return `Open311 answers ${status}, not 403`;
      if (answer.route.endsWith('.xml'))
        return /<errors>\s*<error>\s*<code>403<\/code>\s*<description>[^<]+<\/description>/.test(
          body,
        )
          ? null
          : `not Open311's XML error list: ${body.slice(0, 200)}`;
      const list = JSON.parse(body) as unknown;
      return Array.isArray(list) &&
        list.length > 0 &&
        list.every(
          (e: { code?: unknown; description?: unknown }) =>
            e.code === 403 && typeof e.description === 'string',
        )
        ? null
        : `not Open311's error list: ${body.slice(0, 200)}`;
    }
    case 'notify': {
      // GOV.UK Notify's envelope: AuthError, 401 without a token and 403 with a wrong one.
      if (status !== 401 && status !== 403) return `Notify answers ${status}, not 401 or 403`;
      const envelope = JSON.parse(body) as { status_code?: number; errors?: { error?: string }[] };
      return envelope.status_code === status &&
        envelope.errors?.length &&
        envelope.errors.every((e) => e.error === 'AuthError')
        ? null
        : `not Notify's AuthError envelope: ${body.slice(0, 200)}`;
    }
    case 'hub': {
      // Ours (docs/errors.md): the status, one error with its code and message, the request id.
      if (status !== 401 && status !== 403) return `answers ${status}, not 401 or 403`;
      const envelope = JSON.parse(body) as {
        status_code?: number;
        errors?: { error?: string; message?: string }[];
        request_id?: string;
      };
      return envelope.status_code === status &&
        typeof envelope.request_id === 'string' &&
        envelope.errors?.length === 1 &&
        typeof envelope.errors[0]!.error === 'string' &&
        typeof envelope.errors[0]!.message === 'string'
        ? null
        : `not the API's error envelope: ${body.slice(0, 200)}`;
    }
  }
}

suite('an API route that needs credentials', () => {
  it('refuses a caller without them, or with wrong ones, before it validates anything', async () => {
    const secured = await securedOperations();
    const routes = routeTable.filter((route) => {
      const url = route.split(' ')[1]!;
      const entry = AUTHORISATION_MATRIX[route];
      return (
        secured.has(route) ||
        (isApiRoute(url) && entry !== undefined && !entry.allow.includes('anonymous'))
      );
    });
    // The document and the matrix agree: a route the document secures is not open to anyone.
    const openButSecured = [...secured.keys()].filter((r) =>
      AUTHORISATION_MATRIX[r]?.allow.includes('anonymous'),
    );
    expect(openButSecured, 'routes the API document secures but the matrix opens').toEqual([]);

    const failures: string[] = [];
    const wrongKeys: [string, Record<string, string>, string][] = [
      ['nothing', {}, ''],
      ['a made-up bearer', { authorization: 'Bearer not-a-key' }, 'not-a-key'],
      [
        'a hub key that does not exist',
        { authorization: `Bearer juhub.${DUMMY.id}.${'s'.repeat(43)}` },
        `juhub.${DUMMY.id}.${'s'.repeat(43)}`,
      ],
      ['a malformed header', { authorization: 'Basic dXNlcjpwYXNz' }, 'dXNlcjpwYXNz'],
    ];
    for (const route of routes) {
      for (const [as, credentials, apiKey] of wrongKeys) {
        const answer = await attempt(route, as, credentials, apiKey);
        const problem = problemWith(answer);
        if (problem) failures.push(`${route} with ${as}: ${problem}`);
      }
      // A credential in a header of its own (a webhook body's signature), made up.
      for (const { header } of secured.get(route) ?? []) {
        const answer = await attempt(route, `a wrong ${header}`, {
          [header]: `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
        });
        const problem = problemWith(answer);
        if (problem) failures.push(`${route} with a wrong ${header}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    // Every family is held to it: the hub's /api/v1, Notify's, Pay's and Open311's.
    const families = new Set(routes.map((r) => familyOf(r.split(' ')[1]!)));
    expect([...families].sort()).toEqual(['hub', 'notify', 'open311', 'pay']);
    expect(routes.length).toBeGreaterThan(40);
  }, 120_000);
});
