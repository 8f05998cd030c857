import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { mailsTo } from '../../../test/helpers/outbox.js';
import { loadConfig } from '../../platform/config/config.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { createSubmission, hubDeliverySet, hubKeyCreate } from '../submissions/index.js';
import { DELIVER_TOPIC } from './commands/changes.js';
import { startBodyReceiver, type BodyReceiver } from './testing/receiver.js';

let app: TestApp;
const db = () => app.platform.database.db;
const drain = () => app.platform.worker.drain();
const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', WORKER: 'off' });
/** The three bodies told by webhook, each with its own receiver and its hub `receive` key. */
const BODIES = ['stroud', 'gloucestershire', 'dwp'] as const;
type Body = (typeof BODIES)[number];
const receivers = {} as Record<Body, BodyReceiver>;
const keys = {} as Record<string, string>;
const ids = {} as Record<string, string>;
const agreementOf = {} as Record<string, string>;

async function key(org: string, scope: string): Promise<string> {
  const created = await hubKeyCreate(db(), ['--org', org, '--scope', scope]);
  expect(created.code).toBe(0);
  return created.out[0]!;
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

/** A signed-in citizen whom the given bodies know, each by its own reference (declared rows). */
async function personKnownTo(bodies: string[]) {
  const citizen = await aSignedInCitizen(app);
  for (const slug of bodies)
    await db()
      .insertInto('sharing_relationships')
      .values({
        organisation_id: ids[slug]!,
        user_id: citizen.userId,
        body_reference: `${slug.toUpperCase()}-${citizen.userId.slice(0, 8)}`,
        matched_by: 'demo',
        matched_reference: 'test',
        declared_by_key_id: null,
      })
      .execute();
  return citizen;
}

/** Walks the journey for a change of address to Flat 1, Ebley Mill, ticking the given consents. */
async function tellMove(visitor: Visitor, consents: string[]): Promise<string> {
  await visitor.get('/tell-us-once/change');
  expect((await visitor.post('/tell-us-once/change', { type: 'change-of-address' })).status).toBe(
    303,
  );
  await visitor.get('/tell-us-once/step/postcode');
  expect((await visitor.post('/tell-us-once/step/postcode', { postcode: 'gl5 4ub' })).status).toBe(
    303,
  );
  await visitor.get('/tell-us-once/step/address');
  expect((await visitor.post('/tell-us-once/step/address', { uprn: '900000000002' })).status).toBe(
    303,
  );
  await visitor.get('/tell-us-once/step/moved');
  const moved = await visitor.post('/tell-us-once/step/moved', {
    'movedOn-day': '2',
    'movedOn-month': '11',
    'movedOn-year': '2026',
  });
  expect(moved.headers.get('location')).toBe('/tell-us-once/bodies');
  await visitor.get('/tell-us-once/bodies');
  expect((await visitor.post('/tell-us-once/bodies', { consent: consents })).status).toBe(303);
  await visitor.get('/tell-us-once/check');
  const sent = await visitor.post('/tell-us-once/check', {});
  expect(sent.status).toBe(303);
  return /\/tell-us-once\/changes\/(TUO-[A-Z0-9]+)/.exec(sent.headers.get('location')!)![1]!;
}

async function deliveriesOf(reference: string) {
  return db()
    .selectFrom('sharing_deliveries as d')
    .innerJoin('sharing_changes as c', 'c.id', 'd.change_id')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .select(['d.id', 'o.slug', 'd.status', 'd.reason', 'c.user_id'])
    .where('c.reference', '=', reference)
    .orderBy('o.slug')
    .execute();
}

async function auditOf(action: string, subject: string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('subject_user_id', '=', subject)
    .execute();
}

function arrivalsFor(body: Body, deliveryId: string) {
  return receivers[body].arrivals.filter((a) => a.idempotencyKey === deliveryId);
}

beforeAll(async () => {
  app = await startTestApp();
  for (const slug of ['stroud', 'gloucestershire', 'dwp', 'cheltenham', 'bristol', 'cardiff'])
    ids[slug] = (await findOrganisationBySlug(db(), slug))!.id;
  for (const body of BODIES) {
    receivers[body] = await startBodyReceiver();
    const set = await hubDeliverySet(db(), config, [
      '--org',
      body,
      '--mode',
      'push',
      '--url',
      receivers[body].url,
      '--alert-email',
      `alerts@${body}.example.gov.uk`,
    ]);
    expect(set.code).toBe(0);
    receivers[body].secrets = [set.out[0]!];
    keys[body] = await key(body, 'receive');
  }
  keys.cheltenham = await key('cheltenham', 'receive');
  keys.bristol = await key('bristol', 'receive');
  keys.stroudSubmit = await key('stroud', 'submit');
  // The seeded agreements for a change of address: Stroud on public task, the others on consent.
  for (const a of await db().selectFrom('sharing_agreements').selectAll().execute())
    agreementOf[a.organisation_id] = a.id;
});

afterAll(async () => {
  for (const body of BODIES) await receivers[body]?.close();
  await app?.close();
});

describe('a change of address told once to three bodies', () => {
  it('sends each body only its agreement’s fields, signed, under a live agreement and consent; shows each answer; tells the person when all are done; logs every send', async () => {
    const { visitor, userId, email } = await personKnownTo(['stroud', 'gloucestershire', 'dwp']);
    // The bodies page names each body, its purpose and basis; Stroud needs no consent.
    const reference = await tellMove(visitor, [
      agreementOf[ids.gloucestershire!]!,
      agreementOf[ids.dwp!]!,
    ]);
    const queued = await deliveriesOf(reference);
    expect(queued.map((d) => [d.slug, d.status])).toEqual([
      ['dwp', 'waiting'],
      ['gloucestershire', 'waiting'],
      ['stroud', 'waiting'],
    ]);
    const messages = await db()
      .selectFrom('outbox')
      .select('idempotency_key')
      .where('topic', '=', DELIVER_TOPIC)
      .where(
        'idempotency_key',
        'in',
        queued.map((d) => `${DELIVER_TOPIC}:${d.id}`),
      )
      .execute();
    expect(messages).toHaveLength(3); // one outbox message per (change, body)
    await drain();
    for (const delivery of queued) {
      const body = delivery.slug as Body;
      const arrivals = arrivalsFor(body, delivery.id);
      expect(arrivals).toHaveLength(1);
      expect(arrivals[0]!.verified).toBe(true);
      expect(arrivals[0]!.body).toMatchObject({
        id: delivery.id,
        type: 'change-of-address',
        reference,
        yourReference: `${body.toUpperCase()}-${userId.slice(0, 8)}`,
        data: {
          uprn: '900000000002',
          postcode: 'GL5 4UB',
          movedOn: '2026-11-02',
          address: 'Flat 1, Ebley Mill, Westward Road, Ebley, Stroud, GL5 4UB',
        },
      });
    }
    expect((await deliveriesOf(reference)).every((d) => d.status === 'sent')).toBe(true);
    expect(await auditOf('sharing.sent', userId)).toHaveLength(3);

    // Each body answers through the API with its receive key.
    const byBody = Object.fromEntries(queued.map((d) => [d.slug, d.id]));
    const answer = (body: string, status: string, reason?: string) =>
      api('POST', `/api/v1/sharing/deliveries/${byBody[body]}/answer`, keys[body]!, {
        status,
        ...(reason ? { reason } : {}),
      });
    expect((await answer('stroud', 'updated')).json).toMatchObject({ status: 'updated' });
    expect((await answer('gloucestershire', 'acknowledged')).status).toBe(200);
    const doneMails = async () =>
      (await mailsTo(db(), email)).filter((m) => m.text.includes(reference));
    expect(await doneMails()).toHaveLength(0); // DWP has not answered yet
    const failed = await answer('dwp', 'failed');
    expect(failed.status).toBe(400); // a failure needs its reason
    expect((await answer('dwp', 'failed', 'person-not-known')).status).toBe(200);
    expect((await answer('stroud', 'acknowledged')).status).toBe(409); // after its final answer
    const page = await visitor.get(`/tell-us-once/changes/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Updated');
    expect(page.html).toContain('Acknowledged');
    expect(page.html).toContain('They could not find your record');
    const mails = await doneMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Your change has been dealt with');
    expect(
      (
        await db()
          .selectFrom('sharing_changes')
          .select('status')
          .where('reference', '=', reference)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('done');
  });

  it('does not send to a body told on consent that the person did not tick, and logs why', async () => {
    const { visitor, userId } = await personKnownTo(['stroud', 'dwp']);
    const reference = await tellMove(visitor, []);
    expect((await deliveriesOf(reference)).map((d) => [d.slug, d.status, d.reason])).toEqual([
      ['dwp', 'not-sent', 'no-consent'],
      ['stroud', 'waiting', null],
    ]);
    const refusals = await auditOf('sharing.refused', userId);
    expect(refusals.map((r) => r.details)).toEqual([
      expect.objectContaining({ reason: 'no-consent', organisationId: ids.dwp }),
    ]);
    await drain();
    const [dwp] = await deliveriesOf(reference);
    expect(arrivalsFor('dwp', dwp!.id)).toHaveLength(0);
  });

  it('shows the bodies page in Welsh, with each body’s purpose and legal basis', async () => {
    const { visitor } = await personKnownTo(['stroud', 'dwp', 'cheltenham']);
    await visitor.get('/tell-us-once/change');
    await visitor.post('/tell-us-once/change', { type: 'change-of-address' });
    await visitor.post('/tell-us-once/step/postcode', { postcode: 'GL5 4UB' }, await csrf(visitor));
    await visitor.post('/tell-us-once/step/address', { uprn: '900000000001' }, await csrf(visitor));
    await visitor.post(
      '/tell-us-once/step/moved',
      { 'movedOn-day': '1', 'movedOn-month': '11', 'movedOn-year': '2026' },
      await csrf(visitor),
    );
    const english = await visitor.get('/tell-us-once/bodies');
    expect(english.html).toContain('A public task (UK GDPR Article 6(1)(e))');
    expect(english.html).toContain('To pay your benefits to the right address');
    expect(english.html).toContain('Bodies we cannot tell'); // Cheltenham: no agreement
    const welsh = await visitor.get('/tell-us-once/bodies?lang=cy');
    expect(welsh.html).toContain('Tasg gyhoeddus');
    expect(welsh.html).toContain('Cyngor Bwrdeistref Cheltenham');
  });

  it('does not let a person jump ahead in the journey', async () => {
    const { visitor } = await personKnownTo(['stroud']);
    const check = await visitor.get('/tell-us-once/check');
    expect(check.status).toBe(303);
    expect(check.headers.get('location')).toBe('/tell-us-once/change');
    await visitor.get('/tell-us-once/change');
    await visitor.post('/tell-us-once/change', { type: 'change-of-name' });
    expect((await visitor.get('/tell-us-once/bodies')).headers.get('location')).toBe(
      '/tell-us-once/step/name',
    );
    const missing = await visitor.post(
      '/tell-us-once/step/name',
      { givenName: '', familyName: 'Jones' },
      await csrf(visitor),
    );
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('Enter the first name');
    expect(missing.html).toContain('govuk-error-summary');
  });
});

/** A fresh CSRF token from a page the visitor may see. */
async function csrf(visitor: Visitor): Promise<string> {
  const page = await visitor.get('/tell-us-once');
  return /name="_csrf" value="([^"]+)"/.exec(page.html)![1]!;
}

describe('bad input and failure', () => {
  it('an event outside any agreement (a birth) is sent to nobody, each refusal logged', async () => {
    const { visitor, userId } = await personKnownTo(['stroud', 'dwp']);
    await visitor.get('/tell-us-once/change');
    await visitor.post('/tell-us-once/change', { type: 'birth' });
    await visitor.post(
      '/tell-us-once/step/child',
      { childGivenName: 'Ada', childFamilyName: 'Jones' },
      await csrf(visitor),
    );
    await visitor.post(
      '/tell-us-once/step/child-born',
      {
        'childDateOfBirth-day': '1',
        'childDateOfBirth-month': '10',
        'childDateOfBirth-year': '2026',
      },
      await csrf(visitor),
    );
    await visitor.post(
      '/tell-us-once/step/birth-register',
      { birthRegistrationReference: 'BA 1234' },
      await csrf(visitor),
    );
    const bodies = await visitor.get('/tell-us-once/bodies');
    expect(bodies.html).toContain('None of the bodies you deal with can be told');
    expect((await visitor.post('/tell-us-once/bodies', {})).status).toBe(400);
    // Sent anyway through the command: every body is recorded not sent, with why.
    const { submitChange } = await import('./commands/changes.js');
    const made = await db()
      .transaction()
      .execute((trx) =>
        submitChange(
          trx,
          {
            userId,
            type: 'birth',
            details: {
              childGivenName: 'Ada',
              childFamilyName: 'Jones',
              childDateOfBirth: '2026-10-01',
              birthRegistrationReference: 'BA 1234',
            },
            consentedAgreementIds: [],
          },
          { userId, organisationId: null, role: 'citizen' },
          app.baseUrl,
        ),
      );
    expect(made.ok).toBe(true);
    const reference = made.ok ? made.change.reference : '';
    expect((await deliveriesOf(reference)).map((d) => [d.slug, d.status, d.reason])).toEqual([
      ['dwp', 'not-sent', 'no-agreement'],
      ['stroud', 'not-sent', 'no-agreement'],
    ]);
    expect(await auditOf('sharing.refused', userId)).toHaveLength(2);
    await drain();
    for (const d of await deliveriesOf(reference))
      expect(arrivalsFor(d.slug as Body, d.id)).toHaveLength(0);
  });

  it('an agreement ended between queueing and sending: not sent, recorded', async () => {
    const { visitor, userId } = await personKnownTo(['bristol']);
    const admin = new Visitor(app.baseUrl);
    await admin.signIn('admin@cabinet-office.example.gov.uk', 'demo-platform-admin');
    await admin.get('/admin/sharing/agreements/new');
    const made = await admin.post('/admin/sharing/agreements/new', {
      organisationId: ids.bristol!,
      eventTypes: ['change-of-address'],
      fields: ['change-of-address.postcode', 'change-of-address.uprn'],
      legalBasis: 'public-task',
      purpose: 'Council Tax',
      purposeCy: 'Treth Gyngor',
      startsOn: '2026-01-01',
      endsOn: '',
    });
    expect(made.status).toBe(303);
    const agreement = await db()
      .selectFrom('sharing_agreements')
      .selectAll()
      .where('organisation_id', '=', ids.bristol!)
      .executeTakeFirstOrThrow();
    const reference = await tellMove(visitor, []);
    expect((await deliveriesOf(reference))[0]!.status).toBe('waiting');
    await admin.get('/admin/sharing');
    expect((await admin.post(`/admin/sharing/agreements/${agreement.id}/end`, {})).status).toBe(
      303,
    );
    await drain();
    expect((await deliveriesOf(reference)).map((d) => [d.status, d.reason])).toEqual([
      ['not-sent', 'agreement-ended'],
    ]);
    expect((await auditOf('sharing.refused', userId))[0]!.details).toMatchObject({
      reason: 'agreement-ended',
    });
    // Nor does it reach Bristol's pull inbox.
    const inbox = await api('GET', '/api/v1/sharing/inbox', keys.bristol!);
    expect(inbox.json.changes).toEqual([]);
  });

  it('an agreement with bad input is refused with every field named, and nothing is made', async () => {
    const admin = new Visitor(app.baseUrl);
    await admin.signIn('admin@cabinet-office.example.gov.uk', 'demo-platform-admin');
    await admin.get('/admin/sharing/agreements/new');
    const before = await db().selectFrom('sharing_agreements').select('id').execute();
    const refused = await admin.post('/admin/sharing/agreements/new', {
      organisationId: ids.cardiff!,
      eventTypes: ['change-of-name'],
      fields: ['change-of-address.postcode'],
      legalBasis: 'because',
      purpose: '',
      purposeCy: 'x',
      startsOn: '2026-02-30',
      endsOn: '',
    });
    expect(refused.status).toBe(400);
    for (const field of ['#fields', '#legalBasis', '#purpose', '#startsOn'])
      expect(refused.html).toContain(`href="${field}"`);
    expect(await db().selectFrom('sharing_agreements').select('id').execute()).toHaveLength(
      before.length,
    );
  });

  it('a consent withdrawn between queueing and sending stops the queued message: not sent', async () => {
    const { visitor, userId } = await personKnownTo(['dwp']);
    const reference = await tellMove(visitor, [agreementOf[ids.dwp!]!]);
    const [queued] = await deliveriesOf(reference);
    expect(queued!.status).toBe('waiting');
    const consents = await visitor.get('/account/consents');
    expect(consents.html).toContain('To pay your benefits to the right address');
    const consent = await db()
      .selectFrom('sharing_consents')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    expect((await visitor.post(`/account/consents/${consent.id}/withdraw`, {})).status).toBe(303);
    expect((await deliveriesOf(reference))[0]).toMatchObject({
      status: 'not-sent',
      reason: 'consent-withdrawn',
    });
    await drain();
    expect(arrivalsFor('dwp', queued!.id)).toHaveLength(0);
    expect(await auditOf('sharing.consent.withdrawn', userId)).toHaveLength(1);
    expect((await visitor.get('/account/consents')).html).toContain('Withdrawn');
  });

  it('checks the consent again at the moment of sending, even when nothing else stopped the message', async () => {
    const { visitor, userId } = await personKnownTo(['dwp']);
    const reference = await tellMove(visitor, [agreementOf[ids.dwp!]!]);
    const [queued] = await deliveriesOf(reference);
    // Withdrawn behind the command's back: only the check at sending time can stop it.
    await db()
      .updateTable('sharing_consents')
      .set({ withdrawn_at: new Date() })
      .where('user_id', '=', userId)
      .execute();
    await drain();
    expect((await deliveriesOf(reference))[0]).toMatchObject({ reason: 'consent-withdrawn' });
    expect(arrivalsFor('dwp', queued!.id)).toHaveLength(0);
  });

  it('a send the node never confirmed (it stopped mid-POST) is checked again and sent again with the same Idempotency-Key; a confirmed one is not', async () => {
    const { visitor, userId } = await personKnownTo(['dwp', 'stroud']);
    const reference = await tellMove(visitor, [agreementOf[ids.dwp!]!]);
    await drain();
    const [dwp, stroud] = await deliveriesOf(reference);
    expect(arrivalsFor('dwp', dwp!.id)).toHaveLength(1);
    // As if the worker had died during both POSTs, before it saw the answers.
    await db()
      .updateTable('sharing_deliveries')
      .set({ confirmed_at: null })
      .where('id', 'in', [dwp!.id, stroud!.id])
      .execute();
    await db()
      .updateTable('outbox')
      .set({ status: 'pending', available_at: sql`now()` })
      .where('idempotency_key', 'in', [
        `${DELIVER_TOPIC}:${dwp!.id}`,
        `${DELIVER_TOPIC}:${stroud!.id}`,
      ])
      .execute();
    await db()
      .updateTable('sharing_consents')
      .set({ withdrawn_at: new Date() })
      .where('user_id', '=', userId)
      .execute();
    await drain();
    // DWP's consent went meanwhile: not sent again, and recorded; Stroud's basis needs none.
    expect((await deliveriesOf(reference)).map((d) => [d.slug, d.status, d.reason])).toEqual([
      ['dwp', 'not-sent', 'consent-withdrawn'],
      ['stroud', 'sent', null],
    ]);
    expect(arrivalsFor('dwp', dwp!.id)).toHaveLength(1);
    expect(arrivalsFor('stroud', stroud!.id)).toHaveLength(2);
    // Confirmed (2xx seen), a repeated message sends nothing more.
    await db()
      .updateTable('outbox')
      .set({ status: 'pending', available_at: sql`now()` })
      .where('idempotency_key', '=', `${DELIVER_TOPIC}:${stroud!.id}`)
      .execute();
    await drain();
    expect(arrivalsFor('stroud', stroud!.id)).toHaveLength(2);
  });

  it('a body whose endpoint is down for three days: retried, then failed, its admins alerted and the person told', async () => {
    const { visitor, userId, email } = await personKnownTo(['stroud']);
    await receivers.stroud.down();
    try {
      const reference = await tellMove(visitor, []);
      const [delivery] = await deliveriesOf(reference);
      const key = `${DELIVER_TOPIC}:${delivery!.id}`;
      await drain();
      const message = () =>
        db()
          .selectFrom('outbox')
          .selectAll()
          .where('idempotency_key', '=', key)
          .executeTakeFirstOrThrow();
      expect((await message()).status).toBe('pending');
      expect((await deliveriesOf(reference))[0]!.status).toBe('waiting');
      // 71 hours on: tried again, still waiting.
      const age = (hours: number) =>
        db()
          .updateTable('outbox')
          .set({
            created_at: sql`now() - ${`${hours} hours`}::interval`,
            available_at: sql`now()`,
          })
          .where('idempotency_key', '=', key)
          .execute();
      await age(71);
      await drain();
      expect((await message()).status).toBe('pending');
      await age(73);
      await drain();
      expect((await message()).status).toBe('dead');
      expect((await deliveriesOf(reference))[0]).toMatchObject({
        status: 'failed',
        reason: 'endpoint-unreachable',
      });
      const alerts = await mailsTo(db(), 'alerts@stroud.example.gov.uk');
      expect(alerts.at(-1)!.subject).toContain('Stroud District Council');
      expect(alerts.at(-1)!.text).toContain(delivery!.id);
      expect(await auditOf('sharing.failed', userId)).toHaveLength(1);
      expect((await mailsTo(db(), email)).at(-1)!.text).toContain(reference);
      expect((await visitor.get(`/tell-us-once/changes/${reference}`)).html).toContain(
        'We could not reach their system for 3 days',
      );
    } finally {
      await receivers.stroud.up();
    }
  });

  it('a forged death report is held for staff verification: nothing is sent until it is verified, and a rejected one never', async () => {
    const reportDeath = async (registration: string) => {
      const { visitor, userId } = await aSignedInCitizen(app);
      await visitor.get('/tell-us-once/change');
      await visitor.post('/tell-us-once/change', { type: 'death' });
      const c = () => csrf(visitor);
      await visitor.post(
        '/tell-us-once/step/deceased',
        { deceasedGivenName: 'Pat', deceasedFamilyName: 'Example' },
        await c(),
      );
      await visitor.post(
        '/tell-us-once/step/deceased-born',
        {
          'deceasedDateOfBirth-day': '1',
          'deceasedDateOfBirth-month': '2',
          'deceasedDateOfBirth-year': '1940',
        },
        await c(),
      );
      await visitor.post(
        '/tell-us-once/step/death-date',
        { 'dateOfDeath-day': '1', 'dateOfDeath-month': '11', 'dateOfDeath-year': '2026' },
        await c(),
      );
      await visitor.post(
        '/tell-us-once/step/death-register',
        { deathRegistrationReference: registration },
        await c(),
      );
      await visitor.post(
        '/tell-us-once/step/reporter',
        { reporterRelationship: 'executor' },
        await c(),
      );
      const bodies = await visitor.get('/tell-us-once/bodies');
      expect(bodies.html).toContain('We will check a report of a death');
      await visitor.post('/tell-us-once/bodies', { consent: [agreementOf[ids.dwp!]!] });
      await visitor.get('/tell-us-once/check');
      const sent = await visitor.post('/tell-us-once/check', {});
      const reference = /(TUO-[A-Z0-9]+)/.exec(sent.headers.get('location')!)![1]!;
      return { reference, userId, visitor };
    };
    const forged = await reportDeath('FORGED-1');
    const genuine = await reportDeath('DA 998877');
    await drain();
    for (const { reference } of [forged, genuine]) {
      const deliveries = await deliveriesOf(reference);
      expect(deliveries.map((d) => [d.slug, d.status])).toEqual([
        ['dwp', 'waiting'],
        ['stroud', 'waiting'],
      ]);
      for (const d of deliveries) expect(arrivalsFor(d.slug as Body, d.id)).toHaveLength(0);
    }
    expect((await forged.visitor.get(`/tell-us-once/changes/${forged.reference}`)).html).toContain(
      'Nobody is told until it has been checked',
    );
    // Only a platform admin verifies; the read is audited with the reporter as subject.
    const caseworker = new Visitor(app.baseUrl);
    await caseworker.signIn('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
    expect((await caseworker.get('/admin/sharing/verifications')).status).toBe(404);
    const admin = new Visitor(app.baseUrl);
    await admin.signIn('admin@cabinet-office.example.gov.uk', 'demo-platform-admin');
    const changeId = async (reference: string) =>
      (
        await db()
          .selectFrom('sharing_changes')
          .select('id')
          .where('reference', '=', reference)
          .executeTakeFirstOrThrow()
      ).id;
    const forgedId = await changeId(forged.reference);
    const page = await admin.get(`/admin/sharing/verifications/${forgedId}`);
    expect(page.html).toContain('FORGED-1');
    expect(await auditOf('sharing.change.viewed', forged.userId)).toHaveLength(1);
    const noReason = await admin.post(`/admin/sharing/verifications/${forgedId}`, {
      decision: 'rejected',
      note: '',
    });
    expect(noReason.status).toBe(400);
    await admin.post(
      `/admin/sharing/verifications/${forgedId}`,
      {
        decision: 'rejected',
        note: 'No entry with this reference in the death register',
      },
      await adminCsrf(admin),
    );
    const genuineId = await changeId(genuine.reference);
    await admin.get(`/admin/sharing/verifications/${genuineId}`);
    await admin.post(`/admin/sharing/verifications/${genuineId}`, {
      decision: 'verified',
      note: 'Matches register entry DA 998877',
    });
    await drain();
    expect((await deliveriesOf(forged.reference)).map((d) => [d.status, d.reason])).toEqual([
      ['not-sent', 'report-rejected'],
      ['not-sent', 'report-rejected'],
    ]);
    const told = await deliveriesOf(genuine.reference);
    expect(told.map((d) => d.status)).toEqual(['sent', 'sent']);
    const arrival = arrivalsFor('stroud', told[1]!.id)[0]!;
    expect(arrival.body).toMatchObject({
      type: 'death',
      yourReference: null,
      data: { deathRegistrationReference: 'DA 998877', reporterRelationship: 'executor' },
    });
  });
});

async function adminCsrf(admin: Visitor): Promise<string> {
  const page = await admin.get('/admin/sharing');
  return /name="_csrf" value="([^"]+)"/.exec(page.html)![1]!;
}

describe('who may see and do what', () => {
  it('another citizen can neither see a person’s change nor withdraw their consent', async () => {
    const owner = await personKnownTo(['dwp']);
    const reference = await tellMove(owner.visitor, [agreementOf[ids.dwp!]!]);
    const consent = await db()
      .selectFrom('sharing_consents')
      .select('id')
      .where('user_id', '=', owner.userId)
      .executeTakeFirstOrThrow();
    const other = await aSignedInCitizen(app);
    expect((await other.visitor.get(`/tell-us-once/changes/${reference}`)).status).toBe(404);
    await other.visitor.get('/account/consents');
    expect((await other.visitor.post(`/account/consents/${consent.id}/withdraw`, {})).status).toBe(
      404,
    );
    const still = await db()
      .selectFrom('sharing_consents')
      .select('withdrawn_at')
      .where('id', '=', consent.id)
      .executeTakeFirstOrThrow();
    expect(still.withdrawn_at).toBeNull();
    expect((await owner.visitor.get(`/tell-us-once/changes/${reference}`)).status).toBe(200);
  });

  it('staff cannot use a citizen’s pages, nor the admin pages unless platform admins', async () => {
    const caseworker = new Visitor(app.baseUrl);
    await caseworker.signIn('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
    expect((await caseworker.get('/tell-us-once')).status).toBe(404);
    expect((await caseworker.get('/account/consents')).status).toBe(404);
    expect((await caseworker.get('/admin/sharing')).status).toBe(404);
    const citizen = await aSignedInCitizen(app);
    expect((await citizen.visitor.get('/admin/sharing')).status).toBe(404);
  });

  it('a body answers only about changes sent to it; another body’s key gets 404 and a submit key 403', async () => {
    const { visitor } = await personKnownTo(['stroud']);
    const reference = await tellMove(visitor, []);
    await drain();
    const [delivery] = await deliveriesOf(reference);
    const path = `/api/v1/sharing/deliveries/${delivery!.id}/answer`;
    expect((await api('POST', path, keys.cheltenham!, { status: 'updated' })).status).toBe(404);
    expect((await api('POST', path, keys.stroudSubmit!, { status: 'updated' })).status).toBe(403);
    expect((await api('POST', path, 'juhub.nope', { status: 'updated' })).status).toBe(401);
    expect((await deliveriesOf(reference))[0]!.status).toBe('sent');
    expect((await api('POST', path, keys.stroud!, { status: 'updated' })).status).toBe(200);
  });
});

describe('relationships bodies declare through the API', () => {
  it('matches exactly by an application the person sent the body; unknown is 404, bad input 400, someone else’s reference 409', async () => {
    const { userId } = await aSignedInCitizen(app);
    const service = await db()
      .selectFrom('services')
      .select(['id', 'organisation_id'])
      .where('organisation_id', '=', ids.stroud!)
      .executeTakeFirstOrThrow();
    const submission = await db()
      .transaction()
      .execute((trx) =>
        createSubmission(
          trx,
          {
            draftId: crypto.randomUUID(),
            serviceId: service.id,
            organisationId: service.organisation_id,
            applicantUserId: userId,
            answers: { values: {}, summary: { en: [], cy: [] } },
          },
          { userId, organisationId: null, role: 'citizen' },
        ),
      );
    const declare = (body: unknown, key = keys.stroud!) =>
      api('POST', '/api/v1/sharing/relationships', key, body);
    const made = await declare({
      reference: 'CT-777',
      match: { submissionReference: submission.reference },
    });
    expect(made.status).toBe(200);
    expect(made.json).toMatchObject({
      reference: 'CT-777',
      matchedBy: 'submission',
      created: true,
    });
    expect(
      (await declare({ reference: 'CT-777', match: { submissionReference: submission.reference } }))
        .status,
    ).toBe(200);
    expect(await auditOf('sharing.relationship.declared', userId)).toHaveLength(1);
    // The same application is not Cheltenham's: Cheltenham cannot claim the person by it.
    const unknown = await declare(
      { reference: 'X-1', match: { submissionReference: submission.reference } },
      keys.cheltenham!,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors[0].error).toBe('person_not_found');
    expect(
      (await declare({ reference: 'X-2', match: { enrolmentReference: 'no-such-record' } })).status,
    ).toBe(404);
    const bad = await declare({ reference: '', match: { name: 'Sam', dateOfBirth: '1980-01-01' } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].message).toContain('body.');
    const other = await aSignedInCitizen(app);
    const theirs = await db()
      .transaction()
      .execute((trx) =>
        createSubmission(
          trx,
          {
            draftId: crypto.randomUUID(),
            serviceId: service.id,
            organisationId: service.organisation_id,
            applicantUserId: other.userId,
            answers: { values: {}, summary: { en: [], cy: [] } },
          },
          { userId: other.userId, organisationId: null, role: 'citizen' },
        ),
      );
    const clash = await declare({
      reference: 'CT-777',
      match: { submissionReference: theirs.reference },
    });
    expect(clash.status).toBe(409);
    // Declared, Stroud is one of the person's bodies for a change.
    const { relationshipsOf } = await import('./queries/relationships.js');
    const known = await relationshipsOf(db(), userId);
    expect(known.find((r) => r.organisationId === ids.stroud)).toMatchObject({
      bodyReference: 'CT-777',
      sources: ['declared', 'application'],
    });
    expect((await api('DELETE', '/api/v1/sharing/relationships/CT-777', keys.stroud!)).status).toBe(
      200,
    );
    expect((await api('DELETE', '/api/v1/sharing/relationships/CT-777', keys.stroud!)).status).toBe(
      404,
    );
  });

  it('matches exactly by a record the person enrolled into (active only), never by a pending enrolment', async () => {
    const record = await db()
      .selectFrom('enrolment_records')
      .select('id')
      .where('held_by', '=', ids.stroud!)
      .where('reference', '=', '40318275')
      .executeTakeFirstOrThrow();
    const enrol = async (status: 'pending' | 'active') => {
      const { userId } = await aSignedInCitizen(app);
      await db()
        .insertInto('enrolments')
        .values({
          user_id: userId,
          record_id: record.id,
          status,
          code_expires_at: new Date(Date.now() + 86_400_000),
          activated_at: status === 'active' ? new Date() : null,
        })
        .execute();
      return userId;
    };
    const pending = await enrol('pending');
    const declare = (reference: string) =>
      api('POST', '/api/v1/sharing/relationships', keys.stroud!, {
        reference,
        match: { enrolmentReference: '40318275' },
      });
    expect((await declare('CT-PENDING')).status).toBe(404);
    expect(await auditOf('sharing.relationship.declared', pending)).toHaveLength(0);
    const active = await enrol('active');
    const made = await declare('CT-ACTIVE');
    expect(made.json).toMatchObject({ matchedBy: 'enrolment', created: true });
    const row = await db()
      .selectFrom('sharing_relationships')
      .select('user_id')
      .where('body_reference', '=', 'CT-ACTIVE')
      .executeTakeFirstOrThrow();
    expect(row.user_id).toBe(active);
  });

  it('a body in pull mode takes its changes from the inbox with a cursor, each checked at sending', async () => {
    const admin = new Visitor(app.baseUrl);
    await admin.signIn('admin@cabinet-office.example.gov.uk', 'demo-platform-admin');
    await admin.get('/admin/sharing/agreements/new');
    await admin.post('/admin/sharing/agreements/new', {
      organisationId: ids.cardiff!,
      eventTypes: ['change-of-address', 'change-of-name'],
      fields: ['change-of-address.postcode'],
      legalBasis: 'consent',
      purpose: 'Electoral register',
      purposeCy: 'Cofrestr etholiadol',
      startsOn: '2026-01-01',
      endsOn: '2099-12-31',
    });
    const agreement = await db()
      .selectFrom('sharing_agreements')
      .select('id')
      .where('organisation_id', '=', ids.cardiff!)
      .executeTakeFirstOrThrow();
    const cardiffKey = await key('cardiff', 'receive');
    const first = await personKnownTo(['cardiff']);
    const second = await personKnownTo(['cardiff']);
    const one = await tellMove(first.visitor, [agreement.id]);
    const two = await tellMove(second.visitor, [agreement.id]);
    await drain();
    const page1 = await api('GET', '/api/v1/sharing/inbox?limit=1', cardiffKey);
    expect(page1.status).toBe(200);
    expect(page1.json.changes).toHaveLength(1);
    expect(page1.json.more).toBe(true);
    expect(page1.json.changes[0]).toMatchObject({ reference: one, data: { postcode: 'GL5 4UB' } });
    expect(Object.keys(page1.json.changes[0].data)).toEqual(['postcode']); // only the agreement's field
    // The second person withdraws before Cardiff takes it: it is never handed over.
    const consent = await db()
      .selectFrom('sharing_consents')
      .select('id')
      .where('user_id', '=', second.userId)
      .executeTakeFirstOrThrow();
    await second.visitor.get('/account/consents');
    await second.visitor.post(`/account/consents/${consent.id}/withdraw`, {});
    const page2 = await api('GET', `/api/v1/sharing/inbox?after=${page1.json.cursor}`, cardiffKey);
    expect(page2.json.changes).toEqual([]);
    expect((await deliveriesOf(two))[0]).toMatchObject({
      status: 'not-sent',
      reason: 'consent-withdrawn',
    });
    // Not yet answered, the first is offered again from the start.
    expect(
      (await api('GET', '/api/v1/sharing/inbox', cardiffKey)).json.changes.map(
        (c: { reference: string }) => c.reference,
      ),
    ).toEqual([one]);
    expect(
      (
        await api(
          'POST',
          `/api/v1/sharing/deliveries/${page1.json.changes[0].id}/answer`,
          cardiffKey,
          { status: 'updated' },
        )
      ).status,
    ).toBe(200);
    expect((await api('GET', '/api/v1/sharing/inbox', cardiffKey)).json.changes).toEqual([]);
    expect(await auditOf('sharing.sent', first.userId)).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ via: 'pull', fields: ['postcode'] }),
      }),
    ]);
  });
});

describe('My data', () => {
  it('lists the person’s changes, each body’s status and their consents', async () => {
    const { visitor, userId } = await personKnownTo(['dwp']);
    const reference = await tellMove(visitor, [agreementOf[ids.dwp!]!]);
    const { personalDataOf } = await import('./queries/personal-data.js');
    const sections = await personalDataOf(db(), userId);
    expect(sections.map((s) => s.key)).toEqual([
      'sharing-changes',
      'sharing-deliveries',
      'sharing-consents',
    ]);
    expect(sections[0]!.rows[0]).toMatchObject({ reference, type: 'change-of-address' });
    expect(sections[1]!.rows[0]).toMatchObject({
      change: reference,
      body: 'Department for Work and Pensions',
      status: 'waiting',
    });
    expect(sections[2]!.rows[0]).toMatchObject({ legalBasis: 'consent', withdrawnAt: null });
  });
});

describe('the rest of the platform', () => {
  it('documents the bodies’ API in /api/openapi.json', async () => {
    const document = (await (await fetch(`${app.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/api/v1/sharing/relationships',
      '/api/v1/sharing/inbox',
      '/api/v1/sharing/deliveries/{id}/answer',
    ])
      expect(document.paths[path]).toBeDefined();
  });

  it('a deleted account shares nothing more: its consents are withdrawn and what waits is not sent', async () => {
    const { visitor, userId } = await personKnownTo(['dwp']);
    const reference = await tellMove(visitor, [agreementOf[ids.dwp!]!]);
    const { sharingModule } = await import('./module.js');
    await db()
      .transaction()
      .execute((trx) => sharingModule.onAccountEvent!(trx, { type: 'deleted', userId }));
    expect((await deliveriesOf(reference))[0]).toMatchObject({
      status: 'not-sent',
      reason: 'consent-withdrawn',
    });
    const live = await db()
      .selectFrom('sharing_consents')
      .select('id')
      .where('user_id', '=', userId)
      .where('withdrawn_at', 'is', null)
      .execute();
    expect(live).toEqual([]);
  });
});
