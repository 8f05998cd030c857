import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hiddenValue,
  startTestApp,
  Visitor,
  weekdayAhead,
  type TestApp,
} from '../../../test/helpers/app.js';
import { DEMO_STAFF, signedInStaff, type DemoStaff } from '../../../test/helpers/staff.js';
import { aConfirmedCitizen, aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { createSubmission } from '../submissions/index.js';
import { contactRetention } from './retention.js';
import { sendParkingPermit } from '../../../test/helpers/journeys.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

const staff = (who: DemoStaff) => signedInStaff(app, who);

async function organisationId(slug: string): Promise<string> {
  const row = await db()
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An application of the customer to a body, made directly (any published service of that body). */
async function applicationTo(customerId: string, slug: string): Promise<string> {
  const organisation = await organisationId(slug);
  const service = await db()
    .selectFrom('services')
    .select('id')
    .where('organisation_id', '=', organisation)
    .orderBy('slug')
    .executeTakeFirstOrThrow();
  const submission = await createSubmission(
    db(),
    {
      serviceId: service.id,
      organisationId: organisation,
      applicantUserId: customerId,
      answers: { values: {}, summary: { en: [], cy: [] }, nextSteps: { en: '', cy: '' } },
    },
    { userId: customerId, organisationId: null, role: 'citizen' },
  );
  return submission.reference;
}

const PHONE = '+447700900456';

/** A customer with a phone number, so the adviser can ask for their e-mail and phone. */
async function aCustomer() {
  return aConfirmedCitizen(db(), { phone: PHONE, displayName: 'Casey Customer' });
}

async function auditOf(action: string, subject: string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('subject_user_id', '=', subject)
    .orderBy('id')
    .execute();
}

/** The adviser confirms the caller with the right (or given) answers and a reason. */
async function confirm(
  adviser: Visitor,
  customer: { id: string; email: string },
  answers: Record<string, string> = {},
) {
  await adviser.get(`/adviser/customers/${customer.id}/confirm`);
  return adviser.post(`/adviser/customers/${customer.id}/confirm`, {
    reason: 'customer-called',
    details: '',
    email: customer.email,
    phone: '07700 900456',
    ...answers,
  });
}

describe('finding and confirming the customer', () => {
  it('finds a customer by e-mail, phone and by an application reference, and audits the search', async () => {
    const customer = await aCustomer();
    const reference = await applicationTo(customer.id, 'stroud');
    const adviser = await staff('adviser');
    for (const query of [
      `email=${encodeURIComponent(customer.email)}`,
      'phone=07700%20900456',
      `reference=${reference.toLowerCase()}`,
    ]) {
      const page = await adviser.get(`/adviser?${query}`);
      expect(page.status, query).toBe(200);
      expect(page.html).toContain(`/adviser/customers/${customer.id}/confirm`);
    }
    const searches = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'crm.customer.searched')
      .execute();
    expect(searches.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(searches)).not.toContain(customer.email);
  });

  it('finds a verified customer by name, date of birth and postcode, and confirms them by those facts', async () => {
    const customer = await aCustomer();
    await db()
      .insertInto('verified_identities')
      .values({
        user_id: customer.id,
        given_name: 'Morwenna',
        family_name: 'Trelawny',
        birthdate: '1961-08-14',
        address: JSON.stringify({
          lines: ['3 Lansdown'],
          town: 'Stroud',
          postcode: 'GL5 1BB',
          country: 'GB',
        }),
        method: 'face-to-face',
      })
      .execute();
    const adviser = await staff('adviser');
    const found = await adviser.get(
      '/adviser?name=trelawny&birthDay=14&birthMonth=8&birthYear=1961&postcode=gl51bb',
    );
    expect(found.status).toBe(200);
    expect(found.html).toContain(`/adviser/customers/${customer.id}/confirm`);
    const wrongYear = await adviser.get(
      '/adviser?name=trelawny&birthDay=14&birthMonth=8&birthYear=1962',
    );
    expect(wrongYear.html).not.toContain(`/adviser/customers/${customer.id}/confirm`);
    const passed = await confirm(adviser, customer, {
      email: '',
      phone: '',
      birthDay: '14',
      birthMonth: '08',
      birthYear: '1961',
      postcode: 'GL5 1BB',
    });
    expect(passed.status).toBe(303);
    const view = await adviser.get(`/adviser/customers/${customer.id}`);
    expect(view.html).toContain('Morwenna Trelawny');
    expect(view.html).toContain('14 August 1961');
  });

  it('shows an empty search with an error summary and 400', async () => {
    const adviser = await staff('adviser');
    const page = await adviser.get('/adviser?postcode=nonsense');
    expect(page.status).toBe(400);
    expect(page.html).toContain('govuk-error-summary');
    expect(page.html).toContain('href="#postcode"');
  });

  it('refuses to open a record without a reason, and logs the refusal', async () => {
    const customer = await aCustomer();
    const adviser = await staff('adviser');
    const direct = await adviser.get(`/adviser/customers/${customer.id}`);
    expect(direct.status).toBe(403);
    expect(direct.html).not.toContain(customer.email);
    const noReason = await confirm(adviser, customer, { reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('href="#reason"');
    const refusals = await auditOf('crm.customer.refused', customer.id);
    expect(refusals.map((r) => r.details.refusal)).toEqual(['no-reason', 'no-reason']);
    expect(await auditOf('crm.customer.viewed', customer.id)).toHaveLength(0);
  });

  it('refuses the record after a wrong answer, recording the check as failed without the answers', async () => {
    const customer = await aCustomer();
    const adviser = await staff('adviser');
    const failed = await confirm(adviser, customer, { phone: '07700 900999' });
    expect(failed.status).toBe(403);
    const check = await db()
      .selectFrom('crm_identity_checks')
      .selectAll()
      .where('customer_user_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(check.passed).toBe(false);
    expect(check.results).toEqual({ email: 'passed', phone: 'failed' });
    expect(JSON.stringify(check)).not.toContain('900999');
    expect(await auditOf('crm.identity_check.failed', customer.id)).toHaveLength(1);
    const view = await adviser.get(`/adviser/customers/${customer.id}`);
    expect(view.status).toBe(403);
    const refusals = await auditOf('crm.customer.refused', customer.id);
    expect(refusals.map((r) => r.details.refusal)).toContain('identity-failed');
  });

  it('asks for at least two answers', async () => {
    const customer = await aCustomer();
    const adviser = await staff('adviser');
    const one = await confirm(adviser, customer, { phone: '' });
    expect(one.status).toBe(400);
    expect(
      await db()
        .selectFrom('crm_identity_checks')
        .selectAll()
        .where('customer_user_id', '=', customer.id)
        .execute(),
    ).toHaveLength(0);
  });

  it('opens the record after a passed check, and the customer sees the reason in their access log', async () => {
    const customer = await aSignedInCitizen(app, { phone: PHONE });
    const adviser = await staff('adviser');
    const passed = await confirm(adviser, { id: customer.userId, email: customer.email });
    expect(passed.status).toBe(303);
    expect(passed.headers.get('location')).toBe(`/adviser/customers/${customer.userId}`);
    const view = await adviser.get(`/adviser/customers/${customer.userId}`);
    expect(view.status).toBe(200);
    expect(view.html).toContain(customer.email);
    const viewed = await auditOf('crm.customer.viewed', customer.userId);
    expect(viewed).toHaveLength(1);
    expect(viewed[0]!.actor_role).toBe('counter-adviser');
    expect(viewed[0]!.details.accessReason).toBe('customer-called');
    const myData = await customer.visitor.get('/account/my-data');
    expect(myData.status).toBe(200);
    const accessLog = myData.html.slice(
      myData.html.indexOf('id="access-log"'),
      myData.html.indexOf('</table>', myData.html.indexOf('id="access-log"')),
    );
    expect(accessLog).toContain('Gloucestershire Customer Contact Centre');
    expect(accessLog).toContain('Your records, at a contact centre');
    expect(accessLog).toContain('You called them');
  });
});

describe('who reaches the desk', () => {
  it('gives a citizen and a caseworker 404', async () => {
    const { visitor } = await aSignedInCitizen(app);
    const customer = await aCustomer();
    expect((await visitor.get('/adviser')).status).toBe(404);
    expect((await visitor.get(`/adviser/customers/${customer.id}`)).status).toBe(404);
    const caseworker = await staff('caseworker');
    expect((await caseworker.get('/adviser')).status).toBe(404);
    expect((await caseworker.get('/admin/contact-centres')).status).toBe(404);
  });

  it('refuses an adviser of a body with no sharing agreement, and logs it', async () => {
    const customer = await aCustomer();
    const counter = await staff('counter');
    expect((await counter.get('/adviser')).status).toBe(403);
    const confirmed = await confirm(counter, customer);
    expect(confirmed.status).toBe(403);
    expect(
      await db()
        .selectFrom('crm_identity_checks')
        .selectAll()
        .where('customer_user_id', '=', customer.id)
        .execute(),
    ).toHaveLength(0);
    const view = await counter.get(`/adviser/customers/${customer.id}`);
    expect(view.status).toBe(403);
    expect(view.html).not.toContain(customer.email);
    const refusals = await auditOf('crm.customer.refused', customer.id);
    expect(refusals.map((r) => r.details.refusal)).toEqual(['no-agreement', 'no-agreement']);
  });

  it('does not carry one adviser’s open record to another adviser', async () => {
    const customer = await aCustomer();
    const adviser = await staff('adviser');
    expect((await confirm(adviser, customer)).status).toBe(303);
    const other = await staff('counter');
    expect((await other.get(`/adviser/customers/${customer.id}`)).status).toBe(403);
  });
});

describe('the customer view’s hiding rules', () => {
  it('shows the contact centre only what bodies share with it, kind by kind', async () => {
    const customer = await aCustomer();
    const stroud = await applicationTo(customer.id, 'stroud');
    const county = await applicationTo(customer.id, 'gloucestershire');
    const cheltenham = await applicationTo(customer.id, 'cheltenham');
    const adviser = await staff('adviser');
    expect((await confirm(adviser, customer)).status).toBe(303);
    let view = await adviser.get(`/adviser/customers/${customer.id}`);
    expect(view.status).toBe(200);
    expect(view.html).toContain(stroud);
    expect(view.html).toContain(county);
    expect(view.html).toContain('Stroud District Council');
    // Cheltenham has no agreement with the contact centre.
    expect(view.html).not.toContain(cheltenham);

    // The administrator narrows Stroud's agreement to payments only: its applications go.
    const admin = await staff('admin');
    await admin.get('/admin/contact-centres');
    const changed = await admin.post('/admin/contact-centres', {
      contactCentreId: await organisationId('glos-contact-centre'),
      owningBodyId: await organisationId('stroud'),
      itemKinds: ['payments'],
    });
    expect(changed.status).toBe(303);
    view = await adviser.get(`/adviser/customers/${customer.id}`);
    expect(view.html).not.toContain(stroud);
    expect(view.html).toContain(county);
    const audits = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['crm.agreement.created', 'crm.agreement.ended'])
      .where('actor_role', '=', 'platform-admin')
      .execute();
    expect(audits.map((a) => a.action).sort()).toEqual([
      'crm.agreement.created',
      'crm.agreement.ended',
    ]);

    // Back as it was, for the other tests.
    await admin.post('/admin/contact-centres', {
      contactCentreId: await organisationId('glos-contact-centre'),
      owningBodyId: await organisationId('stroud'),
      itemKinds: [
        'applications',
        'enrolments',
        'payments',
        'bookings',
        'messages',
        'changes',
        'contacts',
      ],
    });
  });

  it('refuses a bad agreement with an error summary and changes nothing', async () => {
    const admin = await staff('admin');
    await admin.get('/admin/contact-centres');
    const before = await db().selectFrom('crm_sharing_agreements').selectAll().execute();
    const bad = await admin.post('/admin/contact-centres', {
      contactCentreId: await organisationId('stroud'),
      owningBodyId: await organisationId('stroud'),
      itemKinds: ['everything'],
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#owningBodyId"');
    expect(bad.html).toContain('href="#itemKinds"');
    expect(await db().selectFrom('crm_sharing_agreements').selectAll().execute()).toEqual(before);
  });
});

describe('assisted digital and the contact log', () => {
  it('refuses to start a service without the customer’s consent, and logs it', async () => {
    const customer = await aCustomer();
    const adviser = await staff('adviser');
    expect((await confirm(adviser, customer)).status).toBe(303);
    await adviser.get(`/adviser/customers/${customer.id}/assist`);
    const refused = await adviser.post(`/adviser/customers/${customer.id}/assist`, {
      serviceSlug: 'request-a-bulky-waste-collection',
      channel: 'phone',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('href="#consent"');
    expect(
      await db()
        .selectFrom('crm_assisting_sessions')
        .selectAll()
        .where('customer_user_id', '=', customer.id)
        .execute(),
    ).toHaveLength(0);
    const refusals = await auditOf('crm.customer.refused', customer.id);
    expect(refusals.map((r) => r.details.refusal)).toEqual(['no-consent']);
  });

  it('fills in a service for the customer: the application is theirs, by phone, with the adviser recorded', async () => {
    const customer = await aCustomer();
    const adviser = await staff('adviser');
    expect((await confirm(adviser, customer)).status).toBe(303);
    await adviser.get(`/adviser/customers/${customer.id}/assist`);
    const started = await adviser.post(`/adviser/customers/${customer.id}/assist`, {
      serviceSlug: 'request-a-bulky-waste-collection',
      channel: 'phone',
      consent: 'yes',
    });
    expect(started.status, started.html).toBe(303);
    const base = '/services/request-a-bulky-waste-collection/apply';
    expect(started.headers.get('location')).toBe(base);
    const post = async (page: string, fields: Record<string, string | string[]>) => {
      await adviser.get(`${base}/${page}`);
      const response = await adviser.post(`${base}/${page}`, { actingFor: customer.id, ...fields });
      expect(response.status, `${page}: ${response.html.slice(0, 300)}`).toBe(303);
    };
    await post('items', { items: ['sofa'], itemDetails: '' });
    await post('address', {
      addressLine1: '1 High Street',
      addressLine2: '',
      town: 'Stroud',
      postcode: 'GL5 4UB',
    });
    const [d, m, y] = weekdayAhead(7);
    await post('date', {
      'preferredDate-day': d,
      'preferredDate-month': m,
      'preferredDate-year': y,
    });
    const check = await adviser.get(`${base}/check-answers`);
    expect(check.status).toBe(200);
    const sent = await adviser.post(`${base}/submit`, {
      actingFor: customer.id,
      draftId: hiddenValue(check.html, 'draftId'),
    });
    expect(sent.status, sent.html.slice(0, 300)).toBe(303);
    const location = sent.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^/adviser/customers/${customer.id}\\?sent=JU-`));
    const reference = location.split('sent=')[1]!;
    const submission = await db()
      .selectFrom('submissions')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(submission.applicant_user_id).toBe(customer.id);
    expect(submission.channel).toBe('phone');
    const adviserId = (
      await db()
        .selectFrom('users')
        .select('id')
        .where('email', '=', DEMO_STAFF.adviser[0])
        .executeTakeFirstOrThrow()
    ).id;
    expect(submission.assisted_by_user_id).toBe(adviserId);

    // Logging the contact, with a call-back into the queue.
    await adviser.get(`/adviser/customers/${customer.id}/contact?reference=${reference}`);
    const bad = await adviser.post(`/adviser/customers/${customer.id}/contact`, {
      channel: 'phone',
      reason: 'help-to-apply',
      outcome: 'applied-for-customer',
      minutes: '0',
      applicationReference: reference,
      callback: 'no',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#minutes"');
    const [cd, cm, cy] = weekdayAhead(2);
    const logged = await adviser.post(`/adviser/customers/${customer.id}/contact`, {
      channel: 'phone',
      reason: 'help-to-apply',
      outcome: 'call-back-booked',
      minutes: '12',
      applicationReference: reference,
      notes: '',
      callback: 'yes',
      callbackDay: cd,
      callbackMonth: cm,
      callbackYear: cy,
      callbackTime: '14:30',
      callbackPhone: '07700 900456',
    });
    expect(logged.status, logged.html.slice(0, 400)).toBe(303);
    const contact = await db()
      .selectFrom('crm_contacts')
      .selectAll()
      .where('customer_user_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({
      channel: 'phone',
      minutes: 12,
      application_reference: reference,
    });
    const queue = await adviser.get('/adviser/callbacks');
    expect(queue.html).toContain('Casey Customer');
    const callback = await db()
      .selectFrom('crm_callbacks')
      .selectAll()
      .where('customer_user_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    // Another contact centre's adviser (here: a body with none) cannot work this call-back.
    const other = await staff('counter');
    await other.get('/adviser/callbacks');
    expect((await other.post(`/adviser/callbacks/${callback.id}/done`, {})).status).toBe(404);
    expect((await adviser.post(`/adviser/callbacks/${callback.id}/done`, {})).status).toBe(303);
    const view = await adviser.get(`/adviser/customers/${customer.id}`);
    expect(view.html).toContain(reference);
    expect(view.html).toContain('Help to apply');

    // Stopping: the session is the adviser's own again.
    expect((await adviser.post('/adviser/assist/stop', {})).status).toBe(303);
    expect(
      await db()
        .selectFrom('crm_assisting_sessions')
        .selectAll()
        .where('customer_user_id', '=', customer.id)
        .execute(),
    ).toHaveLength(0);
  });
});

describe('retention of the contact log', () => {
  it('finds contacts older than the cut-off, skips held ones, and deletes them with their call-backs', async () => {
    const customer = await aCustomer();
    const centre = await organisationId('glos-contact-centre');
    const old = new Date('2020-01-01T10:00:00Z');
    const [kept, held, gone] = await Promise.all(
      ['resolved', 'not-resolved', 'call-back-booked'].map(async (outcome) =>
        db()
          .insertInto('crm_contacts')
          .values({
            contact_centre_id: centre,
            customer_user_id: customer.id,
            channel: 'phone',
            reason: 'payment',
            outcome,
            minutes: 3,
            created_at: outcome === 'resolved' ? new Date() : old,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      ),
    );
    await db()
      .insertInto('crm_callbacks')
      .values({
        contact_id: gone!.id,
        contact_centre_id: centre,
        customer_user_id: customer.id,
        due_at: old,
        phone: '07700 900456',
      })
      .execute();
    const due = await contactRetention.findDue(db(), {
      organisationId: centre,
      action: 'delete',
      cutoff: new Date('2024-01-01T00:00:00Z'),
      limit: 100,
      heldPersonIds: [],
      heldPersonEmails: [],
      heldPersonPhones: [],
      heldRecordIds: [held!.id],
      heldReferences: [],
    });
    const ids = due.map((d) => d.id);
    expect(ids).toContain(gone!.id);
    expect(ids).not.toContain(held!.id);
    expect(ids).not.toContain(kept!.id);
    expect(await contactRetention.dispose(db(), 'delete', [gone!.id], new Date())).toBe(1);
    const left = await db()
      .selectFrom('crm_callbacks')
      .select('id')
      .where('contact_id', '=', gone!.id)
      .execute();
    expect(left).toEqual([]);
  });
});

describe('assisted services needing a verified identity (level 3)', () => {
  // A demo service at level 0, raised to 3 for this test only.
  const LEVEL_3 = 'report-a-missed-bin-collection-stroud';

  async function setLevel(slug: string, level: 0 | 3) {
    await db()
      .updateTable('services')
      .set({ required_level: level })
      .where('slug', '=', slug)
      .execute();
  }

  it('refuses one for a customer whose account lacks a verified identity, on the desk and by URL, and logs it; allows it when the account holds one', async () => {
    await setLevel(LEVEL_3, 3);
    try {
      const customer = await aCustomer();
      const adviser = await staff('adviser');
      expect((await confirm(adviser, customer)).status).toBe(303);
      await adviser.get(`/adviser/customers/${customer.id}/assist`);
      const refused = await adviser.post(`/adviser/customers/${customer.id}/assist`, {
        serviceSlug: LEVEL_3,
        channel: 'phone',
        consent: 'yes',
      });
      expect(refused.status).toBe(400);
      expect(refused.html).toContain('href="#serviceSlug"');
      expect(refused.html).toContain('This service needs a verified identity');
      const sessions = () =>
        db()
          .selectFrom('crm_assisting_sessions')
          .selectAll()
          .where('customer_user_id', '=', customer.id)
          .execute();
      expect(await sessions()).toHaveLength(0);

      // Assisting with another service does not open the level 3 one by its address.
      await adviser.get(`/adviser/customers/${customer.id}/assist`);
      const started = await adviser.post(`/adviser/customers/${customer.id}/assist`, {
        serviceSlug: 'request-a-bulky-waste-collection',
        channel: 'phone',
        consent: 'yes',
      });
      expect(started.status).toBe(303);
      const direct = await adviser.get(`/services/${LEVEL_3}/apply`);
      expect(direct.status).toBe(403);
      expect(direct.html).toContain('This service needs the customer’s verified identity');
      const refusals = await auditOf('crm.customer.refused', customer.id);
      expect(refusals.map((r) => r.details.refusal)).toEqual([
        'identity-not-verified',
        'identity-not-verified',
      ]);

      // Once the customer's own account holds a verified identity, the adviser may start it.
      await db()
        .updateTable('users')
        .set({ identity_verified_at: new Date(), identity_method: 'online-known-facts' })
        .where('id', '=', customer.id)
        .execute();
      await adviser.get(`/adviser/customers/${customer.id}/assist`);
      const allowed = await adviser.post(`/adviser/customers/${customer.id}/assist`, {
        serviceSlug: LEVEL_3,
        channel: 'phone',
        consent: 'yes',
      });
      expect(allowed.status, allowed.html.slice(0, 300)).toBe(303);
      expect(allowed.headers.get('location')).toBe(`/services/${LEVEL_3}/apply`);
      const starts = await auditOf('crm.assist.started', customer.id);
      expect(starts.at(-1)!.details.service).toBe(LEVEL_3);
    } finally {
      await setLevel(LEVEL_3, 0);
    }
  });
});

describe('card payments over the phone (MOTO) for an assisted application', () => {
  /** The adviser fills in the Stroud parking permit (a £60 fee) with the customer and sends it. */
  async function sendPermitFor(adviser: Visitor, customer: { id: string; email: string }) {
    expect((await confirm(adviser, customer)).status).toBe(303);
    await adviser.get(`/adviser/customers/${customer.id}/assist`);
    const started = await adviser.post(`/adviser/customers/${customer.id}/assist`, {
      serviceSlug: 'resident-parking-permit-stroud',
      channel: 'phone',
      consent: 'yes',
    });
    expect(started.status, started.html.slice(0, 300)).toBe(303);
    const { sent } = await sendParkingPermit(adviser, { actingFor: customer.id });
    const location = sent.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^/adviser/customers/${customer.id}\\?sent=JU-`));
    return { location, reference: location.split('sent=')[1]! };
  }

  it('refuses while Stroud does not take them, then takes the fee on the adviser’s own card page; the customer sees the payment', async () => {
    const customer = await aCustomer();
    const adviser = await staff('adviser');
    const { location, reference } = await sendPermitFor(adviser, customer);
    const submission = () =>
      db()
        .selectFrom('submissions')
        .selectAll()
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
    expect((await submission()).status).toBe('awaiting-payment');

    // Refused: Stroud has not turned MOTO on. The record says so, offers no button, and logs it.
    const record = await adviser.get(location);
    expect(record.html).toContain(`Fee for ${reference}`);
    expect(record.html).toContain('does not take card payments over the phone');
    expect(record.html).not.toContain('Take a card payment now');
    const refused = await adviser.post(`/adviser/customers/${customer.id}/pay`, { reference });
    expect(refused.headers.get('location')).toBe(location);
    const refusals = await auditOf('crm.payment.refused', customer.id);
    expect(refusals.map((r) => r.details.reason)).toEqual(['moto-not-allowed']);
    const motoPayments = () =>
      db()
        .selectFrom('payments')
        .selectAll()
        .where('reference', '=', reference)
        .where('moto', '=', true)
        .execute();
    expect(await motoPayments()).toHaveLength(0);

    const admin = await staff('admin');
    await admin.get('/admin/payments/stroud');
    expect(
      (await admin.post('/admin/payments/stroud/settings', { motoAllowed: 'yes' })).status,
    ).toBe(303);

    const offered = await adviser.get(location);
    expect(offered.html).toContain('Take a card payment now (card over the phone)');
    const asked = await adviser.post(`/adviser/customers/${customer.id}/pay`, { reference });
    expect(asked.status).toBe(303);
    const nextUrl = asked.headers.get('location')!;
    expect(nextUrl).toMatch(/^\/pay\//);

    // The customer, or another adviser, cannot use the adviser's card page (and do not spend it).
    const customerBrowser = new Visitor(app.baseUrl);
    await customerBrowser.signIn(customer.email, customer.password);
    expect((await customerBrowser.get(nextUrl)).status).toBe(404);
    expect((await (await staff('counter')).get(nextUrl)).status).toBe(404);

    const opened = await adviser.get(nextUrl);
    expect(opened.status).toBe(303);
    const cardPath = opened.headers.get('location')!;
    const card = await adviser.get(cardPath);
    expect(card.html).toContain('You are taking this card over the phone');
    const paymentId = /\/pay\/card\/([a-z0-9]+)/.exec(cardPath)![1]!;
    const submitted = await adviser.post(`/pay/card/${paymentId}`, {
      cardNo: '4444333322221111',
      expiryMonth: '12',
      expiryYear: '39',
      cardholderName: 'Casey Customer',
      cvc: '123',
    });
    expect(submitted.status).toBe(303);
    await adviser.get(submitted.headers.get('location')!);
    const confirmed = await adviser.post(`/pay/confirm/${paymentId}`, {});
    expect(confirmed.headers.get('location')).toBe(
      `/adviser/customers/${customer.id}?paid=${reference}`,
    );
    const back = await adviser.get(confirmed.headers.get('location')!);
    expect(back.html).toContain('Payment taken');
    expect(back.html).toContain(`£60.00 was paid for ${reference}`);
    expect((await submission()).status).not.toBe('awaiting-payment');

    const [payment] = await motoPayments();
    expect(payment).toMatchObject({ status: 'success', moto: true, email: customer.email });
    expect(payment!.card_last_four).toBe('1111');
    const adviserId = (
      await db()
        .selectFrom('users')
        .select('id')
        .where('email', '=', DEMO_STAFF.adviser[0])
        .executeTakeFirstOrThrow()
    ).id;
    expect(payment!.moto_user_id).toBe(adviserId);
    const paymentAudit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('resource_id', '=', payment!.id)
      .where('action', '=', 'payments.moto.confirmed')
      .execute();
    expect(paymentAudit.map((a) => [a.actor_user_id, a.actor_role])).toEqual([
      [adviserId, 'counter-adviser'],
    ]);
    expect(await auditOf('crm.payment.started', customer.id)).toHaveLength(1);

    // The customer sees the payment among their own records.
    const mine = await customerBrowser.get('/account/my-data.json');
    expect(mine.status).toBe(200);
    expect(mine.html).toContain(reference);
    expect(mine.html).toContain('1111');
    expect(mine.html).not.toContain('4444333322221111');
  });
});
