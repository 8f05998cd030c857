/**
 * Linking a tell-us-once change of circumstances to a case plan: by reference only, resolved
 * through the sharing module when shown, refused (without saying why) unless the linking body
 * received that change from the plan's person, shown with the rules of other linked records and
 * audited on every read; "no longer available" once it resolves to nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { hubKeyCreate } from '../submissions/index.js';

let app: TestApp;
const db = () => app.platform.database.db;
const drain = () => app.platform.worker.drain();

const JO_EMAIL = 'jo.linked@example.com';
const NOT_FOUND = 'Enter the reference of an application, case or change of circumstances';

let lead: Visitor;
let county: Visitor;
let cheltenham: Visitor;
let jo: { visitor: Visitor; userId: string };
let other: { visitor: Visitor; userId: string };
let reference: string;
let stroudKey: string;
/** Jo's change of address, and another person's, both told to Stroud. */
let joChange: string;
let othersChange: string;
const ids: Record<string, string> = {};

async function staff(email: string, password: string): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** Posts a form on the plan page (as the visitor last saw a page with a CSRF token). */
async function onPlan(
  visitor: Visitor,
  path: string,
  fields: Record<string, string | string[]>,
  plan = reference,
) {
  await visitor.get('/staff/case-plans');
  return visitor.post(`/staff/case-plans/${plan}${path}`, fields);
}

