import type { FastifyInstance } from 'fastify';
import { BULKY_WASTE_SLUG, DEMO_ACCOUNTS } from '../../src/main/seed.js';
import { issueKey, tokenFor } from '../../src/modules/notify/test/helpers.js';
import { findOrganisationBySlug } from '../../src/modules/organisations/index.js';
import { createPayKey } from '../../src/modules/payments/index.js';
import { createHubKey } from '../../src/modules/submissions/index.js';
import type { ModuleManifest } from '../../src/platform/http/types.js';
import { csrfToken, Visitor, type TestApp } from '../helpers/app.js';
import { aConfirmedCitizen } from '../helpers/citizens.js';
import { applyForBulkyWaste } from '../helpers/journeys.js';
import type { Entry, KeyKind, Person, RealIds } from './authorisation-matrix.js';

/**
 * The people and keys of the authorisation matrix, signed in once over a running app: shared by
 * the matrix test and the injection sweep (both in this folder).
 */
export interface MatrixSessions {
  cookies: Map<Person, string>;
  csrf: Map<Person, string>;
  /** Each kind of key's headers (a Notify token is made afresh each time). */
  keys: Map<KeyKind, () => Record<string, string>>;
  ids: RealIds;
}

/** Stands for a record that does not exist, where the route needs an id the demo does not give. */
export const DUMMY: Record<string, string> = {
  id: '00000000-0000-4000-8000-000000000000',
  reference: 'JU-2222-2222',
  token: 'no-such-token',
};

/** A module that writes the route table, as Fastify announces each route, into `into`. */
export function routeCollector(into: string[]): ModuleManifest {
  return {
    name: 'route-table',
    hooks(app: FastifyInstance) {
      app.addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) {
          // Fastify adds a HEAD route beside each GET; it is the GET's own handler.
          if (method !== 'HEAD') into.push(`${method} ${route.url}`);
        }
      });
    },
  };
}

/** Signs in every person of the matrix and makes every kind of Stroud's API keys. */
export async function signInTheMatrix(app: TestApp): Promise<MatrixSessions> {
  const db = app.platform.database.db;
  const stroud = (await findOrganisationBySlug(db, 'stroud'))!;
  const other = await aConfirmedCitizen(db, { email: 'other-citizen@example.com' });
  // Two sessions of the one agent: one will act for the citizen, the other for nobody.
  const emails: Record<Exclude<Person, 'anonymous'>, string> = {
    citizen: 'citizen@example.com',
    otherCitizen: other.email,
    agentWithAuthority: 'agent@cotswold-accountants.example.com',
    agentWithoutAuthority: 'agent@cotswold-accountants.example.com',
    caseworker: 'caseworker@stroud.example.gov.uk',
    otherCaseworker: 'caseworker@cheltenham.example.gov.uk',
    adviser: 'adviser@glos-contact-centre.example.gov.uk',
    serviceOwner: 'owner@stroud.example.gov.uk',
    admin: 'admin@cabinet-office.example.gov.uk',
  };
  const passwordOf = (email: string) =>
    email === other.email ? other.password : DEMO_ACCOUNTS.find((a) => a.email === email)!.password;
  const visitors = new Map<Person, Visitor>();
  const anonymous = new Visitor(app.baseUrl);
  await anonymous.get('/sign-in');
  visitors.set('anonymous', anonymous);
  for (const [person, email] of Object.entries(emails)) {
    const visitor = new Visitor(app.baseUrl);
    await visitor.signIn(email, passwordOf(email));
    await visitor.get('/account/security');
    visitors.set(person as Person, visitor);
  }

  // The citizen's own application at Stroud, worked into a case there.
  const reference = await applyForBulkyWaste(visitors.get('citizen')!);
  await app.platform.worker.drain();

  // One of the agent's two sessions acts for the citizen under the authority they gave.
  const citizen = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', emails.citizen)
    .executeTakeFirstOrThrow();
  const authority = await db
    .selectFrom('agent_authorities')
    .select('id')
    .where('client_user_id', '=', citizen.id)
    .where('status', '=', 'approved')
    .executeTakeFirstOrThrow();
  const agent = visitors.get('agentWithAuthority')!;
  await agent.get('/agents/clients');
  const acted = await agent.post('/agents/act', { authorityId: authority.id });
  if (acted.status !== 303) throw new Error(`The agent could not act: ${acted.status}`);
  await agent.get('/account/security');

  const cookies = new Map<Person, string>();
  const csrf = new Map<Person, string>();
  for (const [person, visitor] of visitors) {
    cookies.set(person, visitor.cookieHeader());
    csrf.set(person, csrfToken(visitor.lastHtml));
  }

  const keys = new Map<KeyKind, () => Record<string, string>>();
  const actor = { userId: null, organisationId: stroud.id, role: 'test' };
  for (const scope of ['submit', 'submit-any', 'receive', 'open311'] as const) {
    const { key } = await createHubKey(
      db,
      { organisationId: stroud.id, name: scope, scope },
      actor,
    );
    const kind = {
      submit: 'hubSubmit',
      'submit-any': 'hubSubmitAny',
      receive: 'hubReceive',
      open311: 'open311Key',
    }[scope] as KeyKind;
    keys.set(kind, () => ({ authorization: `Bearer ${key}` }));
  }
  const { key: payKey } = await createPayKey(
    db,
    { organisationId: stroud.id, name: 'matrix' },
    actor,
  );
  keys.set('payKey', () => ({ authorization: `Bearer ${payKey}` }));
  const notifyKey = await issueKey(db, 'stroud', 'live');
  // A Notify token is good for 30 seconds from its `iat`: a new one each request.
  keys.set('notifyKey', () => ({ authorization: `Bearer ${tokenFor(notifyKey)}` }));

  return { cookies, csrf, keys, ids: { org: 'stroud', slug: BULKY_WASTE_SLUG, reference } };
}

/** The path with the route's parameters filled in, and whether every one names a real record. */
export function pathOf(url: string, entry: Entry, ids: RealIds): { path: string; real: boolean } {
  if (entry.path) return { path: entry.path, real: !entry.standIn };
  let real = !entry.standIn;
  const path = url
    .replace(/:(\w+)/g, (_, name: string) => {
      const given = entry.params?.[name];
      const value =
        typeof given === 'function' ? given(ids) : (given ?? ids[name as keyof RealIds]);
      if (value !== undefined) return encodeURIComponent(value);
      real = false;
      return DUMMY[name] ?? DUMMY.id!;
    })
    .replace(/\*$/, '');
  return { path: entry.query ? `${path}?${entry.query}` : path, real };
}
