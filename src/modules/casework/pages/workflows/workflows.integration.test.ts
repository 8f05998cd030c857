import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { createStaffUser } from '../../../identity/index.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';

const OWNER = ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'] as const;
const CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const OTHER_OWNER = [
  'owner@cheltenham.example.gov.uk',
  'a long enough password for tests',
] as const;
const BULKY_WASTE = 'request-a-bulky-waste-collection';

let app: TestApp;
const db = () => app.platform.database.db;
let stroudId: string;

async function signedIn([email, password]: readonly [string, string]): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

async function serviceId(slug: string): Promise<string> {
  const row = await db()
    .selectFrom('services')
    .select('id')
    .where('slug', '=', slug)
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function platformDefaultId(): Promise<string> {
  const row = await db()
    .selectFrom('workflow_versions')
    .select('id')
    .where('organisation_id', 'is', null)
    .where('key', '=', 'default')
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function stroudVersions() {
  return db()
    .selectFrom('workflow_versions')
    .select(['id', 'key', 'version', 'status'])
    .where('organisation_id', '=', stroudId)
    .orderBy('version')
    .execute();
}

/** The platform's default, as a Stroud workflow of its own with a shorter first time limit. */
async function fastTrack(): Promise<Record<string, unknown>> {
  const row = await db()
    .selectFrom('workflow_versions')
    .select('definition')
    .where('id', '=', await platformDefaultId())
    .executeTakeFirstOrThrow();
  const definition = structuredClone(row.definition) as {
    key: string;
    name: { en: string; cy: string };
    states: { slaDays?: number }[];
  };
  definition.key = 'stroud-fast-track';
  definition.name = { en: 'Stroud fast track', cy: 'Llwybr cyflym Stroud' };
  definition.states[0]!.slaDays = 2;
  return definition;
}

beforeAll(async () => {
  app = await startTestApp();
  stroudId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  const cheltenham = (await findOrganisationBySlug(db(), 'cheltenham'))!.id;
  const created = await createStaffUser(db(), {
    email: OTHER_OWNER[0],
    password: OTHER_OWNER[1],
    displayName: 'Cheltenham Owner',
    organisationId: cheltenham,
    roles: ['service-owner'],
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
});

afterAll(async () => {
  await app?.close();
});

describe('a service owner’s workflow pages', () => {
  it('lists the platform’s workflows and which one each service follows, in English and Welsh', async () => {
    const owner = await signedIn(OWNER);
    const page = await owner.get('/casework/workflows');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Workflows every organisation may use');
    expect(page.html).toContain('Standard application');
    expect(page.html).toContain(`/casework/workflows/services/${await serviceId(BULKY_WASTE)}`);
    const welsh = await owner.get('/casework/workflows?lang=cy');
    expect(welsh.html).toContain('Llifoedd gwaith y caiff pob sefydliad eu defnyddio');
    expect(welsh.html).toContain('Cais safonol');
  });

  it('shows a workflow’s stages with their time limits and its actions with their roles', async () => {
    const owner = await signedIn(OWNER);
    const id = await platformDefaultId();
    const page = await owner.get(`/casework/workflows/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('5 working days');
    expect(page.html).toContain('Stopped while here');
    expect(page.html).toContain('Caseworker');
    expect(page.html).toContain(`/casework/workflows/new?from=${id}`);
    const welsh = await owner.get(`/casework/workflows/${id}?lang=cy`);
    expect(welsh.html).toContain('5 diwrnod gwaith');
    expect(welsh.html).toContain('Wedi dod i law');
    expect(welsh.html).toContain('Gweithiwr achos');
  });

  it('refuses text that is not JSON, with where the problem is, and stores nothing', async () => {
    const owner = await signedIn(OWNER);
    const form = await owner.get('/casework/workflows/new');
    expect(form.html).toContain('new-workflow');
    const bad = await owner.post('/casework/workflows/new', {
      definition: '{\n  "key": "broken"\n  "states": []\n}',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('check line 3');
    expect(bad.html).toContain('href="#definition"');
    const welsh = await owner.post('/casework/workflows/new?lang=cy', { definition: '' });
    expect(welsh.status).toBe(400);
    expect(welsh.html).toContain('Rhowch y llif gwaith');
    expect(await stroudVersions()).toEqual([]);
  });

  it('refuses a workflow the engine finds wrong, listing each problem at its path', async () => {
    const owner = await signedIn(OWNER);
    await owner.get('/casework/workflows/new');
    const definition = await fastTrack();
    (definition.states as { start?: boolean }[])[0]!.start = false;
    const bad = await owner.post('/casework/workflows/new', {
      definition: JSON.stringify(definition, null, 2),
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('exactly one start state');
    expect(bad.html).toContain('stroud-fast-track');
    expect(await stroudVersions()).toEqual([]);
  });

  it('saves a draft, publishes it as a version, and chooses it for a service', async () => {
    const owner = await signedIn(OWNER);
    await owner.get('/casework/workflows/new');
    const saved = await owner.post('/casework/workflows/new', {
      definition: JSON.stringify(await fastTrack(), null, 2),
    });
    expect(saved.status).toBe(303);
    const location = saved.headers.get('location')!;
    expect(location).toMatch(/^\/casework\/workflows\/[0-9a-f-]{36}\?saved=1$/);
    const draft = await owner.get(location);
    expect(draft.html).toContain('Draft version 1 is saved');
    expect(draft.html).toContain('2 working days');
    expect(draft.html).toContain('Publish version 1');

    const id = location.slice('/casework/workflows/'.length, location.indexOf('?'));
    const published = await owner.post(`/casework/workflows/${id}/publish`, {});
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toBe(`/casework/workflows/${id}?published=1`);
    expect(await stroudVersions()).toMatchObject([
      { key: 'stroud-fast-track', version: 1, status: 'published' },
    ]);
    const again = await owner.post(`/casework/workflows/${id}/publish`, {});
    expect(again.status).toBe(409);
    expect(again.html).toContain('Only a draft can be published');

    const bulky = await serviceId(BULKY_WASTE);
    const choose = await owner.get(`/casework/workflows/services/${bulky}`);
    expect(choose.html).toContain('value="stroud-fast-track"');
    const none = await owner.post(`/casework/workflows/services/${bulky}`, {});
    expect(none.status).toBe(400);
    expect(none.html).toContain('Select the workflow the service should follow');
    const unknown = await owner.post(`/casework/workflows/services/${bulky}`, {
      workflow: 'no-such-workflow',
    });
    expect(unknown.status).toBe(400);
    const chosen = await owner.post(`/casework/workflows/services/${bulky}`, {
      workflow: 'stroud-fast-track',
    });
    expect(chosen.status).toBe(303);
    const row = await db()
      .selectFrom('service_workflows')
      .select('workflow_key')
      .where('service_id', '=', bulky)
      .executeTakeFirstOrThrow();
    expect(row.workflow_key).toBe('stroud-fast-track');
    expect((await owner.get(chosen.headers.get('location')!)).html).toContain(
      'now follows Stroud fast track',
    );
  });

  it('changes a published workflow in a new draft version', async () => {
    const owner = await signedIn(OWNER);
    const [published] = await stroudVersions();
    const edit = await owner.get(`/casework/workflows/${published!.id}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.html).toContain('stroud-fast-track');
    const saved = await owner.post(`/casework/workflows/${published!.id}/edit`, {
      definition: JSON.stringify(await fastTrack()),
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toMatch(/\?saved=2$/);
    expect((await stroudVersions()).map((v) => [v.version, v.status])).toEqual([
      [1, 'published'],
      [2, 'draft'],
    ]);
  });
});

describe('who may not', () => {
  it('a caseworker of the body gets "not found" and changes nothing', async () => {
    const caseworker = await signedIn(CASEWORKER);
    expect((await caseworker.get('/casework/workflows')).status).toBe(404);
    expect((await caseworker.get(`/casework/workflows/${await platformDefaultId()}`)).status).toBe(
      404,
    );
    await caseworker.get('/casework');
    const post = await caseworker.post('/casework/workflows/new', {
      definition: JSON.stringify(await fastTrack()),
    });
    expect(post.status).toBe(404);
    const bulky = await serviceId(BULKY_WASTE);
    await caseworker.get('/casework');
    expect(
      (await caseworker.post(`/casework/workflows/services/${bulky}`, { workflow: 'default' }))
        .status,
    ).toBe(404);
    expect((await stroudVersions()).length).toBe(2);
  });

  it('a service owner of another body sees none of Stroud’s workflows or services', async () => {
    const other = await signedIn(OTHER_OWNER);
    const list = await other.get('/casework/workflows');
    expect(list.status).toBe(200);
    expect(list.html).not.toContain('stroud-fast-track');
    const [published, draft] = await stroudVersions();
    expect((await other.get(`/casework/workflows/${published!.id}`)).status).toBe(404);
    expect((await other.get(`/casework/workflows/${draft!.id}/edit`)).status).toBe(404);
    await other.get('/casework/workflows');
    expect((await other.post(`/casework/workflows/${draft!.id}/publish`, {})).status).toBe(404);
    const bulky = await serviceId(BULKY_WASTE);
    expect((await other.get(`/casework/workflows/services/${bulky}`)).status).toBe(404);
    await other.get('/casework/workflows');
    expect(
      (await other.post(`/casework/workflows/services/${bulky}`, { workflow: 'default' })).status,
    ).toBe(404);
    const row = await db()
      .selectFrom('service_workflows')
      .select('workflow_key')
      .where('service_id', '=', bulky)
      .executeTakeFirstOrThrow();
    expect(row.workflow_key).toBe('stroud-fast-track');
    expect((await stroudVersions()).map((v) => v.status)).toEqual(['published', 'draft']);
  });

  it('someone signed out is sent to sign in', async () => {
    const visitor = new Visitor(app.baseUrl);
    const response = await visitor.get('/casework/workflows');
    expect([302, 303]).toContain(response.status);
    expect(response.headers.get('location')).toContain('/sign-in');
  });
});
