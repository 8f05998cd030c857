import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { createStaffUser } from '../../../identity/index.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';
import { MODULES } from '../../../../main/modules.js';
import { runRetention } from '../../commands/run.js';
import { aBooking, aPerson } from '../../test/records.js';

let app: TestApp;
const TYPES = MODULES.flatMap((module) => module.retention ?? []);
const db = () => app.platform.database.db;
const STROUD_ADMIN = ['admin@stroud.example.gov.uk', 'stroud admin passphrase'] as const;
const CHELTENHAM_ADMIN = [
  'admin@cheltenham.example.gov.uk',
  'cheltenham admin passphrase',
] as const;
const STROUD_CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;

async function signedIn([email, password]: readonly [string, string]): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

beforeAll(async () => {
  app = await startTestApp();
  for (const [slug, [email, password]] of [
    ['stroud', STROUD_ADMIN],
    ['cheltenham', CHELTENHAM_ADMIN],
  ] as const) {
    const organisation = (await findOrganisationBySlug(db(), slug))!;
    const created = await createStaffUser(db(), {
      email,
      password,
      displayName: `${slug} admin`,
      organisationId: organisation.id,
      roles: ['admin'],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
  }
});
afterAll(async () => {
  await app?.close();
});

describe('the retention admin pages', () => {
  it('lists every record type with its default, and saves a body’s own period (audited)', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    expect((await admin.get('/admin/retention')).headers.get('location')).toBe(
      '/admin/retention/stroud',
    );
    const page = await admin.get('/admin/retention/stroud');
    expect(page.status).toBe(200);
    for (const title of ['Applications', 'Cases', 'Inbox messages', 'Payments', 'Bookings'])
      expect(page.html).toContain(title);
    expect(page.html).toContain('6 years after the decision');
    const form = await admin.get('/admin/retention/stroud/policies/booking');
    expect(form.html).toContain('between 1 and 84 months');
    const saved = await admin.post('/admin/retention/stroud/policies/booking', {
      periodMonths: '12',
      action: 'delete',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/admin/retention/stroud?done=policy');
    const after = await admin.get('/admin/retention/stroud?done=policy');
    expect(after.html).toContain('1 year after the booked time ending');
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'retention.policy.set')
      .execute();
    expect(audit).toEqual([
      {
        action: 'retention.policy.set',
        details: { recordType: 'booking', periodMonths: 12, retentionAction: 'delete' },
      },
    ]);
  });

  it('refuses a period outside the legal bounds with an error summary, in Welsh too', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    await admin.get('/admin/retention/stroud/policies/payment?lang=cy');
    const refused = await admin.post('/admin/retention/stroud/policies/payment', {
      periodMonths: '12',
      action: 'anonymise',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('govuk-error-summary');
    expect(refused.html).toContain('Rhaid i nifer y misoedd fod rhwng 72 a 144');
    const none = await db()
      .selectFrom('retention_policies')
      .selectAll()
      .where('record_type', '=', 'payment')
      .execute();
    expect(none).toEqual([]);
  });

  it('places a legal hold on a record, lists it, and lifts it; the job obeys it while it stands', async () => {
    const stroud = (await findOrganisationBySlug(db(), 'stroud'))!;
    const person = await aPerson(db());
    const booking = await aBooking(
      db(),
      stroud.id,
      person,
      'held@example.com',
      new Date('2020-01-01T10:00:00Z'),
    );
    const admin = await signedIn(STROUD_ADMIN);
    await admin.get('/admin/retention/stroud/holds/new');
    const missing = await admin.post('/admin/retention/stroud/holds', {
      subject: 'record',
      recordType: 'booking',
    });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('Enter the record’s reference');
    expect(missing.html).toContain('Enter the reason for the hold');
    const placed = await admin.post('/admin/retention/stroud/holds', {
      subject: 'record',
      recordType: 'booking',
      identifier: booking.reference,
      reason: 'Claim against the council',
    });
    expect(placed.status).toBe(303);
    const page = await admin.get('/admin/retention/stroud');
    expect(page.html).toContain(`Bookings: ${booking.reference}`);
    expect(page.html).toContain('Claim against the council');
    await runRetention(db(), TYPES, { now: new Date(), runKey: 'page-1' });
    expect(
      await db().selectFrom('bookings').select('id').where('id', '=', booking.id).execute(),
    ).toHaveLength(1);
    const holdId = /\/holds\/([0-9a-f-]{36})\/lift/.exec(page.html)![1]!;
    const lifted = await admin.post(`/admin/retention/stroud/holds/${holdId}/lift`, {});
    expect(lifted.headers.get('location')).toBe('/admin/retention/stroud?done=hold-lifted');
    const report = await runRetention(db(), TYPES, { now: new Date(), runKey: 'page-2' });
    expect(report.lines).toContainEqual(
      expect.objectContaining({ organisationSlug: 'stroud', recordType: 'booking', count: 1 }),
    );
    expect(
      await db().selectFrom('bookings').select('id').where('id', '=', booking.id).execute(),
    ).toEqual([]);
    const runs = await admin.get('/admin/retention/stroud');
    expect(runs.html).toContain('page-2');
    expect(runs.html).toContain('Bookings: Delete, 1');
    expect(runs.html).toContain('There are no legal holds in force.');
  });

  it('places a hold on a person by their account’s e-mail address, and audits reading the list', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    await admin.get('/admin/retention/stroud/holds/new?lang=cy');
    const unknown = await admin.post('/admin/retention/stroud/holds', {
      subject: 'person',
      email: 'nobody@example.com',
      reason: 'r',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('Nid oes cyfrif gyda’r cyfeiriad e-bost hwnnw');
    const placed = await admin.post('/admin/retention/stroud/holds', {
      subject: 'person',
      email: 'citizen@example.com',
      reason: 'Fraud investigation',
      'endsAt-day': '1',
      'endsAt-month': '1',
      'endsAt-year': '2099',
    });
    expect(placed.status).toBe(303);
    const page = await admin.get('/admin/retention/stroud?lang=en');
    expect(page.html).toContain('Every record about citizen@example.com');
    const viewed = await db()
      .selectFrom('audit_log')
      .select(['subject_user_id'])
      .where('action', '=', 'retention.hold.viewed')
      .execute();
    expect(viewed.length).toBeGreaterThan(0);
    expect(viewed[0]!.subject_user_id).not.toBeNull();
  });

  it('another body’s admin and the body’s caseworker get 404 and change nothing', async () => {
    const before = await db().selectFrom('legal_holds').select('id').execute();
    for (const who of [CHELTENHAM_ADMIN, STROUD_CASEWORKER]) {
      const visitor = await signedIn(who);
      expect((await visitor.get('/admin/retention/stroud')).status).toBe(404);
      expect((await visitor.get('/admin/retention/stroud/policies/case')).status).toBe(404);
      await visitor.get('/');
      const policy = await visitor.post('/admin/retention/stroud/policies/case', {
        periodMonths: '100',
        action: 'anonymise',
      });
      expect(policy.status).toBe(404);
      const hold = await visitor.post('/admin/retention/stroud/holds', {
        subject: 'person',
        email: 'citizen@example.com',
        reason: 'x',
      });
      expect(hold.status).toBe(404);
      if (before[0]) {
        const lift = await visitor.post(`/admin/retention/stroud/holds/${before[0].id}/lift`, {});
        expect(lift.status).toBe(404);
      }
    }
    expect(await db().selectFrom('retention_policies').select('record_type').execute()).toEqual([
      { record_type: 'booking' },
    ]);
    const after = await db().selectFrom('legal_holds').select(['id', 'lifted_at']).execute();
    expect(after.map((h) => h.id).sort()).toEqual(before.map((h) => h.id).sort());
    // The caseworker's own body's area is not theirs either: /admin/retention gives 404.
    const caseworker = await signedIn(STROUD_CASEWORKER);
    expect((await caseworker.get('/admin/retention')).status).toBe(404);
    // Cheltenham's admin runs Cheltenham's.
    const theirs = await signedIn(CHELTENHAM_ADMIN);
    expect((await theirs.get('/admin/retention/cheltenham')).status).toBe(200);
  });
});