async function api(method: string, path: string, apiKey: string, body?: unknown) {
  const response = await fetch(app.baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

/** The bodies that know the person (as a body would declare through the API). */
async function knownTo(userId: string, slugs: string[]) {
  for (const slug of slugs)
    await db()
      .insertInto('sharing_relationships')
      .values({
        organisation_id: ids[slug]!,
        user_id: userId,
        body_reference: `${slug.toUpperCase()}-${userId.slice(0, 8)}`,
        matched_by: 'demo',
        matched_reference: 'test',
        declared_by_key_id: null,
      })
      .execute();
}

/** The person tells a move to Flat 1, Ebley Mill, ticking no consent; returns its reference. */
async function tellMove(visitor: Visitor): Promise<string> {
  await visitor.get('/tell-us-once/change');
  await visitor.post('/tell-us-once/change', { type: 'change-of-address' });
  await visitor.get('/tell-us-once/step/postcode');
  await visitor.post('/tell-us-once/step/postcode', { postcode: 'gl5 4ub' });
  await visitor.get('/tell-us-once/step/address');
  await visitor.post('/tell-us-once/step/address', { uprn: '900000000002' });
  await visitor.get('/tell-us-once/step/moved');
  await visitor.post('/tell-us-once/step/moved', {
    'movedOn-day': '2',
    'movedOn-month': '11',
    'movedOn-year': '2026',
  });
  await visitor.get('/tell-us-once/bodies');
  expect((await visitor.post('/tell-us-once/bodies', {})).status).toBe(303);
  await visitor.get('/tell-us-once/check');
  const sent = await visitor.post('/tell-us-once/check', {});
  expect(sent.status).toBe(303);
  return /\/tell-us-once\/changes\/(TUO-[A-Z0-9]+)/.exec(sent.headers.get('location')!)![1]!;
}

async function deliveryOf(change: string, slug: string) {
  return db()
    .selectFrom('sharing_deliveries as d')
    .innerJoin('sharing_changes as c', 'c.id', 'd.change_id')
    .select(['d.id', 'd.status', 'd.sent_at'])
    .where('c.reference', '=', change)
    .where('d.organisation_id', '=', ids[slug]!)
    .executeTakeFirstOrThrow();
}

const links = () => db().selectFrom('case_plan_links').selectAll().execute();

const readsBy = (organisationId: string) =>
  db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'caseplans.plan.viewed')
    .where('actor_organisation_id', '=', organisationId)
    .where('details', '@>', JSON.stringify({ reference }) as never)
    .orderBy('occurred_at')
    .execute();

beforeAll(async () => {
  app = await startTestApp();
  for (const slug of ['stroud', 'cheltenham', 'gloucestershire'])
    ids[slug] = (
      await db()
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow()
    ).id;
  ids.leadProfessional = (
    await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'caseworker@stroud.example.gov.uk')
      .executeTakeFirstOrThrow()
  ).id;
  lead = await staff('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
  county = await staff(
    'caseworker@gloucestershire.example.gov.uk',
    'demo-gloucestershire-caseworker',
  );
  cheltenham = await staff('caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker');
  jo = await aSignedInCitizen(app, { email: JO_EMAIL });
  other = await aSignedInCitizen(app);
  await knownTo(jo.userId, ['stroud', 'gloucestershire']);
  await knownTo(other.userId, ['stroud']);
  const key = await hubKeyCreate(db(), ['--org', 'stroud', '--scope', 'receive']);
  expect(key.code).toBe(0);
  stroudKey = key.out[0]!;
});
afterAll(async () => {
  await app?.close();
});

describe('linking a tell-us-once change to a case plan', () => {
  it('the lead opens a plan for the person; two bodies accept, neither shown linked records', async () => {
    await lead.get('/staff/case-plans/new');
    const opened = await lead.post('/staff/case-plans/new', {
      kind: 'family-support',
      subject: 'person',
      personName: 'Jo Linked',
      personEmail: JO_EMAIL,
      leadProfessionalId: ids.leadProfessional!,
      summary: 'Help after a move',
    });
    expect(opened.status, opened.html).toBe(303);
    reference = (opened.headers.get('location') ?? '').split('/').pop()!;
    for (const slug of ['gloucestershire', 'cheltenham']) {
      const invited = await onPlan(lead, '/invite', {
        organisationId: ids[slug]!,
        basis: 'safeguarding',
        basisDetail: 'Children Act 2004 s.11',
        sections: ['plan'],
      });
      expect(invited.status, invited.html).toBe(303);
    }
    for (const visitor of [county, cheltenham]) {
      await visitor.get(`/staff/case-plans/${reference}/invitation`);
      const r = await visitor.post(`/staff/case-plans/${reference}/invitation`, {
        answer: 'accept',
      });
      expect(r.status).toBe(303);
    }
    // The form offers a change of circumstances among the kinds of record.
    const page = await lead.get(`/staff/case-plans/${reference}`);
    expect(page.html).toMatch(/<option value="change"[^>]*>Change of circumstances<\/option>/);
  });

  it('a change the body has not received yet cannot be linked: the error summary, nothing stored', async () => {
    joChange = await tellMove(jo.visitor);
    othersChange = await tellMove(other.visitor);
    await drain();
    // Stroud (public task) has it waiting in its inbox; Gloucestershire (consent not given) never.
    expect((await deliveryOf(joChange, 'stroud')).status).toBe('waiting');
    expect((await deliveryOf(joChange, 'gloucestershire')).status).toBe('not-sent');
    const refused = await onPlan(lead, '/links', { kind: 'change', reference: joChange });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('govuk-error-summary');
    expect(refused.html).toContain(NOT_FOUND);
    expect(await links()).toEqual([]);
  });

  it('a change that does not exist, is about another person or was not sent to the body gets the same "not found"; nothing stored', async () => {
    // Stroud takes both changes from its inbox: now it has received them.
    const inbox = await api('GET', '/api/v1/sharing/inbox', stroudKey);
    expect(inbox.status).toBe(200);
    expect(inbox.json.changes.map((c: { reference: string }) => c.reference).sort()).toEqual(
      [joChange, othersChange].sort(),
    );
    expect((await deliveryOf(joChange, 'stroud')).status).toBe('sent');
    const attempts: [Visitor, string][] = [
      [lead, 'TUO-ZZZZZZZZ'],
      [lead, othersChange],
      [county, joChange],
      [cheltenham, joChange],
    ];
    const bodies: string[] = [];
    for (const [visitor, change] of attempts) {
      const refused = await onPlan(visitor, '/links', { kind: 'change', reference: change });
      expect(refused.status, change).toBe(400);
      expect(refused.html, change).toContain('govuk-error-summary');
      expect(refused.html, change).toContain(NOT_FOUND);
      // Nothing about the change itself is shown.
      expect(refused.html, change).not.toContain('change of address');
      bodies.push(
        /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(refused.html)?.[0] ?? 'missing',
      );
    }
    // The same words whether it does not exist, is someone else's, or is not the body's.
    expect(new Set(bodies).size).toBe(1);
    expect(await links()).toEqual([]);
    expect(
      await db()
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'caseplans.link.added')
        .execute(),
    ).toEqual([]);
  });

  it('the lead links the change it received by reference only; shown with its kind, date and status; audited', async () => {
    const linked = await onPlan(lead, '/links', {
      kind: 'change',
      reference: joChange.toLowerCase(),
    });
    expect(linked.status, linked.html).toBe(303);
    const rows = await links();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'change',
      reference: joChange,
      organisation_id: ids.stroud,
    });
    // A reference only: nothing of what the person told is copied into the plan's tables.
    expect(JSON.stringify(rows)).not.toContain('Ebley');
    const added = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'caseplans.link.added')
      .executeTakeFirstOrThrow();
    expect(added.details).toMatchObject({ reference, kind: 'change', linked: joChange });
    expect(added.subject_user_id).toBe(jo.userId);
    const before = (await readsBy(ids.stroud!)).length;
    const page = await lead.get(`/staff/case-plans/${reference}`);
    expect(page.html).toMatch(
      new RegExp(
        `Change of circumstances ${joChange} — Stroud District Council \\(change of address, reported on [^,]+, sent to the body\\)`,
      ),
    );
    expect(page.html).not.toContain('Ebley');
    const reads = await readsBy(ids.stroud!);
    expect(reads).toHaveLength(before + 1);
    expect(reads.at(-1)!.details).toMatchObject({ linked: [`change ${joChange}`] });
    expect(reads.at(-1)!.subject_user_id).toBe(jo.userId);
  });

  it('the status is read afresh from the sharing module each time it is shown', async () => {
    const { id } = await deliveryOf(joChange, 'stroud');
    const answered = await api('POST', `/api/v1/sharing/deliveries/${id}/answer`, stroudKey, {
      status: 'updated',
    });
    expect(answered.status).toBe(200);
    const page = await lead.get(`/staff/case-plans/${reference}`);
    expect(page.html).toContain(`${joChange} — Stroud District Council (change of address`);
    expect(page.html).toContain('the body updated its record)');
  });

  it('other bodies see the link only when the lead shares linked records with them; each read audited', async () => {
    const unshared = await county.get(`/staff/case-plans/${reference}`);
    expect(unshared.status).toBe(200);
    expect(unshared.html).not.toContain(joChange);
    expect((await readsBy(ids.gloucestershire!)).at(-1)!.details).not.toHaveProperty('linked');
    const shared = await onPlan(lead, '/sharing', {
      organisationId: ids.gloucestershire!,
      sections: ['plan', 'links'],
    });
    expect(shared.status, shared.html).toBe(303);
    const page = await county.get(`/staff/case-plans/${reference}`);
    expect(page.html).toContain(
      `${joChange} — Stroud District Council (change of address, reported on`,
    );
    const reads = await readsBy(ids.gloucestershire!);
    expect(reads.at(-1)!.details).toMatchObject({
      sections: expect.arrayContaining(['links']),
      linked: [`change ${joChange}`],
    });
    expect(reads.at(-1)!.subject_user_id).toBe(jo.userId);
    const welsh = await county.get(`/staff/case-plans/${reference}?lang=cy`);
    expect(welsh.html).toContain(`${joChange} — `);
    expect(welsh.html).toContain('(newid cyfeiriad, adroddwyd ar');
    expect(welsh.html).toContain('mae’r corff wedi diweddaru ei gofnod)');
    await county.get(`/staff/case-plans/${reference}?lang=en`);
    // Cheltenham is not shared linked records: it still does not see it.
    expect((await cheltenham.get(`/staff/case-plans/${reference}`)).html).not.toContain(joChange);
  });

  it('a plan with no account for the person links no change (nothing shows the change is theirs)', async () => {
    await lead.get('/staff/case-plans/new');
    const opened = await lead.post('/staff/case-plans/new', {
      kind: 'family-support',
      subject: 'person',
      personName: 'Jo Linked',
      leadProfessionalId: ids.leadProfessional!,
      summary: 'No account given',
    });
    expect(opened.status, opened.html).toBe(303);
    const accountless = (opened.headers.get('location') ?? '').split('/').pop()!;
    const refused = await onPlan(
      lead,
      '/links',
      { kind: 'change', reference: joChange },
      accountless,
    );
    expect(refused.status).toBe(400);
    expect(refused.html).toContain(NOT_FOUND);
    expect(await links()).toHaveLength(1);
  });

  it('a change that no longer exists shows as "no longer available"; the plan still opens', async () => {
    await db().deleteFrom('sharing_changes').where('reference', '=', joChange).execute();
    for (const visitor of [lead, county]) {
      const page = await visitor.get(`/staff/case-plans/${reference}`);
      expect(page.status).toBe(200);
      expect(page.html).toContain(
        `Change of circumstances ${joChange} — Stroud District Council (no longer available)`,
      );
      expect(page.html).not.toContain('change of address');
    }
    const welsh = await lead.get(`/staff/case-plans/${reference}?lang=cy`);
    expect(welsh.html).toContain(`${joChange} — `);
    expect(welsh.html).toContain('(nid yw ar gael mwyach)');
    await lead.get(`/staff/case-plans/${reference}?lang=en`);
  });
});
