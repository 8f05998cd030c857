/**
 * Every module that holds a person's data says what it holds about them, and only about them:
 * two people with records in every such module, each module's `personalDataOf` asked for one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { applyForBulkyWaste } from '../../../test/helpers/journeys.js';
import { MODULES } from '../../main/modules.js';
import type { PersonalDataSection } from '../../platform/http/types.js';
import { searchServices } from '../catalogue/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';

let app: TestApp;
const db = () => app.platform.database.db;

interface Person {
  id: string;
  email: string;
  /** A word put in every record made for this person, and nowhere else. */
  mark: string;
  reference: string;
}
const people: Person[] = [];

async function seed(person: Person, stroudId: string, serviceId: string) {
  const { id, email, mark, reference } = person;
  const record = await db()
    .insertInto('enrolment_records')
    .values({
      held_by: stroudId,
      service: 'council-tax',
      reference: `CT-${mark}`,
      postcode: 'GL5 4UB',
      holder_name: `Holder ${mark}`,
      address_lines: JSON.stringify([`1 ${mark} Street`]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db()
    .insertInto('enrolments')
    .values({
      user_id: id,
      record_id: record.id,
      status: 'active',
      code_expires_at: new Date(),
      activated_at: new Date(),
    })
    .execute();
  await db()
    .insertInto('enrolment_attempts')
    .values({ user_id: id, record_service: 'council-tax', held_by: stroudId, matched: true })
    .execute();
  const agent = await db()
    .insertInto('business_accounts')
    .values({ name: `Agents ${mark}`, type: 'business', is_agent: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db()
    .insertInto('agent_authorities')
    .values({
      agent_business_id: agent.id,
      client_user_id: id,
      status: 'requested',
      expires_at: new Date(Date.now() + 86_400_000),
    })
    .execute();
  await db()
    .insertInto('business_invitations')
    .values({
      business_id: agent.id,
      email: email.toUpperCase(),
      expires_at: new Date(Date.now() + 86_400_000),
    })
    .execute();
  await db()
    .insertInto('business_members')
    .values({ business_id: agent.id, user_id: id, role: 'administrator' })
    .execute();
  await db()
    .insertInto('payments')
    .values({
      external_id: randomBytes(13).toString('hex'),
      organisation_id: stroudId,
      amount: 1234,
      description: `Payment ${mark}`,
      reference: `PAY-${mark}`,
      return_url: 'https://example.com/',
      language: 'en',
      email: email.toUpperCase(),
      metadata: null,
      status: 'success',
      gateway: 'sandbox',
      cardholder_name: `Card ${mark}`,
      card_last_four: '4242',
    })
    .execute();
  const resource = await db()
    .selectFrom('booking_resources')
    .select(['id', 'organisation_id'])
    .where('slug', '=', 'subscription-rooms-main-hall')
    .executeTakeFirstOrThrow();
  const startsAt = new Date('2027-06-01T10:00:00Z');
  await db()
    .insertInto('booking_slots')
    .values({ resource_id: resource.id, starts_at: startsAt, capacity: 5 })
    .onConflict((oc) => oc.columns(['resource_id', 'starts_at']).doNothing())
    .execute();
  await db()
    .insertInto('bookings')
    .values({
      reference: `BK-${randomBytes(4).toString('hex').toUpperCase()}`,
      resource_id: resource.id,
      organisation_id: resource.organisation_id,
      user_id: id,
      person_name: `Booker ${mark}`,
      email,
      language: 'en',
      starts_at: startsAt,
      ends_at: new Date('2027-06-01T11:00:00Z'),
      amount: 0,
      status: 'confirmed',
    })
    .execute();
  await db()
    .insertInto('form_drafts')
    .values({
      user_id: id,
      service_id: serviceId,
      answers: JSON.stringify({ note: `Draft ${mark}` }),
    })
    .execute();
  await db()
    .insertInto('attachments')
    .values({
      storage_key: randomBytes(16).toString('hex'),
      owner_user_id: id,
      filename: `file-${mark}.pdf`,
      content_type: 'application/pdf',
      size_bytes: 321,
      sha256: randomBytes(32).toString('hex'),
    })
    .execute();
  const submission = await db()
    .selectFrom('submissions')
    .select(['id', 'service_id'])
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
  await db()
    .insertInto('open311_requests')
    .values({
      submission_id: submission.id,
      reference: `R-${mark}`,
      service_code: 'fly-tipping',
      organisation_id: stroudId,
      service_id: submission.service_id,
      district_gss: null,
      postcode: 'GL5 4UB',
      latitude: 51.74,
      longitude: -2.22,
      public_address: `${mark} Lane, Stroud`,
      media_url: null,
      channel: 'web',
      key_id: null,
    })
    .execute();
  await db()
    .insertInto('audit_log')
    .values({
      action: 'sso.signed_in',
      actor_user_id: id,
      actor_organisation_id: null,
      actor_role: null,
      subject_user_id: id,
      resource_type: 'oidc_client',
      resource_id: `client-${mark}`,
      details: JSON.stringify({ client: `Service ${mark}` }),
    })
    .execute();
}

beforeAll(async () => {
  app = await startTestApp();
  const stroudId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  const serviceId = (await searchServices(db(), 'en', 'bulky waste'))[0]!.id;
  for (const mark of ['Quokka', 'Zebra']) {
    const { visitor, userId, email } = await aSignedInCitizen(app, {
      email: `${mark.toLowerCase()}@example.com`,
    });
    const reference = await applyForBulkyWaste(visitor);
    const person = { id: userId, email, mark, reference };
    await seed(person, stroudId, serviceId);
    people.push(person);
  }
  await app.platform.worker.drain();
}, 120_000);

afterAll(async () => {
  await app?.close();
});

async function sectionsOf(person: Person): Promise<Map<string, PersonalDataSection[]>> {
  const found = new Map<string, PersonalDataSection[]>();
  for (const module of MODULES)
    if (module.personalDataOf) found.set(module.name, await module.personalDataOf(db(), person.id));
  return found;
}

const rowsOf = (sections: PersonalDataSection[] | undefined, key: string) =>
  sections?.find((s) => s.key === key)?.rows ?? [];

describe('each module’s personalDataOf', () => {
  it('is given by every module that holds a person’s account-linked data', () => {
    const given = MODULES.filter((m) => m.personalDataOf).map((m) => m.name);
    expect(given).toEqual(
      expect.arrayContaining([
        'identity',
        'enrolment',
        'agents',
        'submissions',
        'casework',
        'inbox',
        'payments',
        'fees',
        'bookings',
        'reminders',
        'home',
        'forms',
        'attachments',
        'open311',
        'sso',
        'notify',
        'mydata',
      ]),
    );
    // The registers module's records are bodies' registers, matched on facts, not linked to an account.
    expect(given).not.toContain('registers');
  });

  it('returns the person’s records in every module, and none of another person’s', async () => {
    const [quokka, zebra] = people as [Person, Person];
    const mine = await sectionsOf(quokka);
    const text = JSON.stringify([...mine.entries()]);
    expect(text).toContain(quokka.mark);
    expect(text).not.toContain(zebra.mark);
    expect(text).not.toContain(zebra.email);
    expect(text).not.toContain(zebra.reference);

    expect(rowsOf(mine.get('identity'), 'profile')[0]).toMatchObject({ email: quokka.email });
    const account = await db()
      .selectFrom('users')
      .select(['password_hash'])
      .where('id', '=', quokka.id)
      .executeTakeFirstOrThrow();
    expect(text).not.toContain(account.password_hash);
    const fields = [...mine.values()].flat().flatMap((s) => s.rows.flatMap((r) => Object.keys(r)));
    expect(fields.filter((f) => /[hH]ash|[sS]ecret|[tT]otp|[tT]oken|^code$|Code$/.test(f))).toEqual(
      [],
    );
    expect(rowsOf(mine.get('enrolment'), 'enrolments')[0]).toMatchObject({
      reference: `CT-${quokka.mark}`,
      body: 'Stroud District Council',
      status: 'active',
    });
    expect(rowsOf(mine.get('enrolment'), 'enrolment-attempts')).toHaveLength(1);
    expect(rowsOf(mine.get('agents'), 'agent-authorities')[0]).toMatchObject({
      agent: `Agents ${quokka.mark}`,
    });
    expect(rowsOf(mine.get('agents'), 'business-accounts')).toHaveLength(1);
    expect(rowsOf(mine.get('agents'), 'business-invitations')[0]).toMatchObject({
      business: `Agents ${quokka.mark}`,
    });
    expect(rowsOf(mine.get('submissions'), 'applications').map((r) => r.reference)).toEqual([
      quokka.reference,
    ]);
    expect(rowsOf(mine.get('casework'), 'cases').map((r) => r.reference)).toEqual([
      quokka.reference,
    ]);
    expect(rowsOf(mine.get('payments'), 'payments')[0]).toMatchObject({
      description: `Payment ${quokka.mark}`,
      cardLastFour: '4242',
    });
    expect(rowsOf(mine.get('bookings'), 'bookings')[0]).toMatchObject({
      name: `Booker ${quokka.mark}`,
    });
    expect(rowsOf(mine.get('forms'), 'drafts')[0]!.answers).toContain(`Draft ${quokka.mark}`);
    expect(rowsOf(mine.get('attachments'), 'files')[0]).toMatchObject({
      fileName: `file-${quokka.mark}.pdf`,
      sizeBytes: 321,
    });
    expect(rowsOf(mine.get('open311'), 'problem-reports')[0]).toMatchObject({
      address: `${quokka.mark} Lane, Stroud`,
    });
    expect(rowsOf(mine.get('sso'), 'single-sign-on')[0]).toMatchObject({
      service: `Service ${quokka.mark}`,
      signIns: 1,
    });
    const sent = rowsOf(mine.get('notify'), 'sent-to-you');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((n) => n.to === quokka.email)).toBe(true);
    // The platform's own messages (with their codes) are never given back.
    expect(sent.every((n) => n.message === null)).toBe(true);
  });

  it('answers for an unknown person with no records at all', async () => {
    for (const module of MODULES) {
      const sections = (await module.personalDataOf?.(db(), randomUUID())) ?? [];
      expect(
        sections.flatMap((s) => s.rows),
        module.name,
      ).toEqual([]);
    }
  });
});
